"""The Sastrawi shortcut must give exactly Sastrawi's stems (stemming.py's proof, checked)."""

from __future__ import annotations

from probis.plugins.overlap import stemcheck
from probis.plugins.overlap.normalize import Normalizer
from probis.plugins.overlap.stemming import FastSastrawi


def test_shortcut_agrees_with_sastrawi_on_a_sample() -> None:
    words = stemcheck.sample(seed=7)
    checked, hits, diffs = stemcheck.compare(words)
    assert diffs == []
    # The comparison is only meaningful if the shortcut answered a real share of the words.
    assert checked > 10_000 and hits > 1_000


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
