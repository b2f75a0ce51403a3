"""How telling a word is: rarity weights (smoothed IDF) for the overlap matcher's evidence.

Why: two names that share *SKTM* or *radiografer* are far more likely to be the same work than
two that share *penerbitan* or *pelayanan*; plain Jaccard counts every word alike. Each word t
of a name or an output gets the weight

    w(t) = 1 + gamma * ln((N + 1) / (df(t) + 1)) / ln(N + 1)

where N is the number of documents and df(t) the number that contain t, counted over the
workspace's processes (a process = the words of its name and outputs) *pooled with* a background
table of real government work names (``data/frekuensi_latar.json``: the 2020 budget
nomenclature and a DPMPTSP permit list, built by ``benchmarks/overlap_rarity_table.py``). The
pooling is the usual pseudo-count prior: in a workspace of three processes the background
decides (workspace counts alone say nothing: every shared word would look common), in a
workspace of 100,000 the workspace's own counts dominate. The fraction is 0 for a word every
document has and 1 for a word none has, so weights lie in [1, 1 + gamma]: ``gamma = 0`` is the
unweighted matcher, and the bounded ratio keeps one rare word from deciding a pair alone.
gamma is chosen on the dev set's tune split (docs/design-notes.md).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from pathlib import Path

BACKGROUND_PATH = Path(__file__).with_name("data") / "frekuensi_latar.json"


@dataclass(frozen=True, slots=True)
class Background:
    """Document frequencies of a reference collection: ``documents`` names, ``df[word]``."""

    documents: int
    df: Mapping[str, int]


EMPTY = Background(0, {})


@lru_cache(maxsize=1)
def default_background() -> Background:
    """The built-in table (read once per process); empty if the file is missing."""
    try:
        data = json.loads(BACKGROUND_PATH.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return EMPTY
    return Background(int(data["documents"]), dict(data["df"]))


def word_weights(documents: Iterable[frozenset[str]], gamma: float,
                 background: Background = EMPTY) -> tuple[dict[str, float], float]:
    """Weights of every word of ``documents`` (each a set of words), and the weight of a word
    seen nowhere (1 + gamma), for words a caller meets outside ``documents``."""
    docs = list(documents)
    n = len(docs)
    df = Counter(chain.from_iterable(docs))  # counted in C: 100,000 processes, ~500,000 words
    total = n + background.documents
    top = 1.0 + gamma
    if gamma <= 0 or total <= 0:
        return {w: 1.0 for w in df}, 1.0
    scale = gamma / math.log(total + 1)
    bg = background.df
    weights = {w: 1.0 + scale * math.log((total + 1) / (c + bg.get(w, 0) + 1))
               for w, c in df.items()}
    return weights, top
