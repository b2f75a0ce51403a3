"""`probis new-plugin` writes a package that installs, passes its own tests, and whose rules
show in `probis rules` and whose findings show in a check."""

# fixtures are imported from plugin_env (see its docstring), which ruff reads as redefinitions
# ruff: noqa: F811

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pip_install import env_with, pip_install
from plugin_env import plugin_cache, run_cli  # noqa: F401 - plugin_cache is a fixture
from probis.engine.scaffold import plugin_names


@pytest.fixture(scope="module")
def created(tmp_path_factory: pytest.TempPathFactory) -> Path:
    parent = tmp_path_factory.mktemp("new-plugin")
    code, out, err = run_cli("new-plugin", "perda-uji", "--dir", str(parent))
    assert code == 0, err
    return parent / "probis-plugin-perda-uji"


def test_skeleton_files(created: Path) -> None:
    files = sorted(p.relative_to(created).as_posix() for p in created.rglob("*") if p.is_file())
    assert "pyproject.toml" in files
    assert "probis_plugin_perda_uji/__init__.py" in files
    assert "probis_plugin_perda_uji/rules/PER001.yaml" in files
    assert "probis_plugin_perda_uji/checks.py" in files
    assert "tests/test_rules.py" in files
    assert any(f.startswith("tests/fixtures/valid/") for f in files)
    assert any(f.startswith("tests/fixtures/invalid/") for f in files)
    text = "".join((created / f).read_text("utf-8") for f in files)
    assert "{{" not in text  # every template marker was filled
    assert '[project.entry-points.probis]\nperda_uji = "probis_plugin_perda_uji"' in text


@pytest.mark.slow  # pip-installs the skeleton and runs its tests in a second pytest
def test_installed_skeleton_passes_its_tests_and_shows_rules_and_findings(
        created: Path, plugin_cache: Path, tmp_path: Path,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    site = pip_install(created, plugin_cache)
    env = {k: v for k, v in os.environ.items() if k != "PROBIS_LOAD_PLUGINS"}
    env.update(env_with(site))
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "-c", str(created / "pyproject.toml"), "--rootdir", str(created), str(created / "tests")],
        cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "3 passed" in proc.stdout

    monkeypatch.delenv("PROBIS_LOAD_PLUGINS", raising=False)
    code, out, _ = run_cli("rules", "--rule-set", "perda_uji", env=env_with(site))
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()[2:]] == ["PER001", "PER002"]
    code, out, _ = run_cli("plugins", env=env_with(site))
    assert "perda_uji" in out and "probis-plugin-perda-uji" in out and "PER001, PER002" in out

    invalid = created / "tests" / "fixtures" / "invalid"
    code, out, err = run_cli("check", str(invalid), "-f", "json", "--as-of", "2026-01-01",
                             "--fail-on", "warning", env=env_with(site, plugins="perda_uji"))
    assert code == 1, err  # both skeleton rules are warnings
    report = json.loads(out)
    assert sorted({f["rule"] for f in report["findings"]}) == ["PER001", "PER002"]

    # a third rule with a typo in a fact field was refused and the skeleton's tests still
    # passed: they now fail, saying why
    import shutil

    broken_site = Path(shutil.copytree(site, tmp_path / "broken-site"))  # the cache stays whole
    env.update(env_with(broken_site))
    package = broken_site / "probis_plugin_perda_uji" / "rules"
    (package / "PER003.yaml").write_text(
        (package / "PER001.yaml").read_text("utf-8").replace("PER001", "PER003")
        .replace("customers_count", "customer_count"), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "-c", str(created / "pyproject.toml"), "--rootdir", str(created), str(created / "tests")],
        cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "the plugin did not load in full" in proc.stdout, proc.stdout
    assert "customer_count" in proc.stdout and "customers_count" in proc.stdout, proc.stdout


def test_bad_names_and_taken_prefixes_are_usage_errors(tmp_path: Path) -> None:
    code, _, err = run_cli("new-plugin", "Perda_X", "--dir", str(tmp_path),
                           env={"PROBIS_LANG": "en"})
    assert code == 2 and "invalid plugin name" in err
    code, _, err = run_cli("new-plugin", "regional", "--dir", str(tmp_path), "--prefix", "REG",
                           env={"PROBIS_LOAD_PLUGINS": "regulation"})
    assert code == 2 and "REG001" in err
    assert not list(tmp_path.iterdir())  # nothing half-written
    names = plugin_names("probis-plugin-perda-banjir")
    assert (names.dist, names.module, names.entry, names.prefix) == (
        "probis-plugin-perda-banjir", "probis_plugin_perda_banjir", "perda_banjir", "PER")
