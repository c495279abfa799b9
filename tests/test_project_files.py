"""The set-up files agree with each other."""

import re
import tomllib

import yaml

from belarus_monitor import config

ROOT = config.PROJECT_ROOT


def _name(req: str) -> str:
    return re.split(r"[<>=!~ \[;]", req.strip(), maxsplit=1)[0].lower()


def test_environment_yml_names_the_pyproject_dependencies():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wanted = {_name(d) for d in pyproject["project"]["dependencies"]}
    wanted |= {_name(d) for d in pyproject["project"]["optional-dependencies"]["dev"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = {_name(d) for d in env["dependencies"] if isinstance(d, str)}
    deps -= {"python", "pip"}
    pip_part = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_part == ["-e ."]
    assert deps == wanted


def test_matplotlib_capped_below_3_13():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    mpl = [d for d in pyproject["project"]["dependencies"] if _name(d) == "matplotlib"]
    assert mpl and "<3.13" in mpl[0]


def test_every_csv_is_described():
    import json

    pkg = json.loads((config.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    described = {r["path"] for r in pkg["resources"]}
    on_disk = {p.name for p in config.DATA_DIR.glob("*.csv")}
    assert described == on_disk
    for r in pkg["resources"]:
        for f in r["schema"]["fields"]:
            assert f.get("description"), (r["name"], f["name"])


def test_frictionless_validates_the_package():
    """The descriptor is a valid Frictionless Data Package and the data passes it."""
    from frictionless import Package

    report = Package(str(config.DATA_DIR / "datapackage.json")).validate()
    errors = [e.message for task in report.tasks for e in task.errors] + [
        e.message for e in report.errors
    ]
    assert report.valid, errors[:5]
