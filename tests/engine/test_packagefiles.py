"""Files shipped in a package (engine/packagefiles.py): what importlib.resources.files
answers, without its readers for a package in a folder."""

from __future__ import annotations

import sys
import zipfile
from importlib import resources
from pathlib import Path

import pytest
from probis.engine.packagefiles import package_files


@pytest.mark.parametrize("package", ["probis.rules", "probis.engine", "probis.plugins.sop"])
def test_a_package_in_a_folder_is_its_folder(package: str) -> None:
    found = package_files(package)
    assert isinstance(found, Path)
    assert found == resources.files(package)
    assert sorted(p.name for p in found.iterdir()) == sorted(
        p.name for p in resources.files(package).iterdir())


def test_a_zipped_package_is_importlib_resources_answer(tmp_path: Path, monkeypatch) -> None:
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("probis_test_zipped/__init__.py", "")
        bundle.writestr("probis_test_zipped/data/rule.yaml", "id: X\n")
    monkeypatch.syspath_prepend(str(archive))
    try:
        found = package_files("probis_test_zipped")
        assert not isinstance(found, Path)  # a zip member, read through importlib.resources
        assert found.joinpath("data", "rule.yaml").read_text("utf-8") == "id: X\n"
    finally:
        sys.modules.pop("probis_test_zipped", None)
