"""The ``--lang`` option every command shares: default from ``PROBIS_LANG``, and the chosen
language becomes the run's language (usage errors and exit messages speak it too)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from .i18n import LANGS, Lang, default_lang, use_lang

F = TypeVar("F", bound=Callable[..., Any])


def _chosen(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    return use_lang(value)


def lang_option(help: str = "Language of every text (default: PROBIS_LANG, else id).",  # noqa: A002
                ) -> Callable[[F], F]:
    """``@lang_option()``: ``--lang id|en``, its default read when the command runs."""
    return click.option("--lang", type=click.Choice(LANGS), default=default_lang,
                        show_default="PROBIS_LANG or id", callback=_chosen, is_eager=True,
                        help=help)


def lang_in_args(args: Sequence[str]) -> Lang | None:
    """The ``--lang`` a command line gives, read before click parses it: ``--help`` is eager
    too and may come first (``probis check --help --lang en``), and its page must already
    speak the chosen language."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = args[i + 1] if arg == "--lang" and i + 1 < len(args) else (
            arg.partition("=")[2] if arg.startswith("--lang=") else None)
        if value in LANGS:
            return "en" if value == "en" else "id"
    return None
