"""Abbreviations a workspace defines for itself, learned from its own text.

Why: no kamus knows every local abbreviation (SIKR, IUMK, Andalalin, a program's acronym), but
Pemda documents write the full form next to the short one, and maps reuse the short form
elsewhere. Two sources, both read from the workspace's process names, outputs, customers and
unit names:

1. a definition: "Izin Usaha Mikro dan Kecil (IUMK)" or "IUTM (Izin Usaha Toko Modern)". The
   short form must be spelled by prefixes of the words of the long form, in order (stop words
   may give nothing): I-U-M-K, SPP-IRT, Rekom-tek, An-da-la-lin. Only the shortest run of words
   ending at the bracket that spells it is taken, so "Pelayanan Surat Izin Praktik (SIP)"
   learns "surat izin praktik";
2. initials: an all-capitals token (three letters or more) that is not in the kamus, when
   exactly one run of words elsewhere in the workspace has it as its initials ("Penerbitan
   IUI" and "Pendataan Izin Usaha Industri").

A short form the workspace defines in two different ways is ambiguous: it is left unmatched
(dropped from the kamus too), never guessed. A definition in the workspace replaces the kamus
entry: the workspace is the more specific authority (SPM as Surat Pernyataan Miskin).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Hashable, Iterable
from dataclasses import dataclass

# "long form (SHORT)" and "SHORT (long form)"; the bracket holds at most 12 words.
_BRACKET = re.compile(r"\(\s*([^()]{1,120}?)\s*\)")
_WORD = re.compile(r"[^\W_]+(?:[-/][^\W_]+)*")
_SHORT = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")
# Words that may be skipped when spelling a short form ("Izin Usaha Mikro dan Kecil").
_SKIPPABLE = frozenset({"dan", "atau", "serta", "di", "ke", "dari", "yang", "untuk", "bagi", "&"})
_MAX_LONG = 10
_MIN_INITIALS = 3


@dataclass(frozen=True)
class Learned:
    """What a workspace taught: abbreviation -> expansion, and the ambiguous short forms."""

    abbreviations: dict[str, str]
    ambiguous: frozenset[str]


def _spells(short: str, words: list[str]) -> bool:
    """True when ``short`` (letters only, lower case) is the concatenation of non-empty
    prefixes of ``words`` in order, the first word giving at least its first letter and every
    non-skippable word giving at least one letter."""
    n = len(words)
    memo: dict[tuple[int, int], bool] = {}

    def go(i: int, k: int) -> bool:
        if k == len(short):
            return all(w in _SKIPPABLE for w in words[i:])
        if i == n:
            return False
        key = (i, k)
        if key in memo:
            return memo[key]
        w = words[i]
        ok = False
        if w in _SKIPPABLE and i > 0 and go(i + 1, k):
            ok = True
        else:
            j = 0
            while not ok and j < len(w) and k + j < len(short) and w[j] == short[k + j]:
                j += 1
                ok = go(i + 1, k + j)
        memo[key] = ok
        return ok

    return bool(short) and bool(words) and words[0] not in _SKIPPABLE and go(0, 0)


def _letters(short: str) -> str:
    return re.sub(r"[^a-z0-9]", "", short.casefold())


def _is_short_form(token: str) -> bool:
    """An abbreviation-looking token: one word, at least two letters, mostly capitals or
    a known mixed shape (KTP-el, Andalalin is accepted only inside a definition)."""
    return bool(_SHORT.fullmatch(token)) and len(_letters(token)) >= 2


def _definition(before: list[str], short: str) -> str | None:
    """The shortest run of words at the end of ``before`` that spells ``short``."""
    letters = _letters(short)
    if not letters:
        return None
    words = [w.casefold() for w in before]
    for size in range(1, min(_MAX_LONG, len(words)) + 1):
        run = words[len(words) - size:]
        if len(run) > 1 and _spells(letters, run):
            return " ".join(run)
    return None


def definitions(text: str) -> list[tuple[str, str]]:
    """(short form, long form) pairs defined in one text, both case-folded."""
    out: list[tuple[str, str]] = []
    for m in _BRACKET.finditer(text):
        inside = m.group(1).strip()
        before = _WORD.findall(text[: m.start()])
        if _is_short_form(inside) and " " not in inside:
            long = _definition(before, inside)
            if long:
                out.append((inside.casefold(), long))
        elif before and _is_short_form(before[-1]):
            inner = _WORD.findall(inside)
            short = before[-1]
            if len(inner) > 1 and _spells(_letters(short), [w.casefold() for w in inner]):
                out.append((short.casefold(), " ".join(w.casefold() for w in inner)))
    return out


# An all-capitals word of at least three letters (digits and inner hyphens allowed).
_CAPITALS = re.compile(r"(?<![\w/-])[A-Z](?:[A-Z0-9]|-(?=[A-Z0-9])){2,}(?![\w/-])")


def _capitals(text: str) -> Iterable[str]:
    for token in _CAPITALS.findall(text):
        if sum(c.isalpha() for c in token) >= _MIN_INITIALS:
            yield token.casefold()


def learn(texts: Iterable[str], known: Collection[str] = (),
          meaning: Callable[[str], Hashable] = lambda long: long) -> Learned:
    """Learn abbreviations from a workspace's texts. ``known`` are the kamus' short forms:
    initials never override them (a definition in brackets does). ``meaning`` maps a long
    form to what it means (the normaliser's tokens), so "Ijin Usaha Mikro Kecil" and "Izin
    Usaha Mikro dan Kecil" are one definition, not an ambiguity."""
    texts = list(dict.fromkeys(t for t in texts if t))
    found: dict[str, set[str]] = {}
    for text in texts:
        if "(" in text:
            for short, long in definitions(text):
                if short not in _SKIPPABLE:
                    found.setdefault(short, set()).add(long)
    wanted = {t for text in texts for t in _capitals(text)}
    wanted -= set(known) | set(found)
    shorts = sorted((s for s in wanted if s.isalpha() and s not in _SKIPPABLE),
                    key=lambda s: (-len(s), s))
    if shorts:
        # one pass per text over its string of initials, all short forms at once
        pattern = re.compile("(?=(" + "|".join(shorts) + "))")
        for text in texts:
            words = [w for w in _WORD.findall(text.casefold()) if w not in _SKIPPABLE]
            if len(words) < _MIN_INITIALS:
                continue
            initials = "".join(w[0] for w in words)
            for m in pattern.finditer(initials):
                short = m.group(1)
                run = words[m.start() : m.start() + len(short)]
                if short not in run:
                    found.setdefault(short, set()).add(" ".join(run))
    abbreviations: dict[str, str] = {}
    ambiguous: set[str] = set()
    for short, longs in sorted(found.items()):
        if len({meaning(long) for long in longs}) == 1:
            abbreviations[short] = min(longs)
        else:
            ambiguous.add(short)
    return Learned(abbreviations, frozenset(ambiguous))
