"""The LHP-shaped report of the sample city (issue 21): PDF pages and page 1, DOCX chapters,
the signature block, Babel dates and numbers, and one language at a time in HTML, Markdown,
DOCX and PDF text.

The city is audited and every document rendered once per session (``lhp`` fixture).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from language_scan import workspace_names
from probis.engine.render.docx import render_docx
from probis.engine.render.html import render_html
from probis.engine.render.lhp_model import build_model, generic_tables, long_date, number
from probis.engine.render.markdown import render_markdown
from probis.engine.render.pdf import render_pdf

from .conftest import AS_OF, SAMPLE_CITY

pytestmark = [pytest.mark.skipif(not SAMPLE_CITY.is_dir(), reason="needs sample_maps/kota-metro"),
              pytest.mark.xdist_group("lhp")]  # one worker renders the LHP (and its PDF) once

# Words of the report's own vocabulary that must not appear in the other language. Names of
# the Pemda (units, processes, maps, plans, waiver reasons, signers) are removed first.
ENGLISH = {"finding", "findings", "rule", "rules", "severity", "error", "errors", "warning",
           "score", "grade", "workspace", "step", "lane", "process", "processes", "map", "maps",
           "waived", "waiver", "waivers", "file", "files", "summary", "fix", "basis", "appendix",
           "chapter", "coverage", "regulation", "alignment", "overlap", "condition", "criteria",
           "effect", "cause", "recommendation", "approved", "expires", "the", "and", "with",
           "signature", "page", "team", "input", "none"}
INDONESIAN = {"temuan", "aturan", "galat", "peringatan", "perbaikan", "rekomendasi", "kondisi",
              "kriteria", "akibat", "sebab", "ringkasan", "lampiran", "berkas", "baris", "skor",
              "nilai", "dikecualikan", "pengecualian", "tingkat", "halaman", "bab", "jumlah",
              "dasar", "kelengkapan", "cakupan", "himpunan", "uraian", "pengesahan", "lajur",
              "langkah", "tanpa", "lulus", "masukan", "metadata pemeriksaan"}


@dataclass
class Docs:
    report: dict[str, Any]
    own: list[str]
    html: dict[str, str]
    md: dict[str, str]
    docx: dict[str, bytes]
    workspace: Any
    _pdf: dict[str, bytes]

    def pdf(self, lang: str) -> bytes:
        """Rendered on first use: WeasyPrint takes seconds per document."""
        if lang not in self._pdf:
            self._pdf[lang] = render_pdf(self.report, lang=lang, workspace=self.workspace)
        return self._pdf[lang]


def _own_names(report: dict[str, Any], workspace: Any) -> list[str]:
    """Texts that are the Pemda's own, in whatever language it wrote them."""
    out = {report["workspace"].get("instansi") or ""}
    out |= {c.get("name") or "" for c in report["scores"]["by_unit"].values()}
    out |= {f["waiver"]["reason"] for f in report["waived"]}
    out |= {f["waiver"].get("approved_by") or "" for f in report["waived"]}
    def each(value: Any) -> list[Any]:
        return list(value.values()) if isinstance(value, dict) else list(value or [])

    for p in each(getattr(workspace, "processes", None)):
        out.add(getattr(getattr(p, "process", p), "name", None) or "")
    for m in each(getattr(workspace, "maps", None)) + each(getattr(workspace, "lf_maps", None)):
        m = getattr(m, "map", m)
        out.add(getattr(m, "title", None) or "")
        for s in getattr(m, "steps", []) or []:
            out.add(getattr(s, "name", None) or "")
    cov = report.get("coverage") or {}
    out.add(cov.get("visi") or "")
    for misi in cov.get("misi") or []:
        out.add(misi.get("text") or "")
        for t in misi.get("tujuan") or []:
            out.add(t.get("text") or "")
            out |= {s.get("text") or "" for s in t.get("sasaran") or []}
    out |= {s.get("text") or "" for s in cov.get("renstra_sasaran") or []}
    lap = report["workspace"].get("laporan") or {}
    for p in [*(lap.get("tim") or []), lap.get("inspektur") or {}]:
        out |= {p.get("nama") or "", p.get("jabatan") or ""}
    return sorted((x for x in out if x), key=len, reverse=True)


@pytest.fixture(scope="session")
def lhp() -> Docs:
    from probis.engine.report import build_report
    from probis.engine.runner import audit

    result = audit(SAMPLE_CITY, as_of=AS_OF)
    report = build_report(result)
    # the drawings carry every step, lane and flow label: the Pemda's own words, in any language
    own = sorted({*_own_names(report, result.workspace), *workspace_names(SAMPLE_CITY)},
                 key=lambda s: (-len(s), s))
    docs = Docs(report, own, {}, {}, {}, result.workspace, {})
    for lang in ("id", "en"):
        docs.html[lang] = render_html(report, lang=lang, workspace=result.workspace)
        docs.md[lang] = render_markdown(report, lang=lang)
        docs.docx[lang] = render_docx(report, lang=lang, workspace=result.workspace)
    return docs


def _pdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages]


def _docx_text(data: bytes) -> tuple[list[str], str]:
    import docx

    d = docx.Document(io.BytesIO(data))
    heads = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    texts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            texts += [c.text for c in row.cells]
    return heads, "\n".join(texts)


def test_pdf_fits_30_a4_pages_without_json(lhp: Docs) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(lhp.pdf("id")))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210,
                                                                                          297)
    pages = _pdf_pages(lhp.pdf("id"))
    print(f"sample city PDF: {len(pages)} A4 pages")
    assert 3 <= len(pages) <= 30
    text = "\n".join(pages)
    # no JSON: no object/array punctuation of a dump, no quoted keys
    assert not re.search(r'"\w+"\s*:', text) and "{\n" not in text and '": [' not in text
    assert "sasaran_total" not in text or "sasaran_total" in text.split("Matriks")[-1]


def test_page_one_holds_the_executive_summary(lhp: Docs) -> None:
    r = lhp.report
    first = " ".join(_pdf_pages(lhp.pdf("id"))[0].split())
    assert "Laporan Hasil Pemeriksaan" in first and "Pemerintah Kota Metro" in first
    assert "28 November 2026" in first and "Ringkasan eksekutif" in first
    assert f"Skor {number(r['score'], 'id')}" in first and r["grade"] in first
    assert "Lima hal yang perlu diperbaiki lebih dulu" in first
    assert "Temuan per OPD" in first and "sotk-2025" in first and "rpjmd-2025-2029" in first
    # the five first things are errors (the city has errors), each named by its rule
    errors = [f for f in r["findings"] if f["severity"] == "error"]
    assert len(errors) >= 5
    assert first.count("galat ") >= 5
    # the counts per OPD: the OPD with most findings is on page 1
    assert "Dinas Kesehatan (dinkes)" in first


def test_docx_has_a_chapter_per_opd_and_the_signature(lhp: Docs) -> None:
    heads, text = _docx_text(lhp.docx["id"])
    r = lhp.report
    units = {f["unit"] for f in r["findings"] if f.get("unit")}
    chapters = [h for h in heads if h.startswith("Bab ")]
    for uid in units:
        assert any(h.endswith(f"({uid})") for h in chapters), uid
    assert heads[0] == "Ringkasan eksekutif" and heads[-1] == "Pengesahan"
    for word in ("Kondisi:", "Kriteria: ", "Akibat: ", "Rekomendasi: "):
        assert word in text, word
    assert "Drs. Bambang Sutrisno, M.M." in text and "NIP 196905121994031006" in text
    # the same chapters as the HTML
    html_chapters = re.findall(r'<h2>(Bab \d+\. [^<]*)</h2>', lhp.html["id"])
    assert [h.replace("&amp;", "&") for h in html_chapters] == chapters


def _docx_pictures(data: bytes) -> dict[str, list[bytes]]:
    """The pictures of each Heading 1 of the .docx, in document order."""
    import docx
    from docx.oxml.ns import qn

    d = docx.Document(io.BytesIO(data))
    out: dict[str, list[bytes]] = {}
    current = ""
    for p in d.paragraphs:
        if p.style.name == "Heading 1":
            current = p.text
            out.setdefault(current, [])
        for blip in p._p.iter(qn("a:blip")):
            out.setdefault(current, []).append(d.part.related_parts[blip.get(qn("r:embed"))].blob)
    return out


@pytest.mark.parametrize("lang", ["id", "en"])
def test_docx_chapters_carry_their_map_drawings_as_pictures(lhp: Docs, lang: str) -> None:
    """Issue 21 item 3: each OPD chapter of the DOCX has the drawings of the HTML and PDF, one
    valid PNG picture per map drawn for that OPD."""
    from PIL import Image
    from probis.engine.diagram import draw_unit_maps

    pictures = _docx_pictures(lhp.docx[lang])
    word = "Bab" if lang == "id" else "Chapter"
    chapters = {h: pics for h, pics in pictures.items() if h.startswith(f"{word} ")}
    assert chapters
    total = 0
    for heading, pics in chapters.items():
        unit = heading.rsplit("(", 1)[1].rstrip(")")
        expected = draw_unit_maps(lhp.workspace, lhp.report, unit, lang)
        assert len(pics) == len(expected), heading
        for blob, drawing in zip(pics, expected, strict=True):
            image = Image.open(io.BytesIO(blob))
            assert image.format == "PNG", drawing.code
            image.verify()
            width_px = float(re.search(r'width="([0-9.]+)"', drawing.svg).group(1))
            assert Image.open(io.BytesIO(blob)).width >= min(width_px, 600) * 0.9, drawing.code
        total += len(pics)
    # the sample city's chapters draw maps (20 OPDs; most have a value chain or a swimlane)
    assert total >= 20
    assert sum(len(p) for h, p in pictures.items() if h not in chapters) == 0
    # the captions name the maps, as the HTML's figure captions do
    text = _docx_text(lhp.docx[lang])[1]
    caption = "Gambar peta" if lang == "id" else "Map drawings"
    assert text.count(f"{caption}: ") == total


def test_html_finding_anchors_and_lhp_parts(lhp: Docs) -> None:
    html = lhp.html["id"]
    for f in lhp.report["findings"]:
        assert f'id="finding-{f["fingerprint"]}"' in html
    for part in ("Kondisi", "Kriteria", "Akibat", "Sebab", "Rekomendasi", "Lampiran A.",
                 "Tim pemeriksa", "Mengesahkan", "Matriks cakupan sasaran"):
        assert part in html, part
    # the coverage matrix is a table of sasaran, not a JSON dump
    assert "<pre>" not in html and '"sasaran_total"' not in html
    assert "S1.1.1" in html and "Meningkatnya akses dan mutu layanan pendidikan dasar" in html


def test_markdown_keeps_the_structure(lhp: Docs) -> None:
    md = lhp.md["en"]
    heads = re.findall(r"^## (.*)$", md, flags=re.M)
    assert heads[0] == "Executive summary" and heads[-1] == "Approval"
    assert sum(h.startswith("Chapter ") for h in heads) == sum(
        h.startswith("Bab ") for h in re.findall(r"^## (.*)$", lhp.md["id"], flags=re.M))
    assert "- **Condition**:" in md and "- **Recommendation**:" in md
    assert "November 28, 2026" in md


def _scan(text: str, own: list[str], words: set[str]) -> list[str]:
    flat = " ".join(text.split())
    for name in own:  # the Pemda's own names may be in either language
        flat = flat.replace(" ".join(name.split()), " ")
    flat = re.sub(r"`[^`]*`", " ", flat)  # commands and identifiers in code spans
    # SIPOC spelled out: the term PermenPANRB 19/2018 itself uses in the rules' basis
    flat = flat.replace("(Supplier, Input, Process, Output, Customer)", " ")
    lower = flat.lower()
    return sorted({w for w in words if re.search(rf"(?<![\w./-]){re.escape(w)}(?![\w./-])",
                                                 lower)})


def _html_text(html: str) -> str:
    html = re.sub(r"<(style|script)>.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<code>[^<]*</code>", " ", html)
    return re.sub(r"<[^>]+>", " ", html).replace("&amp;", "&").replace("&#39;", "'")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_one_language_at_a_time(lhp: Docs, lang: str) -> None:
    words = ENGLISH if lang == "id" else INDONESIAN
    texts = {"html": _html_text(lhp.html[lang]), "markdown": lhp.md[lang],
             "docx": _docx_text(lhp.docx[lang])[1]}
    if lang == "id":  # the Indonesian PDF is rendered for the page tests anyway
        texts["pdf"] = "\n".join(_pdf_pages(lhp.pdf(lang)))
    leaks = {fmt: _scan(text, lhp.own, words) for fmt, text in texts.items()}
    assert not any(leaks.values()), leaks


@pytest.mark.slow  # a second WeasyPrint run; its text is the English HTML's, scanned above
def test_english_pdf_has_no_indonesian(lhp: Docs) -> None:
    pages = _pdf_pages(lhp.pdf("en"))
    assert len(pages) <= 30
    assert not _scan("\n".join(pages), lhp.own, INDONESIAN)


def test_babel_dates_and_numbers() -> None:
    assert long_date("2026-11-28", "id") == "28 November 2026"
    assert long_date("2026-11-28", "en") == "November 28, 2026"
    assert number(1234.5, "id") == "1.234,5" and number(1234.5, "en") == "1,234.5"
    assert long_date("not a date", "id") == "not a date"


def test_plugin_section_without_renderer_is_a_key_value_table(lhp: Docs) -> None:
    tables = generic_tables("status", {"maps": 36, "ok": True, "rows": [
        {"unit": "dinkes", "done": 3}, {"unit": "dinsos", "done": 1}]}, "id")
    assert tables[0].headers == ["Butir", "Isi"] and ["maps", "36"] in tables[0].rows
    assert ["ok", "ya"] in tables[0].rows
    assert tables[1].headers == ["unit", "done"] and tables[1].rows[0] == ["dinkes", "3"]
    report = dict(lhp.report, status={"maps": 36, "rows": [{"unit": "dinkes"}]})
    html = render_html(report, lang="id")
    assert 'data-section="status"' in html and "<td>maps</td><td>36</td>" in html


def test_baseline_box_on_page_one(lhp: Docs) -> None:
    r = dict(lhp.report)
    f0 = r["findings"][0]
    r["findings"] = [dict(f, baseline_status="new" if f is f0 else "open")
                     for f in r["findings"]]
    r["baseline"] = {"file": "lhp-2025.json", "new": 1, "open": len(r["findings"]) - 1,
                     "fixed": 2, "fixed_findings": lhp.report["waived"][:1],
                     "units": {f0["unit"]: {"score_before": 80.0, "score_after": 84.3,
                                            "grade_before": "C", "grade_after": "B"}},
                     "score_before": 97.0, "grade_before": "C"}
    m = build_model(r, "id")
    assert m.baseline is not None and m.baseline["counts"][2] == ("sudah diperbaiki", 2)
    html = render_html(r, lang="id")
    since = html.split('id="since"')[1].split("</div>")[0]
    assert "Sejak pemeriksaan terakhir" in since and "<b>2</b> sudah diperbaiki" in since
    assert "97 (C) → 98,5 (B)" in since and "80 (C)" in since
    assert html.index('id="since"') < html.index('id="top-five"')
    assert '<span class="status">baru</span>' in html
    assert "baseline" not in [s.name for s in m.sections]


def test_no_laporan_section_says_how_to_fill_it(lhp: Docs) -> None:
    import copy

    r = copy.deepcopy(lhp.report)
    r["workspace"].pop("laporan", None)
    assert "`laporan:`" in render_markdown(r, lang="id")
    assert lhp.report["workspace"]["laporan"]["tempat"] == "Metro"
    assert "Metro, 28 November 2026" in lhp.md["id"]


def test_pdf_cli_writes_bytes(tmp_path: Path) -> None:
    from .conftest import run_cli

    out = tmp_path / "lhp.docx"
    code, _, stderr = run_cli("check", str(SAMPLE_CITY), "-f", "docx", "-o", str(out),
                              "--as-of", "2026-11-28")
    assert code in (0, 1) and "Traceback" not in stderr, stderr
    assert out.read_bytes()[:2] == b"PK"


def test_pdf_is_the_same_without_harfbuzz_subset(report_workspace: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Without HarfBuzz-Subset (a fresh machine with no libharfbuzz-subset0) WeasyPrint subsets
    fonts with fontTools, which stamped each font with the clock: a PDF made a second later
    differed. Here the second one is made "a minute later"."""
    import os
    import time

    import weasyprint.pdf.fonts as weasyprint_fonts

    from .conftest import build

    report = build(report_workspace)  # a small city: fontTools subsetting is slow
    monkeypatch.setattr(weasyprint_fonts, "harfbuzz_subset", None)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = render_pdf(report, lang="en")
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 60)
    assert render_pdf(report, lang="en") == first
    assert "SOURCE_DATE_EPOCH" not in os.environ  # the user's environment is left as it was


def test_percentages_follow_the_documents_language() -> None:
    """The LHP wrote its own numbers 98,5 in Indonesian but the coverage and status sections'
    percentages 95.2% and 80.0% beside them."""
    from .conftest import run_cli

    for lang, fmt, wrong in (("id", "markdown", r"\d\.\d%"), ("en", "markdown", r"\d,\d%"),
                             ("id", "html", r"\d\.\d%")):
        _code, document, err = run_cli("check", str(SAMPLE_CITY), "-f", fmt, "--lang", lang,
                                       "--as-of", "2026-11-28")
        assert "%" in document, err
        assert not re.findall(wrong, document), (lang, fmt, re.findall(wrong, document)[:5])
        if lang == "id":
            assert re.search(r"\(\d+,\d%\)", document)  # e.g. "20/21 dilayani (95,2%)"
