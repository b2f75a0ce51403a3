"""``--help`` in the run's language: the help texts of commands and options as bilingual pairs.

A command keeps its help where click expects it (the docstring, ``help=`` of an option), in
one language; its translation is registered as a pair with :func:`help_text` (inline, at the
definition) or :func:`register` (a catalogue such as :mod:`probis.engine.helpcatalog`). When
click formats a help page, :func:`install` (called by ``clicktext.install``) has each help
text looked up by its words and shown in the run's language (``--lang``, else
``PROBIS_LANG``); a text with no pair is shown as written. Commands stay lazy: nothing here
imports a command, and a command's pairs are registered when its module is imported, which
click does before it formats that command's help.

Plugin authors::

    from probis.engine.helptext import help_text

    @click.command("banjir", help=help_text(
        id="Periksa peta proses terhadap Perda banjir.",
        en="Check the process maps against the flood Perda."))
    @click.option("--dry-run", is_flag=True, help=help_text(
        id="Katakan apa yang akan ditulis, tanpa menulis.",
        en="Say what would be written, and write nothing."))
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import click

from .i18n import run_lang

_pairs: dict[str, dict[str, str]] = {}  # either text, its words normalised -> the pair


def _key(value: str) -> str:
    return " ".join(inspect.cleandoc(value).split())


def register(pairs: Iterable[Mapping[str, str]]) -> None:
    """Make each ``{"id": ..., "en": ...}`` pair known, found by either of its texts."""
    for pair in pairs:
        entry = {"id": pair["id"], "en": pair["en"]}
        for lang in ("id", "en"):
            _pairs[_key(entry[lang])] = entry


def help_text(id: str, en: str) -> str:  # noqa: A002 - "id" is the language code here
    """A help text in both languages for a click command or option: registers the pair and
    returns the English text, which ``--help`` shows in Indonesian when the run's is ``id``."""
    register([{"id": id, "en": en}])
    return en


def translate(value: str | None, lang: str | None = None) -> str | None:
    """``value`` in ``lang`` (default: the run's), as written when it has no pair."""
    if not value:
        return value
    if not _catalogue_read:
        _read_catalogue()
    pair = _pairs.get(_key(value))
    if pair is None:
        return value
    wanted = pair["en"] if (lang or run_lang()) == "en" else pair["id"]
    return value if _key(wanted) == _key(value) else wanted


def _localised(method: Callable[..., Any], *attributes: str) -> Callable[..., Any]:
    """``method`` run with the object's ``attributes`` (help texts) in the run's language."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        saved = {name: getattr(self, name, None) for name in attributes}
        try:
            for name, value in saved.items():
                if isinstance(value, str):
                    setattr(self, name, translate(value))
            return method(self, *args, **kwargs)
        finally:
            for name, value in saved.items():
                setattr(self, name, value)

    wrapper.__probis_localised__ = True  # type: ignore[attr-defined]
    return wrapper


_TARGETS: tuple[tuple[type, str, tuple[str, ...]], ...] = (
    (click.Command, "format_help_text", ("help",)),
    (click.Command, "format_epilog", ("epilog",)),
    (click.Command, "get_short_help_str", ("short_help", "help")),
    (click.Option, "get_help_record", ("help", "show_default")),
    (click.Argument, "get_help_record", ("help",)),
    (click.Command, "collect_usage_pieces", ("options_metavar",)),
    (click.Group, "collect_usage_pieces", ("options_metavar", "subcommand_metavar")),
)


_catalogue_read: list[bool] = []  # probis's own pairs, read when a help page is first made


def _read_catalogue() -> None:
    from . import helpcatalog

    register(helpcatalog.PAIRS)
    _catalogue_read.append(True)


def install() -> None:
    """Have click show every help text through :func:`translate` (idempotent)."""
    for cls, name, attributes in _TARGETS:
        method = cls.__dict__.get(name)
        if method is not None and not getattr(method, "__probis_localised__", False):
            setattr(cls, name, _localised(method, *attributes))
