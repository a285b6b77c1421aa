#!/usr/bin/env bash
# Builds the executable fixtures under fixtures/bin/ with real toolchains: Debian's cross gcc
# packages, musl-gcc, Debian's golang-go (cross builds), javac; plus scripts and text files
# written here. Run once when fixtures change and commit the outputs; the tests use the
# committed files (CI needs none of these compilers).
#
# Go binaries are large, so they are stored gzip-compressed (`*.gz`; tests inflate them), and
# the Mach-O/PE samples keep only their first 16 KiB (headers; classification needs no more).
# The fat Mach-O files are assembled from the two thin darwin builds exactly as `lipo` lays
# out a universal header (Debian has no lipo).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=fixtures/bin
APT=(binutils file golang-go musl-tools gcc libc6-dev openjdk-17-jdk-headless python3
  gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf gcc-arm-linux-gnueabi gcc-i686-linux-gnu
  gcc-powerpc64le-linux-gnu gcc-s390x-linux-gnu gcc-riscv64-linux-gnu gcc-mips64el-linux-gnuabi64
  libc6-dev-i386-cross libc6-dev-arm64-cross libc6-dev-armhf-cross libc6-dev-armel-cross
  libc6-dev-ppc64el-cross libc6-dev-s390x-cross libc6-dev-riscv64-cross libc6-dev-mips64el-cross
  gcc-mips-linux-gnu libc6-dev-mips-cross elfedit)
if [ "${SKIP_APT:-0}" != 1 ]; then
  missing=()
  for p in "${APT[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
    as_root apt-get update -qq || true  # a foreign architecture mid-sync must not stop us
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Small ELF files for the issue-10 regressions, in fixtures/bin/elf/: real cross builds,
# some then edited the way other toolchains or broken tools leave them (elfedit, objcopy,
# a few header fields patched by python). fixtures/bin/elf/expected.json is asserted by
# archcompat/src/binary/tests/elf_regressions.rs.
build_elf_regressions() {
  local E=fixtures/bin/elf W="$WORK/elf"
  rm -rf "$E"; mkdir -p "$E" "$W"
  printf 'void _start(void) { for (;;) {} }\n' > "$W/tiny.c"
  printf 'static volatile char big[100000];\nvoid _start(void) { for (;;) big[0]++; }\n' > "$W/bss.c"
  printf '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n' > "$W/hello.c"
  printf 'int answer(void) { return 42; }\n' > "$W/lib.c"
  printf '#include <stdio.h>\nint say(void) { return puts("hi"); }\n' > "$W/libc-user.c"
  # A FreeBSD ABI tag note (.note.tag, owner "FreeBSD", NT_FREEBSD_ABI_TAG = 1, 14.0).
  cat > "$W/freebsd-note.c" <<'C'
__attribute__((section(".note.tag"), aligned(4), used))
static const struct { int namesz, descsz, type; char name[8]; int desc; }
  tag = { 8, 4, 1, "FreeBSD", 1400097 };
void _start(void) { for (;;) {} }
C
  # The NDK's Android ident note (owner "Android", type 1, API level 30).
  cat > "$W/android-note.c" <<'C'
__attribute__((section(".note.android.ident"), aligned(4), used))
static const struct { int namesz, descsz, type; char name[8]; int api; char ndk[64]; char build[64]; }
  ident = { 8, 132, 1, "Android", 30, "r26", "" };
extern int puts(const char *);
int hello(void) { return puts("hi"); }
C
  local S="-Os -s -fno-stack-protector -fno-asynchronous-unwind-tables"
  # FreeBSD: EI_OSABI set with elfedit and the FreeBSD note; a second one only by its loader.
  gcc $S -static -nostdlib -o "$E/freebsd-amd64-static" "$W/freebsd-note.c"
  elfedit --output-osabi FreeBSD "$E/freebsd-amd64-static"
  gcc $S -nostdlib -fPIE -pie -Wl,--dynamic-linker=/libexec/ld-elf.so.1 -o "$E/freebsd-amd64-loader-only" "$W/tiny.c"
  # Solaris/illumos: only the loader says so (/usr/lib/amd64/ld.so.1).
  gcc $S -nostdlib -fPIE -pie -Wl,--dynamic-linker=/usr/lib/amd64/ld.so.1 -o "$E/solaris-amd64" "$W/tiny.c"
  # glibc's own ld.so.1 (MIPS o32, big-endian, hard float) and a soft-float MIPS program.
  mips-linux-gnu-gcc -Os -s -o "$E/mips-glibc-dyn" "$W/hello.c"
  mips-linux-gnu-gcc $S -msoft-float -static -nostdlib -Wl,-e,_start -o "$E/mips-soft-static" "$W/tiny.c"
  # Shared objects: one needing glibc, one Android library (NEEDED libc.so + the note).
  gcc $S -shared -fPIC -o "$E/libglibc-user.so" "$W/libc-user.c"
  aarch64-linux-gnu-gcc $S -shared -fPIC -nostdlib -Wl,-soname,libc.so -o "$W/libc.so" "$W/lib.c"
  aarch64-linux-gnu-gcc $S -shared -fPIC -nostdlib -Wl,--no-as-needed -Wl,-z,max-page-size=4096 -o "$E/libandroid-arm64.so" "$W/android-note.c" "$W/libc.so"
  # AArch64 BTI/PAC: the GNU property note is covered by both PT_NOTE and PT_GNU_PROPERTY.
  aarch64-linux-gnu-gcc $S -mbranch-protection=standard -static -nostdlib -o "$E/arm64-bti-pac" "$W/tiny.c"
  # A segment of bss alone (p_filesz 0) whose offset is not page-congruent: maps no file bytes.
  aarch64-linux-gnu-gcc $S -static -nostdlib -o "$E/arm64-bss-only-segment" "$W/bss.c"
  # Bare-metal ARM microcontroller firmware: v6-M, v7-M, v8-M.main.
  arm-linux-gnueabihf-gcc $S -mcpu=cortex-m0 -mthumb -mfloat-abi=soft -static -nostdlib -o "$E/arm-cortex-m0" "$W/tiny.c"
  arm-linux-gnueabihf-gcc $S -mcpu=cortex-m3 -mthumb -mfloat-abi=soft -static -nostdlib -o "$E/arm-cortex-m3" "$W/tiny.c"
  arm-linux-gnueabihf-gcc $S -mcpu=cortex-m33 -mthumb -mfloat-abi=soft -static -nostdlib -o "$E/arm-cortex-m33" "$W/tiny.c"
  arm-linux-gnueabihf-gcc $S -static -nostdlib -o "$W/armhf-tiny" "$W/tiny.c"
  gcc $S -o "$W/hello-dyn" "$W/hello.c"
  gcc $S -static -nostdlib -o "$W/amd64-tiny" "$W/tiny.c"
  # A debug-info-only file (what `objcopy --only-keep-debug` leaves for a debuginfo package).
  gcc -Os -g -o "$W/hello-g" "$W/hello.c"
  objcopy --only-keep-debug "$W/hello-g" "$E/hello.debug"
  python3 - "$W" "$E" <<'PY'
import struct, sys
W, E = sys.argv[1:3]
def rd(p): return bytearray(open(p, 'rb').read())
def wr(p, b): open(p, 'wb').write(bytes(b))
def phdrs64(b):
    phoff, = struct.unpack_from('<Q', b, 32); phnum, = struct.unpack_from('<H', b, 56)
    return [(phoff + i * 56) for i in range(phnum)]
def phdrs32(b, e='<'):
    phoff, = struct.unpack_from(e + 'I', b, 28); phnum, = struct.unpack_from(e + 'H', b, 44)
    return [(phoff + i * 32) for i in range(phnum)]
def ptype(b, o, e='<'): return struct.unpack_from(e + 'I', b, o)[0]
# PT_INTERP: empty, unterminated, over-long (kernel: 2..=PATH_MAX bytes, last byte NUL).
b = rd(W + '/hello-dyn')
interp = [o for o in phdrs64(b) if ptype(b, o) == 3][0]
off, = struct.unpack_from('<Q', b, interp + 8); fsz, = struct.unpack_from('<Q', b, interp + 32)
for name, size in (('interp-empty', 0), ('interp-unterminated', fsz - 1), ('interp-too-long', 5000)):
    c = bytearray(b)
    struct.pack_into('<QQ', c, interp + 32, size, size)
    if name == 'interp-unterminated':
        c[off + fsz - 1] = ord('x')
    wr(E + '/' + name, c)
# More program headers than the kernel's 64 KiB table allows for 56-byte entries
# (1171 > 65536/56), fewer than the 2048 a 32-byte reckoning allows. The table is moved to
# the end of the file (zero entries are PT_NULL) after the real headers.
b = rd(W + '/amd64-tiny')
phoff, = struct.unpack_from('<Q', b, 32); phnum, = struct.unpack_from('<H', b, 56)
real = b[phoff:phoff + phnum * 56]
new_off = (len(b) + 7) & ~7
c = b + bytearray(new_off - len(b)) + real + bytearray((1500 - phnum) * 56)
struct.pack_into('<Q', c, 32, new_off); struct.pack_into('<H', c, 56, 1500)
wr(E + '/too-many-phdrs', c)
# A PT_LOAD whose p_filesz exceeds its p_memsz.
c = bytearray(b)
load = [o for o in phdrs64(c) if ptype(c, o) == 1][0]
fsz, = struct.unpack_from('<Q', c, load + 32)
struct.pack_into('<Q', c, load + 40, fsz - 16)
wr(E + '/load-filesz-gt-memsz', c)
# The bss-only segment: give it an offset that is not congruent with its address.
p = E + '/arm64-bss-only-segment'
c = rd(p)
for o in phdrs64(c):
    if ptype(c, o) == 1 and struct.unpack_from('<Q', c, o + 32)[0] == 0:
        struct.pack_into('<Q', c, o + 8, len(c) - 0x10)
wr(p, c)
# 32-bit LoongArch (ELFCLASS32, EM_LOONGARCH, double-float ABI, object ABI v1).
c = rd(W + '/armhf-tiny')
struct.pack_into('<H', c, 18, 258); struct.pack_into('<I', c, 36, 0x43)
wr(E + '/loongarch32-ilp32d', c)
# ARM with an EABI version no toolchain defines (7).
c = rd(W + '/armhf-tiny')
flags, = struct.unpack_from('<I', c, 36)
struct.pack_into('<I', c, 36, (flags & 0x00ffffff) | (7 << 24))
wr(E + '/arm-eabi7', c)
PY
  chmod +x "$E"/* 2>/dev/null || true
  gzip -9 -n "$E/too-many-phdrs"
  cat > "$E/expected.json" <<'JSON'
{
  "host": "linux/amd64",
  "note": "ELF regressions of issue 10, built by scripts/build-binary-fixtures.sh --elf-regressions. Each entry: facts the file must classify to and the problem codes on the host above. `absent` lists details keys that must not be present; `errno` the errno evidence of the first problem (null: no errno, the process is killed instead).",
  "files": {
    "freebsd-amd64-static": {"platform": "freebsd/amd64", "os": "freebsd", "problems": ["wrong-os-binary"], "message": "EI_OSABI 9"},
    "freebsd-amd64-loader-only": {"platform": "freebsd/amd64", "os": "freebsd", "libc": "other", "problems": ["wrong-os-binary"], "message": "/libexec/ld-elf.so.1"},
    "solaris-amd64": {"platform": "solaris/amd64", "os": "solaris", "libc": "other", "problems": ["wrong-os-binary"]},
    "mips-glibc-dyn": {"platform": "linux/mips", "interpreter": "/lib/ld.so.1", "libc": "glibc", "abi": "o32", "float_abi": "double", "flags": ["fpxx"], "problems": ["arch-mismatch"]},
    "mips-soft-static": {"platform": "linux/mips", "float_abi": "soft", "problems": ["arch-mismatch"]},
    "libglibc-user.so": {"platform": "linux/amd64", "type": "shared-object", "libc": "glibc", "needed_libs": ["libc.so.6"], "problems": []},
    "libandroid-arm64.so": {"platform": "linux/arm64", "type": "shared-object", "libc": "bionic", "android_api": 30, "needed_libs": ["libc.so"], "problems": ["arch-mismatch"]},
    "arm64-bti-pac": {"platform": "linux/arm64", "flags": ["bti", "pac"], "exact_flags": true, "problems": ["arch-mismatch"]},
    "arm64-bss-only-segment": {"platform": "linux/arm64", "max_page_size": 65536, "problems": ["arch-mismatch"], "problems_on": {"linux/arm64": {"page_size": 65536, "codes": []}}},
    "arm-cortex-m0": {"platform": null, "arm_arch": "v6S-M", "problems": ["arch-mismatch"], "message": "bare-metal ARM"},
    "arm-cortex-m3": {"platform": null, "flags": ["m-profile"], "problems": ["arch-mismatch"], "message": "bare-metal ARM"},
    "arm-cortex-m33": {"platform": null, "arm_arch": "v8-M.main", "problems": ["arch-mismatch"], "message": "bare-metal ARM"},
    "arm-eabi7": {"platform": "linux/arm/v7", "flags": ["eabi-version-7"], "absent": ["abi"], "problems": ["arch-mismatch"]},
    "loongarch32-ilp32d": {"platform": null, "class": "32", "machine": "loongarch", "abi": "ilp32d", "float_abi": "double", "problems": ["arch-mismatch"]},
    "interp-empty": {"invalid": "PT_INTERP is 0 bytes", "libc": "glibc", "problems": ["not-executable-content"], "errno": "ENOEXEC"},
    "interp-unterminated": {"invalid": "not NUL-terminated", "problems": ["not-executable-content"], "errno": "ENOEXEC"},
    "interp-too-long": {"invalid": "PT_INTERP is 5000 bytes", "problems": ["not-executable-content"], "errno": "ENOEXEC"},
    "too-many-phdrs.gz": {"invalid": "e_phnum is 1500", "problems": ["not-executable-content"], "errno": "ENOEXEC"},
    "load-filesz-gt-memsz": {"invalid": "p_filesz", "fails_after_exec": true, "problems": ["not-executable-content"], "errno": null},
    "hello.debug": {"invalid": "PT_INTERP is 0 bytes", "problems": ["not-executable-content"], "errno": "ENOEXEC"}
  }
}
JSON
}
if [ "${1:-}" = --elf-regressions ]; then
  build_elf_regressions
  du -cb fixtures/bin/elf | tail -1
  exit 0
fi
rm -rf "$OUT"
mkdir -p "$OUT"

cat > "$WORK/hello.c" <<'C'
#include <stdio.h>
int main(void) { puts("hello"); return 0; }
C
# A freestanding program (no libc) for small static builds on every architecture.
cat > "$WORK/tiny.c" <<'C'
void _start(void) { for (;;) {} }
C

cc_build() { # name compiler flags...
  local name=$1 cc=$2; shift 2
  "$cc" -Os -o "$OUT/$name" "$@"
  "${cc%gcc}strip" "$OUT/$name" 2>/dev/null || strip "$OUT/$name"
}

# Native amd64 (glibc) and its variants.
cc_build c-amd64-glibc-dyn gcc "$WORK/hello.c"
cc_build c-amd64-glibc-static-pie gcc -static-pie "$WORK/hello.c" -nostdlib -nostartfiles -e main -fno-stack-protector 2>/dev/null \
  || cc_build c-amd64-glibc-static-pie gcc -static-pie "$WORK/tiny.c" -nostdlib -fno-stack-protector
cc_build c-amd64-isa-v3 gcc -Wl,-z,x86-64-v3 "$WORK/hello.c"
cc_build c-amd64-musl-dyn musl-gcc "$WORK/hello.c"
cc_build c-amd64-musl-static musl-gcc -static "$WORK/hello.c"
cc_build c-x32-static gcc -mx32 -static -nostdlib -fno-stack-protector "$WORK/tiny.c"
cc_build c-amd64-obj gcc -c "$WORK/hello.c"
# Cross gcc, dynamic (glibc) and freestanding static.
cc_build c-386-glibc-dyn i686-linux-gnu-gcc "$WORK/hello.c"
cc_build c-arm64-glibc-dyn aarch64-linux-gnu-gcc "$WORK/hello.c"
cc_build c-arm64-static aarch64-linux-gnu-gcc -static -nostdlib -fno-stack-protector "$WORK/tiny.c"
cc_build c-arm64-4k-pages aarch64-linux-gnu-gcc -Wl,-z,max-page-size=4096 -Wl,-z,common-page-size=4096 "$WORK/hello.c"
cc_build c-armhf-glibc-dyn arm-linux-gnueabihf-gcc "$WORK/hello.c"
cc_build c-armel-glibc-dyn arm-linux-gnueabi-gcc "$WORK/hello.c"
cc_build c-armhf-static-v7 arm-linux-gnueabihf-gcc -static -nostdlib -fno-stack-protector "$WORK/tiny.c"
cc_build c-ppc64le-glibc-dyn powerpc64le-linux-gnu-gcc "$WORK/hello.c"
cc_build c-s390x-glibc-dyn s390x-linux-gnu-gcc "$WORK/hello.c"
cc_build c-riscv64-glibc-dyn riscv64-linux-gnu-gcc "$WORK/hello.c"
cc_build c-mips64le-glibc-dyn mips64el-linux-gnuabi64-gcc "$WORK/hello.c"

# Go cross builds (CGO_ENABLED=0, stripped), stored gzip-compressed.
mkdir -p "$WORK/go"
printf 'module example.com/hello\n\ngo 1.19\n' > "$WORK/go/go.mod"
printf 'package main\n\nfunc main() { println("hello") }\n' > "$WORK/go/main.go"
go_build() { # name env...
  local name=$1; shift
  (cd "$WORK/go" && env CGO_ENABLED=0 GOFLAGS=-trimpath "$@" go build -ldflags='-s -w' -o "$WORK/$name" .)
}
go_build go-linux-amd64-v3 GOOS=linux GOARCH=amd64 GOAMD64=v3
go_build go-linux-arm-6 GOOS=linux GOARCH=arm GOARM=6
go_build go-linux-riscv64 GOOS=linux GOARCH=riscv64
for n in go-linux-amd64-v3 go-linux-arm-6 go-linux-riscv64; do gzip -9 -n -c "$WORK/$n" > "$OUT/$n.gz"; done
go_build go-darwin-arm64 GOOS=darwin GOARCH=arm64
go_build go-darwin-amd64 GOOS=darwin GOARCH=amd64
go_build go-windows-amd64.exe GOOS=windows GOARCH=amd64
go_build go-windows-arm64.exe GOOS=windows GOARCH=arm64
for n in go-darwin-arm64 go-darwin-amd64 go-windows-amd64.exe go-windows-arm64.exe; do
  head -c 16384 "$WORK/$n" > "$OUT/$n.head"
done
# Universal (fat) headers, 32- and 64-bit, over the two darwin builds.
python3 - "$WORK/go-darwin-amd64" "$WORK/go-darwin-arm64" "$OUT" <<'PY'
import struct, sys
a, b, out = sys.argv[1:4]
slices = []
for p in (a, b):
    d = open(p, 'rb').read()
    cputype, sub = struct.unpack('<ii', d[4:12])
    slices.append((cputype, sub, d))
def build(fat64):
    hdr_len = 8 + len(slices) * (32 if fat64 else 20)
    off = (hdr_len + 0x3fff) & ~0x3fff
    head = struct.pack('>II', 0xcafebabf if fat64 else 0xcafebabe, len(slices))
    body = b''
    for cputype, sub, d in slices:
        if fat64:
            head += struct.pack('>iiQQII', cputype, sub, off + len(body), len(d), 14, 0)
        else:
            head += struct.pack('>iiIII', cputype, sub, off + len(body), len(d), 14)
        body += d + b'\0' * ((-len(d)) % 0x4000)
    return (head + b'\0' * (off - len(head)) + body)[:16384]
open(out + '/macho-fat-amd64-arm64.head', 'wb').write(build(False))
open(out + '/macho-fat64-amd64-arm64.head', 'wb').write(build(True))
PY

# Java class.
mkdir -p "$WORK/java"
printf 'public class Hello { public static void main(String[] a) { System.out.println("hi"); } }\n' > "$WORK/java/Hello.java"
javac --release 11 -d "$WORK/java" "$WORK/java/Hello.java"
cp "$WORK/java/Hello.class" "$OUT/Hello.class"

# Scripts and text.
printf '#!/bin/sh\necho hello\n' > "$OUT/script-sh.sh"
printf '#!/bin/sh\r\necho hello\r\n' > "$OUT/script-crlf.sh"
printf '\xef\xbb\xbf#!/bin/sh\necho hello\n' > "$OUT/script-bom.sh"
printf '#!/usr/bin/env python3\nprint("hello")\n' > "$OUT/script-env-python.py"
printf '#!/bin/bash -e\necho hello\n' > "$OUT/script-bash-arg.sh"
printf 'set -e\necho hello\n' > "$OUT/script-no-shebang.sh"
printf 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n' > "$OUT/lfs-pointer"
printf '<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n' > "$OUT/error-page.html"
: > "$OUT/empty"
printf 'hello\n' | gzip -9 -n > "$OUT/data.gz"
head -c 40 "$OUT/c-arm64-glibc-dyn" > "$OUT/truncated-elf-40"
head -c 100 "$OUT/c-arm64-glibc-dyn" > "$OUT/truncated-elf-phdrs"
printf '\0asm\x01\0\0\0' > "$OUT/module.wasm"
chmod +x "$OUT"/script-* "$OUT"/c-* 2>/dev/null || true

# The manifest of facts each fixture must classify to (from how it was built above).
cat > "$OUT/expected.json" <<'JSON'
{
  "host": "linux/amd64",
  "note": "Facts known from how each fixture was built (scripts/build-binary-fixtures.sh); problems are for the host above. Files ending .gz are inflated first.",
  "files": {
    "c-amd64-glibc-dyn": {"format": "elf", "platform": "linux/amd64", "machine": "x86-64", "class": "64", "endianness": "little", "type": "pie", "linkage": "dynamic", "libc": "glibc", "interpreter": "/lib64/ld-linux-x86-64.so.2", "isa_level": 1, "problems": []},
    "c-amd64-glibc-static-pie": {"format": "elf", "platform": "linux/amd64", "type": "pie", "linkage": "static-pie", "libc": "none", "interpreter": null, "problems": []},
    "c-amd64-isa-v3": {"format": "elf", "platform": "linux/amd64/v3", "linkage": "dynamic", "libc": "glibc", "isa_level": 3, "problems": ["isa-level-too-high"]},
    "c-amd64-musl-dyn": {"format": "elf", "platform": "linux/amd64", "linkage": "dynamic", "libc": "musl", "interpreter": "/lib/ld-musl-x86_64.so.1", "problems": []},
    "c-amd64-musl-static": {"format": "elf", "platform": "linux/amd64", "type": "exec", "linkage": "static", "libc": "none", "problems": []},
    "c-amd64-obj": {"format": "elf", "platform": "linux/amd64", "type": "relocatable", "problems": ["not-executable-content"], "errno": "ENOEXEC"},
    "c-x32-static": {"format": "elf", "platform": null, "machine": "x86-64", "class": "32", "abi": "x32", "problems": ["arch-mismatch"], "errno": "ENOEXEC"},
    "c-386-glibc-dyn": {"format": "elf", "platform": "linux/386", "machine": "i386", "class": "32", "endianness": "little", "linkage": "dynamic", "libc": "glibc", "interpreter": "/lib/ld-linux.so.2", "problems": []},
    "c-arm64-glibc-dyn": {"format": "elf", "platform": "linux/arm64", "machine": "aarch64", "class": "64", "endianness": "little", "linkage": "dynamic", "libc": "glibc", "interpreter": "/lib/ld-linux-aarch64.so.1", "max_page_size": 65536, "problems": ["arch-mismatch"], "errno": "ENOEXEC"},
    "c-arm64-static": {"format": "elf", "platform": "linux/arm64", "type": "exec", "linkage": "static", "problems": ["arch-mismatch"]},
    "c-arm64-4k-pages": {"format": "elf", "platform": "linux/arm64", "max_page_size": 4096, "problems": ["arch-mismatch"], "problems_on": {"linux/arm64": {"page_size": 65536, "codes": ["page-size-mismatch"]}}},
    "c-armhf-glibc-dyn": {"format": "elf", "platform": "linux/arm/v7", "machine": "arm", "class": "32", "endianness": "little", "float_abi": "hard", "arm_arch": "v7", "abi": "eabi5", "libc": "glibc", "interpreter": "/lib/ld-linux-armhf.so.3", "problems": ["arch-mismatch"]},
    "c-armel-glibc-dyn": {"format": "elf", "platform": "linux/arm/v5", "float_abi": "soft", "arm_arch": "v5TE", "abi": "eabi5", "libc": "glibc", "interpreter": "/lib/ld-linux.so.3", "problems": ["arch-mismatch"]},
    "c-armhf-static-v7": {"format": "elf", "platform": "linux/arm/v7", "float_abi": "hard", "arm_arch": "v7", "linkage": "static", "problems": ["arch-mismatch"]},
    "c-ppc64le-glibc-dyn": {"format": "elf", "platform": "linux/ppc64le", "machine": "ppc64", "class": "64", "endianness": "little", "abi": "elfv2", "interpreter": "/lib64/ld64.so.2", "problems": ["arch-mismatch"]},
    "c-s390x-glibc-dyn": {"format": "elf", "platform": "linux/s390x", "machine": "s390", "class": "64", "endianness": "big", "interpreter": "/lib/ld64.so.1", "problems": ["arch-mismatch"]},
    "c-riscv64-glibc-dyn": {"format": "elf", "platform": "linux/riscv64", "machine": "riscv", "class": "64", "float_abi": "double", "abi": "lp64d", "flags": ["rvc"], "interpreter": "/lib/ld-linux-riscv64-lp64d.so.1", "problems": ["arch-mismatch"]},
    "c-mips64le-glibc-dyn": {"format": "elf", "platform": "linux/mips64le", "machine": "mips", "class": "64", "endianness": "little", "abi": "n64", "interpreter": "/lib64/ld.so.1", "problems": ["arch-mismatch"]},
    "go-linux-amd64-v3.gz": {"format": "elf", "platform": "linux/amd64/v3", "type": "exec", "linkage": "static", "libc": "none", "go": {"GOOS": "linux", "GOARCH": "amd64", "GOAMD64": "v3", "CGO_ENABLED": "0"}, "problems": ["isa-level-too-high"]},
    "go-linux-arm-6.gz": {"format": "elf", "platform": "linux/arm/v6", "linkage": "static", "go": {"GOOS": "linux", "GOARCH": "arm", "GOARM": "6", "CGO_ENABLED": "0"}, "problems": ["arch-mismatch"]},
    "go-linux-riscv64.gz": {"format": "elf", "platform": "linux/riscv64", "float_abi": "double", "flags": [], "go": {"GOOS": "linux", "GOARCH": "riscv64", "CGO_ENABLED": "0"}, "problems": ["arch-mismatch"]},
    "go-darwin-arm64.head": {"format": "macho", "platform": "darwin/arm64", "problems": ["wrong-os-binary"], "errno": "ENOEXEC"},
    "go-darwin-amd64.head": {"format": "macho", "platform": "darwin/amd64", "problems": ["wrong-os-binary"]},
    "go-windows-amd64.exe.head": {"format": "pe", "platform": "windows/amd64", "problems": ["wrong-os-binary"]},
    "go-windows-arm64.exe.head": {"format": "pe", "platform": "windows/arm64", "problems": ["wrong-os-binary"]},
    "macho-fat-amd64-arm64.head": {"format": "macho-fat", "platform": null, "slices": ["amd64", "arm64"], "problems": ["wrong-os-binary"]},
    "macho-fat64-amd64-arm64.head": {"format": "macho-fat", "platform": null, "slices": ["amd64", "arm64"], "problems": ["wrong-os-binary"]},
    "Hello.class": {"format": "java-class", "platform": null, "java": 11, "problems": ["not-executable-content"]},
    "script-sh.sh": {"format": "script", "interpreter": "/bin/sh", "line_endings": "lf", "bom": false, "problems": []},
    "script-crlf.sh": {"format": "script", "interpreter": "/bin/sh", "line_endings": "crlf", "bom": false, "problems": ["crlf-line-endings"], "errno": "ENOENT"},
    "script-bom.sh": {"format": "script", "interpreter": "/bin/sh", "bom": true, "problems": ["byte-order-mark"], "errno": "ENOEXEC"},
    "script-env-python.py": {"format": "script", "interpreter": "/usr/bin/env", "env_program": "python3", "problems": []},
    "script-bash-arg.sh": {"format": "script", "interpreter": "/bin/bash", "argument": "-e", "problems": []},
    "script-no-shebang.sh": {"format": "text", "problems": ["missing-shebang"], "errno": "ENOEXEC"},
    "lfs-pointer": {"format": "lfs-pointer", "size": 12345, "problems": ["lfs-pointer"]},
    "error-page.html": {"format": "html", "title": "404 Not Found", "problems": ["not-executable-content"]},
    "empty": {"format": "empty", "problems": ["not-executable-content"]},
    "data.gz": {"format": "data", "kind": "gzip", "problems": ["not-executable-content"]},
    "module.wasm": {"format": "wasm", "problems": ["not-executable-content"]},
    "truncated-elf-40": {"format": "elf", "invalid": true, "problems": ["not-executable-content"], "errno": "ENOEXEC"},
    "truncated-elf-phdrs": {"format": "elf", "invalid": true, "problems": ["not-executable-content"], "errno": "ENOEXEC"}
  }
}
JSON

build_elf_regressions
du -cb "$OUT" | tail -1

# ELF regression fixtures (issue 10): `scripts/build-binary-fixtures.sh --elf-regressions`
# rebuilds only these (see build_elf_regressions above).
