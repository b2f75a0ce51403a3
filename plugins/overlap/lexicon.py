"""The kamus: abbreviations, synonyms, generic words and support keywords for overlap matching.

Why a data file and not constants: Pemda staff know their own abbreviations better than we do.
The built-in file ``data/singkatan.yaml`` covers common national usage; a workspace extends it
with a document of ``kind: kamus`` carrying the same keys, merged by :meth:`Lexicon.extend`.

A :class:`Lexicon` only holds and merges data. Turning it into fast lookup tables is the
normaliser's job (``normalize.py``), so the merge rules stay readable here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml's C loader is several times faster; fall back when PyYAML was built without it
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

DEFAULT_PATH = Path(__file__).with_name("data") / "singkatan.yaml"

#: Keys of a kamus document that carry data; anything else (kind, id, notes) is ignored, as the
#: input format asks for unknown fields.
KEYS = ("singkatan", "sinonim", "umum", "lemah", "pendukung", "kata_henti", "akar", "ejaan",
        "pelanggan")


class LexiconError(ValueError):
    """A kamus document has the wrong shape; the message names the offending key."""


def _phrase(value: Any, where: str) -> str:
    """Case-fold and collapse whitespace so lookups do not depend on how a user typed a phrase."""
    if isinstance(value, bool) or value is None or not isinstance(value, str | int | float):
        raise LexiconError(f"{where}: expected text, got {value!r}")
    text = " ".join(str(value).casefold().split())
    if not text:
        raise LexiconError(f"{where}: empty phrase")
    return text


def _word_list(data: Mapping[str, Any], key: str, source: str) -> list[str]:
    raw = data.get(key) or []
    if not isinstance(raw, list):
        raise LexiconError(f"{source}: `{key}` must be a list")
    return [_phrase(v, f"{source}: {key}[{i}]") for i, v in enumerate(raw)]


def _merge_groups(groups: Iterable[list[str]]) -> list[list[str]]:
    """Merge synonym groups that share a phrase, keeping the earliest group's canonical first.

    Why: a workspace that adds ``[persetujuan bangunan gedung, izin bangunan gedung]`` means
    "one more name for PBG", not "a second PBG concept".
    """
    merged: list[list[str] | None] = []
    owner: dict[str, int] = {}
    for group in groups:
        hits = sorted({owner[p] for p in group if p in owner})
        if not hits:
            target = len(merged)
            merged.append([])
        else:
            target = hits[0]
            for other in hits[1:]:  # this group bridges earlier groups: fold them into the first
                moved = merged[other] or []
                merged[other] = None
                for p in moved:
                    merged[target].append(p)  # type: ignore[union-attr]
                    owner[p] = target
        bucket = merged[target]
        assert bucket is not None
        for p in group:
            if p not in owner:
                bucket.append(p)
                owner[p] = target
    return [g for g in merged if g]


@dataclass(frozen=True)
class Lexicon:
    """The kamus as plain data. Immutable: :meth:`extend` returns a new Lexicon."""

    singkatan: dict[str, str] = field(default_factory=dict)
    sinonim: list[list[str]] = field(default_factory=list)
    umum: frozenset[str] = frozenset()
    lemah: frozenset[str] = frozenset()
    pendukung: frozenset[str] = frozenset()
    kata_henti: frozenset[str] = frozenset()
    akar: dict[str, str] = field(default_factory=dict)
    ejaan: dict[str, str] = field(default_factory=dict)
    pelanggan: frozenset[str] = frozenset()

    @classmethod
    def load(cls, path: str | Path | None = None) -> Lexicon:
        """Load a kamus file; without a path, the built-in ``data/singkatan.yaml``."""
        path = Path(path) if path is not None else DEFAULT_PATH
        with path.open("rb") as fh:
            data = yaml.load(fh, Loader=_Loader)
        return cls.from_mapping(data or {}, source=str(path))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str = "<kamus>") -> Lexicon:
        """Build a Lexicon from a parsed kamus document, validating its shape."""
        return cls().extend(data, source=source)

    def extend(self, other: Mapping[str, Any] | Lexicon, *, source: str = "<kamus>") -> Lexicon:
        """Return this lexicon merged with a workspace extension of the same structure.

        Merge rules (why: the workspace is the more specific authority):
        - ``singkatan`` and ``akar``: the extension's entry replaces the built-in one;
        - ``sinonim``: groups sharing a phrase are merged, the built-in canonical stays first;
        - ``ejaan`` (spelling variant -> standard form): the extension's entry replaces;
        - ``umum``, ``lemah``, ``pendukung``, ``kata_henti``, ``pelanggan``: united.
        """
        if isinstance(other, Lexicon):
            other = other.as_mapping()
        if not isinstance(other, Mapping):
            raise LexiconError(f"{source}: a kamus must be a mapping")

        singkatan = dict(self.singkatan)
        raw_abbr = other.get("singkatan") or {}
        if not isinstance(raw_abbr, Mapping):
            raise LexiconError(f"{source}: `singkatan` must map abbreviation to expansion")
        for key, value in raw_abbr.items():
            singkatan[_phrase(key, f"{source}: singkatan")] = _phrase(
                value, f"{source}: singkatan.{key}"
            )

        raw_groups = other.get("sinonim") or []
        if not isinstance(raw_groups, list):
            raise LexiconError(f"{source}: `sinonim` must be a list of lists")
        groups = [list(g) for g in self.sinonim]
        for i, group in enumerate(raw_groups):
            if not isinstance(group, list) or len(group) < 2:
                raise LexiconError(f"{source}: sinonim[{i}] must list at least two phrases")
            phrases = [_phrase(p, f"{source}: sinonim[{i}]") for p in group]
            groups.append(list(dict.fromkeys(phrases)))

        akar = dict(self.akar)
        raw_akar = other.get("akar") or {}
        if not isinstance(raw_akar, Mapping):
            raise LexiconError(f"{source}: `akar` must be a mapping of word: stem")
        for key, value in raw_akar.items():
            akar[_phrase(key, f"{source}: akar")] = _phrase(value, f"{source}: akar.{key}")

        ejaan = dict(self.ejaan)
        raw_ejaan = other.get("ejaan") or {}
        if not isinstance(raw_ejaan, Mapping):
            raise LexiconError(f"{source}: `ejaan` must be a mapping of variant: standard form")
        for key, value in raw_ejaan.items():
            ejaan[_phrase(key, f"{source}: ejaan")] = _phrase(value, f"{source}: ejaan.{key}")

        return Lexicon(
            singkatan=singkatan,
            sinonim=_merge_groups(groups),
            umum=self.umum | frozenset(_word_list(other, "umum", source)),
            lemah=self.lemah | frozenset(_word_list(other, "lemah", source)),
            pendukung=self.pendukung | frozenset(_word_list(other, "pendukung", source)),
            kata_henti=self.kata_henti | frozenset(_word_list(other, "kata_henti", source)),
            akar=akar,
            ejaan=ejaan,
            pelanggan=self.pelanggan | frozenset(_word_list(other, "pelanggan", source)),
        )

    def as_mapping(self) -> dict[str, Any]:
        """The lexicon as a kamus document (sorted, so it round-trips deterministically)."""
        return {
            "singkatan": dict(sorted(self.singkatan.items())),
            "sinonim": [list(g) for g in self.sinonim],
            "umum": sorted(self.umum),
            "lemah": sorted(self.lemah),
            "pendukung": sorted(self.pendukung),
            "kata_henti": sorted(self.kata_henti),
            "akar": dict(sorted(self.akar.items())),
            "ejaan": dict(sorted(self.ejaan.items())),
            "pelanggan": sorted(self.pelanggan),
        }


_DEFAULT: Lexicon | None = None


def default_lexicon() -> Lexicon:
    """The built-in lexicon, parsed once per process (it is immutable, so sharing is safe)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Lexicon.load()
    return _DEFAULT
