"""Which shared libraries the frozen bundle needs from the system, and from which Debian packages.

Used twice by packaging/build-deb: the PyInstaller spec keeps only the libraries
that something in the bundle really loads, and after the build ``depends``
turns every library the bundle needs but does not carry into the package's
``Depends`` line, through the reviewed table SYSTEM_LIBRARIES below. A library
missing from that table stops the build instead of giving a package that fails
on a clean system. Only the standard library: ELF DT_NEEDED entries are read
directly, so the build needs neither binutils nor the libraries themselves.

    python packaging/deb/elfdeps.py depends BUNDLE_DIR   # prints the Depends value
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

# Sonames the bundle may take from a Debian 12 system, and the package that
# ships each one. Checked with ldd on the installed bundle in a clean
# debootstrap'd Debian 12 (see packaging/README.md).
SYSTEM_LIBRARIES = {
    # C library and compiler runtime
    "libc.so.6": "libc6", "libm.so.6": "libc6", "libdl.so.2": "libc6", "librt.so.1": "libc6",
    "libpthread.so.0": "libc6", "libutil.so.1": "libc6", "ld-linux-x86-64.so.2": "libc6",
    "libgcc_s.so.1": "libgcc-s1", "libstdc++.so.6": "libstdc++6",
    # Python's standard library modules
    "libz.so.1": "zlib1g", "libbz2.so.1.0": "libbz2-1.0", "liblzma.so.5": "liblzma5",
    "libffi.so.8": "libffi8", "libssl.so.3": "libssl3", "libcrypto.so.3": "libssl3",
    "libsqlite3.so.0": "libsqlite3-0", "libexpat.so.1": "libexpat1", "libuuid.so.1": "libuuid1",
    "libreadline.so.8": "libreadline8", "libncursesw.so.6": "libncursesw6",
    "libtinfo.so.6": "libtinfo6", "libpanelw.so.6": "libncursesw6", "libgdbm.so.6": "libgdbm6",
    "libgdbm_compat.so.4": "libgdbm-compat4", "libnsl.so.2": "libnsl2", "libtirpc.so.3": "libtirpc3",
    "libcrypt.so.1": "libcrypt1", "libmpdec.so.3": "libmpdec3",
    # Qt: GLib event loop, fonts, OpenGL/EGL, D-Bus, keyboard, X11/xcb, printing
    "libglib-2.0.so.0": "libglib2.0-0", "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0", "libgio-2.0.so.0": "libglib2.0-0",
    "libfontconfig.so.1": "libfontconfig1", "libfreetype.so.6": "libfreetype6",
    "libEGL.so.1": "libegl1", "libGL.so.1": "libgl1", "libOpenGL.so.0": "libopengl0",
    "libGLX.so.0": "libglx0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libxkbcommon.so.0": "libxkbcommon0", "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11.so.6": "libx11-6", "libX11-xcb.so.1": "libx11-xcb1", "libXext.so.6": "libxext6",
    "libXrender.so.1": "libxrender1", "libXi.so.6": "libxi6",
    "libxcb.so.1": "libxcb1", "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4", "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1", "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0", "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0", "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1", "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0", "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-util.so.1": "libxcb-util1", "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libcups.so.2": "libcups2", "libzstd.so.1": "libzstd1",
    # QtNetwork as PySide6 6.11 builds it (brotli, Kerberos, the resolver); the app makes no
    # connection, but the library is loaded. Packages found with dpkg -S on Debian 12.
    "libbrotlicommon.so.1": "libbrotli1", "libbrotlidec.so.1": "libbrotli1",
    "libgssapi_krb5.so.2": "libgssapi-krb5-2", "libresolv.so.2": "libc6",
}


def needed(path: Path) -> list[str]:
    """The DT_NEEDED sonames of an ELF64 little-endian file ([] for anything else)."""
    with path.open("rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return []
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    names = []
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 6:  # SHT_DYNAMIC
            continue
        strtab = sections[link][4]
        for pos in range(offset, offset + size, entsize or 16):
            tag, value = struct.unpack_from("<qQ", data, pos)
            if tag == 0:
                break
            if tag == 1:  # DT_NEEDED
                end = data.index(b"\0", strtab + value)
                names.append(data[strtab + value:end].decode())
    return names


def elf_files(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as f:
                if f.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def system_needs(bundle: Path) -> dict[str, list[str]]:
    """Each soname the bundle needs but does not carry, with the files needing it."""
    carried = {path.name for path in bundle.rglob("*") if path.is_file()}
    wanted: dict[str, list[str]] = {}
    for path in elf_files(bundle):
        for soname in needed(path):
            if soname not in carried:
                wanted.setdefault(soname, []).append(str(path.relative_to(bundle)))
    return wanted


def depends(bundle: Path) -> list[str]:
    """Sorted Debian package names for what the bundle needs; raises on an unknown library."""
    wanted = system_needs(bundle)
    unknown = {soname: users for soname, users in wanted.items() if soname not in SYSTEM_LIBRARIES}
    if unknown:
        lines = [f"  {soname} (needed by {', '.join(users[:3])})" for soname, users in sorted(unknown.items())]
        raise SystemExit("error: the bundle needs libraries with no Debian package in "
                         "packaging/deb/elfdeps.py SYSTEM_LIBRARIES:\n" + "\n".join(lines))
    return sorted({SYSTEM_LIBRARIES[soname] for soname in wanted})


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "depends":
        print(__doc__, file=sys.stderr)
        return 2
    print(", ".join(depends(Path(argv[1]))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
