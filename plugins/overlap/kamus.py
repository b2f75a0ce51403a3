"""The workspace kamus: a ``kind: kamus`` document that extends the built-in lexicon.

A Pemda knows its own abbreviations (SiCantik, PATEN, a local program name) better than the
built-in ``data/singkatan.yaml``. A workspace may hold any number of kamus documents; they are
merged in file order onto the built-in lexicon (``Lexicon.extend``), and the overlap rules of
that workspace use the result. Shape errors are input errors with file, line and field, found
at load time by the pydantic model below.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from probis.engine.model import Model
from probis.engine.workspace import Workspace
from pydantic import Field, field_validator, model_validator

from .workspace import _memo

if TYPE_CHECKING:  # imported where used: a check with no process pair never stems (start-up)
    from .learn import Learned
    from .lexicon import Lexicon
    from .normalize import Normalizer

KIND = "kamus"


def _drop_lines(value: Any) -> Any:
    """The YAML loader adds ``__line__`` to every mapping; a kamus mapping is data, not a model."""
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k != "__line__"}
    return value


class KamusDoc(Model):
    """``kind: kamus``: the keys of ``data/singkatan.yaml``, all optional."""

    kind: str
    singkatan: dict[str, str] = Field(default_factory=dict)
    sinonim: list[list[str]] = Field(default_factory=list)
    umum: list[str] = Field(default_factory=list)
    lemah: list[str] = Field(default_factory=list)
    pendukung: list[str] = Field(default_factory=list)
    kata_henti: list[str] = Field(default_factory=list)
    akar: dict[str, str] = Field(default_factory=dict)
    ejaan: dict[str, str] = Field(default_factory=dict)
    pelanggan: list[str] = Field(default_factory=list)

    @field_validator("singkatan", "akar", "ejaan", mode="before")
    @classmethod
    def _mapping(cls, value: Any) -> Any:
        return _drop_lines(value)

    @model_validator(mode="after")
    def _valid_lexicon(self) -> KamusDoc:
        from .lexicon import Lexicon, LexiconError

        try:  # the merge rules' own checks (a synonym group needs two phrases, no empty phrase)
            Lexicon.from_mapping(self.data(), source="kamus")
        except LexiconError as exc:
            raise ValueError(str(exc).removeprefix("kamus: ")) from exc
        return self

    def data(self) -> dict[str, Any]:
        from .lexicon import KEYS

        return {key: getattr(self, key) for key in KEYS}


def workspace_lexicon(ws: Workspace) -> tuple[Lexicon, list[str]]:
    """The built-in lexicon extended by the workspace's kamus documents (in file order), and the
    files that contributed."""
    from .lexicon import default_lexicon

    docs = sorted(ws.extra.get(KIND, []), key=lambda d: d.file)
    lexicon = default_lexicon()
    for doc in docs:
        lexicon = lexicon.extend(doc.model.data(), source=doc.file)
    return lexicon, [d.file for d in docs]


# Building a Normalizer stems every kamus phrase (slow): the four overlap rules of one
# audit, and repeated audits of one workspace in tests, share it. Keyed by the kamus content.
_NORMALIZERS: dict[str, Normalizer] = {}
_MAX_CACHED = 4


def _kamus_normalizer(ws: Workspace) -> Normalizer:
    docs = sorted(ws.extra.get(KIND, []), key=lambda d: d.file)
    key = json.dumps([d.model.data() for d in docs], sort_keys=True, ensure_ascii=False)
    normalizer = _NORMALIZERS.get(key)
    if normalizer is None:
        from .normalize import Normalizer

        lexicon, _ = workspace_lexicon(ws)
        normalizer = Normalizer(lexicon)
        if len(_NORMALIZERS) >= _MAX_CACHED:
            _NORMALIZERS.pop(next(iter(_NORMALIZERS)))
        _NORMALIZERS[key] = normalizer
    return normalizer


def workspace_texts(ws: Workspace) -> list[str]:
    """The texts a workspace writes abbreviations in: process names, outputs and customers,
    unit names and functions."""
    texts: list[str] = []
    for entry in ws.processes:
        p = entry.process
        texts.append(p.name or "")
        texts.extend(p.outputs)
        texts.extend(p.customers)
    for unit in ws.units.values():
        texts.append(unit.name or "")
        texts.extend(unit.functions)
    return texts


def learned_abbreviations(ws: Workspace, base: Normalizer) -> Learned:
    """Abbreviations the workspace defines for itself (learn.py), on top of ``base``'s kamus."""
    from .learn import learn

    return learn(workspace_texts(ws), known=base.lexicon.singkatan.keys(),
                 meaning=lambda long: frozenset(base.canonical(long)))


# Normalisers with learned abbreviations, keyed by the base normaliser and what was learned:
# the rules of one audit must share one object (workspace.prepared_records memoises by it).
_LEARNED: dict[tuple[int, str], tuple[Normalizer, Normalizer]] = {}


def workspace_normalizer(ws: Workspace) -> Normalizer:
    """The kamus normaliser of the workspace, extended by the abbreviations it defines
    (memoised per workspace: OVL001, OVL003 and OVL004 of one audit read its texts once)."""
    base = _kamus_normalizer(ws)
    memo = _memo(ws)
    hit = memo.get(("normalizer", id(base)))
    if hit is not None and hit[0] is base:
        return hit[1]
    normalizer = _learned_normalizer(ws, base)
    memo[("normalizer", id(base))] = (base, normalizer)
    return normalizer


def _learned_normalizer(ws: Workspace, base: Normalizer) -> Normalizer:
    learned = learned_abbreviations(ws, base)
    if not learned.abbreviations and not learned.ambiguous:
        return base
    key = (id(base), json.dumps([sorted(learned.abbreviations.items()),
                                 sorted(learned.ambiguous)], ensure_ascii=False))
    hit = _LEARNED.get(key)
    if hit is not None and hit[0] is base:  # the base kept alive by the entry: id not reused
        return hit[1]
    normalizer = base.with_abbreviations(learned.abbreviations, learned.ambiguous)
    if len(_LEARNED) >= _MAX_CACHED:
        _LEARNED.pop(next(iter(_LEARNED)))
    _LEARNED[key] = (base, normalizer)
    return normalizer
