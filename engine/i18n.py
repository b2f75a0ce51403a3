"""Bilingual text. Every user-facing message exists in Indonesian (``id``) and English (``en``).

Indonesian is the default language: the users are Pemda staff and auditors.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

Lang = Literal["id", "en"]
LANGS: tuple[Lang, ...] = ("id", "en")
DEFAULT_LANG: Lang = "id"

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


def format_text(template: Mapping[str, str], values: Mapping[str, object]) -> Text:
    """Fill ``{name}`` placeholders in both languages.

    A missing value stays visible as ``{name}`` rather than failing the whole report.
    """
    safe = _KeepMissing(values)
    return {lang: str(template.get(lang, "")).format_map(safe) for lang in LANGS}


class _KeepMissing(dict):
    def __init__(self, values: Mapping[str, object]) -> None:
        super().__init__(values)

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
