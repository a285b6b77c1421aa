//! The fix catalogue: every fix archcompat offers, as data. Each [`Entry`] is one ready-to-paste
//! change for one ecosystem (title, why, snippet template); [`OFFERS`] says which entries a
//! cause code gets by default, in order. Templates name what they need as `{{placeholder}}`
//! (the host, the image's platforms, the image name, the file …); they are filled from a
//! [`super::FixContext`] and from the values a check passes in a [`FixRequest`]. An entry
//! whose placeholder has no value (no Kubernetes name for the platform, say) is left out, and
//! an entry whose [`When`] does not hold is left out.
//!
//! No fix text exists outside this file: checks ask for fixes with [`FixRequest`]s, and the
//! pipeline fills them here once, at the end (see [`super::attach`]).
//!
//! Syntax is checked against each tool's documentation. Where popular advice is wrong the
//! text says so: plain `--platform` on a Linux engine needs binfmt first; Lambda images need
//! `--provenance=false`; `ARG TARGETARCH=amd64` overrides BuildKit's value; hadolint DL3029
//! flags a *constant* `--platform`, not a missing one.

use crate::finding::{CauseCode, FixTarget};
use std::borrow::Cow;

/// A condition on the situation for an entry to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Always.
    Always,
    /// The host is a 32-bit ARM userland (`linux/arm/…`).
    HostIsArm32,
    /// The missing interpreter is a shell (`bash`).
    ShellInterpreter,
    /// The missing interpreter is musl's loader.
    MuslInterpreter,
    /// The missing interpreter is neither a shell nor musl's loader (glibc's loader, unknown).
    OtherInterpreter,
    /// The image's (first) platform is known and differs from the host's.
    TargetIsNotHost,
    /// The image's platform is known.
    TargetKnown,
}

/// One fix of the catalogue.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// Stable identifier (`buildx-multiarch-push`).
    pub id: &'static str,
    /// The ecosystem it applies to.
    pub target: FixTarget,
    /// When it applies.
    pub when: When,
    /// One-line title template.
    pub title: &'static str,
    /// Why it fixes the cause (template).
    pub why: &'static str,
    /// The text to paste (template).
    pub snippet: &'static str,
}

/// The fix a rewrite of the user's own text carries: its title lists the changes made and its
/// snippet is the rewritten text; the ecosystem and why it fixes the cause are data, here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RewriteWhy {
    /// `docker run|pull|create --platform` added or changed.
    RunPlatform,
    /// `docker build` turned into a multi-platform `docker buildx build --push`.
    BuildxPlatforms,
    /// `docker compose …` prefixed with `DOCKER_DEFAULT_PLATFORM`.
    ComposeDefaultPlatform,
    /// A compose file's services given `platform:`.
    ComposeServicePlatform,
    /// A Dockerfile's lint hazards fixed mechanically.
    DockerfileHazards,
}

impl RewriteWhy {
    /// Every reason, in declaration order.
    #[cfg(test)]
    pub const ALL: [RewriteWhy; 5] = [
        RewriteWhy::RunPlatform,
        RewriteWhy::BuildxPlatforms,
        RewriteWhy::ComposeDefaultPlatform,
        RewriteWhy::ComposeServicePlatform,
        RewriteWhy::DockerfileHazards,
    ];

    /// The ecosystem the rewritten text belongs to.
    pub fn target(self) -> FixTarget {
        match self {
            RewriteWhy::RunPlatform => FixTarget::DockerCli,
            RewriteWhy::BuildxPlatforms => FixTarget::Buildx,
            RewriteWhy::ComposeDefaultPlatform | RewriteWhy::ComposeServicePlatform => {
                FixTarget::Compose
            }
            RewriteWhy::DockerfileHazards => FixTarget::Dockerfile,
        }
    }

    /// Why the rewrite fixes the cause.
    pub fn why(self) -> &'static str {
        match self {
            RewriteWhy::RunPlatform => {
                "`--platform` selects the image variant; for a foreign platform the engine needs emulation (Docker Desktop has it; a Linux engine needs `docker run --privileged --rm tonistiigi/binfmt --install <arch>` first)."
            }
            RewriteWhy::BuildxPlatforms => {
                "BuildKit builds each listed platform (natively, by cross-compiling, or under QEMU) and pushes one index; verify with `docker buildx imagetools inspect`."
            }
            RewriteWhy::ComposeDefaultPlatform => {
                "Compose has no --platform flag; DOCKER_DEFAULT_PLATFORM sets it for every build and pull, a service's `platform:` overrides it."
            }
            RewriteWhy::ComposeServicePlatform => {
                "A service's `platform:` makes compose pull/build that variant; a foreign platform needs emulation (binfmt) on a Linux engine."
            }
            RewriteWhy::DockerfileHazards => {
                "Mechanical fixes for the architecture hazards `archcompat lint` reports; review the diff."
            }
        }
    }
}

/// Placeholders a template may use. `{{name}}`s other than these are literal text (e.g. Go
/// templates such as `{{.Server.Os}}`).
pub const PLACEHOLDERS: &[&str] = &[
    "host",
    "host_arch",
    "image_platform",
    "image_arch",
    "image_os",
    "publish",
    "image",
    "image_basename",
    "path",
    "download_path",
    "interpreter",
    "k8s_arch",
    "ecs_arch",
    "lambda_arch",
    "host_lambda_arch",
    "rust_triple",
    "verify_commands",
    // Given by the check that asks (Dockerfile rules).
    "name",
    "key",
    "var",
    "tool",
    "right",
    "command",
];

const BINFMT_WHY: &str = "Docker Desktop ships QEMU/Rosetta; a plain Linux engine (Graviton, Ampere, Raspberry Pi, CI VMs) runs a foreign image only after a binfmt_misc handler is registered — `--platform` alone still fails with exec format error. The registration does not survive a reboot.";

const TARGETARCH_MAP: &str = "ARG TARGETARCH\n\
ARG TARGETVARIANT\n\
RUN set -eux; \\\n    case \"${TARGETARCH}${TARGETVARIANT}\" in \\\n      amd64) ARCH=x86_64 ;; \\\n      arm64) ARCH=aarch64 ;; \\\n      armv7) ARCH=armv7 ;; \\\n      armv6) ARCH=armv6 ;; \\\n      386) ARCH=i386 ;; \\\n      ppc64le) ARCH=ppc64le ;; \\\n      s390x) ARCH=s390x ;; \\\n      riscv64) ARCH=riscv64 ;; \\\n      *) echo \"no release asset for ${TARGETARCH}${TARGETVARIANT}\" >&2; exit 1 ;; \\\n    esac; \\\n    curl -fsSLo /usr/local/bin/tool \"https://example.invalid/releases/tool-linux-${ARCH}\"; \\\n    chmod +x /usr/local/bin/tool; \\\n    tool --version\n";

const fn e(
    id: &'static str,
    target: FixTarget,
    title: &'static str,
    why: &'static str,
    snippet: &'static str,
) -> Entry {
    Entry {
        id,
        target,
        when: When::Always,
        title,
        why,
        snippet,
    }
}

const fn w(
    id: &'static str,
    target: FixTarget,
    when: When,
    title: &'static str,
    why: &'static str,
    snippet: &'static str,
) -> Entry {
    Entry {
        id,
        target,
        when,
        title,
        why,
        snippet,
    }
}

use FixTarget as T;

/// Every fix, by id (ids are unique).
pub static ENTRIES: &[Entry] = &[
    // Publishing and building for the right platforms.
    e(
        "buildx-multiarch-push",
        T::Buildx,
        "Publish a multi-platform image ({{publish}})",
        "One index with an entry per platform lets every host pull the image it can run; verify that every platform is listed after the push.",
        "docker buildx create --name multi --driver docker-container --use\ndocker buildx build --platform {{publish}} -t {{image}} --push .\ndocker buildx imagetools inspect {{image}}",
    ),
    e(
        "github-actions-multiarch",
        T::GithubActions,
        "Build every platform in GitHub Actions",
        "setup-qemu registers binfmt handlers on the runner, setup-buildx creates a docker-container builder, build-push-action pushes one multi-platform index.",
        "- uses: docker/setup-qemu-action@v4\n- uses: docker/setup-buildx-action@v4\n- uses: docker/build-push-action@v7\n  with:\n    platforms: {{publish}}\n    push: true\n    tags: {{image}}\n",
    ),
    e(
        "gitlab-ci-multiarch",
        T::GitlabCi,
        "Build every platform in GitLab CI",
        "A privileged docker:dind job registers binfmt, creates a buildx builder and pushes one index.",
        "build:\n  image: docker:27\n  services: [docker:27-dind]\n  before_script:\n    - docker run --privileged --rm tonistiigi/binfmt --install all\n    - docker buildx create --use --driver docker-container\n  script:\n    - docker buildx build --platform {{publish}} -t \"$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA\" --push .\n",
    ),
    e(
        "buildx-multiplatform",
        T::Buildx,
        "Rebuild and push the image for {{publish}}",
        "buildx builds each platform with its own toolchain (or emulation) and pushes one index with an entry per platform, each holding binaries for its own CPU",
        "docker buildx build --platform {{publish}} -t {{image}} --push .",
    ),
    e(
        "buildx-platform-label",
        T::Buildx,
        "Build with buildx so each platform's config matches its binaries",
        "a plain `docker build` on one machine labels the image with that machine's platform, or with whatever --platform says, without cross-compiling; buildx with --platform builds (or cross-compiles) per platform",
        "docker buildx build --platform {{publish}} -t {{image}} --push .",
    ),
    e(
        "docker-build-for-host",
        T::DockerCli,
        "Build the image for {{host}}",
        "Building on an Apple Silicon laptop produces linux/arm64 by default; ask for the platform the servers run.",
        "docker buildx build --platform {{host}} -t {{image}} --push .\nexport DOCKER_DEFAULT_PLATFORM={{host}}",
    ),
    e(
        "dockerfile-cross-compile-go",
        T::Dockerfile,
        "Cross-compile on the build platform (Go)",
        "The build stage runs natively on $BUILDPLATFORM and compiles for $TARGETARCH; the runtime stage has no --platform so it follows the target. Declare the ARGs inside the stage, without defaults (`ARG TARGETARCH=amd64` would override BuildKit's value).",
        "# syntax=docker/dockerfile:1\nFROM --platform=$BUILDPLATFORM golang:1.23 AS build\nARG TARGETOS\nARG TARGETARCH\nARG TARGETVARIANT\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go build -o /out/app .\n\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n",
    ),
    e(
        "dockerfile-cross-compile-rust",
        T::Rust,
        "Cross-compile on the build platform (Rust, tonistiigi/xx)",
        "xx-cargo picks the Rust target and linker for $TARGETPLATFORM and xx-verify checks the result's architecture.",
        "# syntax=docker/dockerfile:1\nFROM --platform=$BUILDPLATFORM tonistiigi/xx AS xx\nFROM --platform=$BUILDPLATFORM rust:alpine AS build\nCOPY --from=xx / /\nRUN apk add clang lld\nWORKDIR /src\nCOPY . .\nARG TARGETPLATFORM\nRUN xx-apk add --no-cache musl-dev gcc && \\\n    xx-cargo build --release --target-dir ./build && \\\n    xx-verify ./build/$(xx-cargo --print-target-triple)/release/app && \\\n    cp ./build/$(xx-cargo --print-target-triple)/release/app /app\nFROM alpine\nCOPY --from=build /app /app\nENTRYPOINT [\"/app\"]\n",
    ),
    e(
        "dockerfile-node-native-deps",
        T::Node,
        "Install native Node modules on the target platform",
        "Modules with native addons must be installed by the target platform's npm; pure-JS bundling can run on $BUILDPLATFORM. Keep host node_modules out of the context (.dockerignore).",
        "FROM node:20-bookworm-slim AS deps\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\nFROM --platform=$BUILDPLATFORM node:20-bookworm-slim AS build\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nFROM node:20-bookworm-slim\nWORKDIR /app\nCOPY --from=deps /app/node_modules ./node_modules\nCOPY --from=build /app/dist ./dist\nCMD [\"node\", \"dist/index.js\"]\n",
    ),
    // Emulation.
    e(
        "binfmt-run-emulated",
        T::Binfmt,
        "Run the {{image_platform}} image under emulation",
        BINFMT_WHY,
        "docker run --privileged --rm tonistiigi/binfmt --install {{image_arch}}\ndocker run --platform {{image_platform}} {{image}}",
    ),
    w(
        "binfmt-emulation",
        T::Binfmt,
        When::TargetIsNotHost,
        "Run the {{image_platform}} image under QEMU emulation",
        "registering a binfmt_misc handler lets the kernel run foreign binaries through QEMU (slower, and some programs crash under emulation)",
        "docker run --privileged --rm tonistiigi/binfmt --install {{image_arch}}\ndocker run --platform {{image_platform}} {{image}}",
    ),
    e(
        "compose-platform",
        T::Compose,
        "Pin the service to {{image_platform}} in compose",
        "A service's `platform:` makes compose pull that variant; on a Linux engine binfmt must be installed first.",
        "services:\n  app:\n    image: {{image}}\n    platform: {{image_platform}}\n",
    ),
    e(
        "binfmt-install",
        T::Binfmt,
        "Register a QEMU handler for {{image_arch}}",
        BINFMT_WHY,
        "docker run --privileged --rm tonistiigi/binfmt --install {{image_arch}}",
    ),
    e(
        "binfmt-debian",
        T::Binfmt,
        "Install QEMU user emulation from the distribution",
        "Debian/Ubuntu packages register persistent binfmt_misc handlers with the F flag, so they work inside containers.",
        "sudo apt-get install -y qemu-user-static binfmt-support",
    ),
    e(
        "github-actions-setup-qemu",
        T::GithubActions,
        "Register QEMU on the GitHub runner",
        "Hosted runners have no binfmt handlers until setup-qemu runs.",
        "- uses: docker/setup-qemu-action@v4\n  with:\n    platforms: {{image_arch}}\n- uses: docker/setup-buildx-action@v4\n",
    ),
    e(
        "binfmt-pin",
        T::Binfmt,
        "Pin a QEMU version known to work",
        "tonistiigi/binfmt:latest (qemu 9.x) regressed in 2025; qemu-v7.0.0-28 was the working pin. Treat the emulator version as a dependency.",
        "docker run --privileged --rm tonistiigi/binfmt:qemu-v7.0.0-28 --install all",
    ),
    e(
        "github-actions-pin-qemu",
        T::GithubActions,
        "Pin QEMU in GitHub Actions",
        "setup-qemu-action takes the binfmt image to use.",
        "- uses: docker/setup-qemu-action@v4\n  with:\n    image: tonistiigi/binfmt:qemu-v7.0.0-28\n",
    ),
    e(
        "native-arm-runner",
        T::GithubActions,
        "Build on native arm64 runners instead of emulating",
        "A native runner avoids QEMU entirely; combine per-platform digests with `docker buildx imagetools create`.",
        "jobs:\n  build-arm64:\n    runs-on: ubuntu-24.04-arm\n    steps:\n      - uses: actions/checkout@v4\n",
    ),
    // Scheduling on the right nodes.
    e(
        "kubernetes-node-selector",
        T::Kubernetes,
        "Schedule the pod on {{k8s_arch}} nodes",
        "`kubernetes.io/arch` is a well-known node label; list only architectures the image index has (`kubectl get nodes -L kubernetes.io/arch`).",
        "spec:\n  nodeSelector:\n    kubernetes.io/arch: {{k8s_arch}}\n",
    ),
    e(
        "ecs-runtime-platform",
        T::Ecs,
        "Run the ECS task on {{ecs_arch}}",
        "The task definition's runtimePlatform must match the image; X86_64 is the default.",
        "{\n  \"runtimePlatform\": { \"cpuArchitecture\": \"{{ecs_arch}}\", \"operatingSystemFamily\": \"LINUX\" }\n}\n",
    ),
    e(
        "lambda-architectures",
        T::Lambda,
        "Set the Lambda function's Architectures to {{lambda_arch}}",
        "Lambda runs the image on the architecture the function declares (x86_64 by default); it must match the image.",
        "Properties:\n  PackageType: Image\n  Architectures: [{{lambda_arch}}]\n",
    ),
    e(
        "lambda-build-for-function",
        T::Lambda,
        "Build the Lambda image for {{host}}",
        "Lambda rejects image indexes with attestation manifests, so build with --provenance=false; the image must match the function's Architectures.",
        "docker buildx build --platform {{host}} --provenance=false -t {{image}} --push .\naws lambda update-function-code --function-name FUNCTION --image-uri {{image}} --architectures {{host_lambda_arch}}",
    ),
    // Index has no entry / wrong variant / engine warning / OS.
    e(
        "imagetools-inspect",
        T::Buildx,
        "List the platforms the image really has",
        "The index lacks the requested platform; pick a tag or base image that has it, or publish it.",
        "docker buildx imagetools inspect {{image}}",
    ),
    e(
        "pull-emulated",
        T::Binfmt,
        "Pull the {{image_platform}} variant and run it emulated",
        BINFMT_WHY,
        "docker run --privileged --rm tonistiigi/binfmt --install {{image_arch}}\ndocker pull --platform {{image_platform}} {{image}}",
    ),
    e(
        "copy-whole-index",
        T::DockerCli,
        "Mirror the whole index, not one platform",
        "`docker pull`/`tag`/`push` keeps only one platform; copy every entry when mirroring.",
        "skopeo copy --all docker://{{image}} docker://MIRROR/{{image_basename}}",
    ),
    w(
        "arm32-userland",
        T::DockerCli,
        When::HostIsArm32,
        "Install a 64-bit OS (32-bit userland asks for linux/arm)",
        "A 32-bit Raspberry Pi OS reports linux/arm/v7 or linux/arm/v8; most images publish only amd64 and arm64, and `--platform linux/arm64` cannot help because the engine itself is 32-bit.",
        "docker version --format '{{.Server.Os}}/{{.Server.Arch}}'\ngetconf LONG_BIT",
    ),
    e(
        "pull-without-variant",
        T::DockerCli,
        "Ask for {{host}} explicitly",
        "Old engines detect `unknown` or a too-new variant; an explicit platform selects the right entry.",
        "docker pull --platform {{host}} {{image}}",
    ),
    e(
        "explicit-platform",
        T::DockerCli,
        "Request {{image_platform}} explicitly",
        "The warning is harmless when the container runs under emulation; an explicit --platform silences it, and publishing the host's platform removes the need for emulation.",
        "docker run --platform {{image_platform}} {{image}}",
    ),
    w(
        "docker-run-platform",
        T::DockerCli,
        When::TargetKnown,
        "Ask for {{image_platform}} explicitly",
        "naming the platform silences the mismatch warning and makes the choice deliberate",
        "docker run --platform {{image_platform}} {{image}}",
    ),
    e(
        "docker-desktop-switch-daemon",
        T::DockerCli,
        "Switch Docker Desktop between Linux and Windows containers",
        "The engine runs either Linux or Windows containers; check with `docker version --format '{{.Server.Os}}'`.",
        "& \"$Env:ProgramFiles\\Docker\\Docker\\DockerCli.exe\" -SwitchDaemon",
    ),
    e(
        "kubernetes-node-os",
        T::Kubernetes,
        "Schedule on nodes of the image's OS",
        "`kubernetes.io/os` is a well-known node label; Windows nodes also need a matching OS build.",
        "spec:\n  nodeSelector:\n    kubernetes.io/os: {{image_os}}\n",
    ),
    // Host build outputs in a Linux image.
    e(
        "dockerignore-host-artefacts",
        T::File,
        "Keep host build outputs out of the build context",
        "A macOS/Windows node_modules, target/ or bin/ copied by `COPY . .` puts Mach-O/PE files in a Linux image.",
        "node_modules\ntarget/\ndist/\nbin/\n.venv\n",
    ),
    e(
        "go-build-linux",
        T::Go,
        "Build the Go binary for {{host}}",
        "Set GOOS and GOARCH; a binary built on a Mac is Mach-O.",
        "CGO_ENABLED=0 GOOS=linux GOARCH={{host_arch}} go build -o app .",
    ),
    e(
        "rust-build-linux",
        T::Rust,
        "Build the Rust binary for {{rust_triple}}",
        "Build for a Linux target inside the image or with a cross linker; never COPY a host build.",
        "rustup target add {{rust_triple}}\ncargo build --release --target {{rust_triple}}",
    ),
    e(
        "verify-each-platform",
        T::Buildx,
        "Verify every platform's binaries after the push",
        "Registry metadata trusts the build; only the binaries tell. archcompat reads each platform's layers and compares them with the label.",
        "{{verify_commands}}",
    ),
    // Hard-coded architectures.
    e(
        "dockerfile-targetarch-download",
        T::Dockerfile,
        "Derive downloads and GOARCH from TARGETARCH",
        "Release assets name architectures differently (x86_64/amd64, aarch64/arm64); map BuildKit's TARGETARCH explicitly, fail on HTTP errors (-f) and smoke-test the binary. Declare the ARG without a default.",
        TARGETARCH_MAP,
    ),
    e(
        "no-constant-platform",
        T::Buildx,
        "Choose the platform at build time, not in FROM",
        "A constant `FROM --platform=linux/amd64` is what hadolint DL3029 and BuildKit's FromPlatformFlagConstDisallowed flag (they do not flag a missing --platform); pass platforms to the build instead.",
        "docker buildx build --platform {{publish}} -t {{image}} --push .",
    ),
    // Interpreters.
    w(
        "use-posix-sh",
        T::File,
        When::ShellInterpreter,
        "Use /bin/sh, or install bash",
        "Alpine, busybox and distroless images have no bash; the kernel returns ENOENT for the script although it exists.",
        "sed -i '1s|^#!.*bash.*|#!/bin/sh|' {{path}}",
    ),
    w(
        "apk-add-bash",
        T::Dockerfile,
        When::ShellInterpreter,
        "Install bash in an Alpine image",
        "If the script needs bash features, add the shell.",
        "RUN apk add --no-cache bash\n",
    ),
    w(
        "musl-base-image",
        T::Dockerfile,
        When::MuslInterpreter,
        "Use a musl-based base image (Alpine) for a musl-linked program",
        "The program asks for musl's loader {{interpreter}}; Alpine ships it, glibc images do not.",
        "FROM alpine:3\n",
    ),
    w(
        "go-static",
        T::Go,
        When::OtherInterpreter,
        "Build Go statically (no libc loader needed)",
        "A cgo-enabled Go binary needs glibc's loader; CGO_ENABLED=0 produces a static binary that runs on Alpine and scratch.",
        "CGO_ENABLED=0 GOOS=linux GOARCH={{host_arch}} go build -o app .",
    ),
    w(
        "alpine-gcompat",
        T::Dockerfile,
        When::OtherInterpreter,
        "Provide the glibc loader on Alpine",
        "gcompat installs the glibc loader names on musl; better still, build in an Alpine stage or use a glibc base image.",
        "RUN apk add --no-cache gcompat\n",
    ),
    w(
        "glibc-base-image",
        T::Dockerfile,
        When::OtherInterpreter,
        "Use a base image with the binary's libc",
        "The binary asks for {{interpreter}} which the image does not have; a Debian or distroless/base image ships glibc.",
        "FROM gcr.io/distroless/base-debian12\n",
    ),
    // CPU level and page size.
    e(
        "libvirt-host-passthrough",
        T::File,
        "Expose the real CPU to the VM (libvirt)",
        "Generic VM CPU models (qemu64/kvm64) are x86-64-v1; RHEL/UBI 9 need v2, RHEL 10 v3.",
        "<cpu mode='host-passthrough'/>\n",
    ),
    e(
        "proxmox-cpu-host",
        T::File,
        "Expose the real CPU to the VM (Proxmox)",
        "Proxmox's default CPU type may lack SSE4.2/POPCNT/AVX.",
        "qm set VMID --cpu host",
    ),
    e(
        "kubernetes-cpu-feature",
        T::Kubernetes,
        "Schedule on nodes with the needed CPU features",
        "node-feature-discovery labels nodes with their CPUID features.",
        "spec:\n  nodeSelector:\n    feature.node.kubernetes.io/cpu-cpuid.AVX2: \"true\"\n",
    ),
    e(
        "go-amd64-v1",
        T::Go,
        "Build Go for the baseline level",
        "GOAMD64=v1 runs on every x86-64 CPU.",
        "GOAMD64=v1 CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -o app .",
    ),
    e(
        "jemalloc-lg-page",
        T::Dockerfile,
        "Build jemalloc for 64 KiB pages",
        "jemalloc's page size is fixed at compile time (runtime variables do not help); lg-page 16 (64 KiB) also works on 4 and 16 KiB kernels.",
        "ENV JEMALLOC_SYS_WITH_LG_PAGE=16\n",
    ),
    e(
        "pi5-4k-kernel",
        T::File,
        "Boot the Raspberry Pi 5 with the 4 KiB-page kernel",
        "The Pi 5 default kernel uses 16 KiB pages; kernel8.img uses 4 KiB.",
        "kernel=kernel8.img\n",
    ),
    // Scripts and file content.
    e(
        "add-shebang",
        T::File,
        "Start the script with #!",
        "The kernel only runs a script whose first two bytes are `#!`; comments or blank lines before it do not count. A shell would run it anyway, which is why it works from a terminal.",
        "sed -i '1i #!/bin/sh' {{path}}",
    ),
    e(
        "entrypoint-via-sh",
        T::Dockerfile,
        "Or run it through the shell",
        "An explicit interpreter does not need a shebang.",
        "ENTRYPOINT [\"/bin/sh\", \"{{path}}\"]\n",
    ),
    e(
        "gitattributes-eol-lf",
        T::File,
        "Check scripts out with LF line endings",
        "Git on Windows converts to CRLF; the kernel then looks for an interpreter named `sh\\r` (ENOENT).",
        "printf '*.sh text eol=lf\\ndocker-entrypoint* text eol=lf\\n' >> .gitattributes\ngit add --renormalize .",
    ),
    e(
        "dockerfile-strip-cr",
        T::Dockerfile,
        "Strip CR in the image",
        "A belt-and-braces fix in the Dockerfile.",
        "RUN sed -i 's/\\r$//' {{path}}\n",
    ),
    e(
        "strip-bom",
        T::File,
        "Remove the UTF-8 byte-order mark",
        "Editors on Windows add EF BB BF; the kernel needs `#!` at byte 0, and old builders fail on `\u{feff}FROM`.",
        "sed -i '1s/^\\xEF\\xBB\\xBF//' {{path}}",
    ),
    e(
        "git-lfs-pull",
        T::File,
        "Fetch the LFS objects before building",
        "The checkout holds ~130-byte pointer files until LFS replaces them.",
        "git lfs install && git lfs pull",
    ),
    e(
        "github-actions-checkout-lfs",
        T::GithubActions,
        "Check out LFS files in GitHub Actions (and build from the path context)",
        "build-push-action's default Git context re-clones without LFS; use `context: .` after an LFS checkout.",
        "- uses: actions/checkout@v4\n  with:\n    lfs: true\n- uses: docker/build-push-action@v7\n  with:\n    context: .\n",
    ),
    e(
        "curl-fail-checksum",
        T::Dockerfile,
        "Fail on HTTP errors and verify what was downloaded",
        "Without -f curl saves the 404/403 page as the \"binary\"; a checksum and a smoke test catch it at build time.",
        "RUN curl -fsSLo {{download_path}} \"$URL\" \\\n && echo \"$SHA256  {{download_path}}\" | sha256sum -c - \\\n && chmod +x {{download_path}} && {{download_path}} --version\n",
    ),
    // Builders and attestations.
    e(
        "buildx-docker-container-driver",
        T::Buildx,
        "Create a builder that can build several platforms",
        "The default `docker` driver cannot build multi-platform images unless the containerd image store is enabled.",
        "docker buildx create --name multi --driver docker-container --use\ndocker buildx inspect --bootstrap",
    ),
    e(
        "push-not-load",
        T::Buildx,
        "Push (or export) a multi-platform build instead of --load",
        "The classic image store cannot load a manifest list; push it, export an OCI archive, or load only the host's platform.",
        "docker buildx build --platform {{publish}} -t {{image}} --push .",
    ),
    e(
        "containerd-image-store",
        T::DockerCli,
        "Enable the containerd image store",
        "With containerd-snapshotter the engine stores multi-platform images locally.",
        "{\n  \"features\": { \"containerd-snapshotter\": true }\n}\n",
    ),
    e(
        "buildx-no-attestations",
        T::Buildx,
        "Push without provenance/SBOM attestations",
        "BuildKit adds attestation manifests (platform unknown/unknown) by default since Docker 23; AWS Lambda and some older tools reject such indexes.",
        "docker buildx build --platform {{host}} --provenance=false --sbom=false -t {{image}} --push .",
    ),
    e(
        "github-actions-no-provenance",
        T::GithubActions,
        "Turn attestations off in build-push-action",
        "The action's inputs map to the same buildx flags.",
        "- uses: docker/build-push-action@v7\n  with:\n    push: true\n    provenance: false\n    sbom: false\n",
    ),
    // Dockerfile ARGs and --platform.
    e(
        "dockerfile-declare-platform-args",
        T::Dockerfile,
        "Declare the platform ARGs in the stage that uses them",
        "A global ARG before FROM is visible only in FROM lines; each stage must redeclare the pre-defined platform ARGs (without defaults).",
        "ARG TARGETOS\nARG TARGETARCH\nARG TARGETVARIANT\n",
    ),
    e(
        "dockerfile-drop-redundant-platform",
        T::Dockerfile,
        "Drop the redundant --platform",
        "A FROM without --platform already follows the target platform (BuildKit RedundantTargetPlatform).",
        "FROM alpine:3.20\n",
    ),
    e(
        "dockerfile-check-entrypoint",
        T::DockerCli,
        "Make the ENTRYPOINT name a program that is in the image",
        "exec fails with ENOENT for a missing program or a dangling link and ELOOP for a link loop; list what the final stage really contains.",
        "docker run --rm --entrypoint sh {{image}} -c 'ls -l \"$(command -v PROGRAM || echo PROGRAM)\"'",
    ),
    // Mechanical Dockerfile edits (the lint rules pass the corrected lines and the diff).
    e(
        "dockerfile-remove-bom",
        T::Dockerfile,
        "Remove the byte-order mark",
        "Save the file as UTF-8 without BOM: `sed -i '1s/^\\xEF\\xBB\\xBF//' Dockerfile`.",
        "sed -i '1s/^\\xEF\\xBB\\xBF//' Dockerfile",
    ),
    e(
        "dockerfile-crlf-to-lf",
        T::Dockerfile,
        "Convert the Dockerfile to LF line endings",
        "Add `Dockerfile text eol=lf` and `*.sh text eol=lf` to .gitattributes and run `git add --renormalize .`.",
        "sed -i 's/\\r$//' Dockerfile",
    ),
    e(
        "dockerfile-runtime-stage-follows-target",
        T::Dockerfile,
        "Let the runtime stage follow the target platform",
        "Only build stages get --platform=$BUILDPLATFORM; the runtime stage must have no --platform so it follows the target.",
        "FROM IMAGE\n",
    ),
    e(
        "dockerfile-drop-constant-platform",
        T::Dockerfile,
        "Drop the constant --platform",
        "Choose platforms when building (`docker buildx build --platform …`), not in the Dockerfile. A build stage that cross-compiles (Go with GOARCH=$TARGETARCH, xx-cargo) can use --platform=$BUILDPLATFORM to run natively instead.",
        "FROM IMAGE\n",
    ),
    e(
        "dockerfile-arg-without-default",
        T::Dockerfile,
        "Declare {{name}} without a default",
        "Automatic platform ARGs must be declared without a value; for the legacy builder compute a fallback in the shell instead (ARCH=${TARGETARCH:-$(uname -m)} plus a mapping).",
        "ARG {{name}}\n",
    ),
    e(
        "dockerfile-declare-arg",
        T::Dockerfile,
        "Declare ARG {{name}} in this stage",
        "Pre-defined platform arguments must be redeclared in every stage that uses them.",
        "ARG {{name}}\n",
    ),
    e(
        "dockerfile-go-env-from-target",
        T::Dockerfile,
        "Derive {{key}} from ${{var}}",
        "BuildKit sets TARGETARCH/TARGETVARIANT per platform; Go then cross-compiles for each.",
        "ARG TARGETARCH\nARG TARGETVARIANT\nRUN GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go build -o /out/app .\n",
    ),
    e(
        "dockerfile-download-from-targetarch",
        T::Dockerfile,
        "Pick the download from TARGETARCH",
        "Release assets name architectures differently (x86_64/amd64, aarch64/arm64, armv7/armhf); map BuildKit's TARGETARCH and TARGETVARIANT explicitly, fail on HTTP errors (-f) and smoke-test the binary.",
        TARGETARCH_MAP,
    ),
    e(
        "dockerfile-goarch-default-targetarch",
        T::Dockerfile,
        "Default GOARCH to $TARGETARCH",
        "An ARG default may use an ARG declared before it; BuildKit sets TARGETARCH per platform.",
        "ARG TARGETARCH\nARG GOARCH=$TARGETARCH\n",
    ),
    e(
        "dockerfile-case-label",
        T::Dockerfile,
        "Match `{{right}}`, the name `{{command}}` prints",
        "dpkg prints amd64/arm64/armhf, apk and uname print x86_64/aarch64/armv7, TARGETARCH is amd64/arm64/arm.",
        "{{right}})",
    ),
    e(
        "dockerfile-arch-path",
        T::Dockerfile,
        "Compute the architecture's path at build time",
        "Debian names multiarch directories after the target (`dpkg-architecture -qDEB_HOST_MULTIARCH`, `dpkg --print-architecture`); link a fixed name to it once and use that name.",
        "RUN ln -s \"/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo \"$(uname -m)-linux-gnu\")\" /usr/lib/multiarch\n# JDK: RUN ln -s /usr/lib/jvm/java-17-openjdk-\"$(dpkg --print-architecture)\" /usr/lib/jvm/default-jdk\nENV JAVA_HOME=/usr/lib/jvm/default-jdk",
    ),
    e(
        "go-cross-compile-targetarch",
        T::Go,
        "Cross-compile for $TARGETARCH in the go build stage",
        "A $BUILDPLATFORM stage runs natively on the builder; the compiler must be told the target, or the binary is the builder's architecture.",
        "ARG TARGETOS\nARG TARGETARCH\nARG TARGETVARIANT\nRUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go build -o /out/app .",
    ),
    e(
        "cargo-cross-compile-targetarch",
        T::Rust,
        "Cross-compile for $TARGETARCH in the cargo build stage",
        "A $BUILDPLATFORM stage runs natively on the builder; the compiler must be told the target, or the binary is the builder's architecture.",
        "FROM --platform=$BUILDPLATFORM tonistiigi/xx AS xx\n# in the build stage:\nCOPY --from=xx / /\nARG TARGETPLATFORM\nRUN xx-cargo build --release --target-dir ./build && \\\n    xx-verify ./build/$(xx-cargo --print-target-triple)/release/app",
    ),
    // Files copied from the build context (the lint passes the file's path).
    e(
        "context-crlf-to-lf",
        T::File,
        "Convert to LF line endings",
        "Git converts line endings on Windows checkouts unless told not to.",
        "printf '*.sh text eol=lf\\n' >> .gitattributes && git add --renormalize .\n# or in the Dockerfile: RUN sed -i 's/\\r$//' /path/to/{{path}}",
    ),
    e(
        "context-git-lfs-pull",
        T::File,
        "Fetch the LFS objects before building",
        "The build context holds the pointer text until `git lfs pull` replaces it; in GitHub Actions use actions/checkout with `lfs: true` and a path context.",
        "git lfs install && git lfs pull",
    ),
];

/// Which entries each cause code gets when no check asked for specific ones, in order.
pub static OFFERS: &[(CauseCode, &[&str])] = &[
    (
        CauseCode::ArchMismatch,
        &[
            "buildx-multiarch-push",
            "github-actions-multiarch",
            "gitlab-ci-multiarch",
            "docker-build-for-host",
            "dockerfile-cross-compile-go",
            "binfmt-run-emulated",
            "compose-platform",
            "kubernetes-node-selector",
            "ecs-runtime-platform",
            "lambda-architectures",
            "lambda-build-for-function",
        ],
    ),
    (
        CauseCode::NoMatchingManifest,
        &[
            "imagetools-inspect",
            "buildx-multiarch-push",
            "github-actions-multiarch",
            "gitlab-ci-multiarch",
            "pull-emulated",
            "copy-whole-index",
            "arm32-userland",
        ],
    ),
    (
        CauseCode::VariantMismatch,
        &["pull-without-variant", "buildx-multiarch-push"],
    ),
    (
        CauseCode::PlatformWarning,
        &[
            "explicit-platform",
            "compose-platform",
            "buildx-multiarch-push",
        ],
    ),
    (
        CauseCode::OsMismatch,
        &["docker-desktop-switch-daemon", "kubernetes-node-os"],
    ),
    (
        CauseCode::WrongOsBinary,
        &[
            "dockerignore-host-artefacts",
            "go-build-linux",
            "rust-build-linux",
            "dockerfile-node-native-deps",
        ],
    ),
    (
        CauseCode::ImageMislabeled,
        &[
            "dockerfile-cross-compile-go",
            "dockerfile-cross-compile-rust",
            "verify-each-platform",
        ],
    ),
    (
        CauseCode::HardcodedArch,
        &[
            "dockerfile-targetarch-download",
            "dockerfile-cross-compile-go",
            "no-constant-platform",
        ],
    ),
    (
        CauseCode::EmulationMissing,
        &[
            "binfmt-install",
            "binfmt-debian",
            "github-actions-setup-qemu",
            "dockerfile-cross-compile-go",
        ],
    ),
    (
        CauseCode::EmulationCrash,
        &["binfmt-pin", "github-actions-pin-qemu", "native-arm-runner"],
    ),
    (
        CauseCode::MissingInterpreter,
        &[
            "use-posix-sh",
            "apk-add-bash",
            "musl-base-image",
            "go-static",
            "alpine-gcompat",
            "glibc-base-image",
        ],
    ),
    (
        CauseCode::IsaLevelTooHigh,
        &[
            "libvirt-host-passthrough",
            "proxmox-cpu-host",
            "kubernetes-cpu-feature",
            "go-amd64-v1",
        ],
    ),
    (
        CauseCode::PageSizeMismatch,
        &["jemalloc-lg-page", "pi5-4k-kernel"],
    ),
    (
        CauseCode::MissingShebang,
        &["add-shebang", "entrypoint-via-sh"],
    ),
    (
        CauseCode::CrlfLineEndings,
        &["gitattributes-eol-lf", "dockerfile-strip-cr"],
    ),
    (CauseCode::ByteOrderMark, &["strip-bom"]),
    (
        CauseCode::LfsPointer,
        &["git-lfs-pull", "github-actions-checkout-lfs"],
    ),
    (CauseCode::NotExecutableContent, &["curl-fail-checksum"]),
    (
        CauseCode::BuilderUnsupported,
        &[
            "buildx-docker-container-driver",
            "push-not-load",
            "containerd-image-store",
        ],
    ),
    (
        CauseCode::AttestationUnsupported,
        &["buildx-no-attestations", "github-actions-no-provenance"],
    ),
    (
        CauseCode::PlatformArgUndeclared,
        &["dockerfile-declare-platform-args"],
    ),
    (
        CauseCode::RedundantPlatform,
        &["dockerfile-drop-redundant-platform"],
    ),
    (
        CauseCode::EntrypointNotFound,
        &["dockerfile-check-entrypoint"],
    ),
];

/// The entry with this id.
pub fn entry(id: &str) -> Option<&'static Entry> {
    ENTRIES.iter().find(|e| e.id == id)
}

/// The ids a cause code gets by default, in order.
pub fn offered(code: CauseCode) -> &'static [&'static str] {
    OFFERS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, ids)| *ids)
        .unwrap_or(&[])
}

/// Fill `template`'s `{{placeholder}}`s with `value`; `None` when a placeholder has no value. A
/// template without placeholders is returned as it is, borrowed.
pub(crate) fn fill(
    template: &'static str,
    value: &dyn Fn(&str) -> Option<String>,
) -> Option<Cow<'static, str>> {
    if !template.contains("{{") {
        return Some(Cow::Borrowed(template));
    }
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find("}}") {
            Some(j) if PLACEHOLDERS.contains(&&after[..j]) => {
                out.push_str(&value(&after[..j])?);
                rest = &after[j + 2..];
            }
            _ => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Some(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Redaction skips the borrowed text of a [`crate::Fix`] (the catalogue's own): every
    /// text the catalogue lends without filling it in — ids, titles, explanations and
    /// snippets without placeholders, and the rewrites' explanations — must come out of
    /// redaction unchanged, with every optional rule on.
    #[test]
    fn static_texts_are_clean() {
        use crate::redact::{RedactOptions, redact};
        let all = RedactOptions {
            account_ids: true,
            high_entropy: true,
        };
        let whys = RewriteWhy::ALL.map(RewriteWhy::why);
        let rewrite_ids = crate::fix::rewrite::RewriteKind::ALL.map(|k| k.fix_id());
        let mut checked = 0;
        let texts = ENTRIES
            .iter()
            .flat_map(|e| [e.id, e.title, e.why, e.snippet])
            .chain(whys)
            .chain(rewrite_ids);
        for t in texts {
            if let Some(Cow::Borrowed(b)) = fill(t, &|_| None) {
                assert_eq!(
                    redact(b, &all),
                    b,
                    "redaction changes the catalogue's own text"
                );
                checked += 1;
            }
        }
        assert!(
            checked > ENTRIES.len() * 2,
            "only {checked} texts lent as they are"
        );
    }

    #[test]
    fn ids_are_unique_and_every_offer_names_an_entry() {
        for (i, a) in ENTRIES.iter().enumerate() {
            assert!(
                ENTRIES[i + 1..].iter().all(|b| b.id != a.id),
                "duplicate id {}",
                a.id
            );
        }
        for (code, ids) in OFFERS {
            assert!(!ids.is_empty(), "{code} offers nothing");
            for id in *ids {
                assert!(entry(id).is_some(), "{code} offers unknown {id}");
            }
        }
        for code in CauseCode::ALL {
            assert!(
                OFFERS.iter().any(|(c, _)| c == code),
                "{code} has no offers"
            );
        }
    }

    #[test]
    fn every_placeholder_is_known_and_fill_leaves_other_braces_alone() {
        let re = regex::Regex::new(r"\{\{([a-z_]+)\}\}").unwrap();
        for e in ENTRIES {
            for t in [e.title, e.why, e.snippet] {
                for c in re.captures_iter(t) {
                    assert!(PLACEHOLDERS.contains(&&c[1]), "{}: {{{{{}}}}}", e.id, &c[1]);
                }
            }
        }
        let v = |k: &str| (k == "host").then(|| "linux/arm64".to_string());
        assert_eq!(
            fill("{{host}} {{.Server.Os}} ${TARGETARCH}", &v).as_deref(),
            Some("linux/arm64 {{.Server.Os}} ${TARGETARCH}")
        );
        assert_eq!(fill("{{image}}", &v), None);
        assert_eq!(fill("a {{ b", &v).as_deref(), Some("a {{ b"));
    }
}
