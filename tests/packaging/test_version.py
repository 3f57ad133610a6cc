"""One version string: [project] version in pyproject.toml.

`--version`, `info`, the About dialog, Briefcase, the AppStream release list
and the user changelog all show the same one (the .deb's Version field is
checked in test_deb_bundle.py).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import peer_support

ROOT = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]


def test_the_package_reports_the_pyproject_version():
    assert peer_support.__version__ == VERSION


def test_version_option_prints_it():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "peer_support", "--version"], env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"peer-support {VERSION}"


def test_info_and_about_show_it(context):
    from peer_support.services.info import app_info
    from peer_support.ui.about import about_text

    assert app_info(context).version == VERSION
    assert f"Version {VERSION}" in about_text(context)


def test_briefcase_takes_the_project_version():
    briefcase = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["briefcase"]
    assert "version" not in briefcase  # Briefcase then uses [project] version


def test_appstream_newest_release_is_this_version():
    tree = ET.parse(ROOT / "packaging" / "org.peersupport.PeerSupport.metainfo.xml")
    releases = tree.getroot().find("releases").findall("release")
    assert releases[0].get("version") == VERSION  # newest first, as AppStream wants
    dates = [release.get("date") for release in releases]
    assert dates == sorted(dates, reverse=True)


def test_changelog_has_a_section_for_this_version():
    changelog = (ROOT / "CHANGELOG.md").read_text("utf-8")
    headings = re.findall(r"^## (\S+)", changelog, re.M)
    assert headings[0] == VERSION
