"""An SOP draft as a workbook: identity block, then the flowchart table with the symbol of each
row in its Pelaksana column (fill, border and symbol character) and its connectors."""

from __future__ import annotations

import io
from typing import Any

from .draft import IDENTITY_LABELS, SECTION_LABELS, SYMBOLS, Draft, identity_value
from .sop_docx import SHADE, connector_text, time_text


def _lay_out_for_print(ws: Any, executors: int, table_rows: range) -> None:
    """Landscape A4, one page wide, the narrow columns narrow and the text ones wide: printed
    as it came, the flowchart was cut over pages across its columns and its text clipped."""
    from openpyxl.utils import get_column_letter

    widths = {1: 5, 2: 34, **{3 + j: 13 for j in range(executors)},
              3 + executors: 24, 4 + executors: 10, 5 + executors: 20, 6 + executors: 22}
    widths[3] = 20  # also the identity block's labels ("Tanggal Pembuatan")
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    # wrapped text needs its rows tall enough: spreadsheet programs do not grow them on open
    for row in ws.iter_rows(min_row=table_rows.start, max_row=table_rows.stop - 1):
        lines = 1
        for cell in row:
            if isinstance(cell.value, str) and cell.value:
                width = widths.get(cell.column, 13)
                lines = max(lines, sum(max(1, -(-len(part) // max(1, int(width * 1.1))))
                                       for part in cell.value.split("\n")))
        if lines > 1:
            ws.row_dimensions[row[0].row].height = 13 * lines + 2
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True


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
    head = ws.cell(1, 1, f"{instansi.upper()}\n{draft.unit_name.upper()}")
    head.font = bold
    head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    # the instansi and unit names fill the block left of the identity fields, as on the form
    ws.merge_cells(start_row=1, start_column=1, end_row=len(IDENTITY_LABELS), end_column=2)
    for i, (key, label) in enumerate(IDENTITY_LABELS, start=1):
        ws.cell(i, 3, label).font = bold
        ws.cell(i, 4, identity_value(doc, key)).alignment = wrap
    top = len(IDENTITY_LABELS) + 2
    last = 6 + len(draft.executors)  # the flowchart's last column
    for i, (key, label) in enumerate(SECTION_LABELS):
        r, c = divmod(i, 2)
        ws.cell(top + r * 2, 1 + c * 3, f"{label}:").font = bold
        value = identity_value(doc, key)
        ws.cell(top + r * 2 + 1, 1 + c * 3, value).alignment = wrap
        # each section's text spans its half of the page, not one narrow column
        for row in (top + r * 2, top + r * 2 + 1):
            ws.merge_cells(start_row=row, start_column=1 + c * 3, end_row=row,
                           end_column=3 if c == 0 else last)
        lines = sum(1 + len(part) // 60 for part in str(value or "").split("\n"))
        if lines > 1:
            ws.row_dimensions[top + r * 2 + 1].height = 13 * lines + 2

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
                  4 + n: time_text(row.time), 5 + n: row.output, 6 + n: row.note}
        for c in range(1, 7 + n):
            cell = ws.cell(r, c, values.get(c))
            cell.border = box
            cell.alignment = wrap
        if row.column is not None:
            link = connector_text(draft, row.number)
            cell = ws.cell(r, 3 + row.column, SYMBOLS[row.kind] + (f"\n{link}" if link else ""))
            cell.fill = fill
            cell.alignment = centre
    # No, Kegiatan and Keterangan span both header rows, as in the docx and the regulation's form
    for col in (1, 2, 6 + n):
        ws.merge_cells(start_row=start, start_column=col, end_row=start + 1, end_column=col)
    ws.row_dimensions[start + 1].height = 30  # executor names wrap to two lines
    for i in range(1, len(IDENTITY_LABELS) + 1):  # an identity value spans to the right edge
        ws.merge_cells(start_row=i, start_column=4, end_row=i, end_column=6 + n)
    _lay_out_for_print(ws, n, range(start + 2, start + 2 + len(draft.rows)))
    ws.cell(start + 3 + len(draft.rows), 1,
            "Simbol: ⬭ terminator (mulai/selesai), ▭ kegiatan, ◇ keputusan, "
            "⬠ penghubung antarhalaman, → arah alur ke langkah bernomor.")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
