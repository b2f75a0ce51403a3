"""A workspace's process maps (peta-proses) -> one workbook in the template layout.

One sheet per map (metadata in column B, one row per process), the instruction sheet, the
drop-down lists (units of the SOTK, sasaran and indicators of the RPJMD and Renstra, map codes)
and a hidden record sheet holding the SHA-256 of every YAML file read, so that
``probis import-excel`` into the maps folder replaces a file only if it has not been edited
since the export. Everything a map holds that has no cell is named in a note, never dropped in
silence.
"""

from __future__ import annotations

import io
import posixpath
import re
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet
from probis.engine.i18n import Text, text
from probis.engine.model import Process, ProcessMap
from probis.engine.workspace import Workspace

from .excel_layout import INFO_SHEET, LIST_ORDER, RECORD_SHEET, TEMPLATE_COLUMNS, join_list
from .excel_template import (
    FIXED_TIME,
    HEADER_ROW,
    LISTS,
    META_ROW,
    add_guide_sheet,
    add_lists_sheet,
    add_map_sheet,
)

_RESERVED = {"petunjuk", "daftar pilihan", INFO_SHEET.lower(), RECORD_SHEET.lower(), "history"}
_WRAP = Alignment(wrap_text=True, vertical="top")


def sheet_title(code: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique ignoring case."""
    base = re.sub(r"[\[\]:*?/\\]", "_", code).strip("'")[:31] or "Peta"
    title, n = base, 1
    while title.lower() in taken or title.lower() in _RESERVED:
        n += 1
        title = f"{base[:31 - len(str(n)) - 1]}~{n}"
    taken.add(title.lower())
    return title


def _put(ws: Worksheet, row: int, column: int, value: Any, wrap: bool = False) -> bool:
    """Write a value; text stays text (a leading '=' is not a formula). False when characters
    Excel cannot hold (control characters) had to be left out."""
    clean = True
    if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
        value, clean = ILLEGAL_CHARACTERS_RE.sub("", value), False
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if wrap:
        cell.alignment = _WRAP
    return clean


def _relative(file: str, maps_dir: str | None) -> str:
    if maps_dir:
        folder = posixpath.normpath(maps_dir.strip("/"))
        if folder not in ("", ".") and file.startswith(folder + "/"):
            return file[len(folder) + 1:]
    return file


def _extras(model: Any) -> list[str]:
    return sorted(k for k in (model.model_extra or {}) if k != "__line__")


def export_workbook(ws: Workspace) -> tuple[bytes, list[Text]]:
    """The workbook's bytes, and notes on what it does not hold."""
    notes: list[Text] = []
    wb = Workbook()
    wb.properties.creator = "probis"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.remove(wb.active)
    add_guide_sheet(wb)
    lists = {"units": sorted(ws.units), "sasaran": sorted(ws.sasaran),
             "indicators": sorted(ws.indicators), "maps": sorted(ws.maps_by_code)}
    sizes = {key: len(values) for key, values in lists.items()}
    maps_dir = ws.manifest.maps if ws.manifest else None
    hashes = {doc.file: doc.sha256 for doc in ws.docs}
    taken: set[str] = set()
    record: list[tuple[str, str]] = []
    for entry in sorted(ws.maps, key=lambda e: (e.map.code, e.file)):
        relative = _relative(entry.file, maps_dir)
        sheet = add_map_sheet(wb, sheet_title(entry.map.code, taken), sizes,
                              len(entry.map.processes) + 200)
        notes.extend(_fill(sheet, entry.map, relative, entry.file))
        if entry.file in hashes:
            record.append((relative, hashes[entry.file]))
    for code, entries in sorted(ws.maps_by_code.items()):
        if len(entries) > 1:
            notes.append(text(
                f"kode peta {code} ada di {len(entries)} berkas; import-excel menggabungkan "
                "baris-barisnya menjadi satu peta. Beri kode berbeda sebelum mengimpor",
                f"map code {code} is in {len(entries)} files; import-excel merges their rows "
                "into one map. Give them different codes before importing"))
    if ws.lf_maps:
        notes.append(text(
            f"{len(ws.lf_maps)} peta lintas fungsi tidak masuk buku kerja (tata letaknya hanya "
            "untuk peta proses); pakai probis export-bpmn",
            f"{len(ws.lf_maps)} cross-functional maps are not in the workbook (the layout holds "
            "process maps); use probis export-bpmn"))
    add_lists_sheet(wb, {key: lists[key] for key in LISTS})
    hidden = wb.create_sheet(RECORD_SHEET)
    hidden.sheet_state = "hidden"
    hidden.append(["Berkas", "SHA-256"])
    for relative, digest in record:
        hidden.append([relative, digest])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), notes


def _fill(ws: Worksheet, doc: ProcessMap, relative: str, file: str) -> list[Text]:
    """Write one map into its sheet; notes for what has no cell."""
    lost: list[str] = []
    adopted = doc.adopted
    meta: dict[str, Any] = {
        "code": doc.code, "title": doc.title, "level": doc.level, "parent": doc.parent,
        "unit": doc.unit, "status": doc.status, "last_evaluated": doc.last_evaluated,
        "file": relative}
    if adopted is not None:
        meta.update({"adopted.instrument": adopted.instrument, "adopted.number": adopted.number,
                     "adopted.date": adopted.date, "adopted.signatory": adopted.signatory})
        lost += [f"adopted.{k}" for k in _extras(adopted)]
    clean = True
    for key, value in meta.items():
        if value is not None:
            clean &= _put(ws, META_ROW[key], 2, value)
    lost += _extras(doc)
    columns = [key for key, _ in TEMPLATE_COLUMNS]
    for offset, process in enumerate(doc.processes, start=1):
        row = HEADER_ROW + offset
        for col, value in enumerate(_row(process, columns), start=1):
            if value not in (None, ""):
                clean &= _put(ws, row, col, value, wrap=col > 2)
        lost += [f"processes[{process.code}].{k}" for k in _extras(process)]
    notes = []
    if lost:
        notes.append(text(
            f"{file}: kolom berikut tidak ada di tata letak Excel dan tidak diekspor: "
            + ", ".join(lost),
            f"{file}: these fields have no column in the Excel layout and are not exported: "
            + ", ".join(lost)))
    if not clean:
        notes.append(text(
            f"{file}: karakter kendali (tidak dapat disimpan Excel) dihapus dari teks",
            f"{file}: control characters (Excel cannot hold them) were left out of the text"))
    return notes


def _row(process: Process, columns: list[str]) -> list[Any]:
    values: dict[str, Any] = {"code": process.code, "name": process.name,
                              "category": process.category}
    owner = process.owner
    values["owner"] = join_list(owner) if isinstance(owner, list) else owner
    for key in LIST_ORDER:
        values[key] = join_list(list(getattr(process, key)))
    return [values.get(key) for key in columns]
