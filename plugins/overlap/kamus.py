"""The workspace kamus: a ``kind: kamus`` document that extends the built-in lexicon.

A Pemda knows its own abbreviations (SiCantik, PATEN, a local program name) better than the
built-in ``data/singkatan.yaml``. A workspace may hold any number of kamus documents; they are
merged in file order onto the built-in lexicon (``Lexicon.extend``), and the overlap rules of
that workspace use the result. Shape errors are input errors with file, line and field, found
at load time by the pydantic model below.
"""

from __future__ import annotations

import json
from typing import Any

from probis.engine.model import Model
from probis.engine.workspace import Workspace
from pydantic import Field, field_validator, model_validator

from .lexicon import KEYS, Lexicon, LexiconError, default_lexicon
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

    @field_validator("singkatan", "akar", mode="before")
    @classmethod
    def _mapping(cls, value: Any) -> Any:
        return _drop_lines(value)

    @model_validator(mode="after")
    def _valid_lexicon(self) -> KamusDoc:
        try:  # the merge rules' own checks (a synonym group needs two phrases, no empty phrase)
            Lexicon.from_mapping(self.data(), source="kamus")
        except LexiconError as exc:
            raise ValueError(str(exc).removeprefix("kamus: ")) from exc
        return self

    def data(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in KEYS}


def workspace_lexicon(ws: Workspace) -> tuple[Lexicon, list[str]]:
    """The built-in lexicon extended by the workspace's kamus documents (in file order), and the
    files that contributed."""
    docs = sorted(ws.extra.get(KIND, []), key=lambda d: d.file)
    lexicon = default_lexicon()
    for doc in docs:
        lexicon = lexicon.extend(doc.model.data(), source=doc.file)
    return lexicon, [d.file for d in docs]


# Building a Normalizer stems every kamus phrase (slow): the four overlap rules of one
# audit, and repeated audits of one workspace in tests, share it. Keyed by the kamus content.
_NORMALIZERS: dict[str, Normalizer] = {}
_MAX_CACHED = 4


def workspace_normalizer(ws: Workspace) -> Normalizer:
    docs = sorted(ws.extra.get(KIND, []), key=lambda d: d.file)
    key = json.dumps([d.model.data() for d in docs], sort_keys=True, ensure_ascii=False)
    normalizer = _NORMALIZERS.get(key)
    if normalizer is None:
        lexicon, _ = workspace_lexicon(ws)
        normalizer = Normalizer(lexicon)
        if len(_NORMALIZERS) >= _MAX_CACHED:
            _NORMALIZERS.pop(next(iter(_NORMALIZERS)))
        _NORMALIZERS[key] = normalizer
    return normalizer
