"""Packaging checks: Briefcase config, icons, desktop entry and AppStream metadata.

No Qt needed. The desktop/AppStream validators come from the Debian packages
desktop-file-utils and appstream.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import struct
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons"
APP_ID = "org.peersupport.PeerSupport"
PNG_SIZES = (16, 32, 48, 64, 128, 256, 512)
VALIDATOR_PACKAGES = {"desktop-file-validate": "desktop-file-utils", "appstreamcli": "appstream"}


def _load_briefcase_config_module():
    spec = importlib.util.spec_from_file_location("briefcase_config", PACKAGING / "briefcase_config.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


briefcase_config = _load_briefcase_config_module()


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    assert header[12:16] == b"IHDR"
    return struct.unpack(">II", header[16:24])


# ------------------------------------------------------------- briefcase.toml


def test_briefcase_toml_has_the_app_definition():
    config = tomllib.loads((ROOT / "briefcase.toml").read_text(encoding="utf-8"))
    assert config["bundle"] == "org.peersupport"
    assert "version" not in config  # Briefcase reads [project] version: one version string
    assert config["license"] == "MIT"
    for key in ("project_name", "url", "author"):
        assert config[key]

    # Named after the command, so Briefcase installs `peer-support` running `peer_support`.
    app = config["app"]["peer-support"]
    assert app["formal_name"] == "Peer Support"
    assert app["sources"] == ["peer_support", "resources"]
    assert app["icon"] == "resources/icons/peer-support"
    assert {briefcase_config._requirement_name(r) for r in app["requires"]} >= {
        "pyside6-essentials", "pyside6-addons", "sqlmodel", "alembic", "platformdirs", "babel", "qrcode",
        "openpyxl", "icalendar", "python-dateutil", "tzdata", "reportlab", "pypdfium2",
    }
    # The meta-package would bring Qt WebEngine and Pdf (hundreds of MB) the app never uses.
    assert "pyside6" not in {briefcase_config._requirement_name(r) for r in app["requires"]}
    assert {"macOS", "linux", "windows"} <= set(app)
    # What a clean Debian 12 lacks for Qt's xcb platform plugin.
    assert {"libglib2.0-0", "libegl1", "libgl1", "libfontconfig1", "libdbus-1-3", "libxkbcommon0",
            "libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1"} <= set(
        app["linux"]["system"]["debian"]["system_runtime_requires"])


def test_project_dependencies_leave_out_the_pyside6_meta_package():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {briefcase_config._requirement_name(r) for r in project["dependencies"]}
    assert {"pyside6-essentials", "pyside6-addons"} <= names
    assert "pyside6" not in names
    assert project["scripts"] == {"peer-support": "peer_support.__main__:main"}


def test_briefcase_toml_is_valid():
    config = briefcase_config.load_briefcase_config()
    assert briefcase_config.validate(config) == []


def test_pyproject_tool_briefcase_matches_briefcase_toml():
    # Fails until pyproject.toml carries the block printed by
    # `python packaging/briefcase_config.py` (or written by `--write`).
    briefcase_config.check()


def test_generated_block_round_trips():
    config = briefcase_config.load_briefcase_config()
    block = briefcase_config.render_pyproject_block(config)
    assert tomllib.loads(block) == {"tool": {"briefcase": config}}


def test_check_detects_drift(tmp_path):
    config = briefcase_config.load_briefcase_config()
    (tmp_path / "briefcase.toml").write_text((ROOT / "briefcase.toml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "resources").symlink_to(ROOT / "resources")
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "peer-support"\nversion = "1.2.3"\n\n'
                         '[project.scripts]\npeer-support = "peer_support.__main__:main"\n', encoding="utf-8")

    with pytest.raises(briefcase_config.ConfigError, match="no \\[tool.briefcase\\]"):
        briefcase_config.check(tmp_path / "briefcase.toml", pyproject)

    briefcase_config.write_pyproject(config, pyproject)
    briefcase_config.check(tmp_path / "briefcase.toml", pyproject)
    briefcase_config.write_pyproject(config, pyproject)  # idempotent: replaces the block
    assert pyproject.read_text(encoding="utf-8").count(briefcase_config.BEGIN_MARKER) == 1

    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text.replace('formal_name = "Peer Support"', 'formal_name = "Peer Help"'),
                         encoding="utf-8")
    with pytest.raises(briefcase_config.ConfigError, match="differs"):
        briefcase_config.check(tmp_path / "briefcase.toml", pyproject)

    pyproject.write_text(text.replace('peer-support = "peer_support.__main__:main"',
                                      'peer_support = "peer_support.__main__:main"'), encoding="utf-8")
    with pytest.raises(briefcase_config.ConfigError, match="command"):
        briefcase_config.check(tmp_path / "briefcase.toml", pyproject)


# ---------------------------------------------------------------------- icons


@pytest.mark.parametrize("size", PNG_SIZES)
def test_png_icon_has_its_size(size):
    path = ICONS / f"peer-support-{size}.png"
    assert path.is_file()
    assert png_size(path) == (size, size)


def test_svg_ico_and_icns_icons_exist():
    assert (ICONS / "peer-support.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    ico = (ICONS / "peer-support.ico").read_bytes()
    assert ico[:4] == b"\x00\x00\x01\x00"  # ICO header: reserved 0, type 1
    assert struct.unpack("<H", ico[4:6])[0] >= 5  # several sizes in one file
    icns = (ICONS / "peer-support.icns").read_bytes()
    assert icns[:4] == b"icns"
    assert struct.unpack(">I", icns[4:8])[0] == len(icns)


# --------------------------------------------------- desktop entry / AppStream


def run_validator(*args: str) -> subprocess.CompletedProcess:
    """Run a validator program; skip when it is absent, unless CI said it must be there.

    .ci/run installs desktop-file-utils and appstream and sets
    PEER_SUPPORT_REQUIRE_TOOLS=1, so CI never skips these checks.
    """
    program = shutil.which(args[0])
    if program is None:
        package = VALIDATOR_PACKAGES[args[0]]
        message = (f"{args[0]} is not installed (Debian package {package}); "
                   f"install it to validate the packaging files")
        if os.environ.get("PEER_SUPPORT_REQUIRE_TOOLS") == "1":
            pytest.fail(message + " -- PEER_SUPPORT_REQUIRE_TOOLS=1 makes it required")
        pytest.skip(message)
    return subprocess.run([program, *args[1:]], capture_output=True, text=True, check=False)


def test_desktop_file_validates():
    result = run_validator("desktop-file-validate", str(PACKAGING / f"{APP_ID}.desktop"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower(), result.stdout


def test_desktop_file_content():
    text = (PACKAGING / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    for line in ("Exec=peer-support", f"Icon={APP_ID}", "Categories=Office;"):
        assert line in text.splitlines()
    for lang in ("da", "de", "pl"):
        assert f"Name[{lang}]=" in text
        assert f"Comment[{lang}]=" in text


def test_metainfo_validates():
    result = run_validator("appstreamcli", "validate", "--no-net", str(PACKAGING / f"{APP_ID}.metainfo.xml"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_metainfo_matches_desktop_file_and_version():
    text = (PACKAGING / f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    assert f"<id>{APP_ID}</id>" in text
    assert f'<launchable type="desktop-id">{APP_ID}.desktop</launchable>' in text
    assert "<binary>peer-support</binary>" in text
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert f'<release version="{version}"' in text


# ------------------------------------------------------- .deb library mapping


def _load_elfdeps_module():
    spec = importlib.util.spec_from_file_location("elfdeps", PACKAGING / "deb" / "elfdeps.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


elfdeps = _load_elfdeps_module()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads a Linux ELF file")
def test_elfdeps_maps_what_a_bundle_needs_to_packages_and_stops_on_an_unknown_library(tmp_path):
    import _ctypes  # a C extension of this Python: an ELF file that needs libc

    extension = Path(_ctypes.__file__)
    assert "libc.so.6" in elfdeps.needed(extension)
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    shutil.copy(extension, bundle / extension.name)
    (bundle / "notes.txt").write_text("not an ELF file", encoding="utf-8")
    expected = sorted({elfdeps.SYSTEM_LIBRARIES[name] for name in elfdeps.needed(extension)})
    assert "libc6" in expected and elfdeps.depends(bundle) == expected

    elfdeps.SYSTEM_LIBRARIES.pop("libc.so.6")
    try:
        with pytest.raises(SystemExit, match="libc.so.6"):
            elfdeps.depends(bundle)
    finally:
        elfdeps.SYSTEM_LIBRARIES["libc.so.6"] = "libc6"


def test_briefcase_debian_requires_name_packages_the_deb_knows():
    config = briefcase_config.load_briefcase_config()
    runtime = config["app"]["peer-support"]["linux"]["system"]["debian"]["system_runtime_requires"]
    assert set(runtime) <= set(elfdeps.SYSTEM_LIBRARIES.values())
