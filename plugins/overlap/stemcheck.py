"""Word lists to check the Sastrawi shortcut (stemming.py) against Sastrawi itself.

Used by tests/overlap/test_stemming.py (a seeded sample, seconds) and by
``python -m probis.plugins.overlap.stemcheck`` (the whole dictionary, 300,000 affixed forms of
it and 200,000 made-up words: a few minutes), which prints how many words the shortcuts
answered and stops with exit code 1 on the first difference.
"""

from __future__ import annotations

import itertools
import random
import sys
from collections.abc import Iterable, Iterator

# Indonesian affixes as they attach to a root (meN-/peN- take the nasal the root's first
# letter asks for; a few are wrong on purpose: the shortcut must agree with Sastrawi on
# misspellings too).
PREFIXES = ("", "me", "mem", "men", "meng", "meny", "di", "ber", "be", "ter", "te", "pe", "pem",
            "pen", "peng", "peny", "per", "ke", "se", "memper", "diper", "ku", "kau")
SUFFIXES = ("", "kan", "an", "i", "nya", "lah", "kah", "pun", "ku", "mu", "is", "isme",
            "isasi", "kannya", "annya", "inya", "nyalah")
# Consonant-vowel syllables like the benchmark generator's made-up words, plus endings that
# look like suffixes.
SYLLABLES = ("ka", "ri", "su", "ma", "to", "le", "ba", "ni", "go", "ra", "de", "pu", "wa", "si",
             "lo", "ne", "ja", "ku", "te", "mi", "ha", "bu", "se", "da", "an", "in", "el", "er",
             "em", "kan", "nya", "lah", "me", "pe", "be", "di", "ke", "ng", "ny", "tr", "st")
ODD = ("ktp-el", "anak-anak", "kanak-kanak", "berbalas-balasan", "café", "ekspor2",
       "pbb-p2", "a", "ab", "abc", "abcd", "meny", "peng", "-", "x-y", "naïve", "ıstanbul")


def roots() -> list[str]:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return sorted(w for w in StemmerFactory().get_words() if w.strip())


def affixed(words: Iterable[str]) -> Iterator[str]:
    for root in words:
        for prefix, suffix in itertools.product(PREFIXES, SUFFIXES):
            yield prefix + root + suffix


def made_up(rng: random.Random, count: int) -> Iterator[str]:
    for _ in range(count):
        yield "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def sample(seed: int = 1, n_roots: int = 200, n_made_up: int = 3000,
           n_affixed: int = 40) -> list[str]:
    """A seeded sample: dictionary words, their affixed forms, made-up words, odd words."""
    rng = random.Random(seed)
    all_roots = roots()
    picked = rng.sample(all_roots, n_roots)
    words = (picked + list(affixed(picked[:n_affixed])) + list(made_up(rng, n_made_up))
             + list(ODD))
    return sorted(set(words))


def compare(words: Iterable[str]) -> tuple[int, int, list[tuple[str, str, str]]]:
    """(words checked, shortcut answers, differences as (word, shortcut, sastrawi)); the
    answers of both shortcuts (unchanged words, words stemmed without prefix rules)."""
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    from .stemming import FastSastrawi

    fast = FastSastrawi()
    slow = StemmerFactory().create_stemmer().stem
    checked = hits = 0
    diffs: list[tuple[str, str, str]] = []
    for word in words:
        checked += 1
        if fast.unchanged(word) or fast.guarded(word):  # the rest IS Sastrawi
            # (guarded: every plain word of more than three letters, the suffix-only ones too)
            hits += 1
            got, expected = fast(word), slow(word)
            if expected != got:
                diffs.append((word, got, expected))
    return checked, hits, diffs


def main() -> int:
    rng = random.Random(2)
    all_roots = roots()
    groups = {
        "dictionary": all_roots,
        # every root once with each affix pair would be 11 million Sastrawi runs (hours)
        "affixed dictionary words": rng.sample(list(affixed(all_roots)), 300_000),
        "made-up words": list(made_up(rng, 200_000)),
        "benchmark words": ["".join(p) for p in itertools.product(SYLLABLES[:24], repeat=3)],
    }
    failed = False
    for name, words in groups.items():
        checked, hits, diffs = compare(words)
        print(f"{name}: {checked:,} words, shortcut {hits:,}, differences {len(diffs)}")
        for diff in diffs[:20]:
            print("  ", diff)
        failed |= bool(diffs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
