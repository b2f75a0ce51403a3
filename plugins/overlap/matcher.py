"""Find pairs of processes that do the same work (OVL001 across OPDs, OVL004 within one OPD).

Score
-----
For two processes a and b, with canonical content tokens from ``normalize.Normalizer``::

    S_name = |A ~ B| / |A ∪ B|         Jaccard of the name tokens; "~" counts equal tokens
                                       plus, when at least one token is shared exactly,
                                       near-equal leftovers (typos: rapidfuzz normalized
                                       Levenshtein >= 0.85, both at least 5 characters)
    S_out  = max Jaccard over (output of a, output of b)   same product, however worded
    S_cust = Jaccard of the customer tokens (every customer phrase of a process normalised
             like a name, generic words included, and pooled): "Warga pendatang" and
             "Masyarakat" share "masyarakat" (0.5) instead of being two different phrases
    score  = (w_n S_name + w_o S_out + w_c S_cust) / (w_n + w_o [both have outputs]
                                                         + w_c [both have customers])

Every |.| over name and output words is a sum of rarity weights (``rarity.py``: 1 + gamma x
normalised smoothed IDF over the workspace pooled with a background table, in [1, 1 + gamma],
gamma = 0.5 chosen on the dev set's tune split): a shared rare word (SKTM, radiografer) lifts
a pair more than a shared common one (pembinaan). ``rarity=0`` gives plain Jaccard.

with default weights w_n = 0.6, w_o = 0.3, w_c = 0.1 and threshold T = 0.80, chosen with
``benchmarks/overlap_bench.py``'s sweep: at 0.75 the same object worked on by two different
kinds of work ("Pemantauan X" / "Pencegahan X") starts to pass (precision 0.93); from 0.80
up, precision and recall were both 1.000 on the synthetic set. Names dominate because they are
the one field every map fills in carefully; the output confirms the work; customers are
mostly "Masyarakat" and so weigh little. A missing field drops out of the denominator rather
than counting as a mismatch, so an incomplete map is neither punished nor favoured.

Exemptions (rule catalog OVL001):
- same owner (OVL001) or same map (OVL004) pairs are not compared at all;
- both support processes (category ``pendukung``, every sub-kegiatan it cites is in an OPD's
  support program ``x.xx.01``, or at least half of the name's content tokens are
  ``pendukung`` keywords): every OPD runs its own staffing, finance, archives, and the
  nomenclature repeats those sub-kegiatan ("Penyediaan Gaji dan Tunjangan ASN") in every
  bidang urusan;
- both owners of the same territorial type (kecamatan, kelurahan, desa): each serves its
  own area;
- generic words (``umum``) never count, so a pair sharing only them scores 0 on names;
- weak words (``lemah``: penerbitan, pembuatan, pencetakan) count only when both names carry
  them or when the other name names a different act of its own ("Perekaman KTP-el" /
  "Pencetakan KTP-el": recording is not printing), and a pair that shares nothing else is
  not scored: "Pelayanan IMB" and "Penerbitan
  PBG" are the same service (the document implies that it is issued), while "Penerbitan
  KTP-el" and "Penerbitan Izin Reklame" share only the act of issuing.
Within one OPD (OVL004) the support and territorial exemptions do not apply: two copies of
the same housekeeping process in one OPD are a real duplicate.

Scale
-----
Comparing all pairs is quadratic. Because w_o + w_c < T, a pair can only reach T when
S_name >= L = (T (w_n + w_o + w_c) - w_o - w_c) / w_n (0.667 by default). Candidate
generation is a set-similarity join with prefix filtering (tokens ordered rarest first, each
record indexes only a prefix of its tokens; see ``_join``), run twice:
- on names, at L1 = (T (w_n + w_c) - w_c) / w_n (0.767): the floor of a pair where one side
  has no outputs, which only its name can carry;
- on output phrases, at (T (w_n + w_o + w_c) - w_c - w_n L1) / w_o (0.8): a pair whose names
  are alike below L1 reaches T only when some pair of its outputs is at least that alike.
Splitting at L1 matters at scale: names such as "Pemantauan Sarana Prasarana Sekolah di X"
recur for every place X; at L such pairs all become candidates (docs/design-notes.md),
while the outputs ("Sarana Prasarana Sekolah X") tell them apart.
Tokens whose document frequency exceeds ``df_cap`` are never indexed (a pair that shares
only such tokens is lost; the benchmark measures how often this happens against
``exhaustive=True``). Weak words are left out of the name keys, because a one-sided weak word
is dropped before scoring; the records that carry a weak word are joined a second time on
their full names. Within a key, groups of records that can never pair (support with
support, kecamatan with kecamatan; other OPDs for OVL004) are not enumerated: every OPD's
own support process shares every key with all the others. The join works on exact tokens: a
typo (fuzzy match) lifts only a pair that the join proposed. Cost then grows about linearly
with the number of processes. A workspace of copied maps (the same service in many OPDs)
repeats whole records: ``prepare`` normalises each distinct (name, outputs, customers) once
and numbers it, and ``find_pairs`` scores each pair of such numbers once (the score reads
nothing else), so tens of thousands of reported pairs cost a few thousand scorings.

The floors above are exact for plain Jaccard. Rarity weights can lift a pair whose plain
name similarity is below the join's floor (shared rare words, unshared common ones); blocking
then misses it unless its outputs propose it. So a workspace of fewer than
``exhaustive_below`` (500) processes is compared pair by pair (exact, and cheap at that
size), and at scale ``benchmarks/overlap_bench.py`` measures what blocking keeps against
``exhaustive=True``. A sound floor for weights in [1, r] would be L1 / (L1 + r (1 - L1))
(0.69 for r = 1.5), which multiplies the candidate pairs (docs/design-notes.md).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, combinations
from operator import attrgetter
from typing import TYPE_CHECKING, Literal

from probis.engine.gcpause import paused_gc

from .rarity import EMPTY, Background, default_background, word_weights

if TYPE_CHECKING:  # imported when a matcher is built: records alone need no stemmer (start-up)
    from .normalize import Normalizer

Scope = Literal["cross_owner", "same_owner"]

#: Owner types whose units each serve their own territory: the same service is not overlap.
TERRITORIAL_TYPES: frozenset[str] = frozenset({"kecamatan", "kelurahan", "desa"})

#: Chosen with benchmarks/overlap_bench.py (threshold sweep); see the module docstring.
DEFAULT_THRESHOLD = 0.8
#: gamma of rarity.py (0 = every word weighs the same); chosen on the dev set's tune split.
DEFAULT_RARITY = 0.5
#: Workspaces with fewer records are compared pair by pair (exact for the weighted score).
EXHAUSTIVE_BELOW = 500

_FUZZY_MIN_LEN = 5
_FUZZY_MIN_SIM = 0.85


@dataclass(frozen=True, slots=True)
class ProcessRecord:
    """What the matcher needs of one process; the engine adapts workspace processes to it.

    ``owner`` is the OPD id (the top-level unit that is accountable), ``owner_type`` its SOTK
    type (dinas, badan, kecamatan, kelurahan, ...), ``map_code`` the map that holds it.
    """

    code: str
    name: str
    outputs: Sequence[str] = ()
    customers: Sequence[str] = ()
    owner: str | None = None
    owner_type: str | None = None
    category: str | None = None
    map_code: str | None = None
    subkegiatan: Sequence[str] = ()


def support_program(code: str) -> bool:
    """A sub-kegiatan of an OPD's own support program (``x.xx.01``: PROGRAM PENUNJANG URUSAN
    PEMERINTAHAN DAERAH), which the nomenclature repeats for every bidang urusan."""
    parts = code.split(".")
    return len(parts) >= 3 and parts[2] == "01"


@dataclass(frozen=True, slots=True, order=True)
class OverlapPair:
    """One suspected overlap. ``a_code < b_code``; lists are sorted for stable reports."""

    a_code: str
    b_code: str
    score: float
    matched_words: tuple[str, ...] = ()
    matched_outputs: tuple[str, ...] = ()
    name_similarity: float = 0.0
    output_similarity: float = 0.0
    customer_similarity: float = 0.0


# What a record's name, outputs and customers give (_prepare): its content number, name,
# concepts, audience, key, outputs, customers, and whether the name is a support process's.
_FromTexts = tuple[int, frozenset[str], frozenset[str], frozenset[str], frozenset[str],
                   tuple[tuple[str, frozenset[str]], ...], frozenset[str], bool]
# An OverlapPair without its codes: score, matched words and outputs, the three similarities.
_Scored = tuple[float, tuple[str, ...], tuple[str, ...], float, float, float]
_UNSCORED: _Scored = (-1.0, (), (), 0.0, 0.0, 0.0)  # a memo's "not scored yet", by identity


# OverlapPair's slot setters in field order: _pair fills a new pair through them, as its
# frozen __init__ would (it has nothing else to do) without a per-field object.__setattr__
# (57,391 pairs on the finding-heavy workspace; tests/overlap/test_matcher.py pins the order)
_PAIR_FIELDS = ("a_code", "b_code", "score", "matched_words", "matched_outputs",
                "name_similarity", "output_similarity", "customer_similarity")
(_set_a, _set_b, _set_score, _set_words, _set_outputs, _set_name, _set_out,
 _set_cust) = (getattr(OverlapPair, name).__set__ for name in _PAIR_FIELDS)
_new_pair = object.__new__


def _pair(code_a: str, code_b: str, scored: _Scored) -> OverlapPair:
    """``OverlapPair(first, second, *scored)``, codes in order."""
    first, second = (code_a, code_b) if code_a <= code_b else (code_b, code_a)
    total, words, outputs, s_name, s_out, s_cust = scored
    pair = _new_pair(OverlapPair)
    _set_a(pair, first)
    _set_b(pair, second)
    _set_score(pair, total)
    _set_words(pair, words)
    _set_outputs(pair, outputs)
    _set_name(pair, s_name)
    _set_out(pair, s_out)
    _set_cust(pair, s_cust)
    return pair


@dataclass(frozen=True, slots=True)
class Weights:
    name: float = 0.6
    output: float = 0.3
    customer: float = 0.1


@dataclass(slots=True)
class _Prepared:
    """A record with its normalised fields, computed once."""

    index: int
    code: str
    owner: str | None
    owner_type: str | None
    map_code: str | None
    support: bool
    name: frozenset[str]  # content words (Normalizer.words): what is compared
    concepts: frozenset[str]  # the canonical tokens of the name: how matches are shown
    audience: frozenset[str]  # words of the customer the name names ("bagi Pelajar")
    key: frozenset[str]  # name without weak tokens: what blocking indexes
    outputs: tuple[tuple[str, frozenset[str]], ...]
    customers: frozenset[str]
    # one number per distinct (name, outputs, customers) text: the fields ``score`` reads are
    # built from these alone, so two pairs of the same texts score alike (find_pairs scores
    # them once; a workspace of copied maps repeats most pairs)
    content: int = -1


def _fuzzy_extra(left: Iterable[str], right: Iterable[str]) -> list[tuple[str, str]]:
    """Greedy one-to-one pairing of near-equal leftover tokens (typos)."""
    from rapidfuzz.distance import Levenshtein  # here: an audit without pairs never needs it

    pairs: list[tuple[str, str]] = []
    pool = sorted(t for t in right if len(t) >= _FUZZY_MIN_LEN)
    for a in sorted(t for t in left if len(t) >= _FUZZY_MIN_LEN):
        best, best_sim = None, 0.0
        for b in pool:
            sim = Levenshtein.normalized_similarity(a, b, score_cutoff=_FUZZY_MIN_SIM)
            if sim > best_sim:  # strict: ties keep the alphabetically first, deterministic
                best, best_sim = b, sim
        if best is not None:
            pairs.append((a, best))
            pool.remove(best)
    return pairs


class OverlapMatcher:
    """Pair finder over a list of :class:`ProcessRecord`. Stateless between calls."""

    def __init__(
        self,
        normalizer: Normalizer | None = None,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        weights: Weights = Weights(),
        df_cap: int = 1000,
        output_match: float = 0.8,
        territorial_types: frozenset[str] = TERRITORIAL_TYPES,
        fuzzy: bool = True,
        max_tokens: int = 16,
        rarity: float | None = None,
        background: Background | None = None,
        exhaustive_below: int = EXHAUSTIVE_BELOW,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        if normalizer is None:
            from .normalize import Normalizer

            normalizer = Normalizer()
        self.normalizer = normalizer
        self.threshold = threshold
        self.weights = weights
        self.df_cap = df_cap
        self.output_match = output_match
        self.territorial_types = territorial_types
        self.fuzzy = fuzzy
        self.max_tokens = max_tokens
        self.rarity = DEFAULT_RARITY if rarity is None else rarity
        if self.rarity < 0:
            raise ValueError("rarity must be >= 0")
        self.background = background
        self.exhaustive_below = exhaustive_below
        # word -> rarity weight (rarity.py), set per find_pairs call; None: all words weigh 1
        self._weights: dict[str, float] | None = None
        self._unseen = 1.0
        self.weak = self.normalizer.weak_tokens
        total = weights.name + weights.output + weights.customer
        # Lowest name similarity that can still reach the threshold (all fields present).
        self.name_floor = (threshold * total - weights.output - weights.customer) / weights.name
        # Blocking splits the pairs at a second, higher name floor (module docstring, Scale):
        # below it only a pair whose outputs are alike can still reach the threshold.
        self.join_name_floor, self.join_output_floor = self._join_floors()

    def _join_floors(self) -> tuple[float, float | None]:
        """(name floor of the name join, output floor of the output join or None).

        A pair without outputs on one side needs S_name >= L_out-less (its denominator has
        no output weight), so the name join may not start above that. Both sides having
        outputs, a pair below the name join's floor L1 needs
        S_out >= (T (w_n + w_o + w_c) - w_c - w_n L1) / w_o; a missing customer field only
        raises that bound (it removes w_c from the numerator's help and T w_c from the need).
        """
        w, t = self.weights, self.threshold
        floor = max(self.name_floor, 0.0)
        if w.output <= 0:
            return floor, None
        without_outputs = (t * (w.name + w.customer) - w.customer) / w.name
        name_floor = min(max(floor, without_outputs), 1.0)
        total = w.name + w.output + w.customer
        output_floor = (t * total - w.customer - w.name * name_floor) / w.output
        if output_floor <= 0 or name_floor <= floor:
            return floor, None  # outputs alone decide nothing: one name join at the low floor
        return name_floor, min(output_floor, 1.0)

    # ------------------------------------------------------------------ preparation
    def prepare(self, records: Sequence[ProcessRecord]) -> list[_Prepared]:
        with paused_gc():  # millions of small, acyclic, long-lived objects: engine/gcpause.py
            return self._prepare(records)

    def _prepare(self, records: Sequence[ProcessRecord]) -> list[_Prepared]:
        norm = self.normalizer.normalize
        is_support = self.normalizer.is_support
        weak = self.weak
        prepared: list[_Prepared] = []
        append = prepared.append
        # Customer lists repeat ("Masyarakat"): one token set object per list, so its hash is
        # computed once and not for every record that names it.
        customer_keys: dict[tuple[str, ...], frozenset[str]] = {}
        # Output phrases repeat too: their word sets, computed once per phrase.
        output_words: dict[str, frozenset[str]] = {}
        # A workspace of copied maps repeats whole records: what a record's texts (name,
        # outputs, customers) give is computed once per distinct texts, with its number.
        by_texts: dict[tuple[str, tuple[str, ...], tuple[str, ...]], _FromTexts] = {}
        for i, r in enumerate(records):
            names = tuple(r.customers)
            texts = (r.name, tuple(r.outputs), names)
            known = by_texts.get(texts)
            if known is None:
                normalized = norm(r.name)
                concepts = normalized.tokens
                name = normalized.words
                audience = normalized.audience_words
                if audience:
                    audience = audience - name
                    name = name | audience
                    key = name - weak - audience
                else:
                    key = name - weak if not weak.isdisjoint(name) else name
                outputs = []
                for phrase in r.outputs:
                    toks = output_words.get(phrase)
                    if toks is None:
                        phrase_norm = norm(phrase)
                        toks = phrase_norm.words
                        if phrase_norm.audience_words:
                            toks = toks | phrase_norm.audience_words
                        output_words[phrase] = toks
                    if toks:
                        outputs.append((phrase, toks))
                customers = customer_keys.get(names)
                if customers is None:
                    customers = customer_keys[names] = frozenset(
                        t for c in names for t in norm(c).all_tokens)
                known = by_texts[texts] = (len(by_texts), name, concepts, audience, key,
                                           tuple(outputs), customers, is_support(concepts))
            content, name, concepts, audience, key, outputs_t, customers, named_support = known
            category, owner_type = r.category, r.owner_type
            append(_Prepared(
                i, r.code, r.owner, owner_type.casefold() or None if owner_type else None,
                r.map_code,
                ((category is not None and category.casefold() == "pendukung")
                 or named_support
                 or (bool(r.subkegiatan) and all(support_program(c) for c in r.subkegiatan))),
                name, concepts, audience, key, outputs_t, customers, content))
        return prepared

    # ------------------------------------------------------------------ eligibility
    def _eligible(self, a: _Prepared, b: _Prepared, scope: Scope) -> bool:
        if scope == "same_owner":
            return a.owner is not None and a.owner == b.owner and a.map_code != b.map_code
        if a.owner == b.owner or a.owner is None or b.owner is None:
            return False
        if a.support and b.support:
            return False
        t = a.owner_type
        return not (t is not None and t == b.owner_type and t in self.territorial_types)

    # ------------------------------------------------------------------ scoring
    def score(self, a: _Prepared, b: _Prepared) -> OverlapPair | None:
        """Score one pair; None when it cannot reach the threshold."""
        scored = self._score(a, b)
        return None if scored is None else _pair(a.code, b.code, scored)

    def _score(self, a: _Prepared, b: _Prepared) -> _Scored | None:
        """What ``score`` says of a pair but its codes: read from the fields that
        ``_Prepared.content`` stands for, and nothing else."""
        na, nb = a.name, b.name
        weak = self.weak
        drop_a, drop_b = weak | a.audience, weak | b.audience
        only_a, only_b = na - nb, nb - na
        if not (only_a.isdisjoint(drop_a) and only_b.isdisjoint(drop_b)):
            # a weak word or a customer only one name says neither helps nor hurts, unless
            # the other name says something of its own instead ("Perekaman KTP-el" /
            # "Pencetakan KTP-el"; "bagi Pemuda" / "bagi Perempuan")
            na = na - (only_a & (drop_a if only_b <= weak else weak if only_b <= drop_b
                                 else frozenset()))
            nb = nb - (only_b & (drop_b if only_a <= weak else weak if only_a <= drop_a
                                 else frozenset()))
        common = na & nb
        if not common or common <= weak:
            return None  # fuzzy matching needs one exact, non-weak anchor: see the docstring
        weights = self._weights
        if weights is None:
            k: float = len(common)
            la: float = len(na)
            lb: float = len(nb)
            room: float = (la if la < lb else lb) - k if self.fuzzy else 0
        else:  # each word counts by its rarity weight (rarity.py)
            wget, unseen = weights.get, self._unseen
            k = sum(wget(t, unseen) for t in common)
            la = sum(wget(t, unseen) for t in na)
            lb = sum(wget(t, unseen) for t in nb)
            # extras pair leftovers one to one, each pair counting its two weights' mean
            room = (la + lb - 2 * k) / 2 if self.fuzzy and min(len(na), len(nb)) > len(
                common) else 0
        s_name = k / (la + lb - k)
        best_name = (k + room) / (la + lb - k - room) if room else s_name
        if best_name < self.name_floor:
            return None

        w = self.weights
        other, den = 0.0, w.name
        s_out = 0.0
        if a.outputs and b.outputs:
            for _, ta in a.outputs:
                for _, tb in b.outputs:
                    sim = self._similarity(ta, tb)
                    if sim > s_out:
                        s_out = sim
            other += w.output * s_out
            den += w.output
        s_cust = 0.0
        if a.customers and b.customers:
            inter = len(a.customers & b.customers)
            s_cust = inter / (len(a.customers) + len(b.customers) - inter)
            other += w.customer * s_cust
            den += w.customer
        threshold = self.threshold - 1e-9
        if (w.name * best_name + other) / den < threshold:
            return None

        matched = set(common)
        if room:  # only for pairs that are reported or could be: rapidfuzz per token pair
            extra = _fuzzy_extra(na - common, nb - common)
            if extra:
                if weights is None:
                    k += len(extra)
                else:
                    k += sum(wget(x, unseen) + wget(y, unseen) for x, y in extra) / 2
                s_name = k / (la + lb - k)
                matched.update(x for x, _ in extra)
        total = (w.name * s_name + other) / den
        if s_name < self.name_floor - 1e-9 or total < threshold:
            return None
        shared = a.concepts & b.concepts
        if len(shared) < len(matched):  # show a shared concept as itself, not as its words
            spelled = self.normalizer.words(frozenset(shared))
            matched = {t for t in shared if len(self.normalizer.words(frozenset((t,)))) > 1} | {
                w for w in matched if w not in spelled or w in shared}
        matched_outputs: set[str] = set()
        for pa, ta in a.outputs:
            for pb, tb in b.outputs:
                if self._similarity(ta, tb) >= self.output_match:
                    matched_outputs.add(pa)
                    matched_outputs.add(pb)
        return (round(total, 4), tuple(sorted(matched)), tuple(sorted(matched_outputs)),
                round(s_name, 4), round(s_out, 4), round(s_cust, 4))

    def _similarity(self, ta: frozenset[str], tb: frozenset[str]) -> float:
        """Jaccard of two word sets, each word counted by its rarity weight."""
        inter = ta & tb
        if not inter:
            return 0.0
        weights = self._weights
        if weights is None:
            k = len(inter)
            return k / (len(ta) + len(tb) - k)
        wget, unseen = weights.get, self._unseen
        kw = sum(wget(t, unseen) for t in inter)
        return kw / (sum(wget(t, unseen) for t in ta) + sum(wget(t, unseen) for t in tb) - kw)

    def set_rarity(self, prepared: Sequence[_Prepared]) -> None:
        """Rarity weights from ``prepared`` (a process = its name and output words) pooled
        with the background table (rarity.py); with ``rarity=0`` every word weighs 1."""
        if self.rarity <= 0:
            self._weights, self._unseen = None, 1.0
            return
        background = self.background if self.background is not None else default_background()
        docs = (p.name.union(*(toks for _, toks in p.outputs)) if p.outputs else p.name
                for p in prepared)
        self._weights, self._unseen = word_weights(docs, self.rarity, background or EMPTY)

    # ------------------------------------------------------------------ candidates
    def candidate_pairs(self, prepared: Sequence[_Prepared], scope: Scope) -> set[int]:
        """Prefix-filtered candidate pairs, encoded as ``i * n + j`` with i < j.

        Two joins (module docstring, Scale): names at the name join's floor, and output
        phrases at the output floor; a pair found by either is scored. The name join runs on
        names without weak tokens (``key``), and once more on the full names of the records
        that carry a weak token: a pair that shares a weak token scores on its full names, a
        pair that does not scores on its keys.
        """
        seen: set[int] = set()
        floor = self.join_name_floor
        groups = self._groups(prepared, scope)  # once for the three joins
        self._join(prepared, [(p.index, p.key) for p in prepared], floor, scope, seen, groups)
        with_weak = [(p.index, p.name) for p in prepared if p.key is not p.name
                     and len(p.key) < len(p.name)]
        if with_weak:
            self._join(prepared, with_weak, floor, scope, seen, groups)
        if self.join_output_floor is not None:
            outputs = [(p.index, toks) for p in prepared for _, toks in p.outputs]
            self._join(prepared, outputs, self.join_output_floor, scope, seen, groups)
        return seen

    def _join(self, prepared: Sequence[_Prepared], entries: Sequence[tuple[int, frozenset[str]]],
              floor: float, scope: Scope, seen: set[int],
              groups: tuple[list[int], dict[int, object]] | None = None) -> None:
        """One prefix-filtered self-join of token sets at Jaccard ``floor``; adds the pairs of
        records (``i * n + j`` over ``prepared``) whose entries may reach it to ``seen``.

        An entry is ``(record index, tokens)``; a record may bring several (its outputs).
        This is AdaptJoin's l-prefix filter, with l as large as the bound allows. Why keys of
        several tokens: a single common token ("pembinaan") or the words of one long service
        object ("alat pemberi isyarat lalu lintas") would pair up thousands of records that
        differ in everything else.

        With t the floor: if J(x, y) >= t, x and y share at least
        a = ceil(t / (1 + t) * (|x| + |y|)) tokens, and the (|x| - a + l)-prefixes of both
        (tokens ordered rarest first) share at least l tokens, for any l <= a.
        - Against a partner of its own size or larger, x needs b(x) = ceil(2t/(1+t) |x|)
          shared tokens: x "hosts" every b(x)-token combination of its (|x| - b(x) + b(x))
          prefix, i.e. all of its tokens (cheap: |x| - b(x) is small).
        - Against a smaller partner of size s (t |y| <= s < |y|), y needs at least
          ceil(t |y|) tokens: y offers, as a "guest", the b(s)-token combinations of its
          (|y| - ceil(t |y|) + b(s))-prefix; these pair only with hosts of that key.
        Sets of more than ``max_tokens`` tokens are keyed on their rarest ``max_tokens``
        tokens only (keys grow combinatorially; such names are very rare).
        """
        df = Counter(chain.from_iterable(toks for _, toks in entries))  # counted in C
        # One global order, rarest first (ties by the token): a rank per token makes each
        # record's sort a lookup instead of building a (df, token) tuple per comparison.
        rank = {tok: r for r, tok in enumerate(sorted(df, key=lambda tok: (df[tok], tok)))}
        by_rank = rank.__getitem__
        t = floor
        ratio = 2 * t / (1 + t)
        cap = self.df_cap

        def beta(size: int) -> int:
            return max(1, math.ceil(ratio * size - 1e-9))

        # Per set size: the host key width and the guests' (width, prefix length) pairs.
        shapes: dict[int, tuple[int, tuple[tuple[int, int], ...]]] = {}
        for size in range(1, self.max_tokens + 1):
            need = max(1, math.ceil(t * size - 1e-9))
            shapes[size] = (beta(size), tuple(
                (w, min(size, size - need + w))
                for w in sorted({beta(s) for s in range(need, size)})))

        sizes: list[int] = []
        owners: list[int] = []
        orders: list[list[str]] = []
        hosts: dict[tuple[str, ...], list[int]] = {}
        max_tokens = self.max_tokens
        for record, toks in entries:
            if not toks:
                continue
            ordered = sorted(toks, key=by_rank)
            if len(ordered) > max_tokens:
                ordered = ordered[:max_tokens]
            size = len(ordered)
            e = len(sizes)
            sizes.append(len(toks))
            owners.append(record)
            orders.append(ordered)
            b = shapes[size][0]
            if b == 1:
                for tok in ordered[: size - b + 1]:
                    if df[tok] > cap:
                        break  # ordered rarest first: the rest are at least as common
                    hosts.setdefault((tok,), []).append(e)
            elif b == size:  # the one combination: the whole set (most sets at these floors)
                hosts.setdefault(tuple(ordered), []).append(e)
            else:
                for key in combinations(ordered, b):
                    hosts.setdefault(key, []).append(e)
        # Guests second, and only under keys some host has: the others are never looked up,
        # and most guest keys of a large workspace are such (half the join's time went there).
        guests: dict[tuple[str, ...], list[int]] = {}
        for e, ordered in enumerate(orders):
            for w, prefix in shapes[len(ordered)][1]:
                for key in combinations(ordered[:prefix], w):
                    if key in hosts:
                        guests.setdefault(key, []).append(e)
        del orders

        n = len(prepared)
        eligible = self._eligible
        group_of, labels = groups if groups is not None else self._groups(prepared, scope)
        entry_group = [group_of[r] for r in owners]
        compatible = self._compatible_groups(labels, scope)

        def consider(x: int, y: int) -> None:
            i, j = owners[x], owners[y]
            if i == j:
                return
            if i > j:
                i, j = j, i
            key = i * n + j
            if key in seen:
                return
            la, lb = sizes[x], sizes[y]
            if (la if la < lb else lb) < t * (la if la > lb else lb) - 1e-9:
                return  # size filter: Jaccard <= min/max
            if eligible(prepared[i], prepared[j], scope):
                seen.add(key)

        def split(elist: list[int]) -> dict[int, list[int]]:
            parts: dict[int, list[int]] = {}
            for e in elist:
                parts.setdefault(entry_group[e], []).append(e)
            return parts

        for key, elist in hosts.items():
            if len(elist) < 2 and key not in guests:
                continue  # one host and no guest: nothing to pair (most keys)
            if len(elist) > cap:
                continue  # a key shared by more than `cap` entries is not selective: skip it
            others = guests.get(key)
            if others is not None and len(others) > cap:
                others = None
            if len(elist) < 2 and others is None:
                continue
            # Pairs of groups that can never be eligible (two support processes, two
            # kecamatan, two OPDs in OVL004) are not enumerated at all: in a large workspace
            # every OPD's own "Pengelolaan Arsip" shares every key with all the others.
            parts = split(elist)
            groups = sorted(parts)
            for gi, ga in enumerate(groups):
                for gb in groups[gi:]:
                    if (ga, gb) not in compatible:
                        continue
                    if ga == gb:
                        for x, y in combinations(parts[ga], 2):
                            consider(x, y)
                    else:
                        for x in parts[ga]:
                            for y in parts[gb]:
                                consider(x, y)
            if others:
                guest_parts = split(others)
                for ga, hlist in parts.items():
                    for gb, glist in guest_parts.items():
                        if (ga, gb) not in compatible:
                            continue
                        for x in hlist:
                            size_x = sizes[x]
                            for y in glist:
                                if sizes[y] > size_x:
                                    consider(x, y)

    def _groups(self, prepared: Sequence[_Prepared],
                scope: Scope) -> tuple[list[int], dict[int, object]]:
        """A group number per record, and each group's label, such that eligibility between
        two records depends on their groups first: the owner for OVL004 (only one OPD's
        records pair), and for OVL001 the pair (support, territorial type), of which some
        pairs of groups never pair (two support processes, two kecamatan)."""
        numbers: dict[object, int] = {}
        out: list[int] = []
        for p in prepared:
            if scope == "same_owner":
                label: object = p.owner
            else:
                t = p.owner_type if p.owner_type in self.territorial_types else None
                label = (p.support, t)
            out.append(numbers.setdefault(label, len(numbers)))
        return out, {v: k for k, v in numbers.items()}

    @staticmethod
    def _compatible_groups(labels: dict[int, object], scope: Scope) -> set[tuple[int, int]]:
        """Pairs of group numbers (both orders) whose records may be eligible; agrees with
        :meth:`_eligible`, which still decides each pair (owners, maps)."""
        pairs: set[tuple[int, int]] = set()
        for a, la in labels.items():
            for b, lb in labels.items():
                if scope == "same_owner":
                    ok = a == b and la is not None
                else:
                    (sa, ta), (sb, tb) = la, lb  # type: ignore[misc]
                    ok = not (sa and sb) and not (ta is not None and ta == tb)
                if ok:
                    pairs.add((a, b))
        return pairs

    # ------------------------------------------------------------------ entry point
    def find_pairs(
        self,
        records: Sequence[ProcessRecord],
        *,
        scope: Scope = "cross_owner",
        exhaustive: bool = False,
        prepared: Sequence[_Prepared] | None = None,
    ) -> list[OverlapPair]:
        """All pairs at or above the threshold, best first (then by codes).

        ``scope="cross_owner"`` is OVL001 (different OPDs), ``"same_owner"`` is OVL004 (one
        OPD, different maps). ``exhaustive=True`` compares every pair without blocking; it is
        quadratic and exists to measure what blocking loses. ``prepared`` is
        ``self.prepare(records)`` when the caller already has it (from a matcher with the same
        normalizer): two rules over the same processes then normalise them once.
        """
        with paused_gc():  # see engine/gcpause.py
            return self._find_pairs(records, scope, exhaustive, prepared)

    def _find_pairs(self, records: Sequence[ProcessRecord], scope: Scope, exhaustive: bool,
                    prepared: Sequence[_Prepared] | None) -> list[OverlapPair]:
        if prepared is None:
            prepared = self.prepare(records)
        self.set_rarity(prepared)
        found: list[OverlapPair] = []
        append = found.append
        n = len(prepared)
        # content numbers of a and b, as one int -> what _score said: pairs of the same texts
        # (a workspace of copied maps: most pairs) are scored once
        scores: dict[int, _Scored | None] = {}

        def score(a: _Prepared, b: _Prepared) -> None:
            ca, cb = a.content, b.content
            if ca < 0 or cb < 0:  # records not numbered by prepare(): no memo
                scored = self._score(a, b)
            else:
                key = ca << 32 | cb
                scored = scores.get(key, _UNSCORED)
                if scored is _UNSCORED:
                    scored = scores[key] = self._score(a, b)
            if scored is not None:
                append(_pair(a.code, b.code, scored))

        if exhaustive or n < self.exhaustive_below:
            eligible = self._eligible
            for i, a in enumerate(prepared):
                if not a.name:
                    continue
                na = a.name
                for b in prepared[i + 1 :]:
                    if na.isdisjoint(b.name) or not eligible(a, b, scope):
                        continue  # disjoint names score 0 on names, see score()
                    score(a, b)
        else:
            for key in self.candidate_pairs(prepared, scope):
                score(prepared[key // n], prepared[key % n])
        # best first, then by codes: three stable sorts in C, each on one plain key (list.sort
        # compares str keys with memcmp, tuple keys element by element)
        found.sort(key=attrgetter("b_code"))
        found.sort(key=attrgetter("a_code"))
        found.sort(key=attrgetter("score"), reverse=True)
        return found


def find_overlaps(
    records: Sequence[ProcessRecord],
    *,
    normalizer: Normalizer | None = None,
    scope: Scope = "cross_owner",
    threshold: float = DEFAULT_THRESHOLD,
    exhaustive: bool = False,
) -> list[OverlapPair]:
    """Convenience wrapper: one matcher, one call."""
    matcher = OverlapMatcher(normalizer, threshold=threshold)
    return matcher.find_pairs(records, scope=scope, exhaustive=exhaustive)
