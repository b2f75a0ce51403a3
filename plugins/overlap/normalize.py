"""Turn an Indonesian process name, output or customer phrase into canonical tokens.

Why: "Penerbitan KTP-el", "pencetakan Kartu Tanda Penduduk Elektronik." and "KTP-el
diterbitkan" name the same work. Comparing raw strings would miss that, and comparing stems
alone would miss the abbreviation. The pipeline, in order:

1. case-fold; tokenise keeping hyphen-joined words together, so KTP-el and PBB-P2 are still
   recognisable as abbreviations before punctuation is dropped; replace spelling variants by
   their standard form (``ejaan``: ijin -> izin, praktek -> praktik, kontruksi -> konstruksi);
2. expand abbreviations (longest match; "KTP-el", "KTP el" and "KTPel" all match ``ktp-el``);
   any other hyphenated word is split, except reduplications ("kanak-kanak") which stay whole;
3. drop stop words (``kata_henti``), and set apart the customer after "untuk", "bagi" or
   "kepada" (``pelanggan``: "bagi Tenaga Kesehatan", "untuk Warga") as the phrase's
   ``audience``: it says who is served, not what work is done. The matcher counts it only
   when it tells two names apart ("bagi Pemuda" / "bagi Perempuan"), never when one name
   merely says who it serves ("Pelayanan SKD untuk Warga" / "Penerbitan SKD");
4. stem every word with Sastrawi (with the kamus' ``akar`` overrides; cached per word because
   Sastrawi is slow per call);
5. replace synonym and concept phrases by their canonical form, longest phrase first, on the
   stemmed sequence, so affix variants match too. A concept becomes ONE token (for example
   ``kartu tanda penduduk elektronik``): "Kartu Keluarga" and "Kartu Identitas Anak" then do
   not look alike just because both say "kartu";
6. split the tokens into content tokens (used for matching) and generic tokens (``umum``:
   reported, never matched). Content tokens may be *weak* (``lemah``: the action words for
   issuing a document, penerbitan / pembuatan / pencetakan): the matcher counts them only
   when both names carry them, and never lets them alone make a match (see matcher.py).

The result is a set, so word order does not matter. Everything is deterministic: no
randomness, no dependence on dict order beyond insertion order of the kamus.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from itertools import pairwise

from .lexicon import Lexicon, default_lexicon

# A word: letters/digits, optionally joined by hyphens (KTP-el, PBB-P2, kanak-kanak).
_WORD_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
# Dashes people type instead of "-" (non-breaking hyphen, en dash inside words, ...).
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2212"})
# Words after which a process name names its customer ("bagi Pelaku Usaha", "untuk Warga").
_FOR = frozenset({"untuk", "bagi", "kepada"})
# Words of this length or shorter are not stemmed: they are abbreviation remnants (el, p2).
_MIN_STEM_LEN = 4
_EMPTY: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class NormalizedPhrase:
    """Canonical form of one phrase.

    ``tokens`` are the content tokens used for matching; ``generic`` the generic tokens that
    were dropped (kept so a finding can say why a pair sharing only them was not reported).
    """

    tokens: frozenset[str]
    generic: frozenset[str]
    #: the customer named after "untuk/bagi/kepada" ("bagi Tenaga Kesehatan"): not in
    #: ``tokens``; the matcher counts it only when it tells two processes apart
    audience: frozenset[str] = frozenset()
    #: ``tokens`` spelled out as content words (``Normalizer.words``), and the audience's
    words: frozenset[str] = frozenset()
    audience_words: frozenset[str] = frozenset()

    @property
    def all_tokens(self) -> frozenset[str]:
        return self.tokens | self.generic


def _default_stemmer() -> Callable[[str], str]:
    from .stemming import FastSastrawi

    return FastSastrawi()


def _stem(cache: dict[str, str], stem_fn: Callable[[str], str], word: str) -> str:
    cached = cache.get(word)
    if cached is None:
        if len(word) <= _MIN_STEM_LEN - 1 or any(c.isdigit() for c in word):
            cached = word
        else:
            cached = stem_fn(word) or word
        cache[word] = cached
    return cached


class _WordStems(dict[str, str | None]):
    """Word -> its stem, or None for a stop word: steps 3-4 as one lookup per word, filled
    on first sight (holds no reference to the normaliser: no cycle)."""

    __slots__ = ("_stop", "_cache", "_stem_fn")

    def __init__(self, stop: frozenset[str], cache: dict[str, str],
                 stem_fn: Callable[[str], str]) -> None:
        super().__init__()
        self._stop, self._cache, self._stem_fn = stop, cache, stem_fn

    def __missing__(self, word: str) -> str | None:
        value = None if word in self._stop else _stem(self._cache, self._stem_fn, word)
        self[word] = value
        return value


class Normalizer:
    """Compiled kamus plus caches. Build one per lexicon and reuse it: construction stems
    every kamus phrase once."""

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        *,
        stemmer: Callable[[str], str] | None = None,
        phrase_cache_size: int = 200_000,
    ) -> None:
        self.lexicon = lexicon if lexicon is not None else default_lexicon()
        self._stem_fn = stemmer or _default_stemmer()
        self._stem_cache: dict[str, str] = dict(self.lexicon.akar)
        self._stop = frozenset(self.lexicon.kata_henti)
        self._spelling = {k: tuple(v.split()) for k, v in self.lexicon.ejaan.items()}
        self._word_stems = _WordStems(self._stop, self._stem_cache, self._stem_fn)
        self._phrase_cache: dict[str, NormalizedPhrase] = {}
        self._words_cache: dict[frozenset[str], frozenset[str]] = {}
        self._phrase_cache_size = phrase_cache_size
        self._compile_abbreviations()
        self._compile_concepts()
        self._compile_customers()
        self.generic_tokens: frozenset[str] = frozenset(
            t for entry in self.lexicon.umum for t in self.canonical(entry)
        )
        # Weak tokens: content that only counts when both sides have it (matcher.py).
        self.weak_tokens: frozenset[str] = frozenset(
            t for entry in self.lexicon.lemah for t in self.canonical(entry)
        ) - self.generic_tokens
        # A support token that is also generic is treated as generic: generic wins.
        self.support_tokens: frozenset[str] = frozenset(
            t for entry in self.lexicon.pendukung for t in self.canonical(entry)
        ) - self.generic_tokens

    # ------------------------------------------------------------------ compilation
    def _compile_abbreviations(self) -> None:
        """Raw-word tuples -> expansion words, with spelling variants of hyphenated keys."""
        table: dict[tuple[str, ...], tuple[str, ...]] = {}
        for key, expansion in self.lexicon.singkatan.items():
            words = tuple(self._split_words(expansion))
            raw = tuple(_WORD_RE.findall(key.translate(_DASHES)))
            if not raw:
                continue
            parts = tuple(p for w in raw for p in w.split("-"))
            for variant in (parts, ("".join(parts),)):
                table.setdefault(variant, words)
            table[raw] = words  # the key as written wins over another key's spelling variant
        self._abbr = table
        self._abbr_max = max((len(k) for k in table), default=1)
        self._abbr_first = frozenset(k[0] for k in table)
        # Words that steps 1-3 may change: a phrase without them (and without a hyphen) keeps
        # its words as they are, which normalize() then skips checking one step at a time.
        self._special_words = frozenset(self._abbr_first.union(self._spelling, _FOR))

    def _compile_concepts(self) -> None:
        """Stemmed phrase tuples -> concept token, indexed by first stem, longest first."""
        concepts: dict[tuple[str, ...], str] = {}

        def add(phrase: str, canonical: str) -> None:
            key = tuple(self._front(phrase))
            if key and key not in concepts:  # first definition wins: groups before extras
                concepts[key] = canonical

        canonical_of: dict[str, str] = {}
        for group in self.lexicon.sinonim:
            for phrase in group:
                canonical_of.setdefault(phrase, group[0])
                add(phrase, group[0])
        for expansion in self.lexicon.singkatan.values():
            add(expansion, canonical_of.get(expansion, expansion))
        # Multi-word generic and support entries become single tokens, so "rumah tangga"
        # is one support keyword and not the two words "rumah" and "tangga".
        for entry in sorted(self.lexicon.umum | self.lexicon.lemah | self.lexicon.pendukung):
            if len(entry.split()) > 1:
                add(entry, canonical_of.get(entry, entry))
        # A concept's words are the stems of its canonical phrase (matcher.py compares them).
        self._concept_words = {
            c: tuple(self._front(c, drop_customers=False))
            for c in dict.fromkeys(concepts.values()) if " " in c
        }
        by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for key, canonical in concepts.items():
            by_first.setdefault(key[0], []).append((key, canonical))
        for entries in by_first.values():
            entries.sort(key=lambda kc: (-len(kc[0]), kc[0]))
        self._concepts = by_first
        # The same table split for speed: one-word concepts as a plain lookup, and the
        # phrases of two words or more by first stem (a one-word entry only applies when no
        # longer phrase matches, as in the sorted table above).
        self._concept_single = {k[0]: c for k, c in concepts.items() if len(k) == 1}
        self._concept_multi = {f: [kc for kc in entries if len(kc[0]) > 1]
                               for f, entries in by_first.items()
                               if any(len(kc[0]) > 1 for kc in entries)}
        # The first two stems of every such phrase: a name in which no two neighbouring
        # stems are one of these holds no phrase (one set test, in C, for most names).
        self._concept_starts = frozenset(k[:2] for k in concepts if len(k) > 1)

    def _compile_customers(self) -> None:
        """Customer phrases as stem tuples, indexed by first stem, longest first."""
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in sorted(self.lexicon.pelanggan):
            key = tuple(self._front(phrase, drop_customers=False))
            if key:
                by_first.setdefault(key[0], []).append(key)
        for entries in by_first.values():
            entries.sort(key=lambda k: (-len(k), k))
        self._customers = by_first

    def with_abbreviations(self, learned: dict[str, str], ambiguous: frozenset[str] = frozenset(),
                           ) -> Normalizer:
        """A normaliser that also knows the abbreviations a workspace defines for itself.

        ``learned`` maps abbreviation -> expansion (it replaces a kamus entry: the workspace's
        own definition resolves an ambiguous one); ``ambiguous`` abbreviations are dropped
        from the kamus so that they stay unmatched. Shares the stem cache, so it is cheap.
        """
        if not learned and not ambiguous:
            return self
        clone = copy.copy(self)
        singkatan = {k: v for k, v in self.lexicon.singkatan.items() if k not in ambiguous}
        singkatan.update(learned)
        clone.lexicon = replace(self.lexicon, singkatan=singkatan)
        clone._phrase_cache = {}
        clone._words_cache = {}
        clone._compile_abbreviations()
        clone._compile_concepts()
        return clone

    # ------------------------------------------------------------------ pipeline
    def _split_words(self, text: str) -> list[str]:
        text = text.casefold()
        if not text.isascii():  # str.translate is slow; the dashes it maps are all non-ASCII
            text = text.translate(_DASHES)
        words = _WORD_RE.findall(text)
        spelling = self._spelling
        if spelling and not spelling.keys().isdisjoint(words):
            words = [v for w in words for v in spelling.get(w, (w,))]
        return words

    def stem(self, word: str) -> str:
        """Stem one word, cached. Words with digits and very short words are kept as they are."""
        return _stem(self._stem_cache, self._stem_fn, word)

    def _expand(self, words: list[str]) -> list[str]:
        """Expand abbreviations (longest match on raw words) and split other hyphenated words."""
        abbr, first = self._abbr, self._abbr_first
        if first.isdisjoint(words) and "-" not in "".join(words):
            return words  # nothing to expand or split (most phrases): skip the word loop
        out: list[str] = []
        i, n = 0, len(words)
        while i < n:
            w = words[i]
            if w in first or "-" in w:
                matched = False
                for length in range(min(self._abbr_max, n - i), 0, -1):
                    expansion = abbr.get(tuple(words[i : i + length]))
                    if expansion is not None:
                        out.extend(expansion)
                        i += length
                        matched = True
                        break
                if matched:
                    continue
                if "-" in w:
                    parts = w.split("-")
                    if len(set(parts)) == 1:  # reduplication: kanak-kanak, anak-anak
                        out.append(w)
                    else:
                        out.extend(self._expand(parts))
                    i += 1
                    continue
            out.append(w)
            i += 1
        return out

    def _front(self, text: str, *, drop_customers: bool = True) -> list[str]:
        """Steps 1-4: words -> abbreviations expanded -> stop words dropped -> stems."""
        stop, stem = self._stop, self.stem
        words = self._expand(self._split_words(text))
        if drop_customers and not _FOR.isdisjoint(words):
            return self._split_customers(words)[0]
        return [stem(w) for w in words if w not in stop]

    def _split_customers(self, words: list[str]) -> tuple[list[str], list[str]]:
        """Stems of ``words`` without the customer phrases that follow "untuk/bagi/kepada",
        and the stems of those customer phrases."""
        stop, stem, customers = self._stop, self.stem, self._customers
        stems: list[str] = []
        after_for: list[bool] = []
        pending = False
        for w in words:
            if w in _FOR:
                pending = True
            elif w not in stop:
                stems.append(stem(w))
                after_for.append(pending)
                pending = False
        out: list[str] = []
        audience: list[str] = []
        i, n = 0, len(stems)
        while i < n:
            if after_for[i]:
                j = i
                while j < n:  # a run of customer phrases: "bagi pelaku usaha dan masyarakat"
                    for key in customers.get(stems[j], ()):
                        if tuple(stems[j : j + len(key)]) == key:
                            j += len(key)
                            break
                    else:
                        break
                if j > i:
                    audience.extend(stems[i:j])
                    i = j
                    continue
            out.append(stems[i])
            i += 1
        return out, audience

    def _concept_tokens(self, stems: list[str]) -> list[str]:
        """Step 5: greedy longest-match replacement of concept phrases."""
        single = self._concept_single
        get = single.get
        if len(stems) < 2 or self._concept_starts.isdisjoint(pairwise(stems)):
            return [get(s, s) for s in stems]  # no phrase can match (most names): one-word ones
        starts, multi = self._concept_starts, self._concept_multi
        n = len(stems)
        out: list[str] = []
        i = 0  # stems before i are done
        for j in [j for j, pair in enumerate(pairwise(stems)) if pair in starts]:
            if j < i:
                continue  # inside the phrase matched before
            for key, canonical in multi[stems[j]]:  # longest first
                k = len(key)
                if k <= n - j and tuple(stems[j : j + k]) == key:
                    out.extend([get(s, s) for s in stems[i:j]])
                    out.append(canonical)
                    i = j + k
                    break
        out.extend([get(s, s) for s in stems[i:]])
        return out

    def canonical(self, text: str) -> list[str]:
        """All canonical tokens of ``text`` in order (generic ones included), for display/debug."""
        return self._concept_tokens(self._front(text))

    def normalize(self, text: str) -> NormalizedPhrase:
        """Canonical content tokens and generic tokens of one phrase (cached per phrase)."""
        hit = self._phrase_cache.get(text)
        if hit is not None:
            return hit
        audience: frozenset[str] = _EMPTY
        folded = text.casefold()
        words = None
        if folded.isascii():  # no dash to map
            if folded.replace(" ", "").isalnum():
                words = folded.split()  # letters and digits between spaces: the word pattern's
            elif "-" not in folded:  # no hyphenated word
                words = _WORD_RE.findall(folded)
            if words is not None and not self._special_words.isdisjoint(words):
                words = None  # a spelling variant, an abbreviation or a customer: steps 1-3
        word_stems = self._word_stems
        if words is not None:  # steps 1-3 keep every word (most phrases): drop stop words
            tokens = self._concept_tokens([s for w in words if (s := word_stems[w]) is not None])
        else:
            words = self._expand(self._split_words(text))
            if _FOR.isdisjoint(words):
                tokens = self._concept_tokens(
                    [s for w in words if (s := word_stems[w]) is not None])
            else:
                stems, heard = self._split_customers(words)
                tokens = self._concept_tokens(stems)
                audience = frozenset(self._concept_tokens(heard))
        generic = self.generic_tokens
        every = frozenset(tokens)
        if generic.isdisjoint(every):
            content, dropped = every, _EMPTY
        else:
            content, dropped = every - generic, every & generic
        result = NormalizedPhrase(
            content,
            dropped,
            audience,
            # words() returns a set without concept tokens as it is: skip the call (most names)
            content if self._concept_words.keys().isdisjoint(content) else self.words(content),
            self.words(audience) if audience else audience,
        )
        if len(self._phrase_cache) >= self._phrase_cache_size:
            self._phrase_cache.clear()  # simple bound; names rarely repeat, outputs often do
        self._phrase_cache[text] = result
        return result

    def words(self, tokens: frozenset[str]) -> frozenset[str]:
        """The content words of canonical tokens: each concept token spelled out as the words
        of its canonical phrase, generic words left out (cached per token set).

        Why the matcher compares these and not the concept tokens: a concept swallows the
        words it is made of, so "Surat Izin Praktik Bidan" (one concept and "bidan") and "Izin
        Praktik Bidan" would share one token of four; spelled out they share every word. The
        concepts still do their job, which is to turn an abbreviation or a synonym (SIKR, IMB)
        into the same words as its written-out form.
        """
        concept_words = self._concept_words
        if concept_words.keys().isdisjoint(tokens):
            return tokens  # no concept to spell out (most names): the same set
        hit = self._words_cache.get(tokens)
        if hit is None:
            generic = self.generic_tokens
            out: set[str] = set()
            for t in tokens:
                spelled = self._concept_words.get(t)
                if spelled is None:
                    out.add(t)
                else:
                    out.update(w for w in spelled if w not in generic)
            if len(self._words_cache) >= self._phrase_cache_size:
                self._words_cache.clear()
            hit = self._words_cache[tokens] = frozenset(out)
        return hit

    def normalize_many(self, texts: Iterable[str]) -> list[NormalizedPhrase]:
        return [self.normalize(t) for t in texts]

    def is_support(self, tokens: frozenset[str]) -> bool:
        """True when at least half of a name's content tokens are support keywords.

        Why half and not all: "Penyusunan Laporan Keuangan" or "Pengelolaan Arsip Dinamis"
        carry one non-support word but are still the OPD's own housekeeping.
        """
        if self.support_tokens.isdisjoint(tokens):
            return False  # no support keyword (most names)
        tokens = tokens - self.weak_tokens  # "Pembuatan Laporan Keuangan" is still support
        if not tokens:
            return False
        hits = len(tokens & self.support_tokens)
        return hits > 0 and 2 * hits >= len(tokens)
