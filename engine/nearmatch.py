"""``difflib.get_close_matches`` with the same answer, faster over many possibilities.

difflib compares the word with every possibility in Python (``quick_ratio`` and, for those
that pass, ``ratio``). Its ratio is ``2*M/T`` where M is the size of its matching blocks, a
common subsequence, so it is never above the LCS ratio ``2*LCS/T``, which rapidfuzz's
``Indel.normalized_similarity`` computes in C. So the possibilities are ranked by that bound
first: those below the cutoff by it cannot pass difflib's test, and once ``n`` have passed,
a possibility whose bound is below the n-th best ratio cannot enter the answer either.
difflib judges the others with its own test, so the result is exactly difflib's
(tests/engine/test_nearmatch.py).
"""

from __future__ import annotations

import difflib
import heapq
from collections.abc import Iterable

# below this many possibilities difflib alone is as fast
_PREFILTER_FROM = 64
# rapidfuzz turns a float cutoff into a distance with rounding (a score equal to the cutoff
# can be dropped): the prefilter keeps a margin, difflib decides at the exact cutoff
_SLACK = 0.02
# the bound and difflib's ratio are computed differently: stop only below a clear margin
_EPS = 1e-9


def close_matches(word: str, possibilities: Iterable[str], n: int = 3,
                  cutoff: float = 0.6) -> list[str]:
    """Exactly ``difflib.get_close_matches(word, possibilities, n, cutoff)``."""
    candidates = possibilities if isinstance(possibilities, list) else list(possibilities)
    if len(candidates) < _PREFILTER_FROM or n <= 0 or not 0.0 <= cutoff <= 1.0:
        return difflib.get_close_matches(word, candidates, n=n, cutoff=cutoff)
    from rapidfuzz import process
    from rapidfuzz.distance import Indel

    ranked = process.extract(word, candidates, scorer=Indel.normalized_similarity,
                             processor=None, score_cutoff=max(0.0, cutoff - _SLACK),
                             limit=None)
    ranked.sort(key=lambda hit: (-hit[1], hit[2]))
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    passed: list[tuple[float, str]] = []
    best: list[float] = []  # min-heap of the n best ratios so far
    for x, bound, _ in ranked:
        if len(best) == n and bound < best[0] - _EPS:
            break  # this and every later possibility: ratio <= bound < the n-th best ratio
        matcher.set_seq1(x)
        if (matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff
                and matcher.ratio() >= cutoff):
            score = matcher.ratio()
            passed.append((score, x))
            if len(best) < n:
                heapq.heappush(best, score)
            elif score > best[0]:
                heapq.heapreplace(best, score)
    return [x for _, x in heapq.nlargest(n, passed)]
