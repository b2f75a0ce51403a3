"""Hostile values in the Markdown reports (issue 20, item 4).

A step id, a flow target or an ``instansi`` holding a blank line and an ``<img onerror>`` must
not leave its code span, table cell or heading: the report is rendered with a CommonMark
renderer (markdown-it-py, raw HTML allowed as in most viewers) and the result opened in
headless Chromium, where no ``<img>`` may exist and the handler must not have run.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from probis.engine.many import markdown as ranking_markdown
from probis.engine.render.markdown import render_markdown

from .browser import PipeBrowser, find_chromium

PAYLOAD = '\n\n<img src=y onerror="window.__pwned=1">\n\n'
PIPE_PAYLOAD = 'x | y\n\n<img src=y onerror="window.__pwned=1">'
CHROMIUM = find_chromium()


def _html(md: str) -> str:
    # CommonMark with raw HTML on, plus GFM tables: what GitHub, GitLab and most editors do
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(md)


def _hostile_report(report: dict[str, Any]) -> dict[str, Any]:
    bad = copy.deepcopy(report)
    bad["workspace"]["instansi"] = "Kota" + PAYLOAD
    bad["workspace"]["name"] = "ws`" + PAYLOAD
    for f in bad["findings"][:3]:
        f["element"] = "S1" + PAYLOAD  # a step id
        f["file"] = "peta/x-LF.yaml" + PAYLOAD
    for f in bad["waived"]:
        f["element"] = "S1->" + PAYLOAD  # a flow target
        f["waiver"]["reason"] = PIPE_PAYLOAD
    for e in bad["input_errors"][:1]:
        e["field"] = "steps" + PAYLOAD
    bad["input_errors"].append({"file": "x.yaml" + PAYLOAD, "line": 3, "field": PAYLOAD,
                                "message": {"id": PAYLOAD, "en": PAYLOAD}})
    return bad


def _rows() -> list[dict[str, Any]]:
    return [{"rank": 1, "name": "kota-a" + PAYLOAD, "instansi": "Pemerintah" + PIPE_PAYLOAD,
             "score": 90.0, "grade": "A", "findings": {"error": 0, "warning": 1, "info": 2},
             "input_error_count": 0, "status": "audited"},
            {"rank": None, "name": "kota-b", "instansi": None, "score": None, "grade": None,
             "findings": {"error": 0, "warning": 0, "info": 0}, "input_error_count": 1,
             "status": "not-audited"}]


def test_report_values_stay_in_their_context(report: dict[str, Any]) -> None:
    for lang in ("id", "en"):
        html = _html(render_markdown(_hostile_report(report), lang=lang))
        assert "<img" not in html, html[html.find("<img") - 300:html.find("<img") + 100]
        assert "&lt;img" in html  # shown as text, not dropped


def test_ranking_values_stay_in_their_cells() -> None:
    md = ranking_markdown(_rows(), "2026-11-28")
    html = _html(md)
    assert "<img" not in html
    # the table is one table with a row per workspace, each as wide as the header
    lines = [line for line in md.splitlines() if line.startswith("|")]
    assert len(lines) == 2 + len(_rows())
    widths = {len(re.split(r"(?<!\\)\|", line)) for line in lines}
    assert len(widths) == 1, md
    assert html.count("<tr>") == 1 + len(_rows())


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install "
                    "chromium); CI installs it in .ci/run")
def test_handler_does_not_run_in_a_browser(report: dict[str, Any], tmp_path: Path) -> None:
    pages = {"report": render_markdown(_hostile_report(report), lang="en"),
             "ranking": ranking_markdown(_rows(), "2026-11-28")}
    assert CHROMIUM is not None
    with PipeBrowser(CHROMIUM) as browser:
        for name, md in pages.items():
            page = tmp_path / f"{name}.html"
            page.write_text("<!doctype html><meta charset=utf-8><body>" + _html(md),
                            encoding="utf-8")
            browser.open(page.as_uri())
            assert browser.eval("document.querySelectorAll('img').length") == 0, name
            assert browser.eval("document.querySelectorAll('[onerror]').length") == 0, name
            assert browser.eval("typeof window.__pwned") == "undefined", name
            assert browser.eval("document.body.textContent.includes('<img')"), name


def test_code_spans_in_text_show_as_written() -> None:
    """CommonMark keeps backslashes inside a code span: a rule's `last_evaluated` must not be
    escaped there, while the text around it still is (REG011's recommendation)."""
    from probis.engine.render.markdown import escape_span, escape_text

    fix = "catat tanggalnya di `last_evaluated` (YYYY-MM-DD) untuk *semua* peta_baru"
    html = _html(escape_text(fix))
    assert "<code>last_evaluated</code>" in html and "\\" not in html
    assert "<em>" not in html and "*semua* peta_baru" in html
    # a fence of two backticks holds one; an unclosed backtick is literal, the rest escaped
    assert "<code>a`b</code> _c_" in _html(escape_text("``a`b`` _c_"))
    assert "<img" not in _html(escape_text("x ` <img src=y onerror=alert(1)> ` y"))
    assert "<img" not in _html(escape_text("a `b <img src=y onerror=alert(1)>"))
    for value in ("S1`", "``x", "a`b``c", "ws`" + PAYLOAD):
        code = re.fullmatch(r"<p><code>(.*)</code></p>\n", _html(escape_span(value)), re.S)
        assert code and code.group(1) == " ".join(value.split()).replace("<", "&lt;").replace(
            ">", "&gt;").replace('"', "&quot;"), value


def test_report_recommendation_code_span(report: dict[str, Any]) -> None:
    bad = copy.deepcopy(report)
    bad["findings"][0]["fix"] = {"id": "isi `last_evaluated` <b>", "en": "set `last_evaluated` <b>"}
    md = render_markdown(bad, lang="en")
    assert "`last_evaluated` \\<b\\>" in md and "last\\_evaluated" not in md
