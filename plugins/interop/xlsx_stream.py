"""A streaming reader for the cell values of .xlsx worksheets.

openpyxl's read-only mode builds an object per cell and, for a sheet without a ``<dimension>``
element (what many generators write), parses the whole sheet once more just to size it: 100,000
rows took most of a minute of CPU. This reader walks each sheet once with expat (the C parser
of ElementTree; a part that declares a DTD or entities, or an encoding other than UTF-8, is
refused before expat sees it: _Guarded) and keeps only what the importer needs, row by row: the
values (shared strings, inline strings, numbers, booleans, cached formula results), the cells
holding a formula without a saved value, the shared-string cells whose index the table does not
hold, and the merged ranges. Memory stays at one row plus
the shared-string table; each row's element is cleared once read.

Numbers come back as ``int`` when whole, else ``float``; number formats are not applied (a date
typed in a cell is its serial number), which the importer does not need: it reads codes and
text.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any
from xml.etree.ElementTree import iterparse

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
WORKSHEET_REL = "/worksheet"
_ADDRESS = re.compile(r"([A-Z]{1,3})([0-9]+)")


@dataclass
class Sheet:
    title: str
    member: str
    formulas: list[tuple[int, str]] = field(default_factory=list)  # (row, address) w/o value
    merged: list[tuple[int, int, str]] = field(default_factory=list)  # (first, last row, ref)
    # (row, address, value written): a shared-string cell whose value is no index of the table
    unreadable: list[tuple[int, str, str]] = field(default_factory=list)


class UnsafeXml(ValueError):
    pass


_DECLARATION = re.compile(rb"\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)")
_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")


class _Guarded:
    """A byte stream that refuses DTDs and entity declarations, and any encoding but UTF-8
    (a declared UTF-7 or UTF-16 could spell them in other bytes). Raw ``<!`` markup can only
    be a comment, CDATA or a declaration, so refusing these markers anywhere is safe."""

    def __init__(self, source: IO[bytes], name: str) -> None:
        self.source, self.name = source, name
        self.tail = b""
        self.first = True

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        if self.first:
            self.first = False
            head = chunk[3:] if chunk.startswith(b"\xef\xbb\xbf") else chunk
            if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\0" in head[:4]:
                raise UnsafeXml(f"{self.name}: not UTF-8")
            declared = _DECLARATION.match(head)
            if declared and declared.group(1).lower() not in (b"utf-8", b"utf8", b"us-ascii",
                                                               b"ascii"):
                raise UnsafeXml(f"{self.name}: encoding {declared.group(1).decode()} refused")
        window = self.tail + chunk
        if any(marker in window for marker in _MARKERS):
            raise UnsafeXml(f"{self.name}: a DTD or entity declaration is refused")
        self.tail = chunk[-16:]
        return chunk


def _parse(source: IO[bytes], name: str,
           events: tuple[str, ...] = ("end",)) -> Iterator[tuple[str, Any]]:
    return iterparse(_Guarded(source, name), events=events)  # type: ignore[arg-type]


def sheets(archive: zipfile.ZipFile) -> list[Sheet]:
    """The worksheets in workbook order (chart sheets and dialog sheets are left out)."""
    targets: dict[str, str] = {}
    with archive.open("xl/_rels/workbook.xml.rels") as src:
        for _, el in _parse(src, "xl/_rels/workbook.xml.rels"):
            if el.tag == PKG_REL + "Relationship" and el.get("Type", "").endswith(WORKSHEET_REL):
                target = el.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join("xl", target))
                targets[el.get("Id", "")] = path
    out = []
    with archive.open("xl/workbook.xml") as src:
        for _, el in _parse(src, "xl/workbook.xml"):
            if el.tag == MAIN + "sheet":
                member = targets.get(el.get(REL + "id", ""))
                if member is not None:
                    out.append(Sheet(el.get("name", ""), member))
    return out


def shared_strings(archive: zipfile.ZipFile) -> list[str]:
    try:
        src = archive.open("xl/sharedStrings.xml")
    except KeyError:
        return []
    out: list[str] = []
    with src:
        for _, el in _parse(src, "xl/sharedStrings.xml"):
            if el.tag == MAIN + "si":
                out.append(_string(el))
                el.clear()
    return out


def _string(el: Any) -> str:
    """The text of an <si> or <is>: its <t>, or the <t> of each rich-text run (<r>), without
    phonetic runs (<rPh>)."""
    t = el.find(MAIN + "t")
    if t is not None:
        return t.text or ""
    return "".join(r.findtext(MAIN + "t") or "" for r in el.iterfind(MAIN + "r"))


def column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _number(raw: str) -> int | float:
    try:
        return int(raw)
    except ValueError:
        value = float(raw)
        return int(value) if value.is_integer() and abs(value) < 1e15 else value


def rows(archive: zipfile.ZipFile, sheet: Sheet, strings: list[str]) -> Iterator[tuple[Any, ...]]:
    """Each row's values as a tuple (a missing row is an empty tuple, so positions are row
    numbers); records formulas without a value and merged ranges on ``sheet``."""
    c_tag, v_tag, f_tag, is_tag = MAIN + "c", MAIN + "v", MAIN + "f", MAIN + "is"
    row_tag, merge_tag = MAIN + "row", MAIN + "mergeCell"
    current = 0
    columns: dict[str, int] = {}  # "AB" -> 27
    with archive.open(sheet.member) as src:
        for _, el in _parse(src, sheet.member):
            tag = el.tag
            if tag == row_tag:
                r = el.get("r")
                number = int(r) if r and r.isdigit() else current + 1
                while current + 1 < number:
                    current += 1
                    yield ()
                current = number
                values: list[Any] = []
                for c in el.iterfind(c_tag):
                    ref = c.get("r")
                    if ref:
                        letters = ref.rstrip("0123456789")
                        index = columns.get(letters)
                        if index is None:
                            index = columns[letters] = column_index(letters) if (
                                letters.isascii() and letters.isupper() and len(letters) <= 3
                                and letters.isalpha()) else len(values)
                        if index > len(values):
                            values.extend([None] * (index - len(values)))
                    kind = c.get("t", "n")
                    v = c.findtext(v_tag)
                    value: Any = None
                    if kind == "inlineStr":
                        inline = c.find(is_tag)
                        value = _string(inline) if inline is not None else None
                    elif not v and c.find(f_tag) is not None:  # no <v>, or an empty one
                        sheet.formulas.append((number, ref or _address(len(values), number)))
                    elif v is None:
                        pass
                    elif kind == "s":
                        index_text = v.strip()
                        if index_text.isascii() and index_text.isdigit() \
                                and int(index_text) < len(strings):
                            value = strings[int(index_text)]
                        else:  # past the table's end, or no number: reported, never dropped
                            sheet.unreadable.append(
                                (number, ref or _address(len(values), number), v))
                    elif kind == "b":
                        value = v.strip() == "1"
                    elif kind in ("str", "e", "d"):
                        value = v
                    else:
                        try:
                            value = _number(v)
                        except ValueError:
                            value = v
                    values.append(value)
                el.clear()
                yield tuple(values)
            elif tag == merge_tag:
                ref = el.get("ref", "")
                found = [int(m.group(2)) for m in _ADDRESS.finditer(ref)]
                if found:
                    sheet.merged.append((found[0], found[-1], ref))
            elif tag == MAIN + "sheetData":
                el.clear()


def _address(index: int, row: int) -> str:
    """``B15`` for the cell at 0-based column ``index`` of ``row``."""
    return f"{letters(index)}{row}"


def is_date1904(archive: zipfile.ZipFile) -> bool:
    """Whether day numbers count from 1904 (old Mac workbooks) rather than 1900."""
    with archive.open("xl/workbook.xml") as src:
        for _, el in _parse(src, "xl/workbook.xml"):
            if el.tag == MAIN + "workbookPr":
                return el.get("date1904", "").lower() in ("1", "true")
    return False


def letters(index: int) -> str:
    """The column letters of a 0-based column index (0 -> A, 27 -> AB)."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out
