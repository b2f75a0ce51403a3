"""The worksheet layout Pemda process-map templates use, shared by the importer and the
template generator: column headings (with the variants people write) and map metadata labels.
"""

from __future__ import annotations

import re
from pathlib import Path

# the shipped template (`probis template -o DIR` copies it out)
TEMPLATE_FILE = Path(__file__).resolve().parent / "templates" / "peta-proses-template.xlsx"
STATUSES = ("draft", "final")
# format-v1 field -> headings seen in Pemda worksheets (compared lower-case, spaces collapsed)
COLUMNS: dict[str, tuple[str, ...]] = {
    "map": ("kode peta",),
    "code": ("kode", "kode proses", "no. proses", "nomor proses"),
    "name": ("nama proses", "proses", "proses bisnis", "nama proses bisnis", "uraian proses"),
    "category": ("kategori", "jenis proses", "kategori proses", "tipe proses"),
    "owner": ("pemilik", "penanggung jawab", "pemilik / penanggung jawab",
              "pemilik/penanggung jawab", "pemilik proses", "unit pemilik", "unit kerja"),
    "participants": ("unit terkait", "pelaksana lain", "peserta"),
    "suppliers": ("pemasok", "supplier", "pemasok (supplier)"),
    "inputs": ("masukan", "input", "masukan (input)"),
    "outputs": ("keluaran", "output", "keluaran (output)"),
    "customers": ("pelanggan", "customer", "pelanggan (customer)", "pengguna"),
    "supports": ("sasaran", "sasaran yang didukung", "mendukung sasaran", "kode sasaran"),
    "indicators": ("indikator", "kode indikator"),
    "subkegiatan": ("sub kegiatan", "subkegiatan", "kode sub kegiatan"),
    "sop": ("sop", "nomor sop"),
    "next": ("proses berikutnya", "berikutnya", "next"),
}
# the headings the shipped template uses, in order
TEMPLATE_COLUMNS = [
    ("code", "Kode"), ("name", "Nama Proses"), ("category", "Kategori"),
    ("owner", "Pemilik / Penanggung Jawab"), ("suppliers", "Pemasok"), ("inputs", "Masukan"),
    ("outputs", "Keluaran"), ("customers", "Pelanggan"), ("supports", "Sasaran"),
    ("participants", "Unit Terkait"), ("indicators", "Indikator"),
    ("subkegiatan", "Sub Kegiatan"), ("sop", "SOP"), ("next", "Proses Berikutnya"),
]
# in the order of format.md
LIST_ORDER = ("participants", "suppliers", "inputs", "outputs", "customers", "supports",
              "indicators", "subkegiatan", "sop", "next")
CODE_FIELDS = {"code", "map", "owner", "supports", "indicators", "subkegiatan", "sop", "next",
               "participants"}

# map metadata: label in the header area (or the "Info Peta" sheet) -> peta-proses field
META: dict[str, tuple[str, ...]] = {
    "code": ("kode peta", "kode"),
    "title": ("judul", "judul peta", "nama peta"),
    "level": ("level", "tingkat", "level peta"),
    "parent": ("induk", "peta induk", "kode induk"),
    "unit": ("unit", "unit kerja", "perangkat daerah", "opd"),
    "status": ("status",),
    # penetapan (adoption, REG010) and the last evaluation (REG011)
    "adopted.instrument": ("ditetapkan dengan", "penetapan", "dasar penetapan",
                           "jenis penetapan", "adopted by"),
    "adopted.number": ("nomor penetapan", "no. penetapan", "nomor keputusan"),
    "adopted.date": ("tanggal penetapan", "tgl. penetapan", "tgl penetapan"),
    "adopted.signatory": ("penandatangan", "ditandatangani oleh", "pejabat penetap"),
    "last_evaluated": ("evaluasi terakhir", "tanggal evaluasi", "terakhir dievaluasi",
                       "tanggal evaluasi terakhir"),
    # where the YAML goes, relative to the output folder (export-excel fills it in)
    "file": ("berkas", "berkas yaml"),
}
TEMPLATE_META = [("code", "Kode Peta"), ("title", "Judul"), ("level", "Level"),
                 ("parent", "Induk"), ("unit", "Unit"), ("status", "Status"),
                 ("adopted.instrument", "Ditetapkan dengan"),
                 ("adopted.number", "Nomor Penetapan"), ("adopted.date", "Tanggal Penetapan"),
                 ("adopted.signatory", "Penandatangan"),
                 ("last_evaluated", "Evaluasi Terakhir"), ("file", "Berkas")]
DATE_META = ("adopted.date", "last_evaluated")
INFO_SHEET = "Info Peta"
GUIDE_SHEET = "Petunjuk"
LISTS_SHEET = "Daftar Pilihan"  # the values the drop-down lists offer
RECORD_SHEET = "_probis"  # hidden: the files export-excel read and their SHA-256
# "utama" is not one of PermenPANRB 19/2018's categories: kept as written, REG001 reports it
CATEGORIES = {"inti": "inti", "core": "inti", "manajemen": "manajemen",
              "management": "manajemen", "pendukung": "pendukung", "support": "pendukung"}

_SPACE = re.compile(r"\s+")
# a list cell: items separated by commas, semicolons or line breaks; an item holding one of
# those is written in double quotes ("Surat A, B"), a quote inside it doubled
_ITEM = re.compile(r'\s*(?:"((?:[^"]|"")*)"|([^,;\r\n]*))\s*(?:[,;\r\n]|$)')
_SEPARATORS = re.compile(r"[,;\r\n]")
_NEEDS_QUOTES = re.compile(r'[,;\r\n"]')


def _tidy(item: str) -> str:
    return _SPACE.sub(" ", item).strip()


def split_list(cell: str) -> list[str]:
    """The items of a list cell, empty items left out. An unquoted item has its spaces
    collapsed and trimmed; a quoted one is kept exactly as written between the quotes (line
    breaks, leading spaces), so that a value export-excel wrote comes back as it was."""
    if '"' not in cell:  # the usual case, without the item-by-item scan
        return [p for p in (_tidy(item) for item in _SEPARATORS.split(cell)) if p]
    items = []
    pos = 0
    while pos < len(cell):
        match = _ITEM.match(cell, pos)
        if match is None or match.end() == pos:  # a stray quote: the rest is one item
            items.append(_tidy(cell[pos:].strip(" ,;\r\n")))
            break
        quoted, plain = match.groups()
        items.append(quoted.replace('""', '"') if quoted is not None else _tidy(plain))
        pos = match.end()
    return [p for p in items if p.strip()]


def join_list(items: list[str]) -> str:
    """The cell text of a list, one item a line: split_list(join_list(x)) == x. An item that
    holds a separator or a quote, or whose spacing an unquoted item would lose (a leading or
    trailing space, a run of spaces, a tab, a line break), is written in double quotes."""
    return "\n".join(f'"{i.replace(chr(34), chr(34) * 2)}"'
                     if _NEEDS_QUOTES.search(i) or _tidy(i) != i else i for i in items)


def norm(value: object) -> str:
    return _SPACE.sub(" ", str(value)).strip().lower().rstrip(":")


def field_of_heading(value: object) -> str | None:
    heading = norm(value)
    for name, variants in COLUMNS.items():
        if heading in variants:
            return name
    return None


def meta_of_label(value: object) -> str | None:
    label = norm(value)
    for name, variants in META.items():
        if label in variants:
            return name
    return None
