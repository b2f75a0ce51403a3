"""Bilingual text. Every user-facing message exists in Indonesian (``id``) and English (``en``).

Indonesian is the default language: the users are Pemda staff and auditors. ``PROBIS_LANG``
(``id`` or ``en``) changes it for every command; ``--lang`` overrides it for one run. One run
speaks one language: reports, tables, usage errors and exit messages alike.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from typing import Literal

Lang = Literal["id", "en"]
LANGS: tuple[Lang, ...] = ("id", "en")
DEFAULT_LANG: Lang = "id"
LANG_ENV = "PROBIS_LANG"

# A bilingual text is a plain dict {"id": ..., "en": ...}: it serialises to JSON as it is.
Text = dict[str, str]


def text(id: str, en: str) -> Text:  # noqa: A002 - "id" is the language code here
    """Build a bilingual text."""
    return {"id": id, "en": en}


def pick(value: Mapping[str, str] | str | None, lang: Lang = DEFAULT_LANG) -> str:
    """The text in ``lang``, falling back to the other language rather than to nothing."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return value.get(lang) or value.get("id") or value.get("en") or ""


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """An English count with its noun agreeing: '1 map', '2 maps', '0 processes' (``plural``
    when adding an s is wrong). Indonesian nouns do not change with the count."""
    return f"{n} {noun}" if n == 1 else f"{n} {plural or noun + 's'}"


def format_text(template: Mapping[str, str], values: Mapping[str, object]) -> Text:
    """Fill ``{name}`` placeholders in both languages.

    A value given in brackets on its own, `` ({name})``, is left out with its brackets when it
    is missing or empty (a process with no name: ``Proses PB.01 belum ...``, not ``({name})``
    or ``()``). Any other missing value stays visible as ``{name}`` rather than failing the
    whole report.
    """
    id_text, en_text = str(template.get("id", "")), str(template.get("en", ""))
    if type(values) is dict:  # every placeholder filled: no copy into _KeepMissing needed
        try:
            filled = {"id": id_text.format_map(values), "en": en_text.format_map(values)}
            id_, en = filled["id"], filled["en"]
            if "()" not in id_ and "()" not in en and "(None)" not in id_ \
                    and "(None)" not in en:  # no bracketed value was empty
                return filled
        except KeyError:
            pass
    safe = _KeepMissing(values)
    return {"id": _without_empty_groups(id_text, values).format_map(safe),
            "en": _without_empty_groups(en_text, values).format_map(safe)}


_BRACKETED = re.compile(r" \(\{(\w+)\}\)")


def _without_empty_groups(template: str, values: Mapping[str, object]) -> str:
    return _BRACKETED.sub(
        lambda m: "" if values.get(m.group(1)) in (None, "") else m.group(0), template)


class _KeepMissing(dict):
    def __init__(self, values: Mapping[str, object]) -> None:
        super().__init__(values)

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def default_lang() -> Lang:
    """The language of a run without ``--lang``: ``PROBIS_LANG`` when it names one (``id``,
    ``en``; case and a region such as ``en_US.UTF-8`` are ignored), else Indonesian."""
    value = os.environ.get(LANG_ENV, "").strip().lower()[:2]
    return "en" if value == "en" else "id" if value == "id" else DEFAULT_LANG


_session: list[Lang] = []  # the --lang of the running command, once click has parsed it


def use_lang(lang: str) -> Lang:
    """Make ``lang`` this run's language (the ``--lang`` option's callback calls it), so
    messages said outside a renderer (usage errors, exit messages) speak it too."""
    chosen: Lang = "en" if lang == "en" else "id"
    _session[:] = [chosen]
    return chosen


def reset_lang() -> None:
    """Forget the last command's ``--lang`` (an in-process caller runs several commands)."""
    _session.clear()


def run_lang() -> Lang:
    """This run's language: the parsed ``--lang``, else :func:`default_lang`."""
    return _session[0] if _session else default_lang()


def say(id: str, en: str, lang: str | None = None) -> str:  # noqa: A002 - language code
    """One message in this run's language (or ``lang``): for texts said once, not stored."""
    return en if (lang or run_lang()) == "en" else id


def cannot_write(target: object, reason: object, lang: str | None = None) -> str:
    """"cannot write TARGET: REASON" and what to do, in one language, as every command that
    writes says it."""
    return (say(f"tidak dapat menulis {target}", f"cannot write {target}", lang) + f": {reason}"
            + say(" (periksa bahwa foldernya ada dan boleh ditulis, atau pilih tempat lain)",
                  " (check that its folder exists and can be written, or choose another place)",
                  lang))


def first_few(items: Sequence[str], first: int = 3) -> str:
    """``items`` joined by commas, the first ``first`` only, then how many more: ``a, b, c
    (+2)`` (a list of files kept to one line of a message)."""
    more = len(items) - first
    return ", ".join(items[:first]) + (f" (+{more})" if more > 0 else "")


def decimal_text(value: float, lang: str, places: int = 1) -> str:
    """``value`` with ``places`` decimals as a document in ``lang`` writes it: ``95,2`` in
    Indonesian (the LHP's own numbers), ``95.2`` in English. Terminal tables keep the point."""
    shown = f"{value:.{places}f}"
    return shown.replace(".", ",") if lang == "id" else shown
