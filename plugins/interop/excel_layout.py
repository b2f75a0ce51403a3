"""The worksheet layout Pemda process-map templates use, shared by the importer and the
template generator: column headings (with the variants people write) and map metadata labels.
"""

from __future__ import annotations

import re

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
}
TEMPLATE_META = [("code", "Kode Peta"), ("title", "Judul"), ("level", "Level"),
                 ("parent", "Induk"), ("unit", "Unit"), ("status", "Status")]
INFO_SHEET = "Info Peta"
CATEGORIES = {"inti": "inti", "core": "inti", "utama": "inti", "manajemen": "manajemen",
              "management": "manajemen", "pendukung": "pendukung", "support": "pendukung"}

_SPACE = re.compile(r"\s+")


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
