"""Sastrawi, with an exact shortcut for the words it would return unchanged.

Why: Sastrawi tries about forty prefix rules (each a regular expression) up to three times per
word before it gives up on a word it does not know (docs/design-notes.md). Process names carry
many words outside its root dictionary (place names, program names, brand-like coinages), and
for almost all of them Sastrawi returns the word as it was. The shortcut proves that outcome
without running the rules:

- Sastrawi's result is either the word itself or a word of its root dictionary (Context.execute:
  the current candidate if the dictionary has it, otherwise the original word);
- a word in the dictionary is returned at once (step 1 of the algorithm);
- every prefix rule (RemovePlainPrefix and the Disambiguator rules) is a regular expression
  anchored at the start of the word, beginning with one of the literals in ``_PREFIX_SHAPE``
  (di, ke, se, be, te, me, pe, ku, kau) or an infix shape (consonant + el/em/er/in + vowel);
  if the word does not start like that, no cut of its end does either, so no prefix is ever
  removed, and the precedence rule (be...lah, me...i, ...) does not apply;
- the suffix steps only cut the end (at most -lah/-kah/-tah/-pun, -ku/-mu/-nya and
  -i/-kan/-an/-is/-isme/-isasi: 11 letters) and the ECS loop only puts back an end or adds
  "k" after cutting -kan; so every candidate is ``word[:j]`` or ``word[:j] + "k"`` with
  ``j >= len(word) - 11``;
- when none of those candidates is in the dictionary, the result is the word itself.

A plain word without a prefix shape whose candidates do meet the dictionary (a made-up place
name ending like a suffix: "babasi", "bukuku") runs through Sastrawi's own stemming context
with no prefix rules: by the argument above no prefix rule ever applies to it or to any of its
candidates, so they only cost their forty regular expressions per pass (three passes per try,
most of Sastrawi's time), and the steps that remain are Sastrawi's code, in its order.

Anything else (a word with a prefix shape, hyphens, letters outside a-z that Sastrawi's own
text normaliser would rewrite) goes to Sastrawi. Both shortcuts are checked against Sastrawi
over its whole dictionary, affixed forms and generated words (tests/overlap/test_stemming.py
and ``python -m probis.plugins.overlap.stemcheck``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from typing import Any

# Start of every Sastrawi prefix rule (Sastrawi/Morphology/Disambiguator, RemovePlainPrefix).
_PREFIX_SHAPE = re.compile(
    r"(?:di|ke|se|be|te|me|pe|ku|kau|[bcdfghjklmnpqrstvwxyz](?:el|em|er|in)[aiueo])"
)
_PLAIN_WORD = re.compile(r"[a-z]+")
# Longest chain of suffixes Sastrawi removes: particle (3) + possessive (3) + -isasi (5).
_MAX_SUFFIX = 11
# Sastrawi stops early on words of three letters or fewer; leave them to it.
_SHORT = 3


def sastrawi_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("PySastrawi")
    except PackageNotFoundError:  # pragma: no cover - installed some other way
        return "unknown"


class _WithoutPrefixRules:
    """Sastrawi's visitor provider without its prefix rules (the module docstring's second
    shortcut): the same visitor objects for the short-word check and the suffixes."""

    def __init__(self, provider: Any) -> None:
        self._visitors = provider.get_visitors()
        self._suffix_visitors = provider.get_suffix_visitors()

    def get_visitors(self) -> list[Any]:
        return self._visitors

    def get_suffix_visitors(self) -> list[Any]:
        return self._suffix_visitors

    def get_prefix_visitors(self) -> list[Any]:
        return []


class FastSastrawi:
    """Callable ``word -> stem`` with Sastrawi's results, skipping it when provably a no-op."""

    def __init__(self) -> None:
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

        cached = StemmerFactory().create_stemmer()
        self._sastrawi: Callable[[str], str] = cached.stem
        # The very dictionary the stemmer consults, so a different Sastrawi data file is honoured.
        self._roots: Collection[str] = cached.delegatedStemmer.dictionary.words
        provider = cached.delegatedStemmer.visitor_provider
        self._suffix_cuts: list[Callable[[str], str]] = [
            v.remove for v in provider.get_suffix_visitors()
        ]
        from Sastrawi.Stemmer.Context.Context import Context

        self._context = Context
        self._dictionary = cached.delegatedStemmer.dictionary
        self._without_prefixes = _WithoutPrefixRules(provider)
        self.shortcut_hits = 0
        self.suffix_only_hits = 0

    def unchanged(self, word: str) -> bool:
        """True when Sastrawi provably returns ``word`` itself (see the module docstring)."""
        roots = self._roots
        if word in roots:
            return _PLAIN_WORD.fullmatch(word) is not None
        if len(word) <= _SHORT or not _PLAIN_WORD.fullmatch(word) or _PREFIX_SHAPE.match(word):
            return False
        current = word
        for cut in self._suffix_cuts:  # Sastrawi's own suffix rules, in its order
            current = cut(current)
            if current in roots or current + "k" in roots:
                return False
        return word + "k" not in roots

    def suffixes_only(self, word: str) -> bool:
        """True when no Sastrawi prefix rule can apply to ``word`` or to any word Sastrawi
        makes of it (a plain word of more than three letters without a prefix shape)."""
        return (len(word) > _SHORT and _PLAIN_WORD.fullmatch(word) is not None
                and _PREFIX_SHAPE.match(word) is None)

    def __call__(self, word: str) -> str:
        if self.unchanged(word):
            self.shortcut_hits += 1
            return word
        if self.suffixes_only(word):
            # what Sastrawi's stemmer does with a plain word (its text normaliser leaves it
            # as it is; no hyphen, so not plural), without the prefix rules that cannot apply
            self.suffix_only_hits += 1
            context = self._context(word, self._dictionary, self._without_prefixes)
            context.execute()
            result: str = context.result
            return result
        return self._sastrawi(word)
