"""Input errors: problems in workspace files, kept beside the model instead of raised.

An input error names the file, the line (where known) and the field path, and says in plain
words what to do. The audit goes on with every file that did load.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .i18n import Text, cannot_write, pick, run_lang
from .safetext import printable


@dataclass(frozen=True)
class InputError:
    file: str
    line: int | None
    field: str | None
    message: Text = field(compare=False)
    code: str = "input"
    # the kind of a document this error made unreadable (dropped from the audit), if any:
    # the grade's completeness counts the maps that were declared but not audited
    dropped_kind: str | None = field(default=None, compare=False)
    # the `unit` that dropped document states (parsed, then failed validation): the unit whose
    # grade an unread map caps; not in the report's JSON
    dropped_unit: str | None = field(default=None, compare=False)

    def sort_key(self) -> tuple[str, int, str, str]:
        # line and field may be None next to a number or a name in the same file
        return (self.file, self.line or 0, self.field or "", self.code)

    def __lt__(self, other: InputError) -> bool:
        return self.sort_key() < other.sort_key()

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "code": self.code,
            "message": dict(self.message),
        }

    def describe(self, lang: str = "id") -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
        if self.field:
            where += f" ({self.field})"
        # a file name or a value may hold control characters or newlines
        return printable(f"{where}: {self.message.get(lang) or self.message.get('id')}")


class ProbisUsageError(Exception):
    """A problem with how probis was called (not with a workspace file): exit code 2.

    Give the message as ``text(id=..., en=...)``: it is said in the run's language (``--lang``,
    else ``PROBIS_LANG``). A plain string is said as it is."""

    def __init__(self, message: Mapping[str, str] | str) -> None:
        self.text = message
        super().__init__(message)

    def __str__(self) -> str:
        return pick(self.text, run_lang())


class ProbisWriteError(Exception):
    """A file or folder a command was asked to write could not be written: exit code 3, as a
    report that could not be written (engine/cli.py), said as `cannot write TARGET: REASON`.

    ``reason`` is an OSError (its strerror is said) or a text; ``lang`` pins the language (else
    the run's)."""

    def __init__(self, target: object, reason: object, lang: str | None = None) -> None:
        if isinstance(reason, OSError):
            reason = reason.strerror or reason
        self.target, self.reason, self.lang = target, reason, lang
        super().__init__(f"{target}: {reason}")

    def __str__(self) -> str:
        return printable(cannot_write(self.target, self.reason, self.lang))
