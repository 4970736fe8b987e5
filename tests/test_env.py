"""The dependency files agree: pyproject.toml, requirements.lock, environment.yml and the installed venv."""

import importlib.metadata as md
import re
import sys
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from sync_environment import lock_versions, req_name  # noqa: E402


def _project():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_lock_pins_every_dependency_within_its_range():
    project, lock = _project(), lock_versions()
    reqs = project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]
    for text in reqs:
        req = Requirement(text)
        name = req_name(text)
        assert name in lock, f"{name} missing from requirements.lock (run make lock)"
        assert req.specifier.contains(lock[name], prereleases=True), (name, str(req.specifier), lock[name])


def test_environment_yml_matches_pyproject_and_lock():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    conda = {}
    pip = {}
    for d in deps:
        if isinstance(d, dict):
            for line in d["pip"]:
                m = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)", line)
                if m:
                    pip[m.group(1).lower()] = m.group(2)
        else:
            m = re.match(r"^([A-Za-z0-9_.\-]+)(?:==?)(\S+)$", d)
            if m:
                conda[m.group(1).lower()] = m.group(2)
    assert conda.pop("python") == "3.11"
    assert _project()["requires-python"].startswith(">=3.11")
    pinned = {**conda, **pip}
    project, lock = _project(), lock_versions()
    wanted = [req_name(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]]
    assert sorted(pinned) == sorted(wanted)
    for name in wanted:
        assert pinned[name] == lock[name], name


def test_installed_versions_are_the_locked_ones():
    lock = lock_versions()
    for text in _project()["dependencies"]:
        name = req_name(text)
        assert md.version(name) == lock[name], f"{name}: installed {md.version(name)}, locked {lock[name]}"
