"""The template workbook layout, and the shipped template templates/peta-proses-template.xlsx.

``add_map_sheet``, ``add_guide_sheet`` and ``add_lists_sheet`` build the sheets both the empty
template and ``probis export-excel`` (excel_export) write. Run
``python -m probis.plugins.interop.excel_template`` after changing the layout; a test checks
that the committed file has the same content as a fresh generation.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .excel_layout import (
    DATE_META,
    GUIDE_SHEET,
    LISTS_SHEET,
    STATUSES,
    TEMPLATE_COLUMNS,
    TEMPLATE_FILE,
    TEMPLATE_META,
)

TEMPLATE = TEMPLATE_FILE
DATA_SHEET = "Peta Proses"
HEADER_ROW = len(TEMPLATE_META) + 2  # metadata, a blank row, then the table heading
FIXED_TIME = dt.datetime(2026, 1, 1)  # workbook properties: same content on every generation
TEMPLATE_LIST_ROWS = 500  # rows of each drop-down list the template leaves for the user
# the drop-down lists of the "Daftar Pilihan" sheet: key -> column heading (in column order)
LISTS = {"units": "Unit (id SOTK)", "sasaran": "Sasaran (id RPJMD/Renstra)",
         "indicators": "Indikator (id)", "maps": "Kode Peta"}
META_ROW = {key: row for row, (key, _) in enumerate(TEMPLATE_META, start=1)}
COLUMN_OF = {key: col for col, (key, _) in enumerate(TEMPLATE_COLUMNS, start=1)}

INSTRUCTIONS = [
    "Petunjuk pengisian templat Peta Proses Bisnis (probis)",
    "",
    f"1. Isi metadata peta di lembar peta (baris 1-{len(TEMPLATE_META)}, kolom B): Kode Peta, "
    "Judul, Level (0 untuk peta akar), Induk (kode peta induk), Unit (id unit SOTK), Status "
    "(draft/final).",
    "2. Penetapan (PermenPANRB 19/2018; aturan REG010): Ditetapkan dengan (mis. Keputusan Wali "
    "Kota Metro), Nomor Penetapan, Tanggal Penetapan, Penandatangan. Wajib untuk peta berstatus "
    "final.",
    "3. Evaluasi Terakhir (aturan REG011): tanggal evaluasi peta terakhir; peta dievaluasi paling "
    "lama setiap tahun. Tanggal: sel berformat Tanggal, atau tulis 2025-03-12, 12/03/2025 atau "
    "12 Maret 2025.",
    "4. Berkas (boleh kosong): nama berkas YAML di folder keluaran, mis. disdukcapil/PB.04.yaml. "
    "Kosong: berkas dinamai menurut Kode Peta.",
    "5. Isi satu baris per proses di bawah judul tabel. Kode proses = kode peta + satu segmen, "
    "misalnya PB.04.02.01. Format sel kode sebagai Teks agar 1.10 tidak menjadi 1.1.",
    "6. Kategori: inti, manajemen, atau pendukung (pilih dari daftar).",
    "7. Pemilik / Penanggung Jawab: id unit SOTK yang bertanggung jawab (satu unit).",
    "8. Kolom daftar (Pemasok, Masukan, Keluaran, Pelanggan, Sasaran, Unit Terkait, Indikator, "
    "Sub Kegiatan, SOP, Proses Berikutnya): beberapa nilai dipisah koma (,), titik koma (;) atau "
    "baris baru (Alt+Enter). Nilai yang memuat koma atau titik koma ditulis dalam tanda kutip "
    'ganda, mis. "Surat pengantar RT, RW"; tanda kutip di dalamnya ditulis dua kali ("").',
    f"9. Lembar '{LISTS_SHEET}': daftar pilihan untuk sel Unit, Pemilik, Sasaran, Induk. "
    "`probis export-excel` mengisinya dari SOTK dan rencana; pada templat kosong, tempel sendiri "
    "id unit SOTK dan kode sasaran. Nilai di luar daftar hanya diberi peringatan.",
    "10. Untuk beberapa peta: salin lembar peta (satu lembar per peta), atau tambahkan kolom "
    "'Kode Peta'. Rincian di atas tabel hanya berlaku untuk peta yang Kode Peta-nya tertulis "
    "di sana; peta lain dari kolom 'Kode Peta' tidak mendapatkannya.",
    "11. Ubah ke YAML: probis import-excel berkas.xlsx -o peta/ . Impor ulang ke folder yang sama "
    "tidak menimpa berkas yang diubah sejak impor terakhir (kecuali dengan --force); --dry-run "
    "menampilkan berkas yang akan berubah.",
    "12. Sel yang tidak terbaca dilaporkan sekali dengan alamatnya, mis. 'Peta Proses'!B3; isi "
    "lain peta tetap diimpor.",
    "",
    "Contoh baris / example row:",
    "PB.04.02.01 | Penerbitan Kartu Keluarga | inti | disdukcapil.dafduk | Masyarakat; Kelurahan "
    "| Formulir F-1.01 | Kartu Keluarga | Masyarakat | DUK.S1",
    "",
    "In English: fill in the map's details in column B of rows 1-"
    f"{len(TEMPLATE_META)} (adoption: instrument, number, date, signatory, required for final "
    "maps, rule REG010; Evaluasi Terakhir: the date of the last evaluation, rule REG011; Berkas: "
    "optional YAML file name), then one row per process. List cells take several values "
    'separated by commas, semicolons or line breaks; write a value holding a comma in double '
    'quotes ("a, b"). With a Kode Peta column, the details above the table apply only to '
    "the map whose Kode Peta they name. Convert with `probis import-excel FILE.xlsx -o DIR`; "
    "a re-import never overwrites a file changed since the last import without --force.",
]


def _list_range(column: int, rows: int) -> str:
    letter = "ABCDEFGHIJ"[column - 1]
    return f"'{LISTS_SHEET}'!${letter}$2:${letter}${rows + 1}"


def add_map_sheet(wb: Workbook, title: str, list_rows: dict[str, int],
                  table_rows: int = 200) -> Worksheet:
    """An empty map sheet: labels, the table heading, text format on code cells and the
    drop-down lists (``list_rows``: rows each list of the lists sheet has; 0 = no list)."""
    ws = wb.create_sheet(title)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for row, (key, label) in enumerate(TEMPLATE_META, start=1):
        ws.cell(row=row, column=1, value=label).font = bold
        # codes stay text; dates show as dates
        ws.cell(row=row, column=2).number_format = "yyyy-mm-dd" if key in DATE_META else "@"
    for col, (_, heading) in enumerate(TEMPLATE_COLUMNS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=heading)
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[cell.column_letter].width = 14 if col == 1 else 26
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 40
    first, last = HEADER_ROW + 1, HEADER_ROW + table_rows
    for row in range(first, last + 1):
        ws.cell(row=row, column=1).number_format = "@"

    def column(key: str) -> str:
        letter = ws.cell(row=1, column=COLUMN_OF[key]).column_letter
        return f"{letter}{first}:{letter}{last}"

    def meta(key: str) -> str:
        return f"B{META_ROW[key]}"

    def add(where: list[str], strict: bool, **kwargs: object) -> None:
        # strict: refuse other values; else warn and let the user keep the value
        rule = DataValidation(allow_blank=True, **kwargs)  # type: ignore[arg-type]
        rule.showErrorMessage = True
        rule.errorStyle = "stop" if strict else "warning"
        for ref in where:
            rule.add(ref)
        ws.add_data_validation(rule)

    add([column("category")], False, type="list", formula1='"inti,manajemen,pendukung"')
    add([meta("status")], True, type="list", formula1='"' + ",".join(STATUSES) + '"')
    add([meta("level")], True, type="whole", operator="greaterThanOrEqual", formula1="0")
    lists = list(LISTS)
    if list_rows.get("units"):
        source = _list_range(lists.index("units") + 1, list_rows["units"])
        add([column("owner"), meta("unit")], False, type="list", formula1=source)
        many = DataValidation(type="list", formula1=source, allow_blank=True)
        many.showErrorMessage = False  # several units in one cell
        many.add(column("participants"))
        ws.add_data_validation(many)
    for key, col_key in (("sasaran", "supports"), ("indicators", "indicators")):
        if list_rows.get(key):
            many = DataValidation(type="list", allow_blank=True,
                                  formula1=_list_range(lists.index(key) + 1, list_rows[key]))
            many.showErrorMessage = False  # several ids in one cell
            many.add(column(col_key))
            ws.add_data_validation(many)
    if list_rows.get("maps"):
        add([meta("parent")], False, type="list",
            formula1=_list_range(lists.index("maps") + 1, list_rows["maps"]))
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    return ws


def add_guide_sheet(wb: Workbook, index: int | None = None) -> Worksheet:
    guide = wb.create_sheet(GUIDE_SHEET, index)
    for row, line in enumerate(INSTRUCTIONS, start=1):
        guide.cell(row=row, column=1, value=line or None)
    guide.column_dimensions["A"].width = 120
    for row in guide.iter_rows():
        row[0].alignment = Alignment(wrap_text=True)
    return guide


def add_lists_sheet(wb: Workbook, values: dict[str, list[str]]) -> Worksheet:
    """The values the drop-down lists offer, one column per list."""
    sheet = wb.create_sheet(LISTS_SHEET)
    for col, (key, heading) in enumerate(LISTS.items(), start=1):
        sheet.cell(row=1, column=col, value=heading).font = Font(bold=True)
        sheet.column_dimensions[sheet.cell(row=1, column=col).column_letter].width = 30
        for row, value in enumerate(values.get(key, []), start=2):
            cell = sheet.cell(row=row, column=col, value=value)
            cell.data_type = "s"  # an id is text, even one starting with '='
    return sheet


def build_template() -> Workbook:
    wb = Workbook()
    wb.properties.creator = "probis"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.remove(wb.active)
    add_map_sheet(wb, DATA_SHEET, dict.fromkeys(LISTS, TEMPLATE_LIST_ROWS))
    add_guide_sheet(wb)
    add_lists_sheet(wb, {})
    return wb


def main(argv: list[str] | None = None) -> None:
    target = Path(argv[0]) if argv else TEMPLATE
    target.parent.mkdir(parents=True, exist_ok=True)
    build_template().save(target)
    print(target)


if __name__ == "__main__":
    main(sys.argv[1:])
