"""Re-evaluation by difference: the result of a workspace after another SOTK or plan is put in
force, computed from the result before it.

``probis restructure`` evaluates the workspace twice: with the old SOTK/RPJMD and with the new
one. The map files are the same in both; what changes is what they refer to. A map whose
referenced units and sasaran look the same in both (the parts of its fingerprint,
cache.py, that a plan can change) gives the same per-map results, so only these are
evaluated again:

- the rule files and the per-map Python rules (``PerMapRule``) on the maps that refer to a
  changed unit or plan item, or that the caller names (``force``, e.g. the maps the change
  triggers re-open), and on the facts of no map (units, plans, unmapped cross-functional maps);
- a per-map rule also on any map whose ``map_inputs`` changed (on every map when its
  ``map_context`` changed);
- every other Python rule (they look across maps) in full.

The sums are not redone either: the blocks replaced are taken out of the previous result and
their new versions added — findings merged into the sorted lists, check tallies and scores
updated at the keys that changed (engine/scoring.py ``rescore``). The result is the result a
full evaluation gives, finding for finding and byte for byte in every report (tests compare
them after every kind of change). Where that cannot be guaranteed cheaply — the previous
result kept no ledger (it was not evaluated with a result cache), map files differ, the
profile or the waivers differ, an engine or plugin failure in either run, or two findings
with the same sort key whose order only a full run fixes — the workspace is evaluated in full
instead (``Delta.reason`` says why).

Findings of unchanged blocks are shared with the previous result, not copied: neither result
may be changed in place afterwards.
"""

from __future__ import annotations

import time
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import compress
from operator import itemgetter
from typing import Any

from .. import waivers
from ..durable_bridge import BridgeError
from ..factbatch import FactBatch, FactRef
from ..facts import map_facts
from ..findings import Finding
from ..gcpause import paused_gc
from ..isolation import call_guarded, plugin_timeout
from ..rule import (
    DeclarativeRule,
    Evaluation,
    PerMapRule,
    PythonRule,
    RuleContext,
    remember_referenced_units,
)
from ..runner import (
    AuditResult,
    check_evidence,
    collect_facts,
    collect_sections,
    evaluate_facts,
    evaluate_workspace,
    overridden,
    override_findings,
    prepare,
    rule_context,
    run_python_rules,
    tally_keys,
)
from ..scoring import TallyKey, failed_tally, rescore
from ..workspace import Workspace
from .cache import (
    CacheStats,
    MapIndex,
    ResultCache,
    RunRecord,
    group_digest,
    outside_map_facts,
    plan_item,
    unit_view,
)
from .ledger import Ledger, SortKey

Block = tuple[str, int | None]


@dataclass
class Delta:
    """What a re-evaluation did: by difference, or in full and why."""

    result: AuditResult
    reason: str | None = None  # why it was evaluated in full; None: by difference
    stats: CacheStats = field(default_factory=CacheStats)


class _Full(Exception):
    """The delta cannot give a full run's exact result: evaluate in full."""


def reevaluate(before: AuditResult, ws: Workspace, *, force: Iterable[str] = (),
               cache: ResultCache | None = None, jobs: int = 1) -> Delta:
    """``before``'s workspace re-evaluated as ``ws`` (the same map files with another SOTK or
    plan in force), on ``before``'s date and registry. ``force``: map files to re-evaluate
    whatever their references. A full evaluation, when needed, uses ``cache`` (or an
    in-memory one, so that the result can itself be re-evaluated by difference)."""
    force = set(force)
    # the workspace's problem lists as loaded: a full evaluation starts from them again
    errors, notices = list(ws.input_errors), list(ws.notices)
    try:
        with paused_gc():
            return _delta(before, ws, force)
    except _Full as why:
        ws.input_errors[:], ws.notices[:] = errors, notices
        if cache is None:
            cache = ResultCache.in_memory(force)
        else:
            cache.force, cache.stats = force, CacheStats()
        result = evaluate_workspace(ws, before.as_of, before.registry, cache=cache, jobs=jobs)
        return Delta(result, str(why), cache.stats)


def _delta(before: AuditResult, ws: Workspace, force: set[str]) -> Delta:
    t_start = time.perf_counter()
    registry, as_of, old_ws = before.registry, before.as_of, before.workspace
    ledger = before.ledger
    if ledger is None:
        raise _Full("the previous result was evaluated without a result cache")
    if len(before.engine_findings) != len(registry.failures):
        raise _Full("the previous run had an engine or plugin failure")
    if _map_files(old_ws) != _map_files(ws):
        raise _Full("map files differ")
    if [(w.model_dump(), f) for w, f in old_ws.waivers] != \
            [(w.model_dump(), f) for w, f in ws.waivers]:
        raise _Full("waivers differ")
    settings, engine_findings, profile_options = prepare(ws, registry)
    old_options = old_ws.manifest.profile.options if old_ws.manifest else {}
    if settings != before.settings or profile_options != old_options:
        raise _Full("the profile differs")

    index = MapIndex(ws)
    for entry, (units, _) in zip(ws.maps, ledger.references, strict=True):
        # the same map files refer to the same units: known before, not walked again
        remember_referenced_units(entry, index.groups.of(entry), units)
    dirty = _dirty_maps(old_ws, ws, ledger.references, force)
    stats = CacheStats()
    stats.evaluated_maps = {ws.maps[i].file for i in dirty}
    stats.cached_maps = {e.file for e in ws.maps} - stats.evaluated_maps
    enabled = [r for rid, r in registry.rules.items() if settings.get(rid) != "off"]
    timings: dict[str, float] = {}
    blocks: dict[Block, Evaluation] = {}
    record = RunRecord(dict(ledger.record.blocks), dict(ledger.record.map_inputs), {},
                       dict(ledger.record.facts), dict(ledger.record.fact_digests))

    t0 = time.perf_counter()
    declarative = [r for r in enabled if isinstance(r, DeclarativeRule)]
    stats.facts_sent = _rule_files(ws, as_of, registry, declarative, index, sorted(dirty),
                                   engine_findings, blocks, record)
    stats.facts_cached = sum(record.facts.values()) - stats.facts_sent
    timings["declarative"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    per_map = [r for r in enabled if isinstance(r, PerMapRule)]
    for rule in per_map:
        t_rule = time.perf_counter()
        _per_map_rule(rule, rule_context(ws, as_of, rule, profile_options), index, dirty,
                      ledger.record, record, blocks)
        timings[f"rule:{rule.info.id}"] = time.perf_counter() - t_rule
    across = [r for r in enabled if isinstance(r, PythonRule) and not isinstance(r, PerMapRule)]
    for ev in run_python_rules(ws, as_of, registry, across, profile_options, engine_findings,
                               timings, None, lambda: None):
        blocks[(ev.info.id, None)] = ev
    timings["python"] = time.perf_counter() - t0
    if len(engine_findings) != len(registry.failures):
        raise _Full("a rule failed in the re-evaluation")

    t0 = time.perf_counter()
    result = _combine(before, ws, settings, engine_findings, blocks, record)
    timings["combine"] = time.perf_counter() - t0
    timings["total"] = time.perf_counter() - t_start
    result.timings = timings
    collect_sections(result)
    return Delta(result, None, stats)


# --- what changed -------------------------------------------------------------------------


def _map_files(ws: Workspace) -> list[Any]:
    sha = {d.file: d.sha256 for d in ws.docs}
    return [[(e.file, sha.get(e.file)) for e in ws.maps],
            [(e.file, sha.get(e.file)) for e in ws.lf_maps], len(ws.processes)]


def _dirty_maps(old: Workspace, new: Workspace, references: list[tuple[list[str], list[str]]],
                force: set[str]) -> set[int]:
    """Indexes of the maps (in ``ws.maps``) that refer to a unit or plan item that looks
    different in the two workspaces, or whose file is forced."""
    units = {u for u in old.units.keys() | new.units.keys()
             if unit_view(old, u) != unit_view(new, u)}
    plans = old.sasaran.keys() | old.indicators.keys() | new.sasaran.keys() | \
        new.indicators.keys()
    plans = {i for i in plans if plan_item(old, i) != plan_item(new, i)}
    return {i for i, (entry, (unit_ids, plan_ids)) in enumerate(zip(new.maps, references,
                                                                     strict=True))
            if entry.file in force or not units.isdisjoint(unit_ids)
            or not plans.isdisjoint(plan_ids)}


# --- evaluating the changed blocks --------------------------------------------------------


def _rule_files(ws: Workspace, as_of: Any, registry: Any, rules: list[DeclarativeRule],
                index: MapIndex, dirty: list[int], engine_findings: list[Finding],
                blocks: dict[Block, Evaluation], record: RunRecord) -> int:
    """The rule files on the changed maps and on the facts of no map; returns facts sent.
    A group whose facts and references are what they were (``group_digest``) keeps its
    results: a rule file reads nothing but its fact."""
    if not rules:
        return 0
    batch = FactBatch()
    homes: list[int | None] = []

    def add(produced: Iterable[FactRef], home: int | None) -> None:
        pairs = list(produced)
        group = group_digest(pairs)
        if record.fact_digests.get(home) == group:
            return
        record.fact_digests[home] = group
        record.facts[home] = batch.add(pairs)
        homes.append(home)

    for i in dirty:
        entry = ws.maps[i]
        add(map_facts(ws, entry, ws.processes_of(entry), index.groups.of(entry), as_of), i)
    add(collect_facts(ws, as_of, registry, engine_findings,
                      outside_map_facts(index.groups.unmapped), rules), None)
    if not homes:
        return 0
    try:
        parts = evaluate_facts(rules, batch, run_empty=False)
    except BridgeError as exc:
        raise _Full(f"rules engine failed: {exc}") from exc
    for home, evs in zip(homes, parts, strict=True):
        for rule, ev in zip(rules, evs, strict=True):
            blocks[(rule.info.id, home)] = ev
    return len(batch.facts)


def _per_map_rule(rule: PerMapRule, ctx: RuleContext, index: MapIndex, dirty: set[int],
                  old: RunRecord, new: RunRecord, blocks: dict[Block, Evaluation]) -> None:
    rid = rule.info.id
    ws = ctx.workspace

    def run() -> None:
        context = rule.map_context(ctx)
        new.contexts[rid] = context
        every = context != old.contexts.get(rid, context) or rid not in old.contexts
        parts: list[Evaluation] = []
        for i, entry in enumerate(ws.maps):
            lfs = index.groups.of(entry)
            inputs = rule.map_inputs(ctx, entry, lfs)
            changed = every or i in dirty or inputs != old.map_inputs.get((rid, i))
            new.map_inputs[(rid, i)] = inputs
            if changed:
                part = blocks[(rid, i)] = Evaluation(rule.info)
                rule.check_map(ctx, entry, lfs, part)
                parts.append(part)
        rest = blocks[(rid, None)] = Evaluation(rule.info)
        rule.check_unmapped(ctx, index.groups.unmapped, rest)
        for part in (*parts, rest):
            check_evidence(part)

    budget = plugin_timeout()
    problems = len(ws.input_errors), len(ws.notices)
    if not call_guarded(run, budget, f"{rid}", budget).ok:
        raise _Full(f"rule {rid} failed in the re-evaluation")
    if (len(ws.input_errors), len(ws.notices)) != problems:
        # a full run would report it once for the workspace, not once per map run again
        raise _Full(f"rule {rid} reported an input problem")


# --- combining ----------------------------------------------------------------------------


def _combine(before: AuditResult, ws: Workspace, settings: dict[str, str],
             engine_findings: list[Finding], blocks: dict[Block, Evaluation],
             record: RunRecord) -> AuditResult:
    ledger = before.ledger
    assert ledger is not None
    old_blocks = ledger.record.blocks
    for ev in blocks.values():  # the profile's severities, as the old findings carry them
        override_findings(settings, ev)
    # a block that came out as it was (a rule re-run in full, a re-opened map whose results
    # did not change) stays as it was: only real changes are taken out and merged in
    blocks = {key: ev for key, ev in blocks.items()
              if key not in old_blocks or not _same(old_blocks[key], ev)}
    removed = [old_blocks[key] for key in blocks if key in old_blocks]
    added = list(blocks.values())
    record.blocks.update(blocks)
    removed_ids = {id(f) for ev in removed for f in ev.findings}

    # checks: raw tally with the profile's severities
    raw = Counter(ledger.raw_applicable)
    overridden(settings, removed, raw, -1)
    new_findings = [f for ev in added for f in ev.findings]
    overridden(settings, added, raw)
    touched = {key for ev in (*removed, *added) for key, _ in tally_keys(settings, ev)}
    for key in touched:
        if raw.get(key) == 0:
            del raw[key]

    # waivers on the new findings; the use counts of the removed ones are given back
    fresh = waivers.apply(new_findings, ws.waivers, before.as_of)
    use = Counter(ledger.waiver_use)
    for ev in removed:
        for f in ev.findings:
            key = (f.rule, f.ref.element)
            if key in use:
                use[key] -= 1
    use.update(fresh.use)
    expired, unused = waivers.summarise(ws.waivers, before.as_of, use)

    # the sorted lists: what stays, with the new findings merged in
    stays = [id(f) not in removed_ids for f in before.findings]
    active, active_keys = _merge(list(compress(ledger.active_keys, stays)),
                                 list(compress(before.findings, stays)), fresh.active)
    old_waived = [f for f in before.waived if id(f) not in removed_ids]
    waived, _ = _merge([f.sort_key() for f in old_waived], old_waived, fresh.waived)

    # distinct failed checks: only the checks of removed or new active findings can move
    checks = {_check(f) for f in fresh.active}
    checks.update(_check(f) for ev in removed for f in ev.findings if f.waiver is None)
    failed = Counter(ledger.failed)
    old_first = _first_keys(before.findings, ledger.active_keys, checks)
    new_first = _first_keys(active, active_keys, checks)
    for key in old_first.values():
        failed[key] -= 1
    for key in new_first.values():
        failed[key] += 1
    moved = set(old_first.values()) | set(new_first.values())
    for key in moved:
        if failed[key] == 0:
            del failed[key]
    waived_failed = failed_tally(waived)

    # applicable checks after waivers, at the touched keys
    applicable = Counter(before.applicable)
    for key in touched | ledger.waived_failed.keys() | waived_failed.keys():
        if key in raw or key in waived_failed:
            applicable[key] = max(0, raw.get(key, 0) - waived_failed.get(key, 0))
        else:
            applicable.pop(key, None)
    touched |= moved | ledger.waived_failed.keys() | waived_failed.keys()
    # a re-run rule gives most of its keys the very same counts: those need no rescoring
    old_applicable, old_failed = before.applicable, ledger.failed
    touched = {key for key in touched
               if (applicable.get(key), failed.get(key)) !=
               (old_applicable.get(key), old_failed.get(key))
               or (key in applicable) != (key in old_applicable)
               or (key in failed) != (key in old_failed)}

    registry = before.registry
    rule_set_of = {rid: rule.info.rule_set for rid, rule in registry.rules.items()}
    scores = rescore(before.scores, touched, (before.applicable, ledger.failed),
                     (applicable, failed), rule_set_of)
    engine_findings.sort(key=Finding.sort_key)
    return AuditResult(
        workspace=ws, registry=registry, as_of=before.as_of, settings=settings,
        findings=active, waived=waived, engine_findings=engine_findings,
        expired_waivers=expired, unused_waivers=unused, applicable=applicable, scores=scores,
        ledger=Ledger(record, ledger.references, raw, waived_failed, failed, active_keys, use),
    )


def _same(old: Evaluation, new: Evaluation) -> bool:
    """The same checks and findings. A finding a waiver matched was changed after it was
    made (it carries the waiver): it compares unequal, and its block is replaced."""
    # dict equality: a tally holds no zero counts, and Counter.__eq__ is a Python-level loop
    return dict.__eq__(old.applicable_tally, new.applicable_tally) is True and \
        old.findings == new.findings


def _check(f: Finding) -> tuple[str, str, str]:
    return (f.rule, f.ref.kind, f.ref.element)


def _first_keys(findings: list[Finding], keys: list[SortKey],
                checks: set[tuple[str, str, str]]) -> dict[tuple[str, str, str], TallyKey]:
    """For each of ``checks``, the tally key of its first finding in ``findings`` (the one
    ``failed_tally`` counts); ``keys`` are the findings' sort keys, whose element picks the
    candidates without touching every finding."""
    elements = {element for _, _, element in checks}
    out: dict[tuple[str, str, str], TallyKey] = {}
    for i in [i for i, key in enumerate(keys) if key[3] in elements]:
        f = findings[i]
        check = _check(f)
        if check in checks and check not in out:
            out[check] = (f.rule, f.severity, f.ref.map, f.ref.unit)
    return out


def _merge(keys: list[SortKey], kept: list[Finding], new: list[Finding]
           ) -> tuple[list[Finding], list[SortKey]]:
    """``kept`` (sorted, with their sort ``keys``) with ``new`` merged in by sort key. Where
    a new finding's key equals another's, only a full run's evaluation order decides: raise
    _Full."""
    keyed = sorted(((f.sort_key(), f) for f in new), key=itemgetter(0))
    if any(a[0] == b[0] for a, b in zip(keyed, keyed[1:], strict=False)):
        raise _Full("two new findings share a sort key")
    out: list[Finding] = []
    out_keys: list[SortKey] = []
    start = 0
    for key, finding in keyed:
        at = bisect_left(keys, key, start)
        if at < len(keys) and keys[at] == key:
            raise _Full("a new finding shares a sort key with a kept one")
        out += kept[start:at]
        out_keys += keys[start:at]
        out.append(finding)
        out_keys.append(key)
        start = at
    out += kept[start:]
    out_keys += keys[start:]
    return out, out_keys

