"""Issue 21 item 7: the terminal says where to start.

Findings ranked by severity, then score impact; full messages wrapped to the terminal width
(COLUMNS respected); --all shows every finding; the format follows -o's extension when -f is
not given, an unknown extension being a usage error (exit 2).
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
from probis.engine.cli import FORMAT_OF_EXTENSION, format_of
from probis.engine.errors import ProbisUsageError
from probis.engine.i18n import pick
from probis.engine.render.common import ranked_findings, score_impact
from probis.engine.render.terminal import render_terminal
from testkit import run_cli

ENTRY = re.compile(r"^ *\d+\. ([A-Z]+\d+) ", re.M)  # "  3. REG005  galat  proses PB.04.03"


def _entries(text: str) -> list[str]:
    return ENTRY.findall(text)


def test_ranking_is_severity_then_score_impact(report: dict[str, Any]) -> None:
    ranked = ranked_findings(report)
    order = {"error": 0, "warning": 1, "info": 2}
    keys = [(order[f["severity"]], -score_impact(report, f)) for f in ranked]
    assert keys == sorted(keys)
    # of two findings of one severity, the one in the smaller OPD (it costs that OPD's score
    # more points) comes first, whatever their rule ids and files say
    a, b = (copy.deepcopy(f) for f in ranked[:2])
    b["severity"] = a["severity"]
    first_by_name = sorted([a, b], key=lambda f: (f["rule"], f["file"] or "", f["line"] or 0,
                                                  f["element"], f["fingerprint"]))
    for small_one in first_by_name:
        other = first_by_name[1] if small_one is first_by_name[0] else first_by_name[0]
        small_one["unit"], other["unit"] = "kecil", "besar"
        tiny = {"findings": [a, b], "scores": {"workspace": {"applicable": 1000},
                "by_unit": {"kecil": {"applicable": 12}, "besar": {"applicable": 900}}}}
        assert ranked_findings(tiny)[0] is small_one


def test_top_findings_follow_the_ranking_with_full_messages(report: dict[str, Any]) -> None:
    text = render_terminal(report, "en", width=60)
    ranked = ranked_findings(report)
    assert _entries(text) == [f["rule"] for f in ranked[:10]]
    flat = " ".join(text.split())
    for f in ranked[:10]:  # never cut: the whole message, wrapped
        assert " ".join(pick(f["message"], "en").split()) in flat
    assert "…" not in text.split("Top findings")[1].split("\n\n")[0]


def test_lines_fit_the_width_and_columns_is_respected(report: dict[str, Any],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "64")
    text = render_terminal(report, "id")
    findings_part = text.split("Temuan teratas")[1]
    longest_word = max(len(w) for w in findings_part.split())
    assert max(len(line) for line in findings_part.splitlines()) <= max(64, longest_word + 6)
    assert max(len(line) for line in text.splitlines()[:8]) <= 64  # the head and unit table
    monkeypatch.setenv("COLUMNS", "200")
    wide = render_terminal(report, "id")
    assert len(wide.splitlines()) < len(text.splitlines())


def test_all_shows_every_finding(report: dict[str, Any]) -> None:
    assert len(report["findings"]) > 3
    some = render_terminal(report, "en", top=3)
    assert len(_entries(some)) == 3 and "add --all" in some
    every = render_terminal(report, "en", top=None)
    assert len(_entries(every)) == len(report["findings"]) and "--all" not in every


def test_check_all_flag(report_workspace: Path) -> None:
    code, out, _ = run_cli("check", str(report_workspace), "--as-of", "2026-11-28", "--all",
                           "--lang", "en", env={"COLUMNS": "120"})
    total = int(re.search(r"Top findings \((\d+)/(\d+);", out).group(2))
    assert code == 1 and len(_entries(out)) == total


@pytest.mark.parametrize(("name", "fmt"), [
    ("laporan.json", "json"), ("laporan.html", "html"), ("LAPORAN.HTM", "html"),
    ("laporan.md", "markdown"), ("laporan.sarif", "sarif"), ("hasil.sarif.json", "sarif"),
    ("junit.xml", "junit"), ("laporan.pdf", "pdf"), ("laporan.docx", "docx"),
    ("laporan.txt", "terminal"), ("-", "terminal")])
def test_format_follows_the_extension(name: str, fmt: str) -> None:
    assert format_of(name) == fmt


def test_an_unknown_extension_names_itself_and_the_known_ones() -> None:
    with pytest.raises(ProbisUsageError) as caught:
        format_of("laporan.odt")
    message = str(caught.value)
    assert "laporan.odt" in message and all(ext in message for ext in FORMAT_OF_EXTENSION)


def test_o_laporan_html_without_f_writes_html(report_workspace: Path, tmp_path: Path) -> None:
    target = tmp_path / "laporan.html"
    code, out, err = run_cli("check", str(report_workspace), "--as-of", "2026-11-28",
                             "-o", str(target), "-o", str(tmp_path / "r.json"))
    assert code == 1, err
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (tmp_path / "r.json").read_text(encoding="utf-8").startswith("{")
    assert out == ""  # the report went to the files, not to the screen
    code, _, err = run_cli("check", str(report_workspace), "-o", str(tmp_path / "x.odt"))
    assert code == 2 and "x.odt" in err and "Traceback" not in err
