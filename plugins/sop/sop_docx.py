"""An SOP draft as a Word document: identity section and flowchart table, PermenPANRB 35/2012
layout (landscape; No | Kegiatan | Pelaksana... | Mutu Baku | Keterangan)."""

from __future__ import annotations

import io
import re
from typing import Any

from .draft import IDENTITY_LABELS, SECTION_LABELS, SYMBOLS, Draft, identity_value

SHADE = "D9E2F3"  # the cell that holds a row's symbol


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    props.append(shd)


def connector_text(draft: Draft, number: int) -> str:
    """Where a row's flow goes, when it is not simply the next row."""
    row = draft.rows[number - 1]
    if row.kind == "decision":
        return row.note.replace(": ke langkah ", " → ")
    jumps = [n for n in row.goes_to if n != number + 1]
    return f"→ {', '.join(map(str, jumps))}" if jumps else ("↓" if row.goes_to else "")


_DURATION = re.compile(r"(\d+(?:[.,]\d+)?)\s*(m|h|j|d|w)", re.IGNORECASE)
_UNITS = {"m": "menit", "h": "jam", "j": "jam", "d": "hari", "w": "minggu"}


def time_text(value: str) -> str:
    """A map's duration as the SOP form writes it: ``15m`` -> ``15 menit``, ``2h`` -> ``2 jam``,
    ``3d`` -> ``3 hari`` (docs/format.md's units); any other text as it is."""
    match = _DURATION.fullmatch(value.strip())
    if match is None:
        return value
    return f"{match.group(1).replace('.', ',')} {_UNITS[match.group(2).lower()]}"


def docx_bytes(draft: Draft, instansi: str) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.styles["Normal"].font.size = Pt(9)
    doc = draft.doc

    ident = document.add_table(rows=len(IDENTITY_LABELS), cols=3)
    ident.style = "Table Grid"
    left = ident.cell(0, 0).merge(ident.cell(len(IDENTITY_LABELS) - 1, 0))
    left.text = f"{instansi.upper()}\n{draft.unit_name.upper()}"
    for i, (key, label) in enumerate(IDENTITY_LABELS):
        ident.cell(i, 1).text = label
        ident.cell(i, 2).text = identity_value(doc, key)
    document.add_paragraph()
    sections = document.add_table(rows=len(SECTION_LABELS) // 2 * 2, cols=2)
    sections.style = "Table Grid"
    for i, (key, label) in enumerate(SECTION_LABELS):
        r, c = divmod(i, 2)
        sections.cell(r * 2, c).text = f"{label}:"
        sections.cell(r * 2 + 1, c).text = identity_value(doc, key)
    document.add_page_break()

    n = len(draft.executors)
    table = document.add_table(rows=2 + len(draft.rows), cols=2 + n + 4)
    table.style = "Table Grid"
    head, sub = table.rows[0].cells, table.rows[1].cells
    table.cell(0, 0).merge(table.cell(1, 0)).text = "No"
    table.cell(0, 1).merge(table.cell(1, 1)).text = "Kegiatan"
    table.cell(0, 2).merge(table.cell(0, 1 + n)).text = "Pelaksana"
    table.cell(0, 2 + n).merge(table.cell(0, 4 + n)).text = "Mutu Baku"
    table.cell(0, 5 + n).merge(table.cell(1, 5 + n)).text = "Keterangan"
    for j, name in enumerate(draft.executors):
        sub[2 + j].text = name
    for j, label in enumerate(("Kelengkapan", "Waktu", "Output")):
        sub[2 + n + j].text = label
    del head
    for i, row in enumerate(draft.rows):
        cells = table.rows[2 + i].cells
        cells[0].text = str(row.number)
        cells[1].text = row.activity
        if row.column is not None:
            cell = cells[2 + row.column]
            cell.text = SYMBOLS[row.kind]
            link = connector_text(draft, row.number)
            if link:
                cell.add_paragraph(link)
            _shade(cell, SHADE)
        cells[2 + n].text = "\n".join(row.requirements)
        cells[3 + n].text = time_text(row.time)
        cells[4 + n].text = row.output
        cells[5 + n].text = row.note
    document.add_paragraph(
        "Simbol: ⬭ terminator (mulai/selesai), ▭ kegiatan, ◇ keputusan, ⬠ penghubung antarhalaman, "
        "→ arah alur ke langkah bernomor.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
