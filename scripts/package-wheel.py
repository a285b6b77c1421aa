#!/usr/bin/env python3
# Assembles the abi3 wheel from an extension module cargo already built (scripts/package.sh
# builds the Python and the Node cdylib of one target in ONE cargo invocation, so they share the
# core and its dependencies; maturin cannot package a library it did not build itself). The
# wheel holds what `maturin build` puts in one (PEP 427/491):
#   archcompat/               the python-source package (archcompat-py/python/archcompat: .py,
#                             .pyi, py.typed) and the extension as archcompat/_archcompat.abi3.so
#   archcompat-V.dist-info/   METADATA (maturin's own PKG-INFO from the sdist, so the README,
#                             classifiers and license expression are maturin's), WHEEL (tag
#                             cp310-abi3-PLATFORM), licenses/LICENSE-*, RECORD (sha256 of each)
# Usage: package-wheel.py SO PKG_INFO PLATFORM_TAG OUT_DIR   (e.g. manylinux_2_28_x86_64)
# Prints the wheel's path.
import base64
import hashlib
import pathlib
import re
import sys
import zipfile
from typing import NoReturn

# pyo3's abi3-py310 feature (Cargo.toml): the wheel's Python and ABI tags.
PY_TAG = "cp310"
ABI_TAG = "abi3"
ROOT = pathlib.Path(__file__).resolve().parent.parent
PY_DIR = ROOT / "archcompat-py"


def fail(msg: str) -> NoReturn:
    sys.exit(f"package-wheel: {msg}")


def record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode()


def main() -> None:
    if len(sys.argv) != 5:
        fail("usage: package-wheel.py SO PKG_INFO PLATFORM_TAG OUT_DIR")
    so, pkg_info, plat, out_dir = sys.argv[1:]
    if not re.fullmatch(r"(manylinux_\d+_\d+|musllinux_\d+_\d+)_(x86_64|aarch64)", plat):
        fail(f"platform tag '{plat}' is not a manylinux_X_Y or musllinux_X_Y x86_64/aarch64 tag")
    metadata = pathlib.Path(pkg_info).read_bytes()
    name = re.search(rb"^Name: (\S+)$", metadata, re.M)
    version = re.search(rb"^Version: (\S+)$", metadata, re.M)
    if not name or not version:
        fail(f"{pkg_info}: no Name or Version field")
    dist = f"{name.group(1).decode().replace('-', '_')}-{version.group(1).decode()}"
    info = f"{dist}.dist-info"

    files: list[tuple[str, bytes]] = []
    pkg_src = PY_DIR / "python" / "archcompat"
    for f in sorted(pkg_src.rglob("*")):
        if f.is_dir() or "__pycache__" in f.parts or f.suffix in (".so", ".pyc"):
            continue
        files.append((f"archcompat/{f.relative_to(pkg_src).as_posix()}", f.read_bytes()))
    files.append(("archcompat/_archcompat.abi3.so", pathlib.Path(so).read_bytes()))
    files.append((f"{info}/METADATA", metadata))
    wheel = (
        "Wheel-Version: 1.0\n"
        "Generator: archcompat scripts/package-wheel.py\n"
        "Root-Is-Purelib: false\n"
        f"Tag: {PY_TAG}-{ABI_TAG}-{plat}\n"
    )
    files.append((f"{info}/WHEEL", wheel.encode()))
    for lic in re.findall(rb"^License-File: (\S+)$", metadata, re.M):
        lic_path = PY_DIR / lic.decode()
        if not lic_path.is_file():
            fail(f"{pkg_info} names License-File {lic.decode()}, not found in {PY_DIR}")
        files.append((f"{info}/licenses/{lic.decode()}", lic_path.read_bytes()))

    record = "".join(f"{path},{record_hash(data)},{len(data)}\n" for path, data in files)
    record += f"{info}/RECORD,,\n"
    out = pathlib.Path(out_dir) / f"{dist}-{PY_TAG}-{ABI_TAG}-{plat}.whl"
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for path, data in [*files, (f"{info}/RECORD", record.encode())]:
            zi = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            # Regular files, rw-r--r-- (rwxr-xr-x for the extension, as maturin writes it).
            zi.external_attr = (0o100755 if path.endswith(".so") else 0o100644) << 16
            z.writestr(zi, data)
    print(out)


if __name__ == "__main__":
    main()
