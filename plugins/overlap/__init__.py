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

``delegation`` reads ``kind: pelimpahan`` documents (delegations of authority, PATEN): OVL001
reports a pair a delegation in force covers as info naming its instrument. ``review`` is the
``probis overlap`` command: the auditor's queue of pairs down to a floor below the threshold,
with evidence for and against, and dismissal as a waiver.
"""

from __future__ import annotations

from typing import Any

from probis.engine import hookimpl

from .delegation import KIND as DELEGATION_KIND
from .delegation import DelegationDoc
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
    register(DELEGATION_KIND, DelegationDoc)  # pelimpahan kewenangan (PATEN): OVL001 info


@hookimpl
def probis_register_commands(cli: Any) -> None:
    from .review import overlap_command

    cli.add_command(overlap_command)
