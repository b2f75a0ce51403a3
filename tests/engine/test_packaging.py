"""Every Python package of the top-level folders is listed in pyproject.toml.

setuptools maps probis.engine -> engine/, probis.plugins -> plugins/, probis.rules -> rules/
with package-dir, and then only ships the packages named in `packages`: a forgotten
sub-package would work in an editable install and be missing from a wheel.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = {"engine": "probis.engine", "plugins": "probis.plugins", "rules": "probis.rules"}


def test_every_package_folder_is_listed() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = set()
    for folder, name in FOLDERS.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(ROOT / folder)
            found.add(".".join([name, *relative.parts]))
    assert found - listed == set(), "add these to [tool.setuptools] packages"
    assert listed - found == set(), "listed packages without a folder"
