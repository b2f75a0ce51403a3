"""Excel process-map worksheets -> peta-proses documents (format v1).

A sheet holds one table with a heading row (Kode, Nama Proses, Kategori, Pemilik / Penanggung
Jawab, Pemasok, Masukan, Keluaran, Pelanggan, Sasaran, in any order, with the usual variants:
excel_layout.COLUMNS) and a row per process. Map metadata (Kode Peta, Judul, Level, Induk, Unit,
Status) sits in label/value cells above the table, or in a sheet named "Info Peta" that gives
defaults for every sheet; a "Kode Peta" column puts rows of one sheet into several maps.
Several values in one cell are separated by ';' or line breaks. A row that cannot be read is
reported by sheet and row, and the other rows are still imported.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from probis.engine.i18n import Text, text
from probis.engine.safetext import printable

from .excel_layout import (
    CATEGORIES,
    CODE_FIELDS,
    INFO_SHEET,
    LIST_ORDER,
    field_of_heading,
    meta_of_label,
    norm,
)

SKIP_SHEETS = {"petunjuk", "instructions", "instruksi", "daftar isi"}
HEADER_SCAN_ROWS = 30
_SPLIT = re.compile(r"[;\n\r]+")


@dataclass(frozen=True, order=True)
class RowProblem:
    sheet: str
    row: int | None
    column: str | None
    message: Text = field(compare=False)

    def describe(self, lang: str = "id") -> str:
        where = f"lembar / sheet '{self.sheet}'" if self.sheet else ""
        if self.row:
            where += f", baris / row {self.row}"
        if self.column:
            where += f", kolom / column {self.column}"
        message = self.message.get(lang) or self.message["id"]
        # a whole-file problem has no place; a sheet name may hold control characters
        return printable(f"{where}: {message}" if where else message)


@dataclass
class ImportResult:
    maps: list[dict[str, Any]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _RowError(Exception):
    def __init__(self, column: str | None, message: Text) -> None:
        super().__init__(message["en"])
        self.column = column
        self.message = message


def import_workbook(path: Path) -> ImportResult:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    result = ImportResult()
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        result.problems.append(RowProblem("", None, None, text(
            f"{path.name} bukan buku kerja Excel (.xlsx) yang dapat dibaca: {exc}",
            f"{path.name} is not a readable Excel workbook (.xlsx): {exc}")))
        return result
    try:
        defaults: dict[str, Any] = {}
        if INFO_SHEET in wb.sheetnames:
            _meta_pairs(list(wb[INFO_SHEET].iter_rows(values_only=True)), defaults)
        maps: dict[str, dict[str, Any]] = {}
        for ws in wb.worksheets:
            if ws.title == INFO_SHEET or norm(ws.title) in SKIP_SHEETS:
                continue
            _read_sheet(ws.title, list(ws.iter_rows(values_only=True)), defaults, maps, result)
    finally:
        wb.close()
    result.maps = list(maps.values())
    result.problems.sort()
    return result


def _meta_pairs(rows: list[tuple[Any, ...]], meta: dict[str, Any],
                lines: dict[str, int] | None = None) -> None:
    for number, row in enumerate(rows, start=1):
        cells = [c for c in row if c is not None and str(c).strip()]
        for label, value in zip(cells, cells[1:], strict=False):
            key = meta_of_label(label) if isinstance(label, str) else None
            if key and key not in meta and meta_of_label(value) is None:
                meta[key] = value
                if lines is not None:
                    lines[key] = number


def _header_row(rows: list[tuple[Any, ...]]) -> tuple[int, dict[int, str]] | None:
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns = {i: f for i, c in enumerate(row) if c is not None
                   and (f := field_of_heading(c)) is not None}
        if "code" in columns.values() and "name" in columns.values():
            return index, columns
    return None


def _read_sheet(sheet: str, rows: list[tuple[Any, ...]], defaults: dict[str, Any],
                maps: dict[str, dict[str, Any]], result: ImportResult) -> None:
    found = _header_row(rows)
    if found is None:
        if any(c is not None and str(c).strip() for row in rows for c in row):
            result.notes.append(
                f"sheet '{sheet}': no heading row with Kode and Nama Proses; skipped")
        return
    header_index, columns = found
    meta: dict[str, Any] = {}
    meta_lines: dict[str, int] = {}
    _meta_pairs(rows[:header_index], meta, meta_lines)
    meta = defaults | meta
    heading_of = {f: str(rows[header_index][i]).strip() for i, f in columns.items()}
    for number, row in enumerate(rows[header_index + 1:], start=header_index + 2):
        values = {f: row[i] if i < len(row) else None for i, f in columns.items()}
        if all(v is None or not str(v).strip() for v in values.values()):
            continue
        try:
            process = _process(values, heading_of)
            map_code = _code(values.get("map"), heading_of.get("map")) or _code(
                meta.get("code"), "Kode Peta")
            if not map_code:
                raise _RowError(None, text(
                    "kode peta tidak diketahui: isi 'Kode Peta' di atas tabel, di lembar "
                    "'Info Peta', atau di kolom 'Kode Peta'",
                    "map code unknown: fill in 'Kode Peta' above the table, in the sheet "
                    "'Info Peta', or in a 'Kode Peta' column"))
            target = maps.get(map_code)
            if target is None:
                target = _new_map(map_code, meta, sheet, meta_lines)
                maps[map_code] = target
        except _RowError as exc:
            result.problems.append(RowProblem(sheet, number, exc.column, exc.message))
            continue
        target["processes"].append(process)


def _new_map(code: str, meta: dict[str, Any], sheet: str,
             lines: dict[str, int]) -> dict[str, Any]:
    level = meta.get("level")
    if isinstance(level, float) and level.is_integer():
        level = int(level)
    if isinstance(level, str) and level.strip().isdigit():
        level = int(level.strip())
    if not isinstance(level, int) or isinstance(level, bool):
        raise _RowError("Level", text(
            f"level peta {code} tidak diisi atau bukan bilangan bulat (ditemukan: {level!r}); "
            "isi 'Level' di atas tabel atau di lembar 'Info Peta' (0 untuk peta akar)",
            f"the level of map {code} is missing or not a whole number (found: {level!r}); "
            "fill in 'Level' above the table or in the sheet 'Info Peta' (0 for a root map)"))
    doc: dict[str, Any] = {"kind": "peta-proses", "code": code}
    if meta.get("title"):
        doc["title"] = _text(meta["title"])
    doc["level"] = level
    for key in ("parent", "unit", "status"):
        value = _code(meta.get(key), key) if key != "status" else _text(meta.get(key))
        if value:
            doc[key] = value
    doc["processes"] = []
    return doc


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    out = re.sub(r"[ \t]+", " ", str(value)).strip()
    return out or None


def _code(value: Any, heading: str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise _RowError(heading, text("kode berisi benar/salah, bukan teks",
                                      "a code holds true/false, not text"))
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        # Excel stored 1.10 as the number 1.1: the trailing zero is gone and cannot be guessed
        raise _RowError(heading, text(
            f"kode {value!r} tersimpan sebagai angka sehingga nol di belakang bisa hilang; "
            "format sel sebagai Teks lalu ketik ulang kodenya",
            f"code {value!r} is stored as a number, so trailing zeros may be lost; format the "
            "cell as Text and type the code again"))
    return _text(value)


def _items(value: Any, heading: str | None, is_code: bool) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, str):
        one = _code(value, heading) if is_code else _text(value)
        return [one] if one else []
    return [p for p in (re.sub(r"\s+", " ", part).strip() for part in _SPLIT.split(value)) if p]


def _process(values: dict[str, Any], heading_of: dict[str, str]) -> dict[str, Any]:
    code = _code(values.get("code"), heading_of.get("code"))
    if not code:
        raise _RowError(heading_of.get("code"), text(
            "kolom kode proses kosong; setiap baris proses membutuhkan kode",
            "the process code is empty; every process row needs a code"))
    process: dict[str, Any] = {"code": code}
    name = _text(values.get("name"))
    if name:
        process["name"] = name
    category = _text(values.get("category"))
    if category:
        process["category"] = CATEGORIES.get(category.lower(), category)
    owners = _items(values.get("owner"), heading_of.get("owner"), True)
    if owners:
        process["owner"] = owners[0] if len(owners) == 1 else owners
    for key in LIST_ORDER:
        if key in values:
            items = _items(values[key], heading_of.get(key), key in CODE_FIELDS)
            if items:
                process[key] = items
    return process


def write_maps(maps: list[dict[str, Any]], out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for doc in maps:
        name = re.sub(r"[^A-Za-z0-9_.\-]", "_", doc["code"]) + ".yaml"
        path = out_dir / name
        body = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
        path.write_text("# Diimpor dari Excel oleh `probis import-excel` / imported from Excel\n"
                        + body, encoding="utf-8")
        written.append(path)
    return written
