"""Token overlap of short Indonesian texts (tugas dan fungsi, process names).

Deliberately simple (the brief asks for token overlap, not the overlap plugin's matcher):
lower-case words of three letters or more, minus words every function statement shares.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"[a-z0-9]+")
# words that say nothing about *which* work a unit does
STOPWORDS = frozenset((
    "dan", "yang", "di", "ke", "dari", "untuk", "pada", "dengan", "atau", "serta", "dalam", "oleh",
    "bagi", "atas", "urusan", "bidang", "pemerintahan", "daerah", "penyelenggaraan", "pelaksanaan",
    "perumusan", "kebijakan", "koordinasi", "fasilitasi", "pembinaan", "pengelolaan", "teknis",
    "fungsi", "tugas", "unit", "dinas", "badan", "kota", "kabupaten",
))


def tokens(texts: Iterable[str | None]) -> frozenset[str]:
    out: set[str] = set()
    for t in texts:
        out.update(w for w in _WORD.findall((t or "").lower())
                   if len(w) >= 3 and w not in STOPWORDS)
    return frozenset(out)


def coverage(part: frozenset[str], whole: frozenset[str]) -> float:
    """Share of ``part``'s words found in ``whole`` (0 when ``part`` is empty)."""
    return len(part & whole) / len(part) if part else 0.0


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0
