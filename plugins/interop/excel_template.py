"""Generate the shipped template workbook templates/peta-proses-template.xlsx.

Run ``python -m probis.plugins.interop.excel_template`` after changing the layout; a test
checks that the committed file has the same content as a fresh generation.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from .excel_layout import TEMPLATE_COLUMNS, TEMPLATE_META

TEMPLATE = Path(__file__).resolve().parent / "templates" / "peta-proses-template.xlsx"
DATA_SHEET = "Peta Proses"
HEADER_ROW = len(TEMPLATE_META) + 2  # metadata, a blank row, then the table heading
FIXED_TIME = dt.datetime(2026, 1, 1)  # workbook properties: same content on every generation

INSTRUCTIONS = [
    "Petunjuk pengisian templat Peta Proses Bisnis (probis)",
    "",
    "1. Isi metadata peta di lembar 'Peta Proses' baris 1-6 (kolom B): Kode Peta, Judul, Level "
    "(0 untuk peta akar), Induk (kode peta induk), Unit (id unit SOTK), Status (draft/final).",
    "2. Isi satu baris per proses di bawah judul tabel. Kode proses = kode peta + satu segmen, "
    "misalnya PB.04.02.01. Format sel kode sebagai Teks agar 1.10 tidak menjadi 1.1.",
    "3. Kategori: inti, manajemen, atau pendukung.",
    "4. Pemilik / Penanggung Jawab: id unit SOTK yang bertanggung jawab (satu unit).",
    "5. Pemasok, Masukan, Keluaran, Pelanggan, Sasaran: beberapa nilai dipisah ';' atau baris "
    "baru (Alt+Enter). Sasaran diisi dengan kode sasaran RPJMD/Renstra.",
    "6. Untuk beberapa peta: salin lembar 'Peta Proses' (satu lembar per peta), atau tambahkan "
    "kolom 'Kode Peta'.",
    "7. Ubah ke YAML: probis import-excel berkas.xlsx -o peta/",
    "",
    "Contoh baris / example row:",
    "PB.04.02.01 | Penerbitan Kartu Keluarga | inti | disdukcapil.dafduk | Masyarakat; Kelurahan "
    "| Formulir F-1.01 | Kartu Keluarga | Masyarakat | DUK.S1",
]


def build_template() -> Workbook:
    wb = Workbook()
    wb.properties.creator = "probis"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    ws = wb.active
    ws.title = DATA_SHEET
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for row, (_, label) in enumerate(TEMPLATE_META, start=1):
        ws.cell(row=row, column=1, value=label).font = bold
        ws.cell(row=row, column=2).number_format = "@"  # codes stay text
    for col, (_, heading) in enumerate(TEMPLATE_COLUMNS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=heading)
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[cell.column_letter].width = 14 if col == 1 else 26
    for row in range(HEADER_ROW + 1, HEADER_ROW + 201):
        ws.cell(row=row, column=1).number_format = "@"
    category_col = next(i for i, (f, _) in enumerate(TEMPLATE_COLUMNS, start=1) if f == "category")
    letter = ws.cell(row=HEADER_ROW, column=category_col).column_letter
    rule = DataValidation(type="list", formula1='"inti,manajemen,pendukung"', allow_blank=True)
    rule.add(f"{letter}{HEADER_ROW + 1}:{letter}{HEADER_ROW + 200}")
    ws.add_data_validation(rule)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)

    guide = wb.create_sheet("Petunjuk")
    for row, line in enumerate(INSTRUCTIONS, start=1):
        guide.cell(row=row, column=1, value=line or None)
    guide.column_dimensions["A"].width = 120
    return wb


def main(argv: list[str] | None = None) -> None:
    target = Path(argv[0]) if argv else TEMPLATE
    target.parent.mkdir(parents=True, exist_ok=True)
    build_template().save(target)
    print(target)


if __name__ == "__main__":
    main(sys.argv[1:])
