"""The ``--lang`` option every command shares: default from ``PROBIS_LANG``, and the chosen
language becomes the run's language (usage errors and exit messages speak it too)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from .i18n import LANGS, default_lang, use_lang

F = TypeVar("F", bound=Callable[..., Any])


def _chosen(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    return use_lang(value)


def lang_option(help: str = "Language of every text (default: PROBIS_LANG, else id).",  # noqa: A002
                ) -> Callable[[F], F]:
    """``@lang_option()``: ``--lang id|en``, its default read when the command runs."""
    return click.option("--lang", type=click.Choice(LANGS), default=default_lang,
                        show_default="PROBIS_LANG or id", callback=_chosen, is_eager=True,
                        help=help)
