"""Word (.docx) report shaped as an LHP: an Inspektorat edits its LHP in Word.

The same chapters as the HTML and Markdown (engine/render/lhp_model.py), written with
python-docx as real Word headings (Heading 1 per chapter, so the navigation pane lists one
chapter per OPD), tables in the "Table Grid" style and A4 pages. Each chapter's map drawings
(the SVG of engine/diagram, as in the HTML and PDF) are PNG pictures drawn by
engine/render/raster.py: python-docx places raster pictures only.

The document's core properties carry no clock time: the same report gives the same parts.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from .common import SectionRenderer
from .lhp_model import Drawing, LhpModel, Table, build_model

TEXT_WIDTH_MM = 170  # A4 less the margins below
NO_PICTURE = {
    "id": "Gambar peta {code} tidak dapat disisipkan ({error}); gambarnya ada di laporan HTML "
          "dan PDF.",
    "en": "The drawing of map {code} could not be placed ({error}); it is in the HTML and PDF "
          "reports.",
}
FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # core properties: no run-dependent time


def render_docx(report: dict[str, Any], lang: str = "id",
                section_renderer: SectionRenderer | None = None, workspace: Any = None,
                **_: Any) -> bytes:
    """The LHP as a .docx; ``workspace`` (the loaded workspace) gives the map drawings."""
    from docx import Document  # imported on use: most runs never write Word
    from docx.shared import Mm, Pt

    m = build_model(report, lang, None, "docx", workspace)
    L = m.L
    doc = Document()
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin = section.bottom_margin = Mm(18)
    doc.styles["Normal"].font.size = Pt(10)
    props = doc.core_properties
    props.title = f"{m.title}: {m.instansi}"
    props.author = props.last_modified_by = "probis"
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    props.language = lang

    _cover_and_summary(doc, m)
    for c in m.chapters:
        doc.add_heading(f"{L['chapter']} {c.number}. {c.name}", level=1)
        line = (f"{L['unit_score']}: {c.score} ({c.grade}) · {L['coverage']}: {c.checks} · "
                + ", ".join(f"{label} {c.counts[s]}" for s, label, _ in m.severity_counts))
        if c.change:
            line += f" · {L['since']}: {c.change}"
        doc.add_paragraph(line)
        if c.reasons:
            doc.add_paragraph(f"{L['grade_limited']}: " + "; ".join(c.reasons))
        maps = ", ".join(c.maps)
        if c.unread:
            maps += (" · " if maps else "") + f"{L['unread_maps']}: " + ", ".join(c.unread)
        doc.add_paragraph(f"{L['maps']}: " + (maps or L["no_maps"]))
        for d in c.drawings:
            _drawing(doc, d, L, lang)
        if not c.groups:
            doc.add_paragraph(L["no_findings"])
        for g in c.groups:
            doc.add_heading(f"{g.severity_label} · {g.rule} {g.title} ({g.rule_set})", level=3)
            p = doc.add_paragraph()
            p.add_run(f"{L['kondisi']}:").bold = True
            for i in g.items:
                where = f", {i.location}" if i.location else ""
                status = f" [{i.status}]" if i.status else ""
                doc.add_paragraph(f"{i.kondisi} — {i.element_type} {i.element}{where}{status}",
                                  style="List Bullet")
            for key, value in ((L["kriteria"], g.kriteria), (L["akibat"], g.akibat),
                               (L["sebab"], g.sebab), (L["rekomendasi"], g.rekomendasi)):
                if value:
                    p = doc.add_paragraph()
                    p.add_run(f"{key}: ").bold = True
                    p.add_run(value)

    if m.sections:
        doc.add_heading(L["sections"], level=1)
        for s in m.sections:
            doc.add_heading(s.title, level=2)
            for t in s.tables:
                _table(doc, t, level=3)

    doc.add_page_break()
    doc.add_heading(f"{L['appendix']} A. {L['waived']} ({len(report['waived'])})", level=1)
    if m.waived:
        _table(doc, m.waived, titled=False)
    else:
        doc.add_paragraph(L["no_waived"])
    doc.add_heading(f"{L['appendix']} B. {L['input_errors']} · {L['run']}", level=1)
    for t in m.appendices:
        if t.title == L["input_errors"] and not t.rows:
            doc.add_heading(t.title, level=2)
            doc.add_paragraph(L["no_input_errors"])
        else:
            _table(doc, t, level=2)
    _signature(doc, m)
    out = io.BytesIO()
    doc.save(out)
    return _fixed_zip_times(out.getvalue())


def _drawing(doc: Any, d: Drawing, L: dict[str, Any], lang: str) -> None:
    """The drawing as a picture as wide as it is drawn (at most the text width), captioned
    as in the HTML; if it cannot be drawn, a line saying so where it would be."""
    from docx.shared import Mm

    from .raster import RasterError, svg_size_mm, svg_to_png

    try:
        width = min(svg_size_mm(d.svg)[0], TEXT_WIDTH_MM)
        png = svg_to_png(d.svg, width)
    except RasterError as exc:
        doc.add_paragraph(NO_PICTURE.get(lang, NO_PICTURE["id"]).format(code=d.code, error=exc))
        return
    doc.add_picture(io.BytesIO(png), width=Mm(width))
    doc.add_paragraph(f"{L['drawings']}: {d.code} {d.title}", style="Caption")


def _fixed_zip_times(data: bytes) -> bytes:
    """The same parts with a fixed time stamp: zipfile stamps each entry with the clock."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _cover_and_summary(doc: Any, m: LhpModel) -> None:
    L = m.L
    doc.add_paragraph(L["subtitle"])
    doc.add_heading(m.title, level=0)
    doc.add_paragraph(m.instansi).runs[0].bold = True
    scope = [(L["audit_date"], m.audit_date), *m.scope]
    if m.signature and m.signature.number:
        scope.append((L["number"], m.signature.number))
    _table(doc, Table(["", ""], [[k, v] for k, v in scope]), titled=False, header=False)
    doc.add_heading(L["summary"], level=1)
    p = doc.add_paragraph()
    p.add_run(f"{L['score']} {m.score} · {L['grade']} {m.grade}").bold = True
    p.add_run(" · " + " · ".join(f"{k}: {v}" for k, v in m.facts))
    doc.add_paragraph(" · ".join(f"{label} {n}" for _, label, n in m.severity_counts))
    for r in m.reasons:
        doc.add_paragraph(r, style="List Bullet")
    if m.baseline:
        b = m.baseline
        doc.add_heading(L["since"], level=2)
        doc.add_paragraph(" · ".join(f"{n} {k}" for k, n in b["counts"])
                          + f" · {L['score']}: {b['score']}")
        for note in b["notes"]:
            doc.add_paragraph().add_run(note).bold = True
        if b["units"].rows:
            _table(doc, b["units"], titled=False)
        for x in b["fixed"]:
            doc.add_paragraph(f"{L['fixed']}: {x}", style="List Bullet")
    doc.add_heading(L["top5"], level=2)
    if not m.top:
        doc.add_paragraph(L["no_findings"])
    for t in m.top:
        p = doc.add_paragraph(style="List Number")
        p.add_run(f"{t.severity_label} · {t.rule} ").bold = True
        p.add_run(f"{t.title} — {t.unit}, {t.element}: {t.message}")
        p.add_run(f" {L['rekomendasi']}: {t.fix}").italic = True
    doc.add_heading(L["per_unit"], level=2)
    if m.unit_table.rows:
        _table(doc, m.unit_table, titled=False)
    if m.other_units:
        doc.add_paragraph(m.other_units)
    doc.add_page_break()


def _table(doc: Any, t: Table, titled: bool = True, level: int = 2,
           header: bool = True) -> None:
    if titled and t.title:
        doc.add_heading(t.title, level=level)
    if not t.rows:
        doc.add_paragraph("-")
        return
    rows = ([t.headers] if header else []) + t.rows
    table = doc.add_table(rows=len(rows), cols=len(t.headers))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        cells = table.rows[r].cells
        for c, value in enumerate(row):
            cells[c].text = str(value)
            if header and r == 0:
                for run in cells[c].paragraphs[0].runs:
                    run.bold = True


def _signature(doc: Any, m: LhpModel) -> None:
    L = m.L
    doc.add_heading(L["signature"], level=1)
    sig = m.signature
    if sig is None:
        doc.add_paragraph(L["no_signature"])
        return
    doc.add_paragraph(sig.place_date)
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.text = L["team"]
    for n, p in enumerate(sig.team, start=1):
        left.add_paragraph(f"{n}. {p.nama}" + (f" — {p.jabatan}" if p.jabatan else "")
                           + (f" ({L['nip']} {p.nip})" if p.nip else ""))
    if sig.inspektur:
        p = sig.inspektur
        right.text = L["approves"]
        right.add_paragraph(p.jabatan)
        right.add_paragraph("")
        right.add_paragraph("")
        right.add_paragraph(p.nama).runs[0].bold = True
        if p.nip:
            right.add_paragraph(f"{L['nip']} {p.nip}")
