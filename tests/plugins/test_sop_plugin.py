"""The example plugin, pip-installed and discovered through its entry point (never imported by
path): its own tests pass against the installed copy, `probis plugins` lists it, and its
findings appear in a check of the sample city, which audits with exit code 1 with and without
the plugin."""

# fixtures are imported from plugin_env (see its docstring), which ruff reads as redefinitions
# ruff: noqa: F811

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pip_install import env_with
from plugin_env import SAMPLE_CITY, SOP_PLUGIN, plugin_cache, run_cli, sop_site  # noqa: F401

SOP_RULES = [f"CTH00{n}" for n in range(1, 9)]


@pytest.mark.slow  # runs the example plugin's own test suite in a second pytest
def test_example_plugin_tests_pass_against_the_installed_copy(sop_site: Path,
                                                              tmp_path: Path) -> None:
    # run from tmp_path so the source folder is not on sys.path: the import must come from
    # the pip-installed copy, whose rule files are package data of the wheel
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "-c", str(SOP_PLUGIN / "pyproject.toml"), "--rootdir", str(SOP_PLUGIN),
         str(SOP_PLUGIN / "tests")],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={**_base_env(), **env_with(sop_site)})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert " passed" in proc.stdout and "failed" not in proc.stdout
    import_check = subprocess.run(
        [sys.executable, "-c", "import probis_plugin_sop; print(probis_plugin_sop.__file__)"],
        cwd=tmp_path, capture_output=True, text=True, env={**_base_env(), **env_with(sop_site)})
    assert import_check.stdout.startswith(str(sop_site)), import_check.stdout


def _base_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "PROBIS_LOAD_PLUGINS"}


def test_probis_plugins_lists_the_installed_plugin(sop_site: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROBIS_LOAD_PLUGINS", raising=False)
    code, out, err = run_cli("plugins", env=env_with(sop_site))
    assert code == 0, err
    rows = {line.split()[0]: line for line in out.splitlines()[2:] if line.strip()}
    assert "contoh-sop" in rows and "regulation" in rows  # third-party beside the built-ins
    row = rows["contoh-sop"]
    assert "probis-plugin-sop" in row and "0.1.0" in row
    for hook in ("probis_facts", "probis_register_document_kinds", "probis_register_rules"):
        assert hook in row
    assert ", ".join(SOP_RULES) in row
    code, out, _ = run_cli("plugins")  # not installed: not listed
    assert code == 0
    # (unless this environment has it installed anyway: that must not fail probis's tests)
    from importlib import metadata

    if "probis-plugin-sop" not in {d.metadata["Name"] for d in metadata.distributions()}:
        assert "probis-plugin-sop" not in out


def test_probis_rules_and_explain_show_plugin_rules(sop_site: Path) -> None:
    env = env_with(sop_site, plugins="contoh-sop")
    code, out, _ = run_cli("rules", "--rule-set", "contoh-sop", "--lang", "en", env=env)
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()[2:]] == SOP_RULES
    code, out, _ = run_cli("explain", "CTH006", "--lang", "en", env=env)
    assert code == 0
    assert "PermenPANRB 35/2012" in out and "Plugin: contoh-sop" in out


def _check(env: dict[str, str]) -> tuple[int, dict, str]:
    code, out, err = run_cli("check", str(SAMPLE_CITY), "-f", "json", "--as-of", "2026-11-28",
                             env=env)
    return code, json.loads(out), err


def test_sample_city_findings_of_the_builtin_sop_rules() -> None:
    code, report, err = _check({"PROBIS_LOAD_PLUGINS": "regulation,sop"})  # built in
    assert code == 1, err
    assert report["input_errors"] == []
    sop = {(f["rule"], f["element"]): f for f in report["findings"] if f["rule_set"] == "sop"}
    # the planted defects of sample_maps/kota-metro/sop/README.md, and nothing else
    assert sorted(sop) == [("SOP004", "SOP-KOMINFO-004#2"), ("SOP006", "SOP-KOMINFO-004#3"),
                           ("SOP011", "SOP-KOMINFO-001"), ("SOP011", "SOP-KOMINFO-003"),
                           ("SOP011", "SOP-KOMINFO-004")]
    decision = sop[("SOP006", "SOP-KOMINFO-004#3")]
    assert decision["severity"] == "error" and decision["file"] == "sop/SOP-KOMINFO-004.yaml"
    assert decision["unit"] == "diskominfo" and decision["map"] == "PB.10"
    assert decision["message"]["id"] and decision["message"]["en"] and decision["fix"]["id"]
    assert "sop" in report["scores"]["by_rule_set"]
    assert not [n for n in report["notices"] if n["field"] == "plugins.sop"]


def test_sample_city_without_the_plugin_skips_sop_files_with_a_notice() -> None:
    code, report, err = _check({"PROBIS_LOAD_PLUGINS": "regulation"})
    assert code == 1, err
    assert report["input_errors"] == []
    notices = [n for n in report["notices"] if n["field"] == "plugins.sop"]
    assert len(notices) == 1
    assert "PROBIS_LOAD_PLUGINS" in notices[0]["message"]["en"]
    assert not [f for f in report["findings"] if f["rule_set"] == "sop"]
    sop_files = sorted(p.name for p in (SAMPLE_CITY / "sop").glob("*.yaml"))
    assert all(name in notices[0]["message"]["en"] for name in sop_files)
