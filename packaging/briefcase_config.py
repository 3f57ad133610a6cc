"""Keep pyproject.toml's [tool.briefcase] table in step with briefcase.toml.

Briefcase only reads its configuration from ``[tool.briefcase]`` in
pyproject.toml. We keep the app definition in ``briefcase.toml`` (same content,
without the ``tool.briefcase.`` prefix) and copy it into pyproject.toml between
two marker comments. Usage, from the repository root:

    python packaging/briefcase_config.py            # validate, print the block
    python packaging/briefcase_config.py --check    # fail if pyproject differs
    python packaging/briefcase_config.py --write    # rewrite pyproject's block

Only the standard library is used (tomllib to read, a tiny writer for output).
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BRIEFCASE_TOML = ROOT / "briefcase.toml"
PYPROJECT_TOML = ROOT / "pyproject.toml"

# The app is named after the command (Briefcase installs /usr/bin/<app name>
# and runs the module of the same name with - as _).
APP_NAME = "peer-support"
MODULE_NAME = "peer_support"
BEGIN_MARKER = "# BEGIN [tool.briefcase] -- generated from briefcase.toml, do not edit here"
END_MARKER = "# END [tool.briefcase]"

REQUIRED_PROJECT_KEYS = ("project_name", "bundle", "url", "license", "author")
REQUIRED_APP_KEYS = ("formal_name", "description", "icon", "sources", "requires")
PLATFORMS = ("macOS", "linux", "windows", "iOS", "android", "web")
ICON_PNG_SIZES = (16, 32, 48, 64, 128, 256, 512)
ICON_EXTENSIONS = (".svg", ".ico", ".icns")


class ConfigError(Exception):
    """briefcase.toml is invalid, or pyproject.toml does not match it."""


# --------------------------------------------------------------------- reading


def load_briefcase_config(path: Path = BRIEFCASE_TOML) -> dict:
    """Parse briefcase.toml and return its data (the [tool.briefcase] content)."""
    with path.open("rb") as f:
        return tomllib.load(f)


def load_pyproject(path: Path = PYPROJECT_TOML) -> dict:
    """Parse pyproject.toml."""
    with path.open("rb") as f:
        return tomllib.load(f)


def load_pyproject_briefcase(path: Path = PYPROJECT_TOML) -> dict | None:
    """Return pyproject.toml's [tool.briefcase] table, or None if it has none."""
    return load_pyproject(path).get("tool", {}).get("briefcase")


def _requirement_name(requirement: str) -> str:
    """'PySide6>=6.6 ; python_version>"3"' -> 'pyside6' (PEP 503 normalised)."""
    name = re.match(r"\s*([A-Za-z0-9._-]+)", requirement).group(1)
    return re.sub(r"[-_.]+", "-", name).lower()


# ------------------------------------------------------------------ validation


def validate(config: dict, root: Path = ROOT) -> list[str]:
    """Return a list of problems with the briefcase.toml data (empty if fine)."""
    problems = []
    for key in REQUIRED_PROJECT_KEYS:
        if not isinstance(config.get(key), str) or not config[key].strip():
            problems.append(f"missing or empty top-level key {key!r}")

    if "version" in config:
        problems.append("no version here: Briefcase reads [project] version from pyproject.toml, "
                        "the one version string")
    if not re.fullmatch(r"[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+", str(config.get("bundle", ""))):
        problems.append("bundle must be a reverse-DNS name such as org.peersupport")

    apps = config.get("app", {})
    if list(apps) != [APP_NAME]:
        problems.append(f"expected exactly one app, [app.{APP_NAME}], found {list(apps)}")
        return problems
    app = apps[APP_NAME]

    for key in REQUIRED_APP_KEYS:
        if key not in app:
            problems.append(f"[app.{APP_NAME}] is missing {key!r}")
    for key in ("sources", "requires"):
        value = app.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(f"[app.{APP_NAME}].{key} must be a list of strings")
    for source in (MODULE_NAME, "resources"):
        if source not in app.get("sources", []):
            problems.append(f"sources must include {source!r}")
    if len(app.get("description", "")) > 80:
        problems.append("description should be at most 80 characters (Briefcase warns)")

    for key, value in app.items():
        if isinstance(value, dict) and key not in PLATFORMS:
            problems.append(f"unknown platform table [app.{APP_NAME}.{key}]")

    icon = app.get("icon", "")
    if Path(icon).suffix:
        problems.append("icon must be given without a file extension")
    icon_files = [f"{icon}-{size}.png" for size in ICON_PNG_SIZES]
    icon_files += [f"{icon}{ext}" for ext in ICON_EXTENSIONS]
    for name in icon_files:
        if not (root / name).is_file():
            problems.append(f"icon file {name} does not exist")
    return problems


# --------------------------------------------------------------------- writing


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        # A JSON string is a valid TOML basic string.
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        if len(value) <= 1:
            return "[" + "".join(_toml_value(v) for v in value) + "]"
        items = "".join(f"    {_toml_value(v)},\n" for v in value)
        return "[\n" + items + "]"
    raise TypeError(f"unsupported TOML value: {value!r}")


def _emit_table(name: str, table: dict, out: list[str]) -> None:
    scalars = {k: v for k, v in table.items() if not isinstance(v, dict)}
    if scalars or not table:  # a table holding only sub-tables needs no header
        out.append(f"[{name}]")
        out.extend(f"{key} = {_toml_value(value)}" for key, value in scalars.items())
        out.append("")
    for key, value in table.items():
        if isinstance(value, dict):
            _emit_table(f"{name}.{key}", value, out)


def render_pyproject_block(config: dict) -> str:
    """The exact text, markers included, that belongs in pyproject.toml."""
    out = [BEGIN_MARKER, "# Edit briefcase.toml, then run: python packaging/briefcase_config.py --write"]
    _emit_table("tool.briefcase", config, out)
    out.append(END_MARKER)
    return "\n".join(out) + "\n"


def write_pyproject(config: dict, path: Path = PYPROJECT_TOML) -> None:
    """Replace (or append) the generated block in pyproject.toml."""
    text = path.read_text(encoding="utf-8")
    block = render_pyproject_block(config)
    pattern = re.compile(re.escape(BEGIN_MARKER) + r".*?" + re.escape(END_MARKER) + r"\n?", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text, count=1)
    elif load_pyproject_briefcase(path) is not None:
        raise ConfigError(
            "pyproject.toml has a hand-written [tool.briefcase]; remove it, then run --write again"
        )
    else:
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text, encoding="utf-8")


# -------------------------------------------------------------------- checking


def check(briefcase_path: Path = BRIEFCASE_TOML, pyproject_path: Path = PYPROJECT_TOML) -> None:
    """Raise ConfigError unless briefcase.toml is valid and pyproject.toml matches it."""
    config = load_briefcase_config(briefcase_path)
    problems = validate(config, briefcase_path.parent)
    if problems:
        raise ConfigError("briefcase.toml is invalid:\n  " + "\n  ".join(problems))

    pyproject = load_pyproject(pyproject_path)
    current = pyproject.get("tool", {}).get("briefcase")
    if current is None:
        raise ConfigError(
            "pyproject.toml has no [tool.briefcase] table; "
            "run: python packaging/briefcase_config.py --write"
        )
    if current != config:
        expected = json.dumps(config, indent=2, sort_keys=True).splitlines()
        actual = json.dumps(current, indent=2, sort_keys=True).splitlines()
        diff = "\n".join(
            difflib.unified_diff(actual, expected, "pyproject [tool.briefcase]", "briefcase.toml", lineterm="")
        )
        raise ConfigError(
            "pyproject.toml's [tool.briefcase] differs from briefcase.toml; "
            "run: python packaging/briefcase_config.py --write\n" + diff
        )

    # Briefcase adds [project] dependencies to `requires`, so the two lists must
    # name the same packages, and the versions must agree.
    project = pyproject.get("project", {})
    if not re.fullmatch(r"\d+\.\d+\.\d+", str(project.get("version", ""))):
        raise ConfigError("[project] version must look like X.Y.Z")
    scripts = project.get("scripts", {})
    if scripts.get(APP_NAME) != f"{MODULE_NAME}.__main__:main":
        raise ConfigError(f"[project.scripts] must define the {APP_NAME!r} command as "
                          f"{MODULE_NAME}.__main__:main, the same as the Briefcase app")
    if "dependencies" in project:
        ours = {_requirement_name(r) for r in config["app"][APP_NAME]["requires"]}
        theirs = {_requirement_name(r) for r in project["dependencies"]}
        if ours != theirs:
            raise ConfigError(
                "briefcase.toml requires and [project] dependencies name different packages: "
                f"only in briefcase.toml {sorted(ours - theirs)}, only in [project] {sorted(theirs - ours)}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="fail if pyproject.toml differs")
    mode.add_argument("--write", action="store_true", help="update pyproject.toml in place")
    args = parser.parse_args(argv)

    try:
        config = load_briefcase_config()
        problems = validate(config)
        if problems:
            raise ConfigError("briefcase.toml is invalid:\n  " + "\n  ".join(problems))
        if args.check:
            check()
            print("pyproject.toml [tool.briefcase] matches briefcase.toml")
        elif args.write:
            write_pyproject(config)
            check()
            print("pyproject.toml [tool.briefcase] updated from briefcase.toml")
        else:
            sys.stdout.write(render_pyproject_block(config))
    except (ConfigError, OSError, tomllib.TOMLDecodeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
