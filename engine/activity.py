"""What a command is doing, for the one message a run that ran out of memory can still give.

``now(what)`` names the stage a command enters (loading the workspace, evaluating the rules,
building or writing the report); the handler of every command (engine/cli.py) says it when
the run runs out of memory: "out of memory while building the report" tells the user which
input or limit to look at.
"""

from __future__ import annotations

from .i18n import Text

_stage: list[Text] = []


def now(what: Text) -> None:
    _stage[:] = [what]


def current() -> Text | None:
    return _stage[0] if _stage else None


def reset() -> None:
    _stage.clear()
