"""Rule metadata and the two kinds of rule a plugin can register.

- ``DeclarativeRule``: conditions over one fact at a time, written as data in a rule file
  (``rules/<set>/<id>.yaml``) and executed by durable-rules through ``durable_bridge``.
- ``PythonRule``: everything that needs a graph or many elements at once (cycles,
  reachability, similarity, coverage); a subclass implements ``check``.
- ``PerMapRule``: a ``PythonRule`` that checks one process map at a time (``check_map``), so
  that its results can be cached per map and re-evaluated by difference
  (engine/incremental/).

Both report *applicable checks* (one rule applied to one element) as well as findings, because
scores count passed and failed checks (see docs/scoring.md).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .findings import ElementRef, Finding, Severity
from .i18n import Text, format_text

if TYPE_CHECKING:
    from .workspace import LfEntry, MapEntry, Workspace


@dataclass(frozen=True)
class RuleInfo:
    """Everything a user needs to understand a rule; rule docs are generated from it."""

    id: str
    rule_set: str
    severity: Severity
    title: Text
    checks: Text  # what it checks, one sentence
    basis: Text  # the regulation or reason behind it
    rationale: Text  # why it matters
    fix: Text  # how to fix a finding
    example_fail: str = ""
    example_pass: str = ""
    # element kind(s) the applicable checks are counted over; a rule file may list several
    # fact kinds separated by commas (FLW005: "lane, step"), see ``applies_kinds``
    applies_to: str = ""
    options: Mapping[str, Any] = field(default_factory=dict)  # defaults; profile may override
    source: str = ""  # rule file or module, for `probis explain`
    # reports something missing across the workspace (a sasaran no process serves): a map
    # file that could not be read may hold it, so such findings say so (engine/report.py)
    finds_absence: bool = False


@dataclass
class RuleContext:
    """What a rule receives: the resolved model and the run's settings."""

    workspace: Workspace
    as_of: dt.date
    options: Mapping[str, Any] = field(default_factory=dict)


class Evaluation:
    """Collects one rule's applicable checks and findings.

    Applicable checks are tallied per (severity, map, unit) rather than kept one object per
    element, so a national-scale run does not hold millions of check records.
    """

    def __init__(self, info: RuleInfo) -> None:
        self.info = info
        self.applicable_tally: Counter[tuple[str, str | None, str | None]] = Counter()
        self.findings: list[Finding] = []

    def applicable(self, ref: ElementRef, severity: Severity | None = None) -> None:
        check_ref(ref)
        _check_severity(severity)
        self.applicable_tally[(severity or self.info.severity, ref.map, ref.unit)] += 1

    def applicable_checked(self, ref: ElementRef, severity: Severity) -> None:
        """``applicable`` for a reference and severity the engine has already checked (facts
        pass ``check_ref`` once when collected, not once per rule that applies to them)."""
        self.applicable_tally[(severity, ref.map, ref.unit)] += 1

    def finding(
        self,
        ref: ElementRef,
        message: Mapping[str, str],
        values: Mapping[str, Any] | None = None,
        *,
        evidence: Mapping[str, Any] | None = None,
        severity: Severity | None = None,
        fix: Text | None = None,
    ) -> Finding:
        """Record a finding. ``message`` is a bilingual template filled with ``values``;
        without ``values`` it is taken as final text (no placeholder handling).

        The findings of one evaluation share one copy of the rule's basis and (without
        ``fix``) its fix: to change them on one finding, assign a new dict, as
        ``finding.basis = {...}``, never edit them in place."""
        # garbage from a plugin fails here, inside the rule (ENG001 for that rule), instead of
        # later while sorting or writing the report, where it would take every result with it
        check_ref(ref)
        _check_severity(severity)
        plain = (type(message) is dict and type(message.get("id", "")) is str
                 and type(message.get("en", "")) is str)  # the usual case, without abc checks
        if not plain and (not isinstance(message, Mapping) or not all(
                isinstance(message.get(lang, ""), str) for lang in ("id", "en"))):
            raise TypeError(f"finding message must be a mapping {{'id': str, 'en': str}}, "
                            f"got {message!r:.80}")
        if values is not None and type(values) is not dict and not isinstance(values, Mapping):
            raise TypeError(f"finding values must be a mapping, got {type(values).__name__}")
        if (evidence is not None and type(evidence) is not dict
                and not isinstance(evidence, Mapping)):
            raise TypeError(f"finding evidence must be a mapping, got {type(evidence).__name__}")
        info = self.info
        shared = self.__dict__.get("_texts")
        if shared is None:  # one copy per evaluation, not one per finding (many thousands)
            shared = self._texts = (dict(info.basis), dict(info.fix))
        finding = Finding(
            info.id, info.rule_set, severity or info.severity, ref,
            dict(message) if values is None else format_text(message, values),
            shared[0], dict(fix) if fix else shared[1], dict(evidence or {}),
        )
        self.findings.append(finding)
        return finding

    def finding_given(self, ref: ElementRef, message: dict[str, str],
                      evidence: dict[str, Any]) -> Finding:
        """``finding(ref, message, evidence=evidence)`` for a final message and an evidence
        dict that the caller made for this finding alone and gives up: the finding keeps
        them instead of copies (OVL001 reports tens of thousands of pairs). The same checks
        and errors; anything but plain dicts takes ``finding``'s general path."""
        if (type(message) is not dict or type(evidence) is not dict
                or type(message.get("id", "")) is not str
                or type(message.get("en", "")) is not str):
            return self.finding(ref, message, evidence=evidence)
        check_ref(ref)
        info = self.info
        shared = self.__dict__.get("_texts")
        if shared is None:
            shared = self._texts = (dict(info.basis), dict(info.fix))
        finding = Finding(info.id, info.rule_set, info.severity, ref, message, shared[0],
                          shared[1], evidence)
        self.findings.append(finding)
        return finding


def check_ref(ref: Any) -> None:
    """Raise TypeError unless ``ref`` is an ElementRef whose fields have their declared types."""
    if (type(ref) is ElementRef and type(ref.element) is str and type(ref.kind) is str
            and (ref.file is None or type(ref.file) is str)
            and (ref.map is None or type(ref.map) is str)
            and (ref.unit is None or type(ref.unit) is str)
            and (ref.line is None or type(ref.line) is int)):
        return  # the usual reference, checked without the general path's isinstance calls
    if not isinstance(ref, ElementRef):
        raise TypeError(f"expected an ElementRef, got {type(ref).__name__}: {ref!r:.80}")
    if not isinstance(ref.element, str) or not isinstance(ref.kind, str):
        raise TypeError(f"ElementRef element and kind must be text: {ref!r:.120}")
    for name in ("file", "map", "unit"):
        if not isinstance(getattr(ref, name), str | None):
            raise TypeError(f"ElementRef {name} must be text or None: {ref!r:.120}")
    if not (ref.line is None or (isinstance(ref.line, int) and not isinstance(ref.line, bool))):
        raise TypeError(f"ElementRef line must be an int or None: {ref!r:.120}")


def _check_severity(severity: Any) -> None:
    if severity is not None and severity not in ("error", "warning", "info"):
        raise TypeError(f"severity must be error, warning or info, got {severity!r:.40}")


@dataclass(frozen=True)
class Case:
    """One failing condition of a declarative rule with its message."""

    when: Mapping[str, Any]
    message: Text


@dataclass(frozen=True)
class DeclarativeRule:
    info: RuleInfo
    applies_if: Mapping[str, Any] | None
    cases: tuple[Case, ...]
    # per-element severity: [(condition, severity)], first match wins (e.g. ALN001 on final maps)
    severity_if: tuple[tuple[Mapping[str, Any], Severity], ...] = ()


class PythonRule:
    """Base class of rules written in Python. Subclasses set ``info`` and implement ``check``."""

    info: RuleInfo
    # How long the rule takes beside a rule that walks every element once (1.0). Only a
    # scheduling hint: with --jobs, the plugins with the costliest rules are started first,
    # so the slowest one does not start last (engine/parallel.py).
    relative_cost: float = 1.0

    def check(self, ctx: RuleContext, out: Evaluation) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


# --- rules that check one map at a time -----------------------------------------------


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
    the rule reads beyond the map fingerprint (engine/incremental/cache.py: the map's files,
    the units and sasaran it references, whether its processes are decomposed or detailed
    elsewhere) must be returned by ``map_context`` or ``map_inputs``, or cached results could
    be stale. The line numbers of units and sasaran are not in the fingerprint (editing a
    SOTK file shifts them all), so a per-map rule must not report them.

    ``check`` is defined as "check every map, then the unmapped rest", so a full run and a
    cached run execute the very same ``check_map`` code.
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


def referenced_units(entry: MapEntry, lfs: Iterable[LfEntry]) -> list[str]:
    """The unit ids ``entry``'s map and its cross-functional maps ``lfs`` name, sorted
    (computed once per entry and list of cross-functional maps: several per-map rules and
    the fingerprint ask; the list is shared, not to be modified)."""
    lfs = list(lfs)
    memo = entry.memo.get("referenced_units")
    if memo is not None and memo[0] == _lfs_key(lfs):
        return memo[1]
    ids: set[str] = set()
    if entry.map.unit:
        ids.add(entry.map.unit)
    for p in entry.map.processes:
        owner = p.owner
        if owner is not None:
            if isinstance(owner, str):
                ids.add(owner)
            else:
                ids.update(owner)
        if p.participants:
            ids.update(p.participants)
    for lf_entry in lfs:
        if lf_entry.lf.unit:
            ids.add(lf_entry.lf.unit)
        ids.update(lane.unit for lane in lf_entry.lf.lanes if lane.unit)
    units = sorted(ids)
    remember_referenced_units(entry, lfs, units)
    return units


def remember_referenced_units(entry: MapEntry, lfs: list[LfEntry], units: list[str]) -> None:
    """Give ``referenced_units(entry, lfs)`` its answer, known from elsewhere (the same map
    files seen under another SOTK refer to the same units: engine/incremental/delta.py)."""
    entry.memo["referenced_units"] = (_lfs_key(lfs), units)


def _lfs_key(lfs: list[LfEntry]) -> tuple[int, ...]:
    return tuple(id(lf_entry) for lf_entry in lfs)  # the entries live as long as the map's


def applies_kinds(info: RuleInfo) -> tuple[str, ...]:
    """The fact kinds a rule file's conditions run over (``applies_to``, comma-separated)."""
    return tuple(k.strip() for k in info.applies_to.split(",") if k.strip())


def message_values(fact: Mapping[str, Any]) -> dict[str, Any]:
    """Values a declarative message template may use: the fact's own fields."""
    return {k: v for k, v in fact.items() if k not in ("sid", "n")}


def fill(template: Mapping[str, str], fact: Mapping[str, Any]) -> Text:
    return format_text(template, message_values(fact))
