"""Markdown for a nota dinas: headings, score tables, findings grouped by OPD, waived section."""

from __future__ import annotations

import re

from probis.engine.render.markdown import render_markdown


def test_structure_and_content(report: dict) -> None:
    md = render_markdown(report, lang="id")
    headings = re.findall(r"^(#+) (.*)$", md, flags=re.M)
    titles = [t for _, t in headings]
    assert titles[0].startswith("Laporan Hasil Pemeriksaan Peta Proses Bisnis")
    for expected in ("Ringkasan eksekutif", "Lima hal yang perlu diperbaiki lebih dulu",
                     "Temuan per OPD", "Lampiran A. Temuan yang dikecualikan (1)",
                     "Metadata pemeriksaan", "Pengesahan"):
        assert expected in titles, expected
    # one chapter per OPD, each finding's kondisi under its rule with kriteria and rekomendasi
    assert "## Bab 1. Dinas Kependudukan dan Pencatatan Sipil (disdukcapil)" in md
    assert md.count("  - ") >= len(report["findings"])
    assert md.count("- **Kriteria**: ") == md.count("- **Rekomendasi**: ") >= 1
    for f in report["findings"]:
        assert f"`{f['element'].replace('`', chr(39))}`" in md or "<" in f["element"]
    # markup in a process name is escaped, not passed through as HTML
    assert "<script>" not in md and "\\<script\\>" in md
    # waiver reason and expiry (Babel's long date); the expired waiver in its own table
    assert "31 Desember 2027" in md and "Inspektorat" in md
    assert "### Pengecualian kedaluwarsa" in md
    # every table row has as many cells as its header
    for block in re.findall(r"((?:^\|.*\|\n)+)", md, flags=re.M):
        rows = block.strip().splitlines()
        widths = {len(re.split(r"(?<!\\)\|", r)) for r in rows}
        assert len(widths) == 1, block


def test_english(report: dict) -> None:
    md = render_markdown(report, lang="en")
    assert md.startswith("# Business Process Map Audit Report")
    assert "## Appendix A. Waived findings (1)" in md and "Temuan" not in md
    f = report["findings"][0]
    assert f["fix"]["en"].split("`")[0] in md


def test_plugin_sections_are_asked_for_markdown(report: dict) -> None:
    calls = []

    def section_renderer(name, section, fmt="terminal"):
        calls.append((name, fmt))
        return "### Matriks cakupan\n\n| a |\n|---|\n| 1 |"

    md = render_markdown(dict(report, coverage={"rows": []}), section_renderer=section_renderer)
    assert calls == [("coverage", "markdown")]
    assert "### Matriks cakupan" in md
