"""The bundled sample city: the README's demo audit works and is byte-identical across runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from testkit import SAMPLE_CITY, run_cli

if not SAMPLE_CITY.is_dir():  # pragma: no cover - the sample city ships with the repository
    pytest.skip("sample city missing", allow_module_level=True)


def test_sample_city_json_report_is_byte_identical(tmp_path: Path) -> None:
    first = run_cli("check", str(SAMPLE_CITY), "--format", "json", "--as-of", "2026-11-28")
    second = run_cli("check", str(SAMPLE_CITY), "--format", "json", "--as-of", "2026-11-28")
    assert first[0] == second[0] == 1, first[2]  # findings of severity error, no input error
    assert first[1] == second[1]
    report = json.loads(first[1])
    assert report["input_errors"] == [] and report["engine_findings"] == []
    # every built-in rule set contributes findings to the demo
    assert set(report["summary"]["by_rule_set"]) >= {"regulation", "alignment", "overlap",
                                                     "restructure"}
    assert report["workspace"]["counts"]["processes"] >= 40
    assert report["workspace"]["counts"]["cross_functional_maps"] >= 3
