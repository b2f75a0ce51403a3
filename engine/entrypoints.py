"""Entry points and distribution names read from the ``*.dist-info`` folders on ``sys.path``,
as ``importlib.metadata`` finds them, without its cost at start-up: importing it (the email
package, zipfile, csv, tempfile) and a Distribution object per installed package
(docs/design-notes.md, "i24-startup").

The result is the one ``importlib.metadata.entry_points(group=...)`` gives: the same
distributions in the same order (``sys.path`` order, then listing order; the first
distribution of a normalised name wins), the same entry points in file order, ``load()``
importing the same object. Whatever this module does not read as
importlib.metadata does is handed to importlib.metadata itself: a zip file or an egg on
``sys.path``, a finder of distributions other than the standard path finder, a file that is
not UTF-8 or a line it would refuse, a METADATA header that is folded, missing or follows no
simple ``Key: value`` form. tests/engine/test_entrypoints.py compares both.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from importlib import import_module
from typing import Any

# importlib.metadata's EntryPoint.pattern (Python 3.11 and 3.12)
_PATTERN = re.compile(r'(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$')
_HEADER = re.compile(r"[\041-\071\073-\176]+:")  # email.feedparser's header line, "From " aside
_INFO_ENDINGS = (".dist-info", ".egg-info")
_MISSING = (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError)


class _Unusual(Exception):
    """Something only importlib.metadata reads exactly: ask it instead."""


class Distribution:
    """An installed distribution's metadata folder (``importlib.metadata.PathDistribution``'s
    ``_path``)."""

    __slots__ = ("_path",)

    def __init__(self, path: str) -> None:
        self._path = path


class EntryPoint:
    """One entry point: ``name = value`` in section ``[group]`` of ``dist``'s
    entry_points.txt."""

    __slots__ = ("dist", "group", "name", "value")

    def __init__(self, name: str, value: str, group: str, dist: Distribution) -> None:
        self.name, self.value, self.group, self.dist = name, value, group, dist

    def load(self) -> Any:
        """The object the entry point names, imported as importlib.metadata imports it."""
        match = _PATTERN.match(self.value)
        if match is None:  # importlib.metadata's own error for such a value
            from importlib import metadata

            return metadata.EntryPoint(self.name, self.value, self.group).load()
        module = import_module(match.group("module"))
        attrs = filter(None, (match.group("attr") or "").split("."))
        return functools.reduce(getattr, attrs, module)

    def __repr__(self) -> str:
        return f"EntryPoint(name={self.name!r}, value={self.value!r}, group={self.group!r})"


def entry_points(group: str) -> list[Any]:
    """The entry points of ``group`` of every installed distribution, in importlib.metadata's
    order; importlib.metadata's own answer when something is not plain."""
    try:
        return _scan(group)
    except _Unusual:
        from importlib import metadata

        return list(metadata.entry_points(group=group))


def name_and_version(dist: Any) -> tuple[str | None, str | None]:
    """``Name`` and ``Version`` from a distribution's METADATA headers, read without the
    email package; importlib.metadata parses a METADATA this does not read simply."""
    if isinstance(dist, Distribution):
        try:
            return _header_fields(dist._path)
        except _Unusual:
            from importlib import metadata

            dist = metadata.PathDistribution(_as_path(dist._path))
    meta = dist.metadata
    return meta["Name"], meta["Version"]


def _normalize(name: str) -> str:
    """importlib.metadata's ``Prepared.normalize`` (PEP 503, dashes as underscores)."""
    return re.sub(r"[-_.]+", "-", name).lower().replace("-", "_")


def _scan(group: str) -> list[EntryPoint]:
    from importlib.machinery import PathFinder

    for finder in sys.meta_path:
        if finder is not PathFinder and getattr(finder, "find_distributions", None) is not None:
            raise _Unusual
    seen: set[str] = set()
    found: list[EntryPoint] = []
    for root in list(sys.path):
        for path in _info_folders(root):
            stem = os.path.basename(path)
            stem_name, ext = os.path.splitext(stem)
            name = stem_name.partition("-")[0] if ext in _INFO_ENDINGS else ""
            if not name:  # importlib.metadata would read the name from METADATA
                raise _Unusual
            key = _normalize(name)
            if key in seen:
                continue
            seen.add(key)
            text = _read(path, "entry_points.txt")
            if text:
                found += _section(text, group, Distribution(path))
    return found


def _info_folders(root: Any) -> list[str]:
    """The ``*.dist-info`` and ``*.egg-info`` entries of one ``sys.path`` entry in listing
    order. (importlib.metadata's ``Lookup`` groups those of one normalised name at the first
    one's place; only the first of a name counts, so the outcome is the same.)"""
    if not isinstance(root, str):
        raise _Unusual
    try:
        children = os.listdir(root or ".")
    except Exception:
        if os.path.isfile(root):  # perhaps a zip file: importlib.metadata reads those
            raise _Unusual from None
        return []
    base_is_egg = os.path.basename(root).lower().endswith(".egg")
    found = []
    for child in children:
        low = child.lower()
        if low.endswith(_INFO_ENDINGS):
            found.append(os.path.join(root, child))
        elif base_is_egg and low == "egg-info":
            raise _Unusual
    return found


def _read(folder: str, name: str) -> str | None:
    """A file of a metadata folder as text (None where importlib.metadata finds none)."""
    try:
        with open(os.path.join(folder, name), encoding="utf-8") as stream:
            return stream.read()
    except _MISSING:
        return None
    except Exception:  # e.g. not UTF-8: importlib.metadata raises its own error
        raise _Unusual from None


def _section(text: str, group: str, dist: Distribution) -> list[EntryPoint]:
    """The ``name = value`` pairs of section ``[group]`` (importlib.metadata's
    ``Sectioned``: stripped lines, ``#`` comments, every bracket stripped from a heading)."""
    found = []
    section = None
    for line in text.splitlines():
        value = line.strip()
        if not value or value.startswith("#"):
            continue
        if value.startswith("[") and value.endswith("]"):
            section = value.strip("[]")
            continue
        if section is None:
            continue
        if "=" not in value:  # importlib.metadata raises on it
            raise _Unusual
        if section == group:
            name, _, target = value.partition("=")
            found.append(EntryPoint(name.strip(), target.strip(), group, dist))
    return found


def _header_fields(folder: str) -> tuple[str, str]:
    text = _read(folder, "METADATA") or _read(folder, "PKG-INFO")  # as Distribution.metadata
    if not text:
        raise _Unusual
    fields: dict[str, str] = {}
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line:
            break
        if line[0] in " \t":
            if i == 0:
                raise _Unusual
            continue
        if line.startswith("From ") or not _HEADER.match(line):
            raise _Unusual
        key, _, value = line.partition(":")
        key = key.lower()
        if key in ("name", "version") and key not in fields:
            if i + 1 < len(lines) and lines[i + 1][:1] in (" ", "\t"):
                raise _Unusual  # a folded header
            fields[key] = value.lstrip(" \t").rstrip("\r\n")
    if "name" not in fields or "version" not in fields:
        raise _Unusual
    return fields["name"], fields["version"]


def _as_path(path: str) -> Any:
    from pathlib import Path

    return Path(path)
