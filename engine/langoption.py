"""The ``--lang`` option every command shares: default from ``PROBIS_LANG``, and the chosen
language becomes the run's language (usage errors and exit messages speak it too)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click
from click.core import ParameterSource

from .i18n import LANGS, Lang, default_lang, use_lang

F = TypeVar("F", bound=Callable[..., Any])


LANG_KEY = "probis.lang"  # ctx.meta: the --lang given to the group, the default of its commands


def _default() -> str:
    """A command's language when its own --lang is not given: the group's (``probis --lang en
    check``), else ``PROBIS_LANG``, else id."""
    ctx = click.get_current_context(silent=True)
    chosen = ctx.meta.get(LANG_KEY) if ctx is not None else None
    return chosen or default_lang()


def _chosen(ctx: click.Context, param: click.Parameter, value: str) -> str:
    given = ctx.get_parameter_source(param.name or "lang") not in (
        ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP)
    if isinstance(ctx.command, click.Group) and not given:
        return value  # the group's default decides nothing: its command's --lang may follow
    ctx.meta[LANG_KEY] = value
    return use_lang(value)


def lang_option(help: str = "Language of every text (default: PROBIS_LANG, else id).",  # noqa: A002
                expose: bool = True) -> Callable[[F], F]:
    """``@lang_option()``: ``--lang id|en``, its default read when the command runs; on a
    group (``expose=False``) it sets the language of the group's help and of its commands."""
    return click.option("--lang", type=click.Choice(LANGS), default=_default,
                        show_default="PROBIS_LANG or id", callback=_chosen, is_eager=True,
                        expose_value=expose, help=help)


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


def use_args_lang(args: Sequence[str]) -> None:
    """Make the ``--lang`` of a command line the run's language before click parses it."""
    lang = lang_in_args(args)
    if lang is not None:
        use_lang(lang)
