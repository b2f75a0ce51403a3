"""Overlap rule set (tumpang tindih): OVL001–OVL004.

- OVL001 (``ovl001``): two OPDs do the same work; OVL004 (``ovl004``): one OPD holds the same
  process in two maps. Both adapt the workspace (``workspace``) to the text-matching core and
  report pairs through ``pairs``.
- OVL002 (``ovl002``): one sub-kegiatan code claimed by two OPDs.
- OVL003 (``ovl003``): two units of the SOTK in force with near-identical functions.

The text-matching core is pure Python with no dependency on the engine, so it can be tested and
benchmarked on its own: ``lexicon`` loads the kamus (abbreviations, synonyms, generic, weak and
support words), ``normalize`` turns an Indonesian phrase into canonical tokens, and ``matcher``
finds the pairs of processes that do the same work. A workspace extends the kamus with
``kind: kamus`` documents (``kamus``). Thresholds are rule options (``profile.options``).
"""

from __future__ import annotations

from typing import Any

from probis.engine import hookimpl

from .kamus import KIND, KamusDoc
from .ovl001 import CrossOpdOverlap
from .ovl002 import SubKegiatanClaimedTwice
from .ovl003 import DuplicatedUnitFunctions
from .ovl004 import DuplicateWithinOpd

RULES = (CrossOpdOverlap, SubKegiatanClaimedTwice, DuplicatedUnitFunctions, DuplicateWithinOpd)


@hookimpl
def probis_register_rules(register: Any) -> None:
    for rule_class in RULES:
        register(rule_class())


@hookimpl
def probis_register_document_kinds(register: Any) -> None:
    register(KIND, KamusDoc)  # the workspace's own abbreviations and synonyms
