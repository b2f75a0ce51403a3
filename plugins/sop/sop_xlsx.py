"""An SOP draft as a workbook: identity block, then the flowchart table with the symbol of each
row in its Pelaksana column (fill, border and symbol character) and its connectors."""

from __future__ import annotations

import io

from .draft import IDENTITY_LABELS, SECTION_LABELS, SYMBOLS, Draft, identity_value
from .sop_docx import SHADE, connector_text


def xlsx_bytes(draft: Draft, instansi: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    fill = PatternFill("solid", fgColor=SHADE)
    wb = Workbook()
    ws = wb.active
    ws.title = "SOP"
    doc = draft.doc
    ws.cell(1, 1, f"{instansi.upper()}\n{draft.unit_name.upper()}").font = bold
    for i, (key, label) in enumerate(IDENTITY_LABELS, start=1):
        ws.cell(i, 3, label).font = bold
        ws.cell(i, 4, identity_value(doc, key)).alignment = wrap
    top = len(IDENTITY_LABELS) + 2
    for i, (key, label) in enumerate(SECTION_LABELS):
        r, c = divmod(i, 2)
        ws.cell(top + r * 2, 1 + c * 3, f"{label}:").font = bold
        ws.cell(top + r * 2 + 1, 1 + c * 3, identity_value(doc, key)).alignment = wrap

    start = top + len(SECTION_LABELS) + 2
    n = len(draft.executors)
    heads = {1: "No", 2: "Kegiatan", 3: "Pelaksana", 3 + n: "Mutu Baku", 6 + n: "Keterangan"}
    for col, label in heads.items():
        ws.cell(start, col, label).font = bold
    ws.merge_cells(start_row=start, start_column=3, end_row=start, end_column=2 + n)
    ws.merge_cells(start_row=start, start_column=3 + n, end_row=start, end_column=5 + n)
    for j, name in enumerate(draft.executors):
        ws.cell(start + 1, 3 + j, name).font = bold
    for j, label in enumerate(("Kelengkapan", "Waktu", "Output")):
        ws.cell(start + 1, 3 + n + j, label).font = bold
    for r in (start, start + 1):
        for c in range(1, 7 + n):
            ws.cell(r, c).border = box
            ws.cell(r, c).alignment = centre
    for i, row in enumerate(draft.rows):
        r = start + 2 + i
        values = {1: row.number, 2: row.activity, 3 + n: "\n".join(row.requirements),
                  4 + n: row.time, 5 + n: row.output, 6 + n: row.note}
        for c in range(1, 7 + n):
            cell = ws.cell(r, c, values.get(c))
            cell.border = box
            cell.alignment = wrap
        if row.column is not None:
            link = connector_text(draft, row.number)
            cell = ws.cell(r, 3 + row.column, SYMBOLS[row.kind] + (f"\n{link}" if link else ""))
            cell.fill = fill
            cell.alignment = centre
    ws.column_dimensions["B"].width = 40
    ws.cell(start + 3 + len(draft.rows), 1,
            "Simbol: ⬭ terminator (mulai/selesai), ▭ kegiatan, ◇ keputusan, "
            "⬠ penghubung antarhalaman, → arah alur ke langkah bernomor.")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
