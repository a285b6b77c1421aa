//! Fixes: ready-to-paste changes per ecosystem for each cause, and rewrites of the user's own
//! commands, compose files and Dockerfiles (with unified diffs, in [`rewrite`]).
//!
//! [`fixes_for`] turns a cause code and a [`FixContext`] (the host, the image's platforms, the
//! image name, the file involved) into concrete snippets with the real values filled in, using
//! syntax verified against each tool's documentation. Where popular advice is wrong, the fixes
//! say so: plain `--platform` on a Linux engine needs binfmt first; Lambda images need
//! `--provenance=false`; `ARG TARGETARCH=amd64` overrides BuildKit's value; hadolint DL3029
//! flags a *constant* `--platform`, not a missing one.
//!
//! ```
//! use archcompat::finding::{CauseCode, FixTarget};
//! use archcompat::fix::{fixes_for, FixContext};
//! let ctx = FixContext {
//!     host: Some("linux/amd64".parse().unwrap()),
//!     targets: vec!["linux/arm64".parse().unwrap()],
//!     image: Some("ghcr.io/acme/api:1.4".into()),
//!     ..Default::default()
//! };
//! let fixes = fixes_for(CauseCode::ArchMismatch, &ctx);
//! let buildx = fixes.iter().find(|f| f.applies_to == FixTarget::Buildx).unwrap();
//! assert!(buildx.snippet.contains("--platform linux/amd64,linux/arm64 -t ghcr.io/acme/api:1.4 --push ."));
//! ```

pub mod rewrite;

use crate::finding::{CauseCode, Finding, Fix, FixTarget};
use crate::platform::{AliasKind, Platform};

/// What is known about the situation a fix must fit.
#[derive(Debug, Clone, Default)]
pub struct FixContext {
    /// Where the image or binary must run.
    pub host: Option<Platform>,
    /// The platforms the image (or binary) is built for / available in the index.
    pub targets: Vec<Platform>,
    /// The image reference, when known.
    pub image: Option<String>,
    /// The file involved (script, binary, Dockerfile), when known.
    pub path: Option<String>,
    /// The missing or wrong interpreter (`/lib64/ld-linux-x86-64.so.2`, `/bin/bash`).
    pub interpreter: Option<String>,
}

impl FixContext {
    /// A context from what a user types: a host (platform, alias or profile name), the image's
    /// platforms (specifiers or aliases), the image reference, the file and the interpreter.
    pub fn from_specs(
        host: Option<&str>,
        platforms: &[String],
        image: Option<String>,
        path: Option<String>,
        interpreter: Option<String>,
    ) -> crate::Result<FixContext> {
        let host = match host {
            Some(h) => Some(crate::platform::Host::resolve(h)?.platform),
            None => None,
        };
        let targets = platforms
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.parse::<Platform>())
            .collect::<crate::Result<Vec<_>>>()?;
        Ok(FixContext {
            host,
            targets,
            image,
            path,
            interpreter,
        })
    }
}

/// `linux/arm64` (no `v8`), `linux/arm/v7`, `linux/amd64`: what people type.
fn short(p: &Platform) -> String {
    let n = p.normalize();
    let os = if n.os.is_empty() {
        "linux".to_string()
    } else {
        n.os.clone()
    };
    let mut s = format!("{os}/{}", n.architecture);
    if !n.variant.is_empty() && n.architecture != "amd64" {
        s.push('/');
        s.push_str(&n.variant);
    }
    s
}

struct Vals {
    host: String,
    host_arch: String,
    image_platform: String,
    image_arch: String,
    publish: String,
    image: String,
    path: String,
}

impl Vals {
    fn of(ctx: &FixContext) -> Vals {
        let host = ctx.host.as_ref().map(short);
        let target = ctx.targets.first().map(short);
        let host_s = host.clone().unwrap_or_else(|| "linux/amd64".into());
        let img_s = target.clone().unwrap_or_else(|| {
            if host_s == "linux/arm64" {
                "linux/amd64".into()
            } else {
                "linux/arm64".into()
            }
        });
        let mut publish: Vec<String> = Vec::new();
        for p in host.iter().cloned().chain(ctx.targets.iter().map(short)) {
            if !publish.contains(&p) {
                publish.push(p);
            }
        }
        if publish.len() < 2 {
            for extra in ["linux/amd64", "linux/arm64"] {
                if !publish.iter().any(|p| p == extra) {
                    publish.push(extra.into());
                }
            }
        }
        let arch = |s: &str| s.split('/').nth(1).unwrap_or("amd64").to_string();
        Vals {
            host_arch: arch(&host_s),
            image_arch: arch(&img_s),
            host: host_s,
            image_platform: img_s,
            publish: publish.join(","),
            image: ctx.image.clone().unwrap_or_else(|| "IMAGE".into()),
            path: ctx.path.clone().unwrap_or_else(|| "entrypoint.sh".into()),
        }
    }
}

fn fix(
    id: &str,
    title: String,
    why: impl Into<String>,
    applies_to: FixTarget,
    snippet: String,
) -> Fix {
    Fix {
        id: id.into(),
        title,
        why: why.into(),
        applies_to,
        snippet,
        diff: None,
    }
}

fn alias(spec: &str, kind: AliasKind) -> Option<String> {
    spec.parse::<Platform>().ok().and_then(|p| p.alias(kind))
}

const BINFMT_WHY: &str = "Docker Desktop ships QEMU/Rosetta; a plain Linux engine (Graviton, Ampere, Raspberry Pi, CI VMs) runs a foreign image only after a binfmt_misc handler is registered — `--platform` alone still fails with exec format error. The registration does not survive a reboot.";

fn publish_fixes(v: &Vals) -> Vec<Fix> {
    vec![
        fix(
            "buildx-multiarch-push",
            format!("Publish a multi-platform image ({})", v.publish),
            "One index with an entry per platform lets every host pull the image it can run; verify that every platform is listed after the push.",
            FixTarget::Buildx,
            format!(
                "docker buildx create --name multi --driver docker-container --use\ndocker buildx build --platform {} -t {} --push .\ndocker buildx imagetools inspect {}",
                v.publish, v.image, v.image
            ),
        ),
        fix(
            "github-actions-multiarch",
            "Build every platform in GitHub Actions".into(),
            "setup-qemu registers binfmt handlers on the runner, setup-buildx creates a docker-container builder, build-push-action pushes one multi-platform index.",
            FixTarget::GithubActions,
            format!(
                "- uses: docker/setup-qemu-action@v4\n- uses: docker/setup-buildx-action@v4\n- uses: docker/build-push-action@v7\n  with:\n    platforms: {}\n    push: true\n    tags: {}\n",
                v.publish, v.image
            ),
        ),
        fix(
            "gitlab-ci-multiarch",
            "Build every platform in GitLab CI".into(),
            "A privileged docker:dind job registers binfmt, creates a buildx builder and pushes one index.",
            FixTarget::GitlabCi,
            format!(
                "build:\n  image: docker:27\n  services: [docker:27-dind]\n  before_script:\n    - docker run --privileged --rm tonistiigi/binfmt --install all\n    - docker buildx create --use --driver docker-container\n  script:\n    - docker buildx build --platform {} -t \"$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA\" --push .\n",
                v.publish
            ),
        ),
    ]
}

fn cross_compile_fix() -> Fix {
    fix("dockerfile-cross-compile-go", "Cross-compile on the build platform (Go)".into(),
        "The build stage runs natively on $BUILDPLATFORM and compiles for $TARGETARCH; the runtime stage has no --platform so it follows the target. Declare the ARGs inside the stage, without defaults (`ARG TARGETARCH=amd64` would override BuildKit's value).",
        FixTarget::Dockerfile,
        "# syntax=docker/dockerfile:1\nFROM --platform=$BUILDPLATFORM golang:1.23 AS build\nARG TARGETOS\nARG TARGETARCH\nARG TARGETVARIANT\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go build -o /out/app .\n\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n".into())
}

fn rust_cross_fix() -> Fix {
    fix("dockerfile-cross-compile-rust", "Cross-compile on the build platform (Rust, tonistiigi/xx)".into(),
        "xx-cargo picks the Rust target and linker for $TARGETPLATFORM and xx-verify checks the result's architecture.",
        FixTarget::Rust,
        "# syntax=docker/dockerfile:1\nFROM --platform=$BUILDPLATFORM tonistiigi/xx AS xx\nFROM --platform=$BUILDPLATFORM rust:alpine AS build\nCOPY --from=xx / /\nRUN apk add clang lld\nWORKDIR /src\nCOPY . .\nARG TARGETPLATFORM\nRUN xx-apk add --no-cache musl-dev gcc && \\\n    xx-cargo build --release --target-dir ./build && \\\n    xx-verify ./build/$(xx-cargo --print-target-triple)/release/app && \\\n    cp ./build/$(xx-cargo --print-target-triple)/release/app /app\nFROM alpine\nCOPY --from=build /app /app\nENTRYPOINT [\"/app\"]\n".into())
}

fn node_fix() -> Fix {
    fix("dockerfile-node-native-deps", "Install native Node modules on the target platform".into(),
        "Modules with native addons must be installed by the target platform's npm; pure-JS bundling can run on $BUILDPLATFORM. Keep host node_modules out of the context (.dockerignore).",
        FixTarget::Node,
        "FROM node:20-bookworm-slim AS deps\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\nFROM --platform=$BUILDPLATFORM node:20-bookworm-slim AS build\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nFROM node:20-bookworm-slim\nWORKDIR /app\nCOPY --from=deps /app/node_modules ./node_modules\nCOPY --from=build /app/dist ./dist\nCMD [\"node\", \"dist/index.js\"]\n".into())
}

fn emulate_fixes(v: &Vals) -> Vec<Fix> {
    vec![
        fix(
            "binfmt-run-emulated",
            format!("Run the {} image under emulation", v.image_platform),
            BINFMT_WHY,
            FixTarget::Binfmt,
            format!(
                "docker run --privileged --rm tonistiigi/binfmt --install {}\ndocker run --platform {} {}",
                v.image_arch, v.image_platform, v.image
            ),
        ),
        fix(
            "compose-platform",
            format!("Pin the service to {} in compose", v.image_platform),
            "A service's `platform:` makes compose pull that variant; on a Linux engine binfmt must be installed first.",
            FixTarget::Compose,
            format!(
                "services:\n  app:\n    image: {}\n    platform: {}\n",
                v.image, v.image_platform
            ),
        ),
    ]
}

fn schedule_fixes(v: &Vals) -> Vec<Fix> {
    let mut out = Vec::new();
    if let Some(k) = alias(&v.image_platform, AliasKind::Kubernetes) {
        out.push(fix("kubernetes-node-selector", format!("Schedule the pod on {k} nodes"),
            "`kubernetes.io/arch` is a well-known node label; list only architectures the image index has (`kubectl get nodes -L kubernetes.io/arch`).",
            FixTarget::Kubernetes,
            format!("spec:\n  nodeSelector:\n    kubernetes.io/arch: {k}\n")));
    }
    if let Some(e) = alias(&v.image_platform, AliasKind::EcsCpuArchitecture) {
        out.push(fix("ecs-runtime-platform", format!("Run the ECS task on {e}"),
            "The task definition's runtimePlatform must match the image; X86_64 is the default.",
            FixTarget::Ecs,
            format!("{{\n  \"runtimePlatform\": {{ \"cpuArchitecture\": \"{e}\", \"operatingSystemFamily\": \"LINUX\" }}\n}}\n")));
    }
    if let Some(l) = alias(&v.image_platform, AliasKind::LambdaArchitecture) {
        out.push(fix("lambda-architectures", format!("Set the Lambda function's Architectures to {l}"),
            "Lambda runs the image on the architecture the function declares (x86_64 by default); it must match the image.",
            FixTarget::Lambda,
            format!("Properties:\n  PackageType: Image\n  Architectures: [{l}]\n")));
    }
    if let Some(l) = alias(&v.host, AliasKind::LambdaArchitecture) {
        out.push(fix("lambda-build-for-function", format!("Build the Lambda image for {}", v.host),
            "Lambda rejects image indexes with attestation manifests, so build with --provenance=false; the image must match the function's Architectures.",
            FixTarget::Lambda,
            format!("docker buildx build --platform {} --provenance=false -t {} --push .\naws lambda update-function-code --function-name FUNCTION --image-uri {} --architectures {l}", v.host, v.image, v.image)));
    }
    out
}

/// Concrete fixes for a cause, filled with what `ctx` knows, with the redaction policy applied
/// to the user text they echo (image references keep their names; credentials go).
pub fn fixes_for_with(
    code: CauseCode,
    ctx: &FixContext,
    redaction: crate::redact::Redaction,
) -> Vec<Fix> {
    let mut fixes = fixes_for(code, ctx);
    for f in &mut fixes {
        redaction.fix(f);
    }
    fixes
}

/// Concrete fixes for a cause, filled with what `ctx` knows. Every code has at least one.
/// User text as given (see [`fixes_for_with`] for redaction).
pub fn fixes_for(code: CauseCode, ctx: &FixContext) -> Vec<Fix> {
    let v = Vals::of(ctx);
    let mut out = Vec::new();
    match code {
        CauseCode::ArchMismatch => {
            out.extend(publish_fixes(&v));
            out.push(fix("docker-build-for-host", format!("Build the image for {}", v.host),
                "Building on an Apple Silicon laptop produces linux/arm64 by default; ask for the platform the servers run.",
                FixTarget::DockerCli,
                format!("docker buildx build --platform {} -t {} --push .\nexport DOCKER_DEFAULT_PLATFORM={}", v.host, v.image, v.host)));
            out.push(cross_compile_fix());
            out.extend(emulate_fixes(&v));
            out.extend(schedule_fixes(&v));
        }
        CauseCode::NoMatchingManifest => {
            out.push(fix("imagetools-inspect", "List the platforms the image really has".into(),
                "The index lacks the requested platform; pick a tag or base image that has it, or publish it.",
                FixTarget::Buildx, format!("docker buildx imagetools inspect {}", v.image)));
            out.extend(publish_fixes(&v));
            out.push(fix("pull-emulated", format!("Pull the {} variant and run it emulated", v.image_platform), BINFMT_WHY, FixTarget::Binfmt,
                format!("docker run --privileged --rm tonistiigi/binfmt --install {}\ndocker pull --platform {} {}", v.image_arch, v.image_platform, v.image)));
            out.push(fix("copy-whole-index", "Mirror the whole index, not one platform".into(),
                "`docker pull`/`tag`/`push` keeps only one platform; copy every entry when mirroring.",
                FixTarget::DockerCli, format!("skopeo copy --all docker://{} docker://MIRROR/{}", v.image, v.image.rsplit('/').next().unwrap_or("IMAGE"))));
            if v.host.starts_with("linux/arm/") {
                out.push(fix("arm32-userland", "Install a 64-bit OS (32-bit userland asks for linux/arm)".into(),
                    "A 32-bit Raspberry Pi OS reports linux/arm/v7 or linux/arm/v8; most images publish only amd64 and arm64, and `--platform linux/arm64` cannot help because the engine itself is 32-bit.",
                    FixTarget::DockerCli, "docker version --format '{{.Server.Os}}/{{.Server.Arch}}'\ngetconf LONG_BIT".into()));
            }
        }
        CauseCode::VariantMismatch => {
            out.push(fix("pull-without-variant", format!("Ask for {} explicitly", v.host),
                "Old engines detect `unknown` or a too-new variant; an explicit platform selects the right entry.",
                FixTarget::DockerCli, format!("docker pull --platform {} {}", v.host, v.image)));
            out.extend(publish_fixes(&v).into_iter().take(1));
        }
        CauseCode::PlatformWarning => {
            out.push(fix("explicit-platform", format!("Request {} explicitly", v.image_platform),
                "The warning is harmless when the container runs under emulation; an explicit --platform silences it, and publishing the host's platform removes the need for emulation.",
                FixTarget::DockerCli, format!("docker run --platform {} {}", v.image_platform, v.image)));
            out.extend(emulate_fixes(&v).into_iter().skip(1));
            out.extend(publish_fixes(&v).into_iter().take(1));
        }
        CauseCode::OsMismatch => {
            out.push(fix("docker-desktop-switch-daemon", "Switch Docker Desktop between Linux and Windows containers".into(),
                "The engine runs either Linux or Windows containers; check with `docker version --format '{{.Server.Os}}'`.",
                FixTarget::DockerCli, "& \"$Env:ProgramFiles\\Docker\\Docker\\DockerCli.exe\" -SwitchDaemon".into()));
            out.push(fix("kubernetes-node-os", "Schedule on nodes of the image's OS".into(),
                "`kubernetes.io/os` is a well-known node label; Windows nodes also need a matching OS build.",
                FixTarget::Kubernetes, format!("spec:\n  nodeSelector:\n    kubernetes.io/os: {}\n", ctx.targets.first().map(|p| p.os.clone()).filter(|o| !o.is_empty()).unwrap_or_else(|| "linux".into()))));
        }
        CauseCode::WrongOsBinary => {
            out.push(fix("dockerignore-host-artefacts", "Keep host build outputs out of the build context".into(),
                "A macOS/Windows node_modules, target/ or bin/ copied by `COPY . .` puts Mach-O/PE files in a Linux image.",
                FixTarget::File, "node_modules\ntarget/\ndist/\nbin/\n.venv\n".into()));
            out.push(fix(
                "go-build-linux",
                format!("Build the Go binary for {}", v.host),
                "Set GOOS and GOARCH; a binary built on a Mac is Mach-O.",
                FixTarget::Go,
                format!(
                    "CGO_ENABLED=0 GOOS=linux GOARCH={} go build -o app .",
                    v.host_arch
                ),
            ));
            if let Some(t) = alias(&v.host, AliasKind::RustTripleMusl) {
                out.push(fix("rust-build-linux", format!("Build the Rust binary for {t}"),
                    "Build for a Linux target inside the image or with a cross linker; never COPY a host build.",
                    FixTarget::Rust, format!("rustup target add {t}\ncargo build --release --target {t}")));
            }
            out.push(node_fix());
        }
        CauseCode::ImageMislabeled => {
            out.push(cross_compile_fix());
            out.push(rust_cross_fix());
            out.push(fix("verify-each-platform", "Verify every platform's binaries after the push".into(),
                "Registry metadata trusts the build; only the binaries tell. archcompat reads each platform's layers and compares them with the label.",
                FixTarget::Buildx,
                v.publish.split(',').map(|p| format!("archcompat image docker://{} --host {p}", v.image)).collect::<Vec<_>>().join("\n")));
        }
        CauseCode::HardcodedArch => {
            out.push(fix("dockerfile-targetarch-download", "Derive downloads and GOARCH from TARGETARCH".into(),
                "Release assets name architectures differently (x86_64/amd64, aarch64/arm64); map BuildKit's TARGETARCH explicitly, fail on HTTP errors (-f) and smoke-test the binary. Declare the ARG without a default.",
                FixTarget::Dockerfile,
                "ARG TARGETARCH\nRUN set -eux; \\\n    case \"${TARGETARCH}\" in \\\n      amd64) ARCH=amd64; TRIPLE=x86_64 ;; \\\n      arm64) ARCH=arm64; TRIPLE=aarch64 ;; \\\n      *) echo \"unsupported TARGETARCH=${TARGETARCH}\" >&2; exit 1 ;; \\\n    esac; \\\n    curl -fsSLo /usr/local/bin/tool \"https://example.invalid/releases/tool-linux-${ARCH}\"; \\\n    chmod +x /usr/local/bin/tool; \\\n    tool --version\n".into()));
            out.push(cross_compile_fix());
            out.push(fix("no-constant-platform", "Choose the platform at build time, not in FROM".into(),
                "A constant `FROM --platform=linux/amd64` is what hadolint DL3029 and BuildKit's FromPlatformFlagConstDisallowed flag (they do not flag a missing --platform); pass platforms to the build instead.",
                FixTarget::Buildx, format!("docker buildx build --platform {} -t {} --push .", v.publish, v.image)));
        }
        CauseCode::EmulationMissing => {
            out.push(fix(
                "binfmt-install",
                format!("Register a QEMU handler for {}", v.image_arch),
                BINFMT_WHY,
                FixTarget::Binfmt,
                format!(
                    "docker run --privileged --rm tonistiigi/binfmt --install {}",
                    v.image_arch
                ),
            ));
            out.push(fix("binfmt-debian", "Install QEMU user emulation from the distribution".into(),
                "Debian/Ubuntu packages register persistent binfmt_misc handlers with the F flag, so they work inside containers.",
                FixTarget::Binfmt, "sudo apt-get install -y qemu-user-static binfmt-support".into()));
            out.push(fix("github-actions-setup-qemu", "Register QEMU on the GitHub runner".into(),
                "Hosted runners have no binfmt handlers until setup-qemu runs.",
                FixTarget::GithubActions, format!("- uses: docker/setup-qemu-action@v4\n  with:\n    platforms: {}\n- uses: docker/setup-buildx-action@v4\n", v.image_arch)));
            out.push(cross_compile_fix());
        }
        CauseCode::EmulationCrash => {
            out.push(fix("binfmt-pin", "Pin a QEMU version known to work".into(),
                "tonistiigi/binfmt:latest (qemu 9.x) regressed in 2025; qemu-v7.0.0-28 was the working pin. Treat the emulator version as a dependency.",
                FixTarget::Binfmt, "docker run --privileged --rm tonistiigi/binfmt:qemu-v7.0.0-28 --install all".into()));
            out.push(fix("github-actions-pin-qemu", "Pin QEMU in GitHub Actions".into(),
                "setup-qemu-action takes the binfmt image to use.",
                FixTarget::GithubActions, "- uses: docker/setup-qemu-action@v4\n  with:\n    image: tonistiigi/binfmt:qemu-v7.0.0-28\n".into()));
            out.push(fix("native-arm-runner", "Build on native arm64 runners instead of emulating".into(),
                "A native runner avoids QEMU entirely; combine per-platform digests with `docker buildx imagetools create`.",
                FixTarget::GithubActions, "jobs:\n  build-arm64:\n    runs-on: ubuntu-24.04-arm\n    steps:\n      - uses: actions/checkout@v4\n".into()));
        }
        CauseCode::MissingInterpreter => {
            let interp = ctx.interpreter.clone().unwrap_or_default();
            if interp.contains("bash") {
                out.push(fix("use-posix-sh", "Use /bin/sh, or install bash".into(),
                    "Alpine, busybox and distroless images have no bash; the kernel returns ENOENT for the script although it exists.",
                    FixTarget::File, format!("sed -i '1s|^#!.*bash.*|#!/bin/sh|' {}", v.path)));
                out.push(fix(
                    "apk-add-bash",
                    "Install bash in an Alpine image".into(),
                    "If the script needs bash features, add the shell.",
                    FixTarget::Dockerfile,
                    "RUN apk add --no-cache bash\n".into(),
                ));
            } else {
                out.push(fix("go-static", "Build Go statically (no libc loader needed)".into(),
                    "A cgo-enabled Go binary needs glibc's loader; CGO_ENABLED=0 produces a static binary that runs on Alpine and scratch.",
                    FixTarget::Go, format!("CGO_ENABLED=0 GOOS=linux GOARCH={} go build -o app .", v.host_arch)));
                out.push(fix("alpine-gcompat", "Provide the glibc loader on Alpine".into(),
                    "gcompat installs the glibc loader names on musl; better still, build in an Alpine stage or use a glibc base image.",
                    FixTarget::Dockerfile, "RUN apk add --no-cache gcompat\n".into()));
                out.push(fix("glibc-base-image", "Use a base image with the binary's libc".into(),
                    format!("The binary asks for {} which the image does not have; a Debian or distroless/base image ships glibc.", if interp.is_empty() { "an interpreter".to_string() } else { interp.clone() }),
                    FixTarget::Dockerfile, "FROM gcr.io/distroless/base-debian12\n".into()));
            }
        }
        CauseCode::IsaLevelTooHigh => {
            out.push(fix("libvirt-host-passthrough", "Expose the real CPU to the VM (libvirt)".into(),
                "Generic VM CPU models (qemu64/kvm64) are x86-64-v1; RHEL/UBI 9 need v2, RHEL 10 v3.",
                FixTarget::File, "<cpu mode='host-passthrough'/>\n".into()));
            out.push(fix(
                "proxmox-cpu-host",
                "Expose the real CPU to the VM (Proxmox)".into(),
                "Proxmox's default CPU type may lack SSE4.2/POPCNT/AVX.",
                FixTarget::File,
                "qm set VMID --cpu host".into(),
            ));
            out.push(fix(
                "kubernetes-cpu-feature",
                "Schedule on nodes with the needed CPU features".into(),
                "node-feature-discovery labels nodes with their CPUID features.",
                FixTarget::Kubernetes,
                "spec:\n  nodeSelector:\n    feature.node.kubernetes.io/cpu-cpuid.AVX2: \"true\"\n"
                    .into(),
            ));
            out.push(fix(
                "go-amd64-v1",
                "Build Go for the baseline level".into(),
                "GOAMD64=v1 runs on every x86-64 CPU.",
                FixTarget::Go,
                "GOAMD64=v1 CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -o app .".into(),
            ));
        }
        CauseCode::PageSizeMismatch => {
            out.push(fix("jemalloc-lg-page", "Build jemalloc for 64 KiB pages".into(),
                "jemalloc's page size is fixed at compile time (runtime variables do not help); lg-page 16 (64 KiB) also works on 4 and 16 KiB kernels.",
                FixTarget::Dockerfile, "ENV JEMALLOC_SYS_WITH_LG_PAGE=16\n".into()));
            out.push(fix(
                "pi5-4k-kernel",
                "Boot the Raspberry Pi 5 with the 4 KiB-page kernel".into(),
                "The Pi 5 default kernel uses 16 KiB pages; kernel8.img uses 4 KiB.",
                FixTarget::File,
                "kernel=kernel8.img\n".into(),
            ));
        }
        CauseCode::MissingShebang => {
            out.push(fix("add-shebang", "Start the script with #!".into(),
                "The kernel only runs a script whose first two bytes are `#!`; comments or blank lines before it do not count. A shell would run it anyway, which is why it works from a terminal.",
                FixTarget::File, format!("sed -i '1i #!/bin/sh' {}", v.path)));
            out.push(fix(
                "entrypoint-via-sh",
                "Or run it through the shell".into(),
                "An explicit interpreter does not need a shebang.",
                FixTarget::Dockerfile,
                format!("ENTRYPOINT [\"/bin/sh\", \"{}\"]\n", v.path),
            ));
        }
        CauseCode::CrlfLineEndings => {
            out.push(fix("gitattributes-eol-lf", "Check scripts out with LF line endings".into(),
                "Git on Windows converts to CRLF; the kernel then looks for an interpreter named `sh\\r` (ENOENT).",
                FixTarget::File, "printf '*.sh text eol=lf\\ndocker-entrypoint* text eol=lf\\n' >> .gitattributes\ngit add --renormalize .".into()));
            out.push(fix(
                "dockerfile-strip-cr",
                "Strip CR in the image".into(),
                "A belt-and-braces fix in the Dockerfile.",
                FixTarget::Dockerfile,
                format!("RUN sed -i 's/\\r$//' {}\n", v.path),
            ));
        }
        CauseCode::ByteOrderMark => {
            out.push(fix("strip-bom", "Remove the UTF-8 byte-order mark".into(),
                "Editors on Windows add EF BB BF; the kernel needs `#!` at byte 0, and old builders fail on `\u{feff}FROM`.",
                FixTarget::File, format!("sed -i '1s/^\\xEF\\xBB\\xBF//' {}", v.path)));
        }
        CauseCode::LfsPointer => {
            out.push(fix(
                "git-lfs-pull",
                "Fetch the LFS objects before building".into(),
                "The checkout holds ~130-byte pointer files until LFS replaces them.",
                FixTarget::File,
                "git lfs install && git lfs pull".into(),
            ));
            out.push(fix("github-actions-checkout-lfs", "Check out LFS files in GitHub Actions (and build from the path context)".into(),
                "build-push-action's default Git context re-clones without LFS; use `context: .` after an LFS checkout.",
                FixTarget::GithubActions, "- uses: actions/checkout@v4\n  with:\n    lfs: true\n- uses: docker/build-push-action@v7\n  with:\n    context: .\n".into()));
        }
        CauseCode::NotExecutableContent => {
            out.push(fix("curl-fail-checksum", "Fail on HTTP errors and verify what was downloaded".into(),
                "Without -f curl saves the 404/403 page as the \"binary\"; a checksum and a smoke test catch it at build time.",
                FixTarget::Dockerfile, format!("RUN curl -fsSLo {p} \"$URL\" \\\n && echo \"$SHA256  {p}\" | sha256sum -c - \\\n && chmod +x {p} && {p} --version\n", p = if ctx.path.is_some() { v.path.clone() } else { "/usr/local/bin/tool".into() })));
        }
        CauseCode::BuilderUnsupported => {
            out.push(fix("buildx-docker-container-driver", "Create a builder that can build several platforms".into(),
                "The default `docker` driver cannot build multi-platform images unless the containerd image store is enabled.",
                FixTarget::Buildx, "docker buildx create --name multi --driver docker-container --use\ndocker buildx inspect --bootstrap".into()));
            out.push(fix("push-not-load", "Push (or export) a multi-platform build instead of --load".into(),
                "The classic image store cannot load a manifest list; push it, export an OCI archive, or load only the host's platform.",
                FixTarget::Buildx, format!("docker buildx build --platform {} -t {} --push .", v.publish, v.image)));
            out.push(fix(
                "containerd-image-store",
                "Enable the containerd image store".into(),
                "With containerd-snapshotter the engine stores multi-platform images locally.",
                FixTarget::DockerCli,
                "{\n  \"features\": { \"containerd-snapshotter\": true }\n}\n".into(),
            ));
        }
        CauseCode::AttestationUnsupported => {
            out.push(fix("buildx-no-attestations", "Push without provenance/SBOM attestations".into(),
                "BuildKit adds attestation manifests (platform unknown/unknown) by default since Docker 23; AWS Lambda and some older tools reject such indexes.",
                FixTarget::Buildx, format!("docker buildx build --platform {} --provenance=false --sbom=false -t {} --push .", v.host, v.image)));
            out.push(fix("github-actions-no-provenance", "Turn attestations off in build-push-action".into(),
                "The action's inputs map to the same buildx flags.", FixTarget::GithubActions,
                "- uses: docker/build-push-action@v7\n  with:\n    push: true\n    provenance: false\n    sbom: false\n".into()));
        }
        CauseCode::PlatformArgUndeclared => {
            out.push(fix("dockerfile-declare-platform-args", "Declare the platform ARGs in the stage that uses them".into(),
                "A global ARG before FROM is visible only in FROM lines; each stage must redeclare the pre-defined platform ARGs (without defaults).",
                FixTarget::Dockerfile, "ARG TARGETOS\nARG TARGETARCH\nARG TARGETVARIANT\n".into()));
        }
        CauseCode::RedundantPlatform => {
            out.push(fix("dockerfile-drop-redundant-platform", "Drop --platform=$TARGETPLATFORM".into(),
                "A FROM without --platform already follows the target platform (BuildKit RedundantTargetPlatform).",
                FixTarget::Dockerfile, "FROM alpine:3.20\n".into()));
        }
    }
    out
}

/// Append the fixes for each finding's code (skipping fixes with an id it already has).
pub fn attach(findings: &mut [Finding], ctx: &FixContext) {
    for f in findings {
        for fx in fixes_for(f.code, ctx) {
            if !f.fixes.iter().any(|e| e.id == fx.id) {
                f.fixes.push(fx);
            }
        }
    }
}
