"""The core issue's rules end to end: REG001, REG005, REG007 (rule files) and REG008 (Python)."""

from __future__ import annotations

import json
from pathlib import Path

from probis.engine.runner import audit
from testkit import AS_OF, run_cli

MAP = """\
kind: peta-proses
code: PB.09
title: Uji
level: 0
unit: disdukcapil
processes:
  - code: PB.09.01
    name: Tanpa kategori
    owner: disdukcapil.dafduk
    outputs: [A]
    customers: [Masyarakat]
  - code: PB.09.02
    name: Pemilik ganda
    category: inti
    owner: [disdukcapil.dafduk, disdukcapil]
    customers: [Masyarakat]
  - code: PB.09.03
    name: Pemilik tak dikenal
    category: manajemen
    owner: dinas-hantu
    participants: [disdukcapil, seksi-hantu]
    outputs: [B]
    customers: [Masyarakat]
"""


def _by_rule(result) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in result.findings:
        out.setdefault(f.rule, []).append(f.ref.element)
    return out


def test_core_rules_find_exactly_the_planted_defects(example_workspace: Path, only_plugins) -> None:
    only_plugins("regulation")
    (example_workspace / "peta" / "uji.yaml").write_text(MAP, encoding="utf-8")
    result = audit(example_workspace, as_of=AS_OF)
    found = _by_rule(result)
    assert sorted(found["REG001"]) == ["PB.09.01"]
    assert sorted(found["REG005"]) == ["PB.09.02"]
    assert sorted(found["REG007"]) == ["PB.09.02"]
    # the owner missing from the SOTK is a finding, not a crash; it names every unknown unit
    reg008 = [f for f in result.findings if f.rule == "REG008" and f.ref.element == "PB.09.03"]
    assert len(reg008) == 1
    assert reg008[0].evidence["unknown_units"] == ["dinas-hantu", "seksi-hantu"]
    assert reg008[0].ref.file == "peta/uji.yaml" and reg008[0].ref.line == 17
    for finding in result.findings:
        assert finding.message["id"] and finding.message["en"]
        assert finding.basis["id"] and finding.fix["en"]


def test_findings_through_cli_carry_the_report_contract(example_workspace: Path) -> None:
    (example_workspace / "peta" / "uji.yaml").write_text(MAP, encoding="utf-8")
    code, out, err = run_cli("check", str(example_workspace), "-f", "json", "--as-of", "2026-11-28",
                             env={"PROBIS_LOAD_PLUGINS": "regulation"})
    assert code == 1, err
    report = json.loads(out)
    assert 0 <= report["score"] < 100
    assert {"by_unit", "by_map", "by_rule_set"} <= set(report["scores"])
    finding = report["findings"][0]
    for key in ("rule", "severity", "file", "element", "unit", "message", "basis", "fix"):
        assert key in finding
    assert set(finding["message"]) == {"id", "en"}
    assert report["input_errors"] == [] and "waived" in report


def test_json_report_is_byte_identical_across_runs(example_workspace: Path, tmp_path: Path) -> None:
    (example_workspace / "peta" / "uji.yaml").write_text(MAP, encoding="utf-8")
    outputs = []
    for i in range(2):
        target = tmp_path / f"r{i}.json"
        code, _, err = run_cli("check", str(example_workspace), "-f", "json", "-o", str(target),
                               "--as-of", "2026-11-28")
        assert code in (0, 1, 2) and "Traceback" not in err, err
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]


def test_fail_on_thresholds(example_workspace: Path) -> None:
    env = {"PROBIS_LOAD_PLUGINS": "regulation"}
    # the format.md example names a participant (kecamatan-metro-pusat) that its SOTK lacks,
    # and a parent map (PB.04) that the example does not include (REG003): make it a root
    base_map = example_workspace / "peta" / "disdukcapil" / "PB.04.02.yaml"
    text = base_map.read_text(encoding="utf-8")
    kept = [line for line in text.splitlines()
            if not line.startswith("parent:") and "participants:" not in line]
    base_map.write_text("\n".join(line.replace("level: 2", "level: 0") for line in kept),
                        encoding="utf-8")
    code, _, _ = run_cli("check", str(example_workspace), "--as-of", "2026-11-28", env=env)
    assert code == 0
    (example_workspace / "peta" / "uji.yaml").write_text(MAP, encoding="utf-8")
    assert run_cli("check", str(example_workspace), "--as-of", "2026-11-28", env=env)[0] == 1
    assert run_cli("check", str(example_workspace), "--fail-on", "never", "--as-of", "2026-11-28",
                   env=env)[0] == 0
