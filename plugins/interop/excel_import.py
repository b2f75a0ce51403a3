"""Excel process-map worksheets -> peta-proses documents (format v1).

A sheet holds one table with a heading row (Kode, Nama Proses, Kategori, Pemilik / Penanggung
Jawab, Pemasok, Masukan, Keluaran, Pelanggan, Sasaran, in any order, with the usual variants:
excel_layout.COLUMNS) and a row per process. Map metadata (Kode Peta, Judul, Level, Induk, Unit,
Status) sits in label/value cells above the table, or in a sheet named "Info Peta" that gives
defaults for every sheet; a "Kode Peta" column puts rows of one sheet into several maps.
Several values in one cell are separated by ';' or line breaks. A row that cannot be read is
reported by sheet and row, and the other rows are still imported.

A workbook is untrusted input (issue 20): before any XML is parsed, the archive's entry count
and declared uncompressed sizes are checked against docs/limits.md (zipfile never inflates an
entry past its declared size, so a zip bomb is stopped here); rows are streamed (xlsx_stream:
one pass per sheet, one row in memory) and counted against the element limit. Merged cells in
the table and formulas without a cached value are reported by sheet and cell, never dropped
in silence.
"""

from __future__ import annotations

import itertools
import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from defusedxml import DefusedXmlException
from probis.engine.atomic import write_output
from probis.engine.i18n import Text, text
from probis.engine.limits import Limits
from probis.engine.safetext import printable

from . import xlsx_stream
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


class _TooBig(Exception):
    pass


def import_workbook(path: Path, limits: Limits | None = None) -> ImportResult:
    limits = limits or Limits.from_env()
    result = ImportResult()
    budget = [limits.max_elements]
    maps: dict[str, dict[str, Any]] = {}
    try:
        _check_archive(path, limits)
        with zipfile.ZipFile(path) as archive:
            worksheets = xlsx_stream.sheets(archive)
            strings = xlsx_stream.shared_strings(archive)
            budget[0] -= len(strings)
            defaults: dict[str, Any] = {}
            for sheet in worksheets:
                if sheet.title == INFO_SHEET:
                    _meta_pairs(list(_rows(archive, sheet, strings, budget)), defaults)
            for sheet in worksheets:
                if sheet.title == INFO_SHEET or norm(sheet.title) in SKIP_SHEETS:
                    continue
                _read_sheet(sheet.title, _rows(archive, sheet, strings, budget), defaults, maps,
                            result, sheet)
    except _TooBig as exc:
        return ImportResult(problems=[RowProblem("", None, None, exc.args[0])])
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError,
            DefusedXmlException) as exc:
        # SyntaxError: ElementTree's ParseError (the file is damaged or not a workbook)
        return ImportResult(problems=[RowProblem("", None, None, text(
            f"{path.name} bukan buku kerja Excel (.xlsx) yang dapat dibaca: {exc}",
            f"{path.name} is not a readable Excel workbook (.xlsx): {exc}"))])
    result.maps = list(maps.values())
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


def _read_sheet(sheet: str, rows: Iterable[tuple[Any, ...]], defaults: dict[str, Any],
                maps: dict[str, dict[str, Any]], result: ImportResult,
                suspects: xlsx_stream.Sheet | None = None) -> None:
    stream = iter(rows)
    head = list(itertools.islice(stream, HEADER_SCAN_ROWS))
    found = _header_row(head)
    if found is None:
        if any(c is not None and str(c).strip() for row in itertools.chain(head, stream)
               for c in row):
            result.notes.append(
                f"sheet '{sheet}': no heading row with Kode and Nama Proses; skipped")
        return
    header_index, columns = found
    meta: dict[str, Any] = {}
    meta_lines: dict[str, int] = {}
    _meta_pairs(head[:header_index], meta, meta_lines)
    meta = defaults | meta
    heading_of = {f: str(head[header_index][i]).strip() for i, f in columns.items()}
    body = itertools.chain(head[header_index + 1:], stream)
    for number, row in enumerate(body, start=header_index + 2):
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
    if suspects is not None:  # known once the sheet is read to its end
        _report_suspects(sheet, suspects, header_index + 1, result)


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


class OutputConflict(Exception):
    """The maps cannot be written as asked; nothing was written."""


def file_name(code: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.\-]", "_", code) + ".yaml"


def plan_maps(maps: list[dict[str, Any]], out_dir: Path) -> list[tuple[Path, dict[str, Any]]]:
    """The file each map goes to. Two codes that clean to the same name (``PB.04:09`` and
    ``PB.04 09``; or names that differ only in case, one file on Windows and macOS) are an
    error naming both: one would silently replace the other."""
    seen: dict[str, str] = {}
    clashes = []
    planned = []
    for doc in maps:
        name = file_name(doc["code"])
        other = seen.setdefault(name.lower(), doc["code"])
        if other != doc["code"]:
            clashes.append(f"'{other}' / '{doc['code']}' -> {name}")
        planned.append((out_dir / name, doc))
    if clashes:
        raise OutputConflict(
            "kode peta berikut menjadi nama berkas yang sama; ubah salah satunya / these map "
            "codes make the same file name; change one of them: " + "; ".join(clashes))
    return planned


def existing_targets(planned: list[tuple[Path, dict[str, Any]]]) -> list[Path]:
    return [path for path, _ in planned if os.path.lexists(path)]


def write_maps(maps: list[dict[str, Any]], out_dir: Path, force: bool = False) -> list[Path]:
    """Write one YAML file per map, each atomically. Files that exist already are replaced only
    with ``force``; otherwise OutputConflict names them and nothing is written."""
    planned = plan_maps(maps, out_dir)
    existing = existing_targets(planned)
    if existing and not force:
        raise OutputConflict(
            "berkas berikut sudah ada dan akan ditimpa; pakai --force untuk menimpanya / these "
            "files exist and would be replaced; use --force to replace them: "
            + ", ".join(str(p) for p in existing))
    if planned:
        out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path, doc in planned:
        body = _dump(doc)
        write_output(path, "# Diimpor dari Excel oleh `probis import-excel` / imported from "
                     "Excel\n" + body)
        written.append(path)
    return written
