"""Excel process-map worksheets -> peta-proses documents (format v1).

A sheet holds one table with a heading row (Kode, Nama Proses, Kategori, Pemilik / Penanggung
Jawab, Pemasok, Masukan, Keluaran, Pelanggan, Sasaran, ..., in any order, with the usual
variants: excel_layout.COLUMNS) and a row per process. Map metadata (Kode Peta, Judul, Level,
Induk, Unit, Status, the penetapan cells, Evaluasi Terakhir, Berkas) sits in label/value cells
above the table, or in a sheet named "Info Peta" that gives defaults for every sheet; a "Kode
Peta" column puts rows of one sheet into several maps. Several values in one cell are separated
by commas, semicolons or line breaks (excel_layout.split_list). A cell that cannot be read is
reported once, by sheet and cell address, and left out; the rest of its row and map is still
imported (as the YAML loader does, engine/lenient.py). Only a row without a readable process
code, or whose map is unknown, is dropped.

Writing merges into the output folder: a manifest (MANIFEST) records the SHA-256 of every file
written, and a file whose content no longer matches it (edited by hand since), or that probis
never wrote, is replaced only with ``force``.

A workbook is untrusted input (issue 20): before any XML is parsed, the archive's entry count
and declared uncompressed sizes are checked against docs/limits.md (zipfile never inflates an
entry past its declared size, so a zip bomb is stopped here); rows are streamed (xlsx_stream:
one pass per sheet, one row in memory) and counted against the element limit. Merged cells in
the table and formulas without a cached value are reported by sheet and cell, never dropped
in silence.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from probis.engine.atomic import write_output
from probis.engine.i18n import Text, text
from probis.engine.limits import Limits
from probis.engine.safetext import printable

from . import xlsx_stream
from .excel_layout import (
    CATEGORIES,
    CODE_FIELDS,
    DATE_META,
    GUIDE_SHEET,
    INFO_SHEET,
    LIST_ORDER,
    LISTS_SHEET,
    RECORD_SHEET,
    STATUSES,
    TEMPLATE_META,
    field_of_heading,
    meta_of_label,
    norm,
    split_list,
)

SKIP_SHEETS = {norm(GUIDE_SHEET), norm(LISTS_SHEET), "instructions", "instruksi", "daftar isi"}
HEADER_SCAN_ROWS = 30
_BASE_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when present
_STR, _INT, _BOOL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool"
_MAP, _SEQ = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"


class _Dumper(_BASE_DUMPER):  # type: ignore[misc, valid-type]
    """The safe dumper, faster on the importer's plain documents (the same text: a test
    compares it with yaml.safe_dump). libyaml emits, but representing and resolving stay in
    Python and cost most of the time on 100,000 rows: nodes are built here directly, and the
    implicit-tag check of a scalar (pure, a function of its text) is remembered, since keys
    and many values repeat."""

    _resolved: dict[tuple[str, Any], str] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is not yaml.ScalarNode:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = self._resolved.get(key)
        if tag is None:
            if len(self._resolved) > 100_000:
                self._resolved.clear()
            tag = self._resolved[key] = super().resolve(kind, value, implicit)
        return tag

    def node(self, data: Any) -> yaml.Node:
        if isinstance(data, str):
            return yaml.ScalarNode(_STR, data)
        if isinstance(data, bool):
            return yaml.ScalarNode(_BOOL, "true" if data else "false")
        if isinstance(data, int):
            return yaml.ScalarNode(_INT, str(data))
        if isinstance(data, dict):
            return yaml.MappingNode(_MAP, [(self.node(k), self.node(v)) for k, v in data.items()],
                                    flow_style=False)
        if isinstance(data, list):
            return yaml.SequenceNode(_SEQ, [self.node(v) for v in data], flow_style=False)
        return self.represent_data(data)  # anything else: the representer's way


_PLAIN = re.compile(r"[A-Za-z0-9(][A-Za-z0-9 ._/()+,;'=-]*")
_PLAIN_WIDTH = 80  # PyYAML folds a plain scalar only past column 100


_DUMPER_PROBE = _Dumper(None)  # type: ignore[arg-type]  # its resolve() only


def _fast_dump(doc: dict[str, Any]) -> str | None:
    """The YAML text PyYAML's block style gives a document of short, plain ASCII scalars (the
    usual case), written directly; None when any value might need quoting or folding, and
    then the dumper writes the document."""
    resolver = _Dumper.resolve
    out: list[str] = []

    def scalar(value: Any, column: int) -> str | None:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value.isoformat()  # what PyYAML writes for a date
        if isinstance(value, bool) or not isinstance(value, str | int):
            return None
        text = str(value)
        if isinstance(value, int):
            return text
        if (column + len(text) > _PLAIN_WIDTH or not _PLAIN.fullmatch(text)
                or text.endswith(" ") or "  " in text or " '" in text
                or resolver(_DUMPER_PROBE, yaml.ScalarNode, text, (True, False)) != _STR):
            return None
        return text

    def mapping(data: dict[str, Any], indent: str, first: str) -> bool:
        lead = first
        for key, value in data.items():
            k = scalar(key, len(lead))
            if k is None or isinstance(key, int):
                return False
            if isinstance(value, list):
                if not value:
                    out.append(f"{lead}{k}: []\n")
                else:
                    out.append(f"{lead}{k}:\n")
                    for item in value:
                        if isinstance(item, dict):
                            if not item or not mapping(item, indent + "  ", indent + "- "):
                                return False
                        else:
                            v = scalar(item, len(indent) + 2)
                            if v is None:
                                return False
                            out.append(f"{indent}- {v}\n")
            else:
                v = scalar(value, len(lead) + len(k) + 2)
                if v is None:
                    return False
                out.append(f"{lead}{k}: {v}\n")
            lead = indent
        return True

    if not doc or not mapping(doc, "", ""):
        return None
    return "".join(out)


def _dump(doc: dict[str, Any]) -> str:
    import io

    fast = _fast_dump(doc)
    if fast is not None:
        return fast

    stream = io.StringIO()
    dumper = _Dumper(stream, default_flow_style=False, sort_keys=False, allow_unicode=True,
                     width=100)
    try:
        dumper.open()
        dumper.serialize(dumper.node(doc))
        dumper.close()
    finally:
        dumper.dispose()
    return stream.getvalue()


@dataclass(frozen=True, order=True)
class RowProblem:
    """A cell (``column`` is its address, e.g. B3, or a merged range), a row, a sheet or the
    whole file that could not be read as it stands."""

    sheet: str
    row: int | None
    column: str | None
    message: Text = field(compare=False)

    def describe(self, lang: str = "id") -> str:
        message = self.message.get(lang) or self.message["id"]
        if self.sheet and self.column and _CELL_REF.fullmatch(self.column):
            where = f"{sheet_ref(self.sheet)}!{self.column}"  # as Excel's Name Box takes it
        else:
            en = lang == "en"
            where = (f"sheet '{self.sheet}'" if en else f"lembar '{self.sheet}'") \
                if self.sheet else ""
            if self.row:
                where += f", row {self.row}" if en else f", baris {self.row}"
            if self.column:
                where += f", column {self.column}" if en else f", kolom {self.column}"
        # a whole-file problem has no place; a sheet name may hold control characters
        return printable(f"{where}: {message}" if where else message)


_CELL_REF = re.compile(r"[A-Z]{1,3}[0-9]+(:[A-Z]{1,3}[0-9]+)?")


def sheet_ref(title: str) -> str:
    """A sheet name as a formula writes it: quoted unless it is letters, digits and _."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", title):
        return title
    return "'" + title.replace("'", "''") + "'"


@dataclass
class ImportResult:
    maps: list[dict[str, Any]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[Text] = field(default_factory=list)  # both languages; the command picks one
    # map code -> the file it goes to, relative to the output folder ("Berkas" cell)
    files: dict[str, str] = field(default_factory=dict)
    # file -> SHA-256 of the YAML file export-excel read (the hidden record sheet)
    recorded: dict[str, str] = field(default_factory=dict)


class _RowError(Exception):
    def __init__(self, column: str | None, message: Text) -> None:
        super().__init__(message["en"])
        self.column = column
        self.message = message


class _TooBig(Exception):
    pass


# a metadata value and where it was read: (value, sheet, cell address)
_Cell = tuple[Any, str, str]


@dataclass
class _Context:
    """What one import gathers across sheets."""

    result: ImportResult
    date1904: bool = False
    defaults: dict[str, Any] = field(default_factory=dict)
    # map code -> (the Level cell or None, its value) for maps whose level was not a number
    pending_levels: dict[str, tuple[_Cell | None, str]] = field(default_factory=dict)
    # maps whose "Berkas" cell was refused: not imported, rather than written elsewhere
    refused_file: set[str] = field(default_factory=set)


def import_workbook(path: Path, limits: Limits | None = None) -> ImportResult:
    limits = limits or Limits.from_env()
    result = ImportResult()
    budget = [limits.max_elements]
    maps: dict[str, dict[str, Any]] = {}
    context = _Context(result)
    try:
        _check_archive(path, limits)
        with zipfile.ZipFile(path) as archive:
            worksheets = xlsx_stream.sheets(archive)
            context.date1904 = xlsx_stream.is_date1904(archive)
            strings = xlsx_stream.shared_strings(archive)
            budget[0] -= len(strings)
            for sheet in worksheets:
                if sheet.title == INFO_SHEET:
                    cells: dict[str, _Cell] = {}
                    _meta_pairs(_rows(archive, sheet, strings, budget), sheet.title, cells)
                    context.defaults = _parse_meta(cells, context)
                    _report_unreadable(sheet.title, sheet, result)
                elif sheet.title == RECORD_SHEET:
                    _read_record(_rows(archive, sheet, strings, budget), result)
            for sheet in worksheets:
                if sheet.title in (INFO_SHEET, RECORD_SHEET) or norm(sheet.title) in SKIP_SHEETS:
                    continue
                _read_sheet(sheet.title, _rows(archive, sheet, strings, budget), context, maps,
                            sheet)
    except _TooBig as exc:
        return ImportResult(problems=[RowProblem("", None, None, exc.args[0])])
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError) as exc:
        # SyntaxError: ElementTree's ParseError (the file is damaged or not a workbook)
        return ImportResult(problems=[RowProblem("", None, None, text(
            f"{path.name} bukan buku kerja Excel (.xlsx) yang dapat dibaca: {exc}",
            f"{path.name} is not a readable Excel workbook (.xlsx): {exc}"))])
    _resolve_levels(maps, context)
    result.maps = [m for code, m in maps.items() if code not in context.refused_file]
    result.problems.sort()
    return result


def _check_archive(path: Path, limits: Limits) -> None:
    """The file size, entry count and declared uncompressed sizes, before anything is
    inflated: zipfile stops every entry at its declared size, so these bound the work."""
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise _TooBig(text(
            f"{path.name} terlalu besar ({size:,} bita, batas {limits.max_file_bytes:,}); "
            "naikkan batas dengan PROBIS_MAX_FILE_BYTES",
            f"{path.name} is too large ({size:,} bytes, limit {limits.max_file_bytes:,}); "
            "raise the limit with PROBIS_MAX_FILE_BYTES"))
    with zipfile.ZipFile(path) as archive:
        entries = archive.infolist()
    if len(entries) > limits.max_files:
        raise _TooBig(text(
            f"{path.name} berisi {len(entries):,} entri arsip (batas {limits.max_files:,}); "
            "naikkan batas dengan PROBIS_MAX_FILES",
            f"{path.name} holds {len(entries):,} archive entries (limit {limits.max_files:,}); "
            "raise the limit with PROBIS_MAX_FILES"))
    total = sum(e.file_size for e in entries)
    if total > limits.max_file_bytes:
        big = max(entries, key=lambda e: e.file_size)
        raise _TooBig(text(
            f"{path.name} mengembang menjadi {total:,} bita saat dibuka ({big.filename}: "
            f"{big.file_size:,}; batas {limits.max_file_bytes:,}); naikkan batas dengan "
            "PROBIS_MAX_FILE_BYTES",
            f"{path.name} expands to {total:,} bytes when unpacked ({big.filename}: "
            f"{big.file_size:,}; limit {limits.max_file_bytes:,}); raise the limit with "
            "PROBIS_MAX_FILE_BYTES"))


def _rows(archive: zipfile.ZipFile, sheet: xlsx_stream.Sheet, strings: list[str],
          budget: list[int]) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows, streamed; each cell (and each row) counts against the element
    limit, so a sheet of millions of cells, or a row numbered 1,048,576, is stopped."""
    for row in xlsx_stream.rows(archive, sheet, strings):
        budget[0] -= len(row) + 1
        if budget[0] < 0:
            limit = Limits.from_env().max_elements
            raise _TooBig(text(
                f"lembar '{sheet.title}' melampaui batas {limit:,} sel; naikkan batas dengan "
                "PROBIS_MAX_ELEMENTS",
                f"sheet '{sheet.title}' goes past the limit of {limit:,} cells; raise the limit "
                "with PROBIS_MAX_ELEMENTS"))
        yield row


def _meta_pairs(rows: Iterable[tuple[Any, ...]], sheet: str, meta: dict[str, _Cell]) -> None:
    """Label/value pairs: a known label followed (in the same row) by a non-empty value."""
    for number, row in enumerate(rows, start=1):
        cells = [(i, c) for i, c in enumerate(row) if c is not None and str(c).strip()]
        for (_, label), (index, value) in zip(cells, cells[1:], strict=False):
            key = meta_of_label(label) if isinstance(label, str) else None
            if key and key not in meta and meta_of_label(value) is None:
                meta[key] = (value, sheet, f"{xlsx_stream.letters(index)}{number}")


def _read_record(rows: Iterable[tuple[Any, ...]], result: ImportResult) -> None:
    for row in rows:
        if len(row) >= 2 and isinstance(row[0], str) and isinstance(row[1], str) \
                and re.fullmatch(r"[0-9a-f]{64}", row[1]):
            result.recorded[row[0]] = row[1]


def _header_row(rows: list[tuple[Any, ...]]) -> tuple[int, dict[int, str]] | None:
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns = {i: f for i, c in enumerate(row) if c is not None
                   and (f := field_of_heading(c)) is not None}
        if "code" in columns.values() and "name" in columns.values():
            return index, columns
    return None


def _read_sheet(sheet: str, rows: Iterable[tuple[Any, ...]], context: _Context,
                maps: dict[str, dict[str, Any]],
                suspects: xlsx_stream.Sheet | None = None) -> None:
    result = context.result
    stream = iter(rows)
    head = list(itertools.islice(stream, HEADER_SCAN_ROWS))
    found = _header_row(head)
    if found is None:
        if any(c is not None and str(c).strip() for row in itertools.chain(head, stream)
               for c in row):
            result.notes.append(text(
                id=f"lembar '{sheet}': tidak ada baris judul dengan \"Kode\" dan \"Nama "
                   "Proses\"; dilewati",
                en=f"sheet '{sheet}': no heading row with \"Kode\" and \"Nama Proses\"; "
                   "skipped"))
        return
    header_index, columns = found
    cells: dict[str, _Cell] = {}
    _meta_pairs(head[:header_index], sheet, cells)
    # each cell of the sheet's own metadata is judged (and reported) once
    own = _parse_meta(cells, context)
    meta = context.defaults | own
    # details written beside a Kode Peta above the table are that map's: a map of the sheet's
    # Kode Peta column with another code gets only the Info Peta defaults
    header_code = own.get("code")
    withheld: list[str] = []
    letter_of = {f: xlsx_stream.letters(i) for i, f in columns.items()}
    body = itertools.chain(head[header_index + 1:], stream)
    has_map_column = "map" in columns.values()
    unknown_map = 0
    for number, row in enumerate(body, start=header_index + 2):
        values = {f: row[i] if i < len(row) else None for i, f in columns.items()}
        if all(v is None or not str(v).strip() for v in values.values()):
            continue
        try:
            map_code = _code(values.get("map"), _at(letter_of, "map", number)) \
                if has_map_column else None
            map_code = map_code or meta.get("code")
            if not map_code:
                if not has_map_column:
                    unknown_map += 1
                    continue
                raise _RowError(_at(letter_of, "map", number), text(
                    "kode peta tidak diketahui: isi sel ini, atau 'Kode Peta' di atas tabel atau "
                    "di lembar 'Info Peta'",
                    "map code unknown: fill in this cell, or 'Kode Peta' above the table or in "
                    "the sheet 'Info Peta'"))
            process = _process(values, letter_of, number, sheet, result)
        except _RowError as exc:
            result.problems.append(RowProblem(sheet, number, exc.column, exc.message))
            continue
        target = maps.get(map_code)
        if target is None:
            details = meta
            if header_code and map_code != header_code:
                details = context.defaults
                withheld.append(map_code)
            target = maps[map_code] = _new_map(map_code, details, context)
        target["processes"].append(process)
    code = meta.get("code")
    # a map without process rows yet; with a Kode Peta column, the one named above the table
    if (header_code if has_map_column else code) and code not in maps:
        maps[code] = _new_map(code, meta, context)
    if withheld:
        _note_withheld(sheet, cells, own, withheld, context)
    if unknown_map:  # once for the sheet, not once per row
        result.problems.append(RowProblem(sheet, None, None, text(
            f"kode peta tidak diketahui, {unknown_map} baris proses tidak diimpor: isi 'Kode "
            "Peta' di atas tabel, di lembar 'Info Peta', atau di kolom 'Kode Peta'",
            f"map code unknown, {unknown_map} process rows not imported: fill in 'Kode Peta' "
            "above the table, in the sheet 'Info Peta', or in a 'Kode Peta' column")))
    if suspects is not None:  # known once the sheet is read to its end
        _report_suspects(sheet, suspects, header_index + 1, result)
        _report_unreadable(sheet, suspects, result)


def _note_withheld(sheet: str, cells: dict[str, _Cell], own: dict[str, Any],
                   withheld: list[str], context: _Context) -> None:
    """A warning: the details above the table were not given to the sheet's other maps."""
    details = [key for key in cells if key != "code" and own.get(key) is not None]
    if not details:
        return
    code = own["code"]
    where = printable(f"{sheet_ref(sheet)}!{cells['code'][2]}")
    shown = ", ".join(f"{cells[key][2]} {_LABEL.get(key, key)}" for key in details)
    others = ", ".join(withheld)
    en_others = (f"map {others} of this sheet's Kode Peta column does not" if len(withheld) == 1
                 else f"maps {others} of this sheet's Kode Peta column do not")
    context.result.notes.append(text(
        f"{where}: rincian di atas tabel ({shown}) milik peta {code} (Kode Peta di sel ini) dan "
        f"hanya dipakai untuk peta itu; peta {others} dari kolom Kode Peta di lembar ini tidak "
        "mendapatkannya. Beri setiap peta lembarnya sendiri dengan rinciannya di atas tabel",
        f"{where}: the details above the table ({shown}) belong to map {code} (the Kode Peta "
        f"in this cell) and are used for that map only; {en_others} get them. Give each map "
        "a sheet of its own with its details above the table"))


def _at(letter_of: dict[str, str], name: str, row: int) -> str | None:
    letters = letter_of.get(name)
    return f"{letters}{row}" if letters else None


def _report_suspects(sheet: str, suspects: xlsx_stream.Sheet, header_row: int,
                     result: ImportResult) -> None:
    """Input errors for cells whose content cannot be read: a formula never calculated
    (saved by a generator, not by Excel) reads as empty; a merged range in or below the heading
    row keeps its value in its first cell only, so the rows it spans would lose it."""
    for row, address in suspects.formulas:
        result.problems.append(RowProblem(sheet, row, address, text(
            f"sel {address} berisi rumus tanpa nilai tersimpan; buka dan simpan berkas di Excel "
            "(agar rumus dihitung) atau ganti rumus dengan nilainya",
            f"cell {address} holds a formula without a saved value; open and save the file in "
            "Excel (so the formula is calculated) or replace the formula with its value")))
    for first, last, ref in suspects.merged:
        if last <= header_row:
            continue  # a merged title or label above the table: its value is read as usual
        result.problems.append(RowProblem(sheet, first, ref, text(
            f"sel {ref} digabung (merge); nilainya hanya ada di sel pertama sehingga baris lain "
            "kehilangan isinya: pisahkan sel (Unmerge) dan isi setiap baris",
            f"cells {ref} are merged; the value is only in the first cell, so the other rows "
            "would lose it: unmerge the cells and fill in every row")))


def _report_unreadable(sheet: str, read: xlsx_stream.Sheet, result: ImportResult) -> None:
    """Input errors for the shared-string cells of a sheet read whose index the workbook's
    table does not hold (past its end, or not a number): the value is lost, so say where."""
    for row, address, written in read.unreadable:
        shown = printable(written if len(written) <= 20 else written[:20] + "...")
        result.problems.append(RowProblem(sheet, row, address, text(
            f"sel {address} tidak dapat dibaca: merujuk teks bersama `{shown}`, yang tidak ada "
            "di berkas (berkas rusak atau dibuat oleh program lain); buka dan simpan berkas di "
            "Excel, atau ketik ulang isi sel",
            f"cell {address} cannot be read: it refers to shared string `{shown}`, which the "
            "file does not hold (a damaged file, or one written by another program); open and "
            "save the file in Excel, or type the cell's content again")))


def _cell_problem(context: _Context, cell: _Cell, message: Text) -> None:
    _, sheet, address = cell
    row = int(address.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    context.result.problems.append(RowProblem(sheet, row, address, message))


_LABEL = dict(TEMPLATE_META)


def _parse_meta(cells: dict[str, _Cell], context: _Context) -> dict[str, Any]:
    """Map metadata from label/value cells. A cell that cannot be read is reported at its
    address and left out; the map keeps everything else (as the YAML loader does)."""
    out: dict[str, Any] = {}
    for key, cell in cells.items():
        value = cell[0]
        label = _LABEL.get(key, key)
        try:
            if key == "level":
                level = _whole(value)
                if level is None:
                    out["level"] = ("?", cell)  # resolved once every map is read
                    continue
                out[key] = level
            elif key in DATE_META:
                out[key] = _date(value, context.date1904, label)
            elif key == "status":
                out[key] = _status(value, label)
            elif key == "file":
                out[key] = _relative_path(value, label)
            elif key in ("title", "adopted.instrument", "adopted.signatory"):
                out[key] = _text(value)
            else:
                out[key] = _code(value, None)
        except _RowError as exc:
            _cell_problem(context, cell, _named(label, exc.message))
            if key == "file":
                out[key] = _REFUSED
    return out


def _named(label: str, message: Text) -> Text:
    return text(f"{label}: {message['id']}", f"{label}: {message['en']}")


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _status(value: Any, label: str) -> str | None:
    found = _text(value)
    if found is None:
        return None
    key = found.lower()
    key = {"draf": "draft", "rancangan": "draft", "ditetapkan": "final"}.get(key, key)
    if key not in STATUSES:
        raise _RowError(None, text(
            f"'{found}' bukan status yang dikenal; isi draft atau final",
            f"'{found}' is not a known status; fill in draft or final"))
    return key


_MONTHS = {name: n for n, names in enumerate((
    ("januari", "january", "jan"), ("februari", "february", "feb", "pebruari"),
    ("maret", "march", "mar"), ("april", "apr"), ("mei", "may"), ("juni", "june", "jun"),
    ("juli", "july", "jul"), ("agustus", "august", "agu", "aug", "agt"),
    ("september", "sep", "sept"), ("oktober", "october", "okt", "oct"),
    ("november", "nov", "nop", "nopember"), ("desember", "december", "des", "dec")), start=1)
    for name in names}
# Excel day numbers of 1950-01-01 .. 2100-12-31: a number outside is not taken for a date
_SERIAL_RANGE = (18264, 73415)


def _date(value: Any, date1904: bool, label: str) -> dt.date | None:
    """A date cell: Excel's day number (number formats are not applied by the reader), an ISO
    date, day/month/year (Indonesian order) or '12 Maret 2025'."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        low, high = _SERIAL_RANGE
        if low - (1462 if date1904 else 0) <= value <= high:
            base = dt.date(1904, 1, 1) if date1904 else dt.date(1899, 12, 30)
            return base + dt.timedelta(days=int(value))
    else:
        raw = _text(value) or ""
        found: dt.date | None = None
        try:
            if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]*)?", raw):
                found = dt.date(int(m[1]), int(m[2]), int(m[3]))
            elif m := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", raw):
                found = dt.date(int(m[3]), int(m[2]), int(m[1]))
            elif (m := re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})", raw)) \
                    and m[2].lower() in _MONTHS:
                found = dt.date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
        except ValueError:
            found = None
        if found is not None:
            return found
    raise _RowError(None, text(
        f"'{printable(str(value))}' bukan tanggal; tulis misalnya 2025-03-12 atau 12/03/2025, "
        "atau format sel sebagai Tanggal",
        f"'{printable(str(value))}' is not a date; write e.g. 2025-03-12 or 12/03/2025, or "
        "format the cell as Date"))


_REFUSED = object()  # the value of a "Berkas" cell that was refused (and reported)

# characters no file name may hold on Windows (':' also makes a drive letter, C:)
_RESERVED_CHARS = '<>:"|?*'


def _name_problem(raw: str) -> Text | None:
    """The one rule a "Berkas" cell breaks, or None for a relative YAML path below the output
    folder: parts of Unicode letters, digits, spaces and punctuation, separated by '/'."""
    parts = raw.split("/")
    if raw.startswith("/") or re.match(r"[A-Za-z]:", raw):
        return text("path absolut tidak boleh; tulis path relatif terhadap folder keluaran",
                    "an absolute path is not allowed; write a path relative to the output "
                    "folder")
    if any(unicodedata.category(c).startswith("C") for c in raw):
        return text("berisi karakter kendali atau tak terlihat",
                    "it holds a control or invisible character")
    if "\\" in raw:
        return text("'\\' bukan pemisah folder; pakai '/'", "'\\' is not a folder separator; "
                    "use '/'")
    if bad := sorted({c for c in raw if c in _RESERVED_CHARS}):
        shown = " ".join(bad)
        return text(f"berisi karakter yang tidak boleh dalam nama berkas: {shown}",
                    f"it holds characters a file name cannot hold: {shown}")
    if any(p in (".", "..") for p in parts):
        return text("bagian '.' atau '..' (naik folder) tidak boleh",
                    "a '.' or '..' part (going up a folder) is not allowed")
    if any(not p for p in parts):
        return text("ada bagian kosong ('//' atau '/' di akhir)",
                    "a part is empty ('//' or a '/' at the end)")
    if any(p.startswith(".") for p in parts):
        return text("bagian yang diawali '.' (berkas atau folder tersembunyi) tidak boleh",
                    "a part starting with '.' (a hidden file or folder) is not allowed")
    if any(p.strip() != p for p in parts):
        return text("bagian nama diawali atau diakhiri spasi",
                    "a part of the name starts or ends with a space")
    if not raw.lower().endswith((".yaml", ".yml")):
        return text("nama berkas harus berakhiran .yaml atau .yml",
                    "the file name must end in .yaml or .yml")
    return None


def _relative_path(value: Any, label: str) -> str | None:
    """A YAML file below the output folder; never an absolute path or one that climbs out
    (a workbook is untrusted input)."""
    raw = _text(value)
    if raw is None:
        return None
    problem = _name_problem(raw)
    if problem is not None:
        raise _RowError(None, text(
            f"'{printable(raw)}' ditolak sebagai nama berkas: {problem['id']}. Petanya tidak "
            "diimpor (juga tidak ke berkas lain); perbaiki namanya, atau kosongkan sel ini agar "
            "berkasnya dinamai menurut kode peta",
            f"'{printable(raw)}' is refused as a file name: {problem['en']}. The map is not "
            "imported (nor written to another file); fix the name, or empty this cell to name "
            "the file after the map code"))
    return raw


def _new_map(code: str, meta: dict[str, Any], context: _Context) -> dict[str, Any]:
    doc: dict[str, Any] = {"kind": "peta-proses", "code": code}
    if meta.get("title"):
        doc["title"] = meta["title"]
    level = meta.get("level")
    if isinstance(level, int):
        doc["level"] = level
    else:
        context.pending_levels[code] = level[1] if isinstance(level, tuple) else None, code
    for key in ("parent", "unit", "status"):
        if meta.get(key):
            doc[key] = meta[key]
    adopted = {key: meta[f"adopted.{key}"] for key in ("instrument", "number", "date",
                                                       "signatory") if meta.get(f"adopted.{key}")}
    if adopted:
        doc["adopted"] = adopted
    if meta.get("last_evaluated"):
        doc["last_evaluated"] = meta["last_evaluated"]
    doc["processes"] = []
    if meta.get("file") is _REFUSED:
        context.refused_file.add(code)
    elif meta.get("file"):
        context.result.files[code] = meta["file"]
    return doc


def _resolve_levels(maps: dict[str, dict[str, Any]], context: _Context) -> None:
    """A map whose Level cell is not a whole number keeps its processes: the level is the one
    number the cell holds ('1 (satu)'), else its parent map's level + 1 when the parent is in
    the workbook; otherwise the map is written without a level. Each is an input error at the
    cell, once per map."""
    for code, (cell, _) in sorted(context.pending_levels.items()):
        doc = maps[code]
        raw = "" if cell is None else _text(cell[0]) or ""
        numbers = re.findall(r"\d+", raw)
        parent = maps.get(doc.get("parent") or "")
        level: int | None = None
        if len(numbers) == 1:
            level = int(numbers[0])
            how = text(f"dibaca sebagai {level}; tulis angkanya saja",
                       f"read as {level}; write the number only")
        elif parent is not None and isinstance(parent.get("level"), int):
            level = parent["level"] + 1
            how = text(f"peta {code} diberi level {level} (level peta induk {parent['code']} + 1); "
                       "periksa dan tulis angkanya",
                       f"map {code} given level {level} (level of its parent map "
                       f"{parent['code']} + 1); check it and write the number")
        else:
            how = text(f"peta {code} ditulis tanpa level; isi Level (0 untuk peta akar) agar "
                       "peta dapat diaudit",
                       f"map {code} is written without a level; fill in Level (0 for a root "
                       "map) so the map can be audited")
        if level is not None:
            # keep format.md's order: level right after title (or code)
            items = list(doc.items())
            at = 3 if "title" in doc else 2
            doc.clear()
            doc.update(items[:at] + [("level", level)] + items[at:])
        if cell is None:
            context.result.problems.append(RowProblem("", None, None, text(
                f"peta {code}: Level tidak diisi; " + how["id"],
                f"map {code}: Level is not filled in; " + how["en"])))
        else:
            _cell_problem(context, cell, text(
                f"Level '{printable(raw)}' bukan angka; " + how["id"],
                f"Level '{printable(raw)}' is not a number; " + how["en"]))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    out = re.sub(r"[ \t]+", " ", str(value)).strip()
    return out or None


def _code(value: Any, address: str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise _RowError(address, text("kode berisi benar/salah, bukan teks",
                                      "a code holds true/false, not text"))
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        # Excel stored 1.10 as the number 1.1: the trailing zero is gone and cannot be guessed
        raise _RowError(address, text(
            f"kode {value!r} tersimpan sebagai angka sehingga nol di belakang bisa hilang; "
            "format sel sebagai Teks lalu ketik ulang kodenya",
            f"code {value!r} is stored as a number, so trailing zeros may be lost; format the "
            "cell as Text and type the code again"))
    return _text(value)


def _items(value: Any, address: str | None, is_code: bool) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, str):
        one = _code(value, address) if is_code else _text(value)
        return [one] if one else []
    return split_list(value)


def _process(values: dict[str, Any], letter_of: dict[str, str], row: int, sheet: str,
             result: ImportResult) -> dict[str, Any]:
    """One process row. A cell that cannot be read is reported at its address and left out;
    only a row without a readable process code is dropped."""
    code = _code(values.get("code"), _at(letter_of, "code", row))
    if not code:
        raise _RowError(_at(letter_of, "code", row), text(
            "kode proses kosong; setiap baris proses membutuhkan kode",
            "the process code is empty; every process row needs a code"))
    process: dict[str, Any] = {"code": code}
    name = _text(values.get("name"))
    if name:
        process["name"] = name
    category = _text(values.get("category"))
    if category:
        process["category"] = CATEGORIES.get(category.lower(), category)
    try:
        owners = _items(values.get("owner"), _at(letter_of, "owner", row), True)
    except _RowError as exc:
        result.problems.append(RowProblem(sheet, row, exc.column, exc.message))
        owners = []
    if owners:
        process["owner"] = owners[0] if len(owners) == 1 else owners
    for key in LIST_ORDER:
        if key in values:
            try:
                items = _items(values[key], _at(letter_of, key, row), key in CODE_FIELDS)
            except _RowError as exc:
                result.problems.append(RowProblem(sheet, row, exc.column, exc.message))
                continue
            if items:
                # the YAML spells it `indikator` (issue 22 item 5; `indicators` is deprecated)
                process["indikator" if key == "indicators" else key] = items
    return process


class OutputConflict(Exception):
    """The maps cannot be written as asked; nothing was written. ``message``: both languages."""

    def __init__(self, message: Text) -> None:
        super().__init__(message["en"])
        self.message = message


class LocalChanges(Exception):
    """Files in the output folder changed since probis last wrote (or exported) them; nothing
    was written. ``plan`` says what would have happened to every file."""

    def __init__(self, plan: list[PlannedFile]) -> None:
        super().__init__(", ".join(str(p.path) for p in plan if p.action == CHANGED))
        self.plan = plan


MANIFEST = ".probis-import"  # in the output folder: file -> SHA-256 of what was written
NEW, UPDATE, SAME, CHANGED = "new", "update", "same", "changed"
HEADER = "# Diimpor dari Excel oleh `probis import-excel` / imported from Excel\n"


@dataclass(frozen=True)
class PlannedFile:
    path: Path
    relative: str  # to the output folder, with forward slashes (the manifest's key)
    content: bytes
    sha256: str
    # NEW: not there; SAME: there with this content; UPDATE: there as probis last wrote or
    # exported it; CHANGED: there and changed since (or never written by probis)
    action: str


def file_name(code: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.\-]", "_", code) + ".yaml"


def plan_maps(maps: list[dict[str, Any]], out_dir: Path,
              files: dict[str, str] | None = None) -> list[tuple[Path, dict[str, Any]]]:
    """The file each map goes to: its "Berkas" cell (``files``), else one named after its
    code. Two maps that would go to one file (``PB.04:09`` and ``PB.04 09`` both clean to
    ``PB.04_09.yaml``; names that differ only in case are one file on Windows and macOS) are an
    error naming both: one would silently replace the other."""
    files = files or {}
    seen: dict[str, str] = {}
    clashes = []
    planned = []
    for doc in maps:
        name = files.get(doc["code"]) or file_name(doc["code"])
        other = seen.setdefault(name.lower(), doc["code"])
        if other != doc["code"]:
            clashes.append(f"'{other}' / '{doc['code']}' -> {name}")
        planned.append((out_dir / name, doc))
    if clashes:
        raise OutputConflict(text(
            id="kode peta berikut menjadi nama berkas yang sama; ubah salah satunya: "
               + "; ".join(clashes),
            en="these map codes make the same file name; change one of them: "
               + "; ".join(clashes)))
    return planned


def existing_targets(planned: list[tuple[Path, dict[str, Any]]]) -> list[Path]:
    return [path for path, _ in planned if os.path.lexists(path)]


def read_manifest(out_dir: Path) -> dict[str, str]:
    """What the last import wrote; an unreadable manifest counts as none (every existing file
    is then protected)."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        files = data.get("files", {})
        return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}
    except (OSError, ValueError, AttributeError):
        return {}


def plan_writes(maps: list[dict[str, Any]], out_dir: Path,
                files: dict[str, str] | None = None,
                recorded: dict[str, str] | None = None) -> list[PlannedFile]:
    """What writing ``maps`` would do to each file: compared with the manifest of the last
    import and with ``recorded`` (the hashes export-excel put in the workbook)."""
    known = read_manifest(out_dir)
    recorded = recorded or {}
    out = []
    root = out_dir.resolve()
    for path, doc in plan_maps(maps, out_dir, files):
        relative = path.relative_to(out_dir).as_posix()
        if not path.parent.resolve().is_relative_to(root):  # a linked folder inside
            raise OutputConflict(text(
                id=f"{path}: folder ini menunjuk ke luar {out_dir}; hapus tautannya atau "
                   "kosongkan sel Berkas",
                en=f"{path}: this folder points outside {out_dir}; remove the link or empty "
                   "the Berkas cell"))
        content = (HEADER + _dump(doc)).encode("utf-8")
        digest = hashlib.sha256(content).hexdigest()
        action = NEW
        if os.path.lexists(path):
            try:
                current = (hashlib.sha256(path.read_bytes()).hexdigest()
                           if path.is_file() and not path.is_symlink() else None)
            except OSError:
                current = None
            if current == digest:
                action = SAME
            elif current is not None and current in (known.get(relative),
                                                      recorded.get(relative)):
                action = UPDATE
            else:
                action = CHANGED
        out.append(PlannedFile(path, relative, content, digest, action))
    return out


def apply_plan(plan: list[PlannedFile], out_dir: Path, force: bool = False) -> list[Path]:
    """Write every new or updated file (each atomically) and the manifest. A CHANGED file is
    replaced only with ``force``; otherwise LocalChanges is raised and nothing is written."""
    if not force and any(p.action == CHANGED for p in plan):
        raise LocalChanges(plan)
    if not plan:
        return []
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for item in plan:
        if item.action == SAME:
            continue
        item.path.parent.mkdir(parents=True, exist_ok=True)
        write_output(item.path, item.content)
        written.append(item.path)
    manifest = read_manifest(out_dir) | {p.relative: p.sha256 for p in plan}
    write_output(out_dir / MANIFEST, json.dumps(
        {"version": 1, "note": "probis import-excel: SHA-256 of the files it wrote; a file whose "
         "content differs is not replaced without --force", "files": dict(sorted(
             manifest.items()))}, indent=1, ensure_ascii=False) + "\n")
    return written


def write_maps(maps: list[dict[str, Any]], out_dir: Path, force: bool = False,
               files: dict[str, str] | None = None,
               recorded: dict[str, str] | None = None) -> list[Path]:
    """Write one YAML file per map, each atomically, and record them in the manifest. A file
    changed since probis last wrote it is replaced only with ``force``; otherwise LocalChanges
    names it and nothing is written."""
    return apply_plan(plan_writes(maps, out_dir, files, recorded), out_dir, force)
