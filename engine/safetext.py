"""Text from workspace files made safe to print on a terminal or into a log.

A value may hold ESC or BEL (an escape sequence that sets the window title, moves the cursor or
recolours the screen), other C0/C1 control characters, or a newline that fakes a line of
output. Each becomes a visible escape (``\\x1b``, ``\\n``); printable text is unchanged.
"""

from __future__ import annotations

import re
from typing import Any

# C0 controls, DEL, C1 controls and the Unicode line/paragraph separators
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(value: str, keep_newlines: bool = False) -> str:
    """``value`` with every control character escaped; with ``keep_newlines`` the newline and
    tab of text whose lines are structure (a rendered report) stay as they are."""
    pattern = _CONTROL_BUT_LINES if keep_newlines else _CONTROL
    return pattern.sub(_visible, value)


def printable_data(value: Any) -> Any:
    """A copy of a JSON-like value (a report) with every string, keys included, escaped by
    :func:`printable`: what a terminal renderer lays out can then not hold a control
    character or a line break of its own."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {printable_data(k): printable_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [printable_data(v) for v in value]
    return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets read as a formula


def spreadsheet_text(value: str) -> str:
    """``value`` for a CSV cell a spreadsheet will open: text that would start a formula
    (``=HYPERLINK(...)`` from a process name) gets a leading apostrophe, as OWASP advises, so
    it is shown, never run."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value
