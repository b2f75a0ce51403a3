"""Incremental evaluation: results of per-map rules cached by content hash.

Two things are cached under ``<workspace>/.probis-cache/`` (ignored by the loader and git):

1. **Per-map Python rules** (subclasses of ``PerMapRule``). Such a rule promises that what it
   reports for one process map depends only on the map's *fingerprint* — the map's file, the
   files of the cross-functional maps of its processes, the units it references (as the SOTK
   in force describes them, with their OPD chain), the sasaran and indicators it references,
   and whether its processes are decomposed or detailed elsewhere — plus whatever the rule
   adds through ``map_context`` (rule-wide inputs) and ``map_inputs`` (per-map inputs).
   ``PerMapRule.check`` is defined as "check every map, then the unmapped rest", so a full
   run and a cached run execute the very same ``check_map`` code.
2. **Rule-file (durable-rules) matches.** A declarative rule matches one fact at a time, so
   its result is a pure function of the fact and the compiled ruleset. Facts are grouped by
   the file of their element; a group whose facts are unchanged replays its stored matches
   and is not sent to durable-rules again.

Rules that look across maps (overlap, coverage, hierarchy) are not cached: they always run.
An unreadable or foreign cache file is ignored (never trusted, never a crash); values are
JSON, never pickle, because a workspace folder may come from someone else.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .atomic import write_atomic
from .findings import ElementRef, Finding
from .rule import Evaluation, PythonRule, RuleContext
from .workspace import LfEntry, MapEntry, Workspace

CACHE_DIR = ".probis-cache"
FORMAT = 1
KEEP_GENERATIONS = 2  # entries unused for this many runs are dropped on save


def digest(value: Any) -> str:
    raw = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


# --- which cross-functional maps belong to which map ---------------------------------


@dataclass
class MapGroups:
    """Cross-functional maps grouped under the map holding their process (``ws.lf_map_code``)."""

    by_map: dict[int, list[LfEntry]]
    unmapped: list[LfEntry]

    def of(self, entry: MapEntry) -> list[LfEntry]:
        return self.by_map.get(id(entry.map), [])


def map_groups(ws: Workspace) -> MapGroups:
    by_map: dict[int, list[LfEntry]] = {}
    unmapped: list[LfEntry] = []
    for lf_entry in ws.lf_maps:
        holders = ws.processes_by_code.get(lf_entry.lf.process)
        if holders:
            by_map.setdefault(id(holders[0].map), []).append(lf_entry)
        else:
            unmapped.append(lf_entry)
    return MapGroups(by_map, unmapped)


class PerMapRule(PythonRule):
    """A Python rule that checks one process map at a time and can be cached per map.

    Implement ``check_map`` (elements of one map and of its cross-functional maps) and, when
    needed, ``check_unmapped`` (cross-functional maps whose process no map holds). Anything
    the rule reads beyond the map fingerprint (see the module docstring) must be returned by
    ``map_context`` or ``map_inputs``, or cached results could be stale. The line numbers
    of units and sasaran are not in the fingerprint (editing a SOTK file shifts them all), so
    a per-map rule must not report them.
    """

    cache_version = "1"

    def check(self, ctx: RuleContext, out: Evaluation) -> None:
        groups = map_groups(ctx.workspace)
        for entry in ctx.workspace.maps:
            self.check_map(ctx, entry, groups.of(entry), out)
        self.check_unmapped(ctx, groups.unmapped, out)

    def check_map(self, ctx: RuleContext, entry: MapEntry, lfs: list[LfEntry],
                  out: Evaluation) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def check_unmapped(self, ctx: RuleContext, lfs: list[LfEntry], out: Evaluation) -> None:
        return None

    def map_context(self, ctx: RuleContext) -> Any:
        return None

    def map_inputs(self, ctx: RuleContext, entry: MapEntry, lfs: list[LfEntry]) -> Any:
        return None


# --- fingerprints --------------------------------------------------------------------


def referenced_units(entry: MapEntry, lfs: Iterable[LfEntry]) -> list[str]:
    ids: set[str] = set()
    if entry.map.unit:
        ids.add(entry.map.unit)
    for p in entry.map.processes:
        ids.update(p.owners)
        ids.update(p.participants)
    for lf_entry in lfs:
        if lf_entry.lf.unit:
            ids.add(lf_entry.lf.unit)
        ids.update(lane.unit for lane in lf_entry.lf.lanes if lane.unit)
    return sorted(ids)


def _unit_view(ws: Workspace, unit_id: str) -> Any:
    if unit_id not in ws.units:
        return None
    chain = []
    seen: set[str] = set()
    current: str | None = unit_id
    while current in ws.units and current not in seen:
        seen.add(current)
        unit = ws.units[current]
        chain.append(unit.model_dump(mode="json"))
        current = unit.parent
    return {"opd": ws.opd_of(unit_id), "chain": chain}


def _plan_view(ws: Workspace, ids: Iterable[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for i in sorted(set(ids)):
        s = ws.sasaran.get(i)
        ind = ws.indicators.get(i)
        out[i] = [
            None if s is None else [s.source, s.doc_id, s.unit, s.file,
                                    s.sasaran.model_dump(mode="json")],
            None if ind is None else [ind.owner, ind.source, ind.doc_id, ind.unit, ind.file,
                                      ind.indicator.model_dump(mode="json")],
        ]
    return out


def map_fingerprint(ws: Workspace, entry: MapEntry, lfs: list[LfEntry],
                    file_sha: dict[str, str]) -> str:
    processes = entry.map.processes
    return digest({
        "map": [entry.file, file_sha.get(entry.file)],
        "lf": [[lf.file, file_sha.get(lf.file)] for lf in lfs],
        "units": {u: _unit_view(ws, u) for u in referenced_units(entry, lfs)},
        "plans": _plan_view(ws, [i for p in processes for i in (*p.supports, *p.indicators)]),
        "around": [[p.code, p.code in ws.maps_by_code, len(ws.processes_by_code.get(p.code, [])),
                    len(ws.lf_by_process.get(p.code, []))] for p in processes],
    })


# --- (de)serialising results -----------------------------------------------------------


def _finding_out(f: Finding) -> dict[str, Any]:
    r = f.ref
    return {"rule": f.rule, "rule_set": f.rule_set, "severity": f.severity,
            "ref": [r.element, r.kind, r.file, r.line, r.map, r.unit],
            "message": f.message, "basis": f.basis, "fix": f.fix, "evidence": f.evidence}


def _finding_in(d: dict[str, Any]) -> Finding:
    return Finding(rule=d["rule"], rule_set=d["rule_set"], severity=d["severity"],
                   ref=ElementRef(*d["ref"]), message=d["message"], basis=d["basis"],
                   fix=d["fix"], evidence=d["evidence"])


def _jsonable(value: Any) -> Any:
    """What a value becomes after a JSON round trip, so a fresh result equals a cached one."""
    return json.loads(json.dumps(value, default=str))


# --- the cache --------------------------------------------------------------------------


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    evaluated_maps: set[str] = field(default_factory=set)  # files of maps evaluated afresh
    cached_maps: set[str] = field(default_factory=set)
    facts_sent: int = 0
    facts_cached: int = 0


class ResultCache:
    """Per-map and per-file results, stored as one JSON file per workspace."""

    def __init__(self, folder: Path | None, force: Iterable[str] = ()) -> None:
        self.folder = folder
        self.force = set(force)  # map files to re-evaluate whatever their fingerprint
        self.stats = CacheStats()
        self._data: dict[str, Any] = {}
        self._generation = 1
        self._dirty = False
        self._rule_sources: dict[str, str] = {}
        if folder is not None:
            self._load()

    @classmethod
    def for_workspace(cls, root: str | Path, force: Iterable[str] = ()) -> ResultCache:
        return cls(Path(root) / CACHE_DIR, force)

    @classmethod
    def in_memory(cls, force: Iterable[str] = ()) -> ResultCache:
        return cls(None, force)

    @property
    def _file(self) -> Path | None:
        return None if self.folder is None else self.folder / "results.json"

    def _load(self) -> None:
        path = self._file
        try:
            stored = json.loads(path.read_text("utf-8")) if path and path.is_file() else None
        except (OSError, ValueError):
            stored = None  # unreadable or half-written by an old crash: start empty
        if (isinstance(stored, dict) and stored.get("format") == FORMAT
                and stored.get("probis") == __version__
                and isinstance(stored.get("entries"), dict)):
            self._data = stored["entries"]
            self._generation = int(stored.get("generation", 0)) + 1

    def save(self) -> None:
        path = self._file
        if path is None or not self._dirty:
            return
        keep = {k: v for k, v in self._data.items()
                if v.get("g", 0) > self._generation - KEEP_GENERATIONS}
        with contextlib.suppress(OSError):  # a read-only workspace still gets its report
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, json.dumps({"format": FORMAT, "probis": __version__,
                                           "generation": self._generation, "entries": keep},
                                          sort_keys=True, ensure_ascii=False))

    def _get(self, key: str) -> Any:
        item = self._data.get(key)
        if item is None:
            return None
        if item.get("g") != self._generation:
            item["g"] = self._generation
            self._dirty = True
        return item["v"]

    def _put(self, key: str, value: Any) -> None:
        self._data[key] = {"g": self._generation, "v": value}
        self._dirty = True

    def _rule_source(self, rule: PythonRule) -> str:
        """Hash of the rule's module: editing a rule invalidates its cached results."""
        name = type(rule).__module__ + "." + type(rule).__qualname__
        if name not in self._rule_sources:
            try:
                source = Path(inspect.getfile(type(rule))).read_bytes()
            except (OSError, TypeError):
                source = name.encode()
            self._rule_sources[name] = hashlib.sha256(source).hexdigest()
        return self._rule_sources[name]

    # -- per-map Python rules --
    def run_per_map(self, rule: PerMapRule, ctx: RuleContext, out: Evaluation) -> None:
        ws = ctx.workspace
        groups = map_groups(ws)
        file_sha = {d.file: d.sha256 for d in ws.docs}
        base = digest([FORMAT, rule.info.id, rule.cache_version, self._rule_source(rule),
                       dict(ctx.options), rule.map_context(ctx)])
        for entry in ws.maps:
            lfs = groups.of(entry)
            key = "m:" + digest([base, map_fingerprint(ws, entry, lfs, file_sha),
                                 rule.map_inputs(ctx, entry, lfs)])
            stored = None if entry.file in self.force else self._get(key)
            if stored is not None:
                self.stats.hits += 1
                self.stats.cached_maps.add(entry.file)
                for severity, map_code, unit, n in stored["applicable"]:
                    out.applicable_tally[(severity, map_code, unit)] += n
                out.findings.extend(_finding_in(f) for f in stored["findings"])
                continue
            self.stats.misses += 1
            self.stats.evaluated_maps.add(entry.file)
            part = Evaluation(rule.info)
            rule.check_map(ctx, entry, lfs, part)
            for f in part.findings:
                f.evidence = _jsonable(f.evidence)
            out.applicable_tally.update(part.applicable_tally)
            out.findings.extend(part.findings)
            self._put(key, {
                "applicable": sorted([s, m, u, n]
                                     for (s, m, u), n in part.applicable_tally.items()),
                "findings": [_finding_out(f) for f in part.findings],
            })
        rule.check_unmapped(ctx, groups.unmapped, out)

    # -- rule-file matches --
    def declarative_matches(
        self, body: dict[str, Any], facts: list[dict[str, Any]], files: list[str | None],
        run: Callable[[list[dict[str, Any]]], list[tuple[int, int, int]]],
    ) -> list[tuple[int, int, int]]:
        """Matches ``(rule index, case index, n)`` for ``facts``, sending only changed groups.

        ``files[i]`` is the file of ``facts[i]``'s element (None: never cached); ``run``
        evaluates a list of facts through durable-rules.
        """
        body_key = digest(body)
        groups: dict[str | None, list[dict[str, Any]]] = {}
        for fact, file in zip(facts, files, strict=True):
            groups.setdefault(file, []).append(fact)
        matches: list[tuple[int, int, int]] = []
        send: list[dict[str, Any]] = list(groups.pop(None, []))
        fresh: dict[str, tuple[str, list[dict[str, Any]]]] = {}
        for file in sorted(groups):
            group = groups[file]
            key = "d:" + digest([FORMAT, body_key, file,
                                 [{k: v for k, v in f.items() if k != "n"} for f in group]])
            stored = None if file in self.force else self._get(key)
            if stored is None:
                fresh[file] = (key, group)
                send.extend(group)
                continue
            self.stats.facts_cached += len(group)
            matches.extend((r, c, group[pos]["n"]) for pos, r, c in stored)
        self.stats.facts_sent += len(send)
        found = run(send) if send else []
        matches.extend(found)
        by_n: dict[int, list[tuple[int, int]]] = {}
        for r, c, n in found:
            by_n.setdefault(n, []).append((r, c))
        for key, group in fresh.values():
            self._put(key, sorted([pos, r, c] for pos, f in enumerate(group)
                                  for r, c in by_n.get(f["n"], [])))
        return sorted(set(matches))


def tally_of(findings: Iterable[Finding]) -> Counter[str]:
    """Multiset of findings as canonical JSON, to compare two runs exactly (tests, benchmark)."""
    return Counter(json.dumps(f.to_dict(), sort_keys=True, default=str) for f in findings)
