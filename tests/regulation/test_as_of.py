"""`--as-of DATE` makes REG011 (evaluation age) reproducible."""

from __future__ import annotations

import json

from rule_fixtures import BASE
from testkit import run_cli

ENV = {"PROBIS_LOAD_PLUGINS": "regulation"}


def _reg011(as_of: str) -> tuple[int, list[dict], str]:
    code, out, err = run_cli("check", str(BASE), "-f", "json", "--as-of", as_of, env=ENV)
    assert "Traceback" not in err, err
    report = json.loads(out)
    assert report["workspace"]["as_of"] == as_of
    return code, [f for f in report["findings"] if f["rule"] == "REG011"], out


def test_as_of_decides_the_evaluation_age() -> None:
    # map PB (final) was last evaluated on 2026-06-01: 365 days later is still within 12 months
    code, within, first = _reg011("2027-06-01")
    assert within == [] and code == 0
    code, late, _ = _reg011("2027-06-02")
    assert [f["element"] for f in late] == ["PB"] and code == 0  # a warning: below --fail-on
    assert late[0]["evidence"] == {"case": 1}
    assert "366 days" in late[0]["message"]["en"] and "366 hari" in late[0]["message"]["id"]
    # the same date gives the byte-identical report again
    assert _reg011("2027-06-01")[2] == first


def test_bad_as_of_is_a_usage_error() -> None:
    code, _, err = run_cli("check", str(BASE), "--as-of", "2027-02-30", env=ENV)
    assert code == 2 and "YYYY-MM-DD" in err and "Traceback" not in err
