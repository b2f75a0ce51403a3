"""JSON report (the contract of format.md): stable key order, UTF-8, newline at the end.

The text is exactly ``json.dumps(report, ensure_ascii=False, indent=2) + "\\n"``. The
standard library indents in pure Python, slowly for a large report (docs/design-notes.md),
so when orjson is installed it writes the text instead, and the standard library only when
orjson would write different bytes:
- orjson refuses the value (an integer beyond 64 bits, a key that is not text, text that
  is not valid UTF-8): it raises, and the standard library writes it;
- floats below 1e-4: Python writes ``1e-05`` and ``1.2e-06``, orjson ``0.00001`` and
  ``1.2e-6``. Any text orjson writes with ``0.0000`` followed by a digit or an exponent of
  one digit goes to the standard library (also when the pattern is only inside a string:
  that costs time, never bytes). Checked against the standard library over a million random
  float bit patterns and generated documents (tests/reports/test_json_bytes.py).

A slice of findings rendered without a forked renderer is not scanned whole: its scalars
and texts (``message``, ``basis``, ``fix``: three quarters of a finding's bytes) are proven
by type to hold no float, and the rest (the evidence) is written compact and scanned instead
(:func:`_floats_alike`), on the values as they are when the slice is written
(docs/design-notes.md, i24-jsonmark).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from itertools import chain
from operator import itemgetter
from typing import Any

from ..gcpause import paused_gc
from ..jsoncheck import SCALARS
from ..ordered_fork import Piece, ordered_pieces
from ..parallel import resolve_jobs

try:
    import orjson
except ImportError:  # pragma: no cover - orjson is a dependency; the fallback stays exact
    orjson = None  # type: ignore[assignment]

# where orjson's float text differs from Python's repr (see the module docstring); two
# patterns with a literal start each, because re scans those faster than one alternation
_FLOAT_DIFFERS = (re.compile(rb"0\.0000[0-9]"), re.compile(rb"e-[1-9](?![0-9])"))
_STR = frozenset({str})
#: the compact write of a slice's other values refuses anything but plain JSON types
_PLAIN_ONLY = (orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
               | orjson.OPT_PASSTHROUGH_SUBCLASS) if orjson is not None else 0


def _floats_differ(raw: bytes) -> bool:
    """Whether orjson's text ``raw`` may hold a float Python writes otherwise (or only text
    that looks like one)."""
    return any(p.search(raw) for p in _FLOAT_DIFFERS)


def dumps_report(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2) + "\\n"``, faster when possible."""
    raw = _orjson_bytes(value)
    return raw.decode("utf-8") if raw is not None else _stdlib(value)


def dumps_report_bytes(value: Any) -> bytes:
    """The UTF-8 bytes of :func:`dumps_report`: what is written to a file or a pipe, without
    decoding orjson's bytes to text and encoding them again (a large report's bytes)."""
    raw = _orjson_bytes(value)
    return raw if raw is not None else _stdlib(value).encode("utf-8")


def _orjson_bytes(value: Any) -> bytes | None:
    """orjson's bytes when they are exactly the standard library's, else None."""
    if orjson is None:
        return None
    try:
        raw = orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    except (TypeError, orjson.JSONEncodeError):
        return None
    return None if _floats_differ(raw) else raw


def _stdlib(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


#: list elements rendered per orjson call in :func:`iter_report_bytes` (a few MB of findings)
CHUNK_ITEMS = 512
#: a list whose text is estimated this large is rendered on two cores where fork is
#: available (engine/ordered_fork.py): a finding-heavy report's findings
FORK_MIN_BYTES = 64 << 20
#: dicts this deep (0: the report itself) are written key by key; deeper ones in one piece
_SPLIT_DEPTH = 2


def iter_report_bytes(value: Any, jobs: int | None = None) -> Iterator[Piece]:
    """The bytes of :func:`dumps_report_bytes` in pieces, never the whole document at once:
    a finding-heavy report's text is as large as its dict (docs/design-notes.md). A piece is
    bytes or a memoryview of bytes (a slice of orjson's text without a copy of megabytes).

    Indentation is compositional: a value at depth d is its own indented text with every
    newline followed by d more levels (a newline inside a string is written ``\\n``, so every
    raw newline is the layout's). orjson writes a piece at its depth directly, as the
    innermost element of d nested one-element lists whose brackets are cut off (one copy of
    the bytes, not a re-indented one). Each piece goes through orjson or the standard library
    as :func:`dumps_report_bytes` decides for a whole document, so the bytes are the same.

    With ``jobs`` (default: the cores this process may use) above 1, a list whose text is
    about ``FORK_MIN_BYTES`` or more (a finding-heavy report's findings) is rendered partly
    in a forked child meanwhile (engine/ordered_fork.py): the same bytes, in the same order.
    """
    yield from _pieces(value, 0, resolve_jobs(jobs) > 1)
    yield b"\n"


def _pieces(value: Any, depth: int, two_cores: bool = False) -> Iterator[Piece]:
    kind = type(value)
    if kind is dict and value and depth <= _SPLIT_DEPTH and all(type(k) is str for k in value):
        pad = b"\n" + b"  " * (depth + 1)
        sep = b"{"
        for key, item in value.items():
            # keys through the standard library: its escaping is the reference
            yield sep + pad + json.dumps(key, ensure_ascii=False).encode("utf-8") + b": "
            sep = b","
            yield from _pieces(item, depth + 1, two_cores)
        yield b"\n" + b"  " * depth + b"}"
    elif kind is list and len(value) > CHUNK_ITEMS:
        # each slice is written as a list and its brackets cut off: "[" + "\n  a,\n  b" + "\n]"
        tail = len(b"\n" + b"  " * depth + b"]")

        # sliced before a fork: a slice made after it writes the items' reference counts,
        # and each page written is copied (the parent's heap, twice the memory and time)
        parts = [value[s:s + CHUNK_ITEMS] for s in range(0, len(value), CHUNK_ITEMS)]

        def chunk(i: int, prove: bool = True) -> Piece:
            # the proof's reads write reference counts: with a forked renderer sharing the
            # pages, each page read is copied, which costs more than the scan it saves
            raw, begin, end = _placed(parts[i], depth, prove and _floats_alike(parts[i]))
            if i:
                begin += 1  # past the slice's own "["
            return memoryview(raw)[begin:end - tail]  # a copy of megabytes costs page faults

        first = chunk(0)
        yield first
        # the rest on two cores when the first slice says it is large: a fork costs ~50 ms
        fork = two_cores and len(first) * (len(parts) - 1) >= FORK_MIN_BYTES
        for piece in ordered_pieces(lambda i: chunk(i + 1, not fork), len(parts) - 1,
                                    fork=fork):
            yield b","
            yield piece
        yield b"\n" + b"  " * depth + b"]"
    else:
        raw, begin, end = _placed(value, depth)
        yield memoryview(raw)[begin:end] if begin or end < len(raw) else raw


#: depth -> lengths of the brackets before and after a value wrapped in depth lists
_WRAP: dict[int, tuple[int, int]] = {}


def _floats_alike(part: list[Any]) -> bool:
    """True when every float in ``part`` (a slice of a list, such as the findings) is proven to
    be written by orjson as the standard library writes it, without scanning the slice's text.

    The items must be exact dicts with the keys of the first. Key by key, their values are
    scalars without floats, or dicts of strings (a finding's texts: most of its bytes), or
    else written compact by orjson, plain types only, and scanned: a float's text does not
    depend on the indentation. Anything else: False (the slice's text is scanned as before).
    Runs on the values as they are when the slice is written, just before it is, so nothing
    changed earlier (waivers, overrides, plugins' hooks, a caller) can be missed."""
    if orjson is None or not part or set(map(type, part)) != {dict}:
        return False
    keys = list(part[0])
    scanned: list[list[Any]] = []
    try:
        if set(map(len, part)) != {len(keys)}:
            return False
        for key in keys:  # all present and as many: the same keys as the first
            get = itemgetter(key)
            kinds = set(map(type, map(get, part)))
            if SCALARS.issuperset(kinds):
                continue
            if kinds == {dict} and _STR.issuperset(
                    map(type, chain.from_iterable(map(dict.values, map(get, part))))):
                continue
            scanned.append(list(map(get, part)))
        raw = orjson.dumps(scanned, option=_PLAIN_ONLY)
    except (KeyError, TypeError, orjson.JSONEncodeError):
        return False
    return not _floats_differ(raw)


def _placed(value: Any, depth: int, floats_alike: bool = False) -> tuple[bytes, int, int]:
    """``value`` indented as if it stood ``depth`` levels deep, without a final newline: the
    bytes ``raw[begin:end]``. ``floats_alike``: :func:`_floats_alike` proved ``value``'s
    floats are written alike just before (nothing ran between): its text is not scanned."""
    if orjson is not None:
        try:
            raw = orjson.dumps(_nested(value, depth), option=orjson.OPT_INDENT_2)
        except (TypeError, orjson.JSONEncodeError):
            pass
        else:
            if floats_alike or not _floats_differ(raw):
                if depth not in _WRAP:
                    text = orjson.dumps(_nested(0, depth), option=orjson.OPT_INDENT_2)
                    _WRAP[depth] = (text.index(b"0"), len(text) - text.index(b"0") - 1)
                before, after = _WRAP[depth]
                return raw, before, len(raw) - after
    raw = _stdlib(value)[:-1].encode("utf-8")
    if depth:
        raw = raw.replace(b"\n", b"\n" + b"  " * depth)
    return raw, 0, len(raw)


def _nested(value: Any, depth: int) -> Any:
    """``value`` inside ``depth`` one-element lists."""
    for _ in range(depth):
        value = [value]
    return value


@paused_gc()  # see engine/gcpause.py
def render_json(report: dict[str, Any], lang: str = "id", **_: Any) -> bytes:
    """The JSON report as UTF-8 bytes (write_output and write_stdout take bytes as they are)."""
    return dumps_report_bytes(report)


def render_json_pieces(report: dict[str, Any], lang: str = "id", jobs: int | None = None,
                       **_: Any) -> Iterator[Piece]:
    """The bytes of :func:`render_json` in pieces, for write_output and write_stdout to write
    as they come: the CLI never holds the whole text of a large report. ``jobs``: as
    :func:`iter_report_bytes`'s."""
    return iter_report_bytes(report, jobs)
