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
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..gcpause import paused_gc

try:
    import orjson
except ImportError:  # pragma: no cover - orjson is a dependency; the fallback stays exact
    orjson = None  # type: ignore[assignment]

# where orjson's float text differs from Python's repr (see the module docstring); two
# patterns with a literal start each, because re scans those faster than one alternation
_FLOAT_DIFFERS = (re.compile(rb"0\.0000[0-9]"), re.compile(rb"e-[1-9](?![0-9])"))


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
    return None if any(p.search(raw) for p in _FLOAT_DIFFERS) else raw


def _stdlib(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


@paused_gc()  # see engine/gcpause.py
def render_json(report: dict[str, Any], lang: str = "id", **_: Any) -> bytes:
    """The JSON report as UTF-8 bytes (write_output and write_stdout take bytes as they are)."""
    return dumps_report_bytes(report)
