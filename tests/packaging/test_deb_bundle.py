"""The Linux installer: packaging/build-deb builds the bundle and the .deb, and the app in it runs.

Slow (a PyInstaller build, a few minutes): it installs the build's own
virtual environment from PyPI under build/deb/. CI runs it
(PEER_SUPPORT_BUILD_DEB=1 in .ci/run); the extracted
package is started on a fresh data folder for `info`, `demo`, `check` and a
PDF export (fonts come from inside the bundle).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
DEB = ROOT / "dist" / f"peer-support_{VERSION}_amd64.deb"
APP_ID = "org.peersupport.PeerSupport"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the .deb is built on Linux"),
    # Several minutes of CPU: CI (.ci/run) always runs it; on a developer's
    # machine it runs when asked for.
    pytest.mark.skipif(os.environ.get("PEER_SUPPORT_BUILD_DEB") != "1",
                       reason="builds the .deb (several minutes); set PEER_SUPPORT_BUILD_DEB=1 "
                              "to run it, as .ci/run does"),
]


def _require(present: bool, message: str) -> None:
    if not present:
        if os.environ.get("PEER_SUPPORT_REQUIRE_TOOLS") == "1":
            pytest.fail(message + " -- PEER_SUPPORT_REQUIRE_TOOLS=1 makes it required")
        pytest.skip(message)


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    """Build the .deb once and unpack it: returns the unpacked root."""
    _require(shutil.which("dpkg-deb") is not None,
             "dpkg-deb is not installed (Debian package dpkg); it packs the .deb")
    _require(importlib.util.find_spec("ensurepip") is not None,
             "this Python cannot make virtual environments (Debian package python3-venv)")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["PYTHON"] = sys.executable
    result = subprocess.run([str(ROOT / "packaging" / "build-deb")], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=3000, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    assert DEB.is_file()
    unpacked = tmp_path_factory.mktemp("deb-root")
    subprocess.run(["dpkg-deb", "-x", str(DEB), str(unpacked)], check=True)
    return unpacked


def run_app(unpacked: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    """The unpacked app as a user would start it, with nothing of this checkout on its path."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([str(unpacked / "opt" / "peer-support" / "peer-support"), *args], env=env,
                          capture_output=True, text=True, timeout=600, check=False)


def field(name: str) -> str:
    return subprocess.run(["dpkg-deb", "--field", str(DEB), name], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_control_fields(package):
    assert field("Package") == "peer-support"
    assert field("Version") == VERSION
    assert field("Architecture") == "amd64"
    depends = {name.strip() for name in field("Depends").split(",")}
    # What Qt's xcb plugin and Python's modules load from a clean Debian 12.
    assert {"libglib2.0-0", "libegl1", "libgl1", "libfontconfig1", "libdbus-1-3", "libxkbcommon0",
            "libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1",
            "libssl3", "libsqlite3-0"} <= depends
    # Only the packages that a library the bundle needs comes from.
    assert not {"libgtk-3-0", "libwayland-client0", "libqt6core6", "libreadline8"} & depends
    # Briefcase's Debian package carries its own Python, but needs the same
    # system libraries for Qt: its list must not miss one.
    briefcase = tomllib.loads((ROOT / "briefcase.toml").read_text("utf-8"))
    runtime = set(briefcase["app"]["peer-support"]["linux"]["system"]["debian"]["system_runtime_requires"])
    python_and_base = {"libc6", "libgcc-s1", "libstdc++6", "zlib1g", "libbz2-1.0", "liblzma5", "libffi8",
                       "libssl3", "libsqlite3-0", "libuuid1", "libexpat1"}
    assert depends - python_and_base <= runtime, depends - python_and_base - runtime


def test_package_holds_the_app_and_its_desktop_files(package):
    app = package / "opt" / "peer-support"
    assert os.readlink(package / "usr" / "bin" / "peer-support") == "/opt/peer-support/peer-support"
    share = package / "usr" / "share"
    assert (share / "applications" / f"{APP_ID}.desktop").read_bytes() == \
        (ROOT / "packaging" / f"{APP_ID}.desktop").read_bytes()
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    for size in (16, 32, 48, 64, 128, 256, 512):
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert (share / "doc" / "peer-support" / "copyright").is_file()

    internal = app / "_internal"
    package_dir = internal / "peer_support"
    for language in ("da", "de", "pl"):
        assert (package_dir / "locale" / language / "LC_MESSAGES" / "peer_support.mo").is_file()
    assert (package_dir / "resources" / "fonts" / "DejaVuSans.ttf").is_file()
    assert (package_dir / "resources" / "icons" / "peer-support.svg").is_file()
    for sound in ("ok", "problem"):  # scan mode's sounds (the system beep stands in without QtMultimedia)
        assert (package_dir / "resources" / "sounds" / f"{sound}.wav").is_file()
    # Byte-compiled: only the migrations are source (Alembic runs them from
    # their files), each with its byte code beside it.
    sources = sorted(path.relative_to(package_dir).as_posix() for path in package_dir.rglob("*.py"))
    assert sources and all(path.startswith("storage/migrations/") for path in sources), sources
    for source in (package_dir / "storage" / "migrations" / "versions").glob("*.py"):
        assert list((source.parent / "__pycache__").glob(f"{source.stem}.*.pyc")), source
    assert (package_dir / "cli" / "__init__.pyc").is_file()
    # No Qt WebEngine or Pdf, no Wayland or GTK plugins whose libraries a clean system lacks.
    names = {path.name for path in internal.rglob("*")}
    assert not {name for name in names if "WebEngine" in name or name.startswith("libQt6Pdf")}
    assert "libqgtk3.so" not in names and "libqwayland.so" not in names
    assert "libqxcb.so" in names


def test_installed_app_runs_info_demo_and_check_on_a_fresh_data_folder(package, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    shipped = set((package / "opt").rglob("*"))

    version = run_app(package, home, "--version")
    assert version.returncode == 0 and version.stdout.strip() == f"peer-support {VERSION}"

    info = run_app(package, home, "info")
    assert info.returncode == 0, info.stderr
    data_dir = home / ".local" / "share" / "peer-support"
    assert str(data_dir) in info.stdout and (data_dir / "peer-support.sqlite3").is_file()
    assert f"Version: {VERSION}" in info.stdout

    demo = run_app(package, home, "demo")
    assert demo.returncode == 0, demo.stderr
    check = run_app(package, home, "check")
    assert check.returncode == 0, check.stdout + check.stderr

    # Translations and fonts come from inside the bundle.
    german = run_app(package, home, "--lang", "de", "families", "list")
    assert german.returncode == 0 and "Postleitzahl" in german.stdout, german.stderr
    cards = run_app(package, home, "cards", "-o", str(tmp_path / "cards.pdf"))
    assert cards.returncode == 0, cards.stderr
    assert (tmp_path / "cards.pdf").read_bytes().startswith(b"%PDF")
    assert b"DejaVuSans" in (tmp_path / "cards.pdf").read_bytes()

    # Nothing was written inside the installed app (no byte code, no log).
    assert set((package / "opt").rglob("*")) == shipped
