"""Adapt a probis workspace to the matcher, and what the overlap rules share.

- ``process_records``: one ``ProcessRecord`` per process code, owner = the OPD (``opd_of`` the
  process owner), owner_type = that OPD's SOTK type. A code that occurs twice is REG004's
  finding; only its first occurrence is compared, so a copy is never reported as its own
  overlap.
- ``threshold``: the ``threshold`` option of a rule (profile ``options``), checked; a bad value
  is an input error naming the profile field, never a traceback.
- ``related``: parent and child (ancestor and descendant) processes, which share words by design.
- ``prepared_records``: the matcher's normalised records, shared by OVL001 and OVL004.

Why a per-workspace memo: OVL001 and OVL004 compare the same processes with the same kamus;
building the records and normalising every name, output and customer once per audit instead of
once per rule saves time that grows with the workspace. The memo lives as long as the
workspace object (a weak reference drops it) and is checked against the process list, so a
workspace changed between two audits is never answered from a stale memo.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from probis.engine.errors import InputError
from probis.engine.findings import ElementRef
from probis.engine.i18n import text
from probis.engine.rule import RuleContext
from probis.engine.workspace import ProcessEntry, Workspace

from .matcher import OverlapMatcher, ProcessRecord, _Prepared


@dataclass(frozen=True)
class Considered:
    """The processes an overlap rule compares, with their records and entries by code."""

    records: list[ProcessRecord]
    entries: dict[str, ProcessEntry]
    #: ``ws.ref_process`` of each entry by code, made once: every overlap rule counts one
    #: check per process and reports on these references (immutable, so shared)
    refs: dict[str, ElementRef] = field(default_factory=dict)


# id(workspace) -> (weak reference, stamp of its process list, memo). Keyed by id because a
# Workspace (an eq dataclass) is not hashable; the weak reference guards against id reuse.
_MEMOS: dict[int, tuple[weakref.ref[Workspace], tuple[int, int], dict[Any, Any]]] = {}


def _memo(ws: Workspace) -> dict[Any, Any]:
    key = id(ws)
    stamp = (id(ws.processes), len(ws.processes))
    entry = _MEMOS.get(key)
    if entry is None or entry[0]() is not ws or entry[1] != stamp:
        ref = weakref.ref(ws, lambda _ref, key=key: _MEMOS.pop(key, None))
        entry = _MEMOS[key] = (ref, stamp, {})
    return entry[2]


def process_records(ws: Workspace) -> Considered:
    """The records the overlap rules compare (memoised per workspace; treat as read-only)."""
    memo = _memo(ws)
    considered = memo.get("considered")
    if considered is None:
        considered = memo["considered"] = _process_records(ws)
    return considered


def prepared_records(ws: Workspace, matcher: OverlapMatcher,
                     considered: Considered) -> Sequence[_Prepared]:
    """``matcher.prepare(considered.records)``, memoised per workspace and normalizer (the
    prepared records depend on nothing else)."""
    memo = _memo(ws)
    key = ("prepared", matcher.normalizer, id(considered))
    prepared = memo.get(key)
    if prepared is None:
        prepared = memo[key] = matcher.prepare(considered.records)
    return prepared


def _process_records(ws: Workspace) -> Considered:
    records: list[ProcessRecord] = []
    entries: dict[str, ProcessEntry] = {}
    refs: dict[str, ElementRef] = {}
    for entry in ws.processes:
        p = entry.process
        if p.code in entries or not (p.name or "").strip():
            continue  # duplicate code (REG004) or no name: nothing to compare
        ref = ws.ref_process(entry)
        opd = ref.unit  # ws.process_unit(entry)
        if opd is None:
            continue  # no owner at all (REG007): no OPD to compare against
        unit = ws.units.get(opd)
        entries[p.code] = entry
        refs[p.code] = ref
        records.append(ProcessRecord(
            code=p.code, name=p.name or "", outputs=tuple(p.outputs),
            customers=tuple(p.customers), owner=opd, owner_type=unit.type if unit else None,
            category=p.category, map_code=entry.map.code, subkegiatan=tuple(p.subkegiatan),
        ))
    return Considered(records, entries, refs)


def threshold(ctx: RuleContext, rule_id: str, default: float) -> float | None:
    """The rule's ``threshold`` option, or None (and an input error) when it is not a number
    in (0, 1]."""
    value: Any = ctx.options.get("threshold", default)
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= 1:
        return float(value)
    ws = ctx.workspace
    ws.input_errors.append(InputError(
        ws.manifest_file or "probis.yaml",
        ws.manifest.profile.line if ws.manifest else None,
        f"profile.options.{rule_id}.threshold",
        text(f"ambang {rule_id} harus berupa angka lebih dari 0 dan paling besar 1, "
             f"bukan {value!r}",
             f"the {rule_id} threshold must be a number greater than 0 and at most 1, "
             f"not {value!r}"),
    ))
    return None


def ancestors(ws: Workspace, code: str) -> set[str]:
    """Codes of the processes above ``code``: the process each enclosing map decomposes, up to
    the level-0 map, plus every code prefix (PB.06.01 is above PB.06.01.02 whatever the maps
    say, because codes are hierarchical)."""
    out: set[str] = set()
    parts = code.split(".")
    out.update(".".join(parts[:i]) for i in range(1, len(parts)))
    seen: set[str] = set()
    current = code
    while current not in seen:
        seen.add(current)
        holders = ws.processes_by_code.get(current)
        if not holders:
            break
        holder_map = holders[0].map
        if holder_map.code == current:
            break
        out.add(holder_map.code)
        current = holder_map.code
    return out


def related(ws: Workspace, a: str, b: str) -> bool:
    """True when one process is an ancestor of the other (parent/child are not duplicates)."""
    return a in ancestors(ws, b) or b in ancestors(ws, a)
