"""The Sastrawi shortcut must give exactly Sastrawi's stems (stemming.py's proof, checked)."""

from __future__ import annotations

import re

from probis.plugins.overlap import stemcheck
from probis.plugins.overlap.normalize import Normalizer
from probis.plugins.overlap.stemming import FastSastrawi


def test_shortcut_agrees_with_sastrawi_on_a_sample() -> None:
    words = stemcheck.sample(seed=7, n_affixed=16)  # each affixed word runs Sastrawi too
    checked, hits, diffs = stemcheck.compare(words)
    assert diffs == []
    # The comparison is only meaningful if the shortcut answered a real share of the words.
    assert checked > 8_000 and hits > 1_000


def test_shortcut_leaves_affixed_and_odd_words_to_sastrawi() -> None:
    fast = FastSastrawi()
    for word in ("menerbitkan", "diterbitkan", "penerbitan", "pelajar", "kukirim", "kanak-kanak",
                 "café", "abc", "selamatnya", "gelombangan", "mainkan"):
        assert not fast.unchanged(word), word
    assert fast("menerbitkan") == "terbit"
    assert fast("mainkan") == "main"
    assert fast.unchanged("dabune") and fast("dabune") == "dabune"
    assert fast.unchanged("terbit") and fast("terbit") == "terbit"  # a root: returned at once


def test_normalizer_uses_the_shortcut_by_default() -> None:
    norm = Normalizer()
    stem = norm._stem_fn
    assert isinstance(stem, FastSastrawi)
    before = stem.shortcut_hits
    assert norm.canonical("Pembinaan Dabune Tewari")[-2:] == ["dabune", "tewari"]
    assert stem.shortcut_hits > before


def test_plain_words_without_a_prefix_shape_skip_the_prefix_rules() -> None:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    fast, slow = FastSastrawi(), StemmerFactory().create_stemmer().stem
    # made-up place names ending like a suffix whose cut is a root: not unchanged
    for word in ("babasi", "bukuku", "dariku", "bahani", "mainan", "bacakan"):
        assert not fast.unchanged(word) and fast.suffixes_only(word), word
        assert fast(word) == slow(word), word
    assert fast.suffix_only_hits == 6
    for word in ("kukirim", "menerbitkan", "selamatnya", "gelombangan", "ktp-el", "abc"):
        assert not fast.suffixes_only(word), word


def test_affixed_words_visit_only_the_prefix_rules_that_can_match() -> None:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    fast, slow = FastSastrawi(), StemmerFactory().create_stemmer().stem
    # prefixes stacked, recoded (meN-, peN-), infixes, a root in the ECS loop (-kan -> -k)
    words = ("memperbarui", "diperdagangkan", "pengelolaan", "penyusunan", "menyelesaikan",
             "kebencanaan", "pelajar", "belajar", "gemetar", "telunjuk", "bermainlah",
             "mengembalikan", "tertangkap", "kukirim", "kaubawa", "perencanaan", "sehasi",
             "tejami", "lemasi", "memasukkan", "menengok", "pemberitahuan", "diberikannya")
    assert [fast(w) for w in words] == [slow(w) for w in words]
    roots = [w for w in words if fast.unchanged(w)]  # belajar, gemetar: returned at once
    assert fast.guarded_hits == len(words) - len(roots) >= 20


def test_a_prefix_rule_is_skipped_only_when_its_code_is_proven_to_do_nothing() -> None:
    from probis.plugins.overlap import stemming
    from Sastrawi.Morphology.Disambiguator.DisambiguatorPrefixRule1 import (
        DisambiguatorPrefixRule1a,
    )
    from Sastrawi.Morphology.Disambiguator.DisambiguatorPrefixRule4 import (
        DisambiguatorPrefixRule4,
    )
    from Sastrawi.Stemmer.Context.Visitor.VisitorProvider import VisitorProvider

    assert stemming._sole_pattern(DisambiguatorPrefixRule1a()) == r"^ber([aiueo].*)$"
    assert stemming._sole_pattern(DisambiguatorPrefixRule4()) is None  # `if word == ...`
    assert stemming._sole_pattern(_NeverHere()) == r"^zzz(.*)$"
    assert stemming._sole_pattern(_WithElse()) is None
    rules = stemming._Rules(VisitorProvider(), prefix_rules=True)
    unproven = [type(v).__name__ for v, guard in rules.guarded if guard is None]
    assert len(rules.guarded) == 41 and len(unproven) == 3  # plain prefixes, rule 4 and one
    assert "RemovePlainPrefix" in unproven


class _WithElse:
    """Sastrawi's shape but for an ``else``: it may change a word its pattern does not match."""

    def disambiguate(self, word: str) -> str | None:
        matches = re.match(r"^ber(.*)$", word)
        if matches:
            return matches.group(1)
        else:  # noqa: RET505 - the shape under test
            return word


class _NeverHere:
    """A prefix rule of Sastrawi's shape whose pattern matches none of the words below."""

    def disambiguate(self, word: str) -> str | None:
        matches = re.match(r"^zzz(.*)$", word)
        if matches:
            return matches.group(1)


def test_a_skipped_rule_keeps_the_checks_sastrawi_makes_after_it() -> None:
    """Sastrawi checks for a root after every rule it visits, one that changed nothing too:
    a word that is a root when the prefix step starts stops after the first rule, skipped or
    not, and the plain-prefix rule after it never runs."""
    from probis.plugins.overlap import stemming
    from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
    from Sastrawi.Stemmer.Context.Context import Context
    from Sastrawi.Stemmer.Context.Visitor.PrefixDisambiguator import PrefixDisambiguator
    from Sastrawi.Stemmer.Context.Visitor.RemovePlainPrefix import RemovePlainPrefix

    class Provider:
        prefix = [PrefixDisambiguator([_NeverHere()]), RemovePlainPrefix()]

        def get_visitors(self) -> list[object]:
            return []

        def get_suffix_visitors(self) -> list[object]:
            return []

        def get_prefix_visitors(self) -> list[object]:
            return self.prefix

    provider = Provider()
    rules = stemming._Rules(provider, prefix_rules=True)
    assert rules.guarded[0][1] is not None and rules.guarded[1][1] is None
    roots = ArrayDictionary(["dibaca", "baca"])
    for word in ("dibaca", "ditulis"):
        plain, guarded = (Context(word, roots, provider),
                          stemming._guarded_context(Context)(word, roots, rules))
        for context in (plain, guarded):
            context.accept_prefix_visitors(context.prefix_visitors)
        assert guarded.current_word == plain.current_word
        assert len(guarded.removals) == len(plain.removals)
    assert plain.current_word == "tulis"  # the plain prefix removed where no root stood
