"""Several outputs from one evaluation, and a quiet stderr when output is piped."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner
from probis.engine import runner
from probis.engine.cli import cli
from probis.engine.report import build_report

from .conftest import SAMPLE_CITY, run_cli

FORMATS = {"html": "a.html", "json": "a.json", "markdown": "a.md", "sarif": "a.sarif",
           "junit": "a.xml"}


def _args(ws: Path, out: Path) -> list[str]:
    args = ["check", str(ws)]
    for fmt, name in FORMATS.items():
        args += ["-f", fmt, "-o", str(out / name)]
    return args + ["--as-of", "2026-11-28"]


def test_every_format_from_one_cli_run_of_the_sample_city(city: Path, tmp_path: Path) -> None:
    # the planted-defect fallback names rules of plugins not built in: load only regulation
    env = {} if city == SAMPLE_CITY else {"PROBIS_LOAD_PLUGINS": "regulation"}
    code, stdout, stderr = run_cli(*_args(city, tmp_path), env=env)
    # findings (1) and planted input errors (2) are expected; a crash (3) is not
    assert code in (0, 1, 2) and "Traceback" not in stderr, stderr
    assert stdout == ""
    for name in FORMATS.values():
        assert (tmp_path / name).stat().st_size > 0, name
    report = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    html = (tmp_path / "a.html").read_text(encoding="utf-8")
    assert html.count('<li class="finding"') == len(report["findings"])
    sarif = json.loads((tmp_path / "a.sarif").read_text(encoding="utf-8"))
    assert len(sarif["runs"][0]["results"]) == (
        len(report["findings"]) + len(report["waived"]) + len(report["engine_findings"]))
    ET.parse(tmp_path / "a.xml")
    md = (tmp_path / "a.md").read_text(encoding="utf-8")
    assert md.startswith("# Laporan Hasil Pemeriksaan Peta Proses Bisnis")


def test_several_outputs_share_one_evaluation(report_workspace: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              only_plugins) -> None:
    only_plugins("regulation")
    calls = []
    real_audit = runner.audit

    def counting_audit(*args, **kwargs):
        calls.append(args)
        return real_audit(*args, **kwargs)

    monkeypatch.setattr(runner, "audit", counting_audit)
    seen_reports = []
    import probis.engine.report as report_module

    real_build = report_module.build_report

    def recording_build(result):
        seen_reports.append(real_build(result))
        return seen_reports[-1]

    monkeypatch.setattr(report_module, "build_report", recording_build)
    result = CliRunner().invoke(cli, _args(report_workspace, tmp_path))
    assert result.exit_code == 1, result.output
    assert len(calls) == 1 and len(seen_reports) == 1
    # the JSON file is exactly that one report
    written = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert written == json.loads(json.dumps(seen_reports[0]))


def test_an_output_whose_extension_names_no_format_is_a_usage_error(
        report_workspace: Path, tmp_path: Path) -> None:
    code, _, stderr = run_cli("check", str(report_workspace), "-f", "json", "-o",
                              str(tmp_path / "a.json"), "-o", str(tmp_path / "b.jsn"))
    assert code == 2 and "b.jsn" in stderr and "-f" in stderr
    assert not (tmp_path / "a.json").exists()  # said before the audit, nothing half-written


def test_an_output_whose_folder_is_missing_writes_none_of_the_outputs(
        report_workspace: Path, tmp_path: Path) -> None:
    """`-o a.json -o /missing/x.html` wrote a.json, then failed on x.html: a partial set."""
    code, _, stderr = run_cli("check", str(report_workspace), "-o", str(tmp_path / "a.json"),
                              "-o", str(tmp_path / "missing" / "x.html"), "--lang", "en")
    assert code == 3 and "Traceback" not in stderr
    assert f"cannot write {tmp_path / 'missing' / 'x.html'}: its folder does not exist" in stderr
    assert not (tmp_path / "a.json").exists()


def test_every_document_is_deterministic(report_workspace: Path) -> None:
    from probis.engine.render import BUILTIN_RENDERERS

    from reports.conftest import build

    first, second = build(report_workspace), build(report_workspace)
    for name, render in BUILTIN_RENDERERS.items():
        assert render(first, lang="en") == render(second, lang="en"), name
    assert first == second


def test_piped_run_prints_nothing_on_stderr_for_a_clean_workspace(example_workspace: Path,
                                                                  tmp_path: Path) -> None:
    # the format.md example without its planted unknown unit, waivers and profile is clean
    map_file = example_workspace / "peta" / "disdukcapil" / "PB.04.02.yaml"
    map_file.write_text(map_file.read_text(encoding="utf-8").replace(
        "participants: [kecamatan-metro-pusat]", "participants: []").replace(
        "level: 2", "level: 0").replace("parent: PB.04\n", ""), encoding="utf-8")
    manifest = example_workspace / "probis.yaml"
    kept = [line for line in manifest.read_text(encoding="utf-8").splitlines()
            if line.startswith(("kind", "instansi", "sotk", "rpjmd", "renstra", "maps"))]
    manifest.write_text("\n".join(kept) + "\n", encoding="utf-8")
    (example_workspace / "waivers.yaml").unlink()
    env = {"PROBIS_LOAD_PLUGINS": "regulation"}
    html = str(tmp_path / "r.html")
    for args in (["-f", "json"], ["-f", "terminal"], ["-f", "html", "-o", html]):
        code, stdout, stderr = run_cli("check", str(example_workspace), *args, "--fail-on", "never",
                                       "--as-of", "2026-11-28", env=env)
        assert code == 0, stdout + stderr
        assert stderr == "", args


def test_build_report_has_rule_docs_and_check_counts(report: dict) -> None:
    rule = report["rules"]["REG005"]
    for key in ("title", "checks", "basis", "rationale", "fix"):
        assert rule[key]["id"] and rule[key]["en"], key
    checks = report["checks"]
    assert sum(c["applicable"] for c in checks) == report["scores"]["workspace"]["applicable"]
    assert sum(c["failed"] for c in checks) == report["scores"]["workspace"]["failed"]
    assert all(c["passed"] == c["applicable"] - c["failed"] for c in checks)
    assert checks == sorted(checks, key=lambda c: (c["rule"], c["map"] or "", c["unit"] or ""))
    assert build_report  # imported for the monkeypatch test above
