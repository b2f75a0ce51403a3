"""Markdown for a nota dinas: headings, score tables, findings grouped by OPD, waived section."""

from __future__ import annotations

import re

from probis.engine.render.markdown import render_markdown


def test_structure_and_content(report: dict) -> None:
    md = render_markdown(report, lang="id")
    headings = re.findall(r"^(#+) (.*)$", md, flags=re.M)
    titles = [t for _, t in headings]
    assert titles[0].startswith("Laporan audit peta proses bisnis")
    n = len(report["findings"])
    for expected in ("Ringkasan", "Skor per OPD", f"Temuan ({n})", "Temuan yang dikecualikan (1)",
                     "Metadata pemeriksaan"):
        assert expected in titles, expected
    # findings grouped under their OPD, each with basis and fix
    in_unit = sum(1 for f in report["findings"] if f["unit"] == "disdukcapil")
    assert f"### Dinas Kependudukan dan Pencatatan Sipil (disdukcapil) ({in_unit})" in md
    assert md.count("   - Dasar: ") == len(report["findings"])
    assert md.count("   - Perbaikan: ") == len(report["findings"])
    # markup in a process name is escaped, not passed through as HTML
    assert "<script>" not in md and "\\<script\\>" in md
    # waiver reason and expiry; the expired waiver in its own section
    assert "2027-12-31" in md and "Inspektorat" in md
    assert "## Pengecualian kedaluwarsa" in md
    # every table row has as many cells as its header
    for block in re.findall(r"((?:^\|.*\|\n)+)", md, flags=re.M):
        rows = block.strip().splitlines()
        widths = {len(re.split(r"(?<!\\)\|", r)) for r in rows}
        assert len(widths) == 1, block


def test_english(report: dict) -> None:
    md = render_markdown(report, lang="en")
    assert md.startswith("# Business process map audit report")
    assert "## Waived findings (1)" in md and "Temuan" not in md
    f = report["findings"][0]
    assert f["fix"]["en"].split("`")[0] in md


def test_plugin_sections_are_asked_for_markdown(report: dict) -> None:
    calls = []

    def section_renderer(name, section, fmt="terminal"):
        calls.append((name, fmt))
        return "## Matriks cakupan\n\n| a |\n|---|\n| 1 |"

    md = render_markdown(dict(report, coverage={"rows": []}), section_renderer=section_renderer)
    assert calls == [("coverage", "markdown")]
    assert "## Matriks cakupan" in md
