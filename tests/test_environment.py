"""The three descriptions of the environment agree: pyproject, requirements.lock, environment.yml."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(req: str) -> str:
    return re.split(r"[<>=!~;\[ ]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def pyproject_packages():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(meta["dependencies"])
    for extra in meta["optional-dependencies"].values():
        reqs += extra
    return {_name(r) for r in reqs}


def lock_versions():
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[_name(name)] = version.strip()
    return pins


def environment_packages():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pins = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for req in dep["pip"]:
                if not req.startswith("-e"):
                    name, _, version = req.partition("==")
                    pins[_name(name)] = version
        else:
            name, _, version = dep.partition("=")
            pins[_name(name)] = version.lstrip("=")
    pins.pop("python"), pins.pop("pip")
    return pins


def test_environment_yml_lists_exactly_the_pyproject_packages():
    assert set(environment_packages()) == pyproject_packages()


def test_environment_yml_pins_the_locked_versions():
    lock = lock_versions()
    env = environment_packages()
    assert {k: v for k, v in env.items() if lock.get(k) != v} == {}


def test_lock_covers_every_pyproject_package_and_has_no_urls_or_paths():
    lock = lock_versions()
    assert pyproject_packages() <= set(lock)
    text = (ROOT / "requirements.lock").read_text()
    assert "://" not in text and "/root" not in text and "/opt/" not in text
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[A-Za-z0-9_.+\-]+", line.strip())
               for line in text.splitlines() if line.strip() and not line.startswith("#"))
