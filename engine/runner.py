"""One audit: load, evaluate every enabled rule, apply profile and waivers, score.

The data flows one way (../shared/design.md): loaders know nothing of rules; rules receive the
resolved model and return findings and applicable-check counts; profile, waivers and scoring
see only those. A plugin or rule that fails becomes an ENG finding and the rest stands.

The evaluation steps are public so that a re-evaluation by difference
(engine/incremental/delta.py) runs exactly what a full run runs: ``prepare`` (settings and
rule options), ``collect_facts`` and ``evaluate_facts`` (rule files over a ``FactBatch``),
``rule_context``, ``run_python_rules`` and ``check_evidence`` (Python rules),
``overridden``/``override_findings``/``tally_keys`` (profile severities) and
``collect_sections`` (report sections).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import compress
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import activity, durable_bridge, parallel, profiles, waivers
from .conditions import Predicate, compile_condition, fields_used
from .durable_bridge import BridgeError, compile_ruleset, start_ruleset
from .engine_rules import ENG001, ENG002
from .errors import InputError
from .factbatch import FactBatch, FactRef
from .factkinds import FactKind, check_fact
from .facts import Fact, build_core_facts
from .findings import ElementRef, Finding
from .gcpause import paused_gc
from .hookcall import call_each, implementations
from .i18n import text
from .isolation import Outcome, call_guarded, plugin_timeout
from .jsoncheck import check_json
from .limits import env_seconds
from .loader import LoaderConfig, load_workspace
from .plugins import PluginFailure, Registry, build_registry, failure_message
from .progress import Progress
from .rule import (
    DeclarativeRule,
    Evaluation,
    PerMapRule,
    PythonRule,
    RuleContext,
    applies_kinds,
    check_ref,
    fill,
)
from .scoring import Scores, TallyKey, compute, failed_tally
from .workspace import Workspace

if TYPE_CHECKING:  # the result cache is imported by the runs that use one
    from .incremental.cache import ResultCache
    from .incremental.ledger import Ledger, SortKey


@dataclass
class AuditResult:
    workspace: Workspace
    registry: Registry
    as_of: dt.date
    settings: dict[str, str]  # effective setting per rule id: off | severity
    findings: list[Finding]  # active, sorted
    waived: list[Finding]
    engine_findings: list[Finding]
    expired_waivers: list[dict[str, Any]]
    unused_waivers: list[dict[str, Any]]
    applicable: Counter[TallyKey]
    scores: Scores
    sections: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    # kept by a run with a result cache, for a delta re-evaluation (engine/incremental/)
    ledger: Ledger | None = field(default=None, repr=False)
    # distinct failed checks per tally key of ``findings``, as scored (None: not kept)
    failed: Counter[TallyKey] | None = field(default=None, repr=False)

    @property
    def input_errors(self) -> list[InputError]:
        return self.workspace.input_errors


def _timeout() -> float:
    return env_seconds("PROBIS_RULESET_TIMEOUT", 600.0)


def audit(path: str | Path, as_of: dt.date | None = None, registry: Registry | None = None,
          *, cache: ResultCache | None = None, progress: Progress | None = None,
          jobs: int = 1) -> AuditResult:
    """Load the workspace at ``path`` and evaluate it. With ``cache``, per-map results of
    unchanged maps are reused (engine/incremental/cache.py); the findings are the same either way.
    ``progress(stage, done, total)``, when given, is told how loading (stage ``load``, per
    file) and evaluation (stage ``evaluate``, per rule) advance. ``jobs`` > 1 loads and
    evaluates in that many processes (engine/parallel.py); the result is the same."""
    registry = registry or build_registry()
    if any(isinstance(r, DeclarativeRule) for r in registry.rules.values()):
        durable_bridge.prestart()  # the worker starts while the files are read
    start = time.perf_counter()
    activity.now(text("memuat workspace", "loading the workspace"))
    ws = load_workspace(path, loader_config(registry), progress, jobs=jobs)
    load_time = time.perf_counter() - start
    activity.now(text("mengevaluasi aturan", "evaluating the rules"))
    result = evaluate_workspace(ws, as_of, registry, cache=cache, progress=progress, jobs=jobs)
    result.timings = {"load": load_time, **result.timings}
    return result


def loader_config(registry: Registry) -> LoaderConfig:
    config = LoaderConfig()
    config.kinds.update(registry.kinds)
    config.readers.update(registry.readers)
    config.fields = registry.fields
    return config


@paused_gc()  # long-lived, acyclic objects by the million: see engine/gcpause.py
def evaluate_workspace(ws: Workspace, as_of: dt.date | None, registry: Registry,
                       *, cache: ResultCache | None = None,
                       progress: Progress | None = None, jobs: int = 1) -> AuditResult:
    """Evaluate an already loaded workspace (the second half of ``audit``)."""
    as_of = as_of or dt.date.today()
    timings: dict[str, float] = {}
    settings, engine_findings, profile_options = prepare(ws, registry)
    enabled = {rid: rule for rid, rule in registry.rules.items() if settings.get(rid) != "off"}

    evaluations: list[Evaluation] = []
    declarative = [r for r in enabled.values() if isinstance(r, DeclarativeRule)]
    python_rules = [r for r in enabled.values() if isinstance(r, PythonRule)]
    # the rule files run as one batch in the worker; they advance the bar by their count
    total = len(declarative) + len(python_rules)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress("evaluate", done, total)

    def run_python(rules: list[PythonRule], engine: list[Finding], times: dict[str, float],
                   tick: Any) -> list[Evaluation]:
        return run_python_rules(ws, as_of, registry, rules, profile_options, engine, times,
                                cache, tick)

    parent = os.getpid()

    def rule_files() -> Callable[[], tuple[list[Evaluation], list[Finding], float]]:
        """The rule files, started: facts collected and sent to durable-rules, which matches
        them while Python rules run; the returned function waits for the matches and gives
        the evaluations, the ENG findings and the time taken."""
        t0 = time.perf_counter()
        forked = os.getpid() != parent
        if forked:  # this child's own worker, forked before the child copies more pages
            durable_bridge.prestart()
        engine: list[Finding] = []
        # in a child, one forked worker and no shards: a shard is a spawned interpreter,
        # which would outlive a child killed on SIGTERM
        finish = _start_declarative(ws, as_of, registry, declarative, engine, cache,
                                    1 if forked else jobs)
        started = time.perf_counter() - t0

        def finished() -> tuple[list[Evaluation], list[Finding], float]:
            t0 = time.perf_counter()
            evaluations = finish()
            if forked:
                durable_bridge.shutdown()
            return evaluations, engine, started + time.perf_counter() - t0

        return finished

    sections_early = any(map(_without_result, implementations(registry.pm, _SECTIONS)))

    def beside_rules() -> Callable[[], tuple[list[Evaluation], list[Finding], float,
                                             dict[str, Outcome]]]:
        """The rule files, started, and on finishing the report sections that need no
        findings (made while durable-rules still matches)."""
        finish_files = rule_files() if declarative else None

        def finished() -> tuple[list[Evaluation], list[Finding], float, dict[str, Outcome]]:
            sections = early_sections(ws, as_of, registry)
            return (*(finish_files() if finish_files else ([], [], 0.0)), sections)

        return finished

    # --jobs: Python rules run in forked children, the first of which also does the rule
    # files and the sections that need no findings, so that this process takes the
    # costliest plugin's rules and keeps their findings (engine/parallel.py); per-map rules
    # and rule files stay here when they fill the result cache
    pending = parallel.fork_python(
        ws, python_rules, jobs, run_python,
        keep_local=lambda rule: cache is not None and isinstance(rule, PerMapRule),
        serial_key=lambda rule: registry.plugin_of(rule.info.id),
        cost=lambda rule: rule.relative_cost,
        lead=beside_rules if declarative or sections_early else None,
        lead_in_child=cache is None and durable_bridge.spawns_nothing())
    t0 = time.perf_counter()
    n_engine = len(engine_findings)
    python_evaluations = pending.collect(engine_findings, timings, tick)
    declarative_evaluations: list[Evaluation] = []
    early: dict[str, Outcome] = {}
    if pending.lead_result is not None:
        declarative_evaluations, declarative_engine, declarative_time, early = (
            pending.lead_result)
        if declarative:
            timings["declarative"] = declarative_time
        # in the serial run's order: the rule files' ENG findings before the Python rules'
        engine_findings[n_engine:n_engine] = declarative_engine
        done += len(declarative)
        if progress is not None and total:
            progress("evaluate", done, total)
    timings["python"] = time.perf_counter() - t0 - (
        0.0 if pending.lead_in_child else timings.get("declarative", 0.0))
    evaluations += declarative_evaluations + python_evaluations

    # profile severity overrides, then waivers, then scores
    applicable: Counter[TallyKey] = Counter()
    overridden(settings, evaluations, applicable)
    all_findings: list[Finding] = []
    for ev in evaluations:
        override_findings(settings, ev)
        all_findings.extend(ev.findings)
    record = cache.take_record() if cache is not None else None
    keys: list[SortKey] = []
    if record is None:
        all_findings.sort(key=Finding.sort_key)
    else:  # the sort keys go into the ledger
        keyed = sorted([(f.sort_key(), f) for f in all_findings], key=itemgetter(0))
        all_findings = [f for _, f in keyed]
        keys = [k for k, _ in keyed]

    outcome = waivers.apply(all_findings, ws.waivers, as_of)
    waived_failed = failed_tally(outcome.waived)
    raw_applicable = Counter(applicable) if record is not None else applicable
    for key, n in waived_failed.items():
        applicable[key] = max(0, applicable[key] - n)
    failed = failed_tally(outcome.active)
    rule_set_of = {rid: rule.info.rule_set for rid, rule in registry.rules.items()}
    scores = compute(applicable, failed, rule_set_of)
    engine_findings.sort(key=Finding.sort_key)

    ledger = None
    if cache is not None and record is not None:
        for ev in evaluations:  # the Python rules that are not per map: one block each
            if (ev.info.id, None) not in record.blocks:
                record.blocks[(ev.info.id, None)] = ev
        from .incremental.ledger import Ledger

        index = cache.index(ws)
        waived_ids = {id(f) for f in outcome.waived}
        ledger = Ledger(record, [index.references(e) for e in ws.maps], raw_applicable,
                        waived_failed, failed,
                        [k for k, f in zip(keys, all_findings, strict=True)
                         if id(f) not in waived_ids] if waived_ids else keys,
                        outcome.use)
        cache.save()
    result = AuditResult(
        workspace=ws, registry=registry, as_of=as_of, settings=settings,
        findings=outcome.active, waived=outcome.waived, engine_findings=engine_findings,
        expired_waivers=outcome.expired, unused_waivers=outcome.unused,
        applicable=applicable, scores=scores, timings=timings, ledger=ledger,
        failed=failed)
    collect_sections(result, early)
    return result


def prepare(ws: Workspace, registry: Registry
            ) -> tuple[dict[str, str], list[Finding], dict[str, Any]]:
    """What every evaluation of ``ws`` starts from: the effective setting of each rule (with
    the profile's and waivers' problems added to the workspace's errors or notices), the
    findings of plugins that failed to load, and the profile's rule options."""
    rule_infos = {rid: rule.info for rid, rule in registry.rules.items()}
    settings, profile_errors = profiles.resolve(
        ws.manifest.profile if ws.manifest else None, rule_infos, registry.profiles,
        ws.manifest_file)
    unknown_rule_problems = profile_errors + waivers.check_rules(ws.waivers, set(rule_infos))
    if os.environ.get("PROBIS_LOAD_PLUGINS") is not None:
        # the rule may belong to a plugin that was deliberately not loaded: say so, don't fail
        for problem in unknown_rule_problems:
            soft = problem.code in ("profile-rule", "waiver")
            (ws.notices if soft else ws.input_errors).append(problem)
    else:
        ws.input_errors.extend(unknown_rule_problems)
    ws.input_errors.sort()
    ws.notices.sort()
    engine_findings = [_engine_finding(ENG001, ElementRef(_failed_element(f), "plugin"),
                                       failure_message(f), _failure_evidence(f))
                       for f in registry.failures]
    profile_options = ws.manifest.profile.options if ws.manifest else {}
    return settings, engine_findings, profile_options


def _failed_element(failure: PluginFailure) -> str:
    return f"{failure.plugin}:{failure.rule}" if failure.rule else failure.plugin


def _failure_evidence(failure: PluginFailure) -> dict[str, Any]:
    evidence = {"plugin": failure.plugin, "stage": failure.stage, "error": failure.error}
    if failure.rule:  # a rule file refused at load
        evidence |= {"rule": failure.rule, "file": failure.source}
    return evidence


def overridden(settings: dict[str, str], evaluations: Iterable[Evaluation],
               applicable: Counter[TallyKey], sign: int = 1) -> None:
    """Add (``sign`` -1: take away) the evaluations' applicable checks to ``applicable`` at
    the severity the profile sets for their rule."""
    for ev in evaluations:
        if sign == 1:
            keyed = keyed_tally(settings, ev)
            # keys new to ``applicable`` (the usual case: one evaluation per rule) go in by one
            # C-level update, in the same order; ``+=`` on a new key calls Counter.__missing__
            if len(keyed) == len(ev.applicable_tally) and applicable.keys().isdisjoint(keyed):
                dict.update(applicable, keyed)
                continue
        for key, n in tally_keys(settings, ev):
            applicable[key] += n * sign


def _override(settings: dict[str, str], ev: Evaluation) -> str | None:
    """The severity the profile gives ``ev``'s rule instead of its own, if any."""
    override = settings.get(ev.info.id)
    if override in ("error", "warning", "info") and override != ev.info.severity:
        return override
    return None


def tally_keys(settings: dict[str, str], ev: Evaluation) -> Iterator[tuple[TallyKey, int]]:
    """``ev``'s applicable checks as score tally keys, at the profile's severity."""
    override = _override(settings, ev)
    for (severity, map_code, unit), n in ev.applicable_tally.items():
        yield (ev.info.id, override or severity, map_code, unit), n


def keyed_tally(settings: dict[str, str], ev: Evaluation) -> dict[TallyKey, int]:
    """``dict(tally_keys(settings, ev))``, made by one comprehension instead of a generator."""
    rule, override = ev.info.id, _override(settings, ev)
    return {(rule, override or severity, map_code, unit): n
            for (severity, map_code, unit), n in ev.applicable_tally.items()}


def override_findings(settings: dict[str, str], ev: Evaluation) -> None:
    override = _override(settings, ev)
    if override is not None:
        for f in ev.findings:
            f.severity = override  # type: ignore[assignment]


def _engine_finding(info: Any, ref: ElementRef, message: dict[str, str],
                    evidence: dict[str, Any]) -> Finding:
    return Finding(rule=info.id, rule_set=info.rule_set, severity=info.severity, ref=ref,
                   message=message, basis=dict(info.basis), fix=dict(info.fix), evidence=evidence)


def collect_facts(ws: Workspace, as_of: dt.date, registry: Registry,
                  engine_findings: list[Finding],
                  core: Callable[[Workspace, dt.date], Iterable[tuple[Fact, ElementRef]]]
                  = build_core_facts, rules: Iterable[DeclarativeRule] | None = None
                  ) -> list[FactRef]:
    """Facts of ``core`` (default: every element of the core format), then plugins' facts,
    with their elements, not yet numbered (``FactBatch``). A plugin whose facts fail is an
    ENG001 listing the ``rules`` (default: all) that needed them."""
    facts = list(core(ws, as_of))
    for call in call_each(registry.pm, "probis_facts", {"workspace": ws, "as_of": as_of},
                          check=lambda produced, plugin: _checked_facts(
                              produced, registry.fact_kinds, plugin)):
        if not call.outcome.ok:
            # all or nothing: a plugin's facts are dropped together, never half of them
            engine_findings.append(_plugin_failure(call.plugin, call.hook, None, call.outcome,
                                                   registry.rules_needing(call.plugin, rules)))
            continue
        facts += call.outcome.value
    return facts


def _checked_facts(produced: Any, kinds: Mapping[str, FactKind],
                   plugin: str) -> list[tuple[Fact, ElementRef]]:
    """Facts go to the durable-rules worker as JSON: check their shape here, in the plugin's
    thread, so that garbage is this plugin's ENG001 and not an ENG002 that loses every rule file.
    Their kinds and fields must be the ones the plugin declared (docs/facts.md)."""
    out: list[tuple[Fact, ElementRef]] = []
    for item in produced or []:
        if not (isinstance(item, tuple | list) and len(item) == 2):
            raise TypeError("probis_facts must yield (fact dict, ElementRef) pairs, "
                            f"got {item!r:.80}")
        fact, ref = item
        if not isinstance(fact, dict) or not isinstance(fact.get("t"), str):
            raise TypeError(f"a fact must be a dict with a text `t` (its type), got {fact!r:.80}")
        if not all(isinstance(k, str) for k in fact) or {"sid", "id"} & set(fact):
            raise TypeError(f"fact keys must be text and not `id`/`sid`: {sorted(map(str, fact))}")
        check_fact(fact, kinds, plugin)
        json.dumps(fact)  # TypeError/ValueError on values the engine cannot take
        check_ref(ref)
        out.append((dict(fact), ref))
    return out


def _run_declarative(ws: Workspace, as_of: dt.date, registry: Registry,
                     rules: list[DeclarativeRule], engine_findings: list[Finding],
                     cache: ResultCache | None = None, jobs: int = 1) -> list[Evaluation]:
    return _start_declarative(ws, as_of, registry, rules, engine_findings, cache, jobs)()


def _start_declarative(ws: Workspace, as_of: dt.date, registry: Registry,
                       rules: list[DeclarativeRule], engine_findings: list[Finding],
                       cache: ResultCache | None = None, jobs: int = 1
                       ) -> Callable[[], list[Evaluation]]:
    """The rule files: facts collected and sent to durable-rules now; the returned function
    waits for the matches and gives the evaluations (a failure of durable-rules is an ENG002
    then, the rule files giving no results)."""
    if not rules:
        return list
    try:
        if cache is None:
            batch = FactBatch()
            batch.add(collect_facts(ws, as_of, registry, engine_findings, rules=rules))
            finish = start_facts(rules, batch, jobs)
        else:  # per map: rule-file results of an unchanged map are replayed (engine/incremental/)
            evaluations = cache.run_declarative(
                ws, as_of, rules,
                lambda core: collect_facts(ws, as_of, registry, engine_findings, core, rules),
                lambda batch: evaluate_facts(rules, batch, jobs, run_empty=False))
            return lambda: evaluations
    except BridgeError as exc:
        _bridge_failed(rules, exc, engine_findings)
        return list

    def finished() -> list[Evaluation]:
        try:
            return finish()[0]
        except BridgeError as exc:
            _bridge_failed(rules, exc, engine_findings)
            return []

    return finished


def _bridge_failed(rules: list[DeclarativeRule], exc: BridgeError,
                   engine_findings: list[Finding]) -> None:
    ids = sorted(rule.info.id for rule in rules)
    engine_findings.append(_engine_finding(
        ENG002, ElementRef("durable-rules", "engine"),
        text(f"mesin aturan gagal: {exc}; aturan berbasis berkas ({', '.join(ids)}) "
             "tidak memberi hasil",
             f"rules engine failed: {exc}; rule-file rules ({', '.join(ids)}) gave no results"),
        {"error": str(exc), "rules": ids}))


def evaluate_facts(rules: list[DeclarativeRule], batch: FactBatch, jobs: int = 1, *,
                   run_empty: bool = True) -> list[list[Evaluation]]:
    """The rule files over the facts of ``batch``: one evaluation per rule for each of its
    groups. ``run_empty`` False: no facts to match does not wake the durable-rules worker
    (a cached run with nothing new). Raises BridgeError when durable-rules fails."""
    return start_facts(rules, batch, jobs, run_empty=run_empty)()


def start_facts(rules: list[DeclarativeRule], batch: FactBatch, jobs: int = 1, *,
                run_empty: bool = True) -> Callable[[], list[list[Evaluation]]]:
    """``evaluate_facts`` in two halves: the facts go to durable-rules now, the returned
    function waits for the matches and fills the evaluations."""
    facts, refs, groups = batch.facts, batch.refs, batch.groups
    evaluations = [[Evaluation(rule.info) for rule in rules] for _ in range(batch.n_groups)]
    # Only facts of a kind some rule looks at are sent to the engine, and only the fields the
    # conditions read: serialising and matching is most of durable-rules' cost.
    sent = _facts_for_engine(rules, facts)
    body = compile_ruleset(rules)
    receive = (start_ruleset(body, sent, _timeout(), jobs=jobs) if sent or run_empty
               else list)
    # the applicable checks are counted while the worker matches
    by_type: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        by_type[fact["t"]].append(fact)
    # each condition compiled once, not walked again for every fact (engine/conditions.py)
    applies = [None if rule.applies_if is None else compile_condition(rule.applies_if)
               for rule in rules]
    severity_of = [_severity_for(rule) for rule in rules]
    # (map, unit) of every element of a kind, and their counts, shared by the rules over it
    places: dict[str, list[tuple[str | None, str | None]]] = {}
    counted: dict[str, Counter[tuple[str | None, str | None]]] = {}
    for i, rule in enumerate(rules):
        if batch.n_groups == 1 and not rule.severity_if:  # one block, one severity
            _tally_places(rule, applies[i], evaluations[0][i], by_type, refs, places, counted)
            continue
        accepts, severity = applies[i], severity_of[i]
        for fact in (f for kind in applies_kinds(rule.info) for f in by_type.get(kind, [])):
            if accepts is None or accepts(fact):
                n = fact["n"]
                evaluations[groups[n]][i].applicable_checked(refs[n], severity(fact))

    def finish() -> list[list[Evaluation]]:
        done: set[tuple[int, int]] = set()
        for rule_index, case_index, n in receive():
            if (rule_index, n) in done:
                continue  # one finding per rule and element: the first failing case wins
            done.add((rule_index, n))
            rule = rules[rule_index]
            fact = facts[n]
            evaluations[groups[n]][rule_index].finding(
                refs[n], fill(rule.cases[case_index].message, fact), None,
                severity=severity_of[rule_index](fact),
                evidence={"case": case_index},
            )
        return evaluations

    return finish


def _tally_places(rule: DeclarativeRule, accepts: Predicate | None, ev: Evaluation,
                  by_type: dict[str, list[Fact]], refs: list[ElementRef],
                  places: dict[str, list[tuple[str | None, str | None]]],
                  counted: dict[str, Counter[tuple[str | None, str | None]]]) -> None:
    """``ev.applicable_checked`` for each fact of ``rule``'s kinds that ``accepts`` (its
    compiled ``applies_if``) takes, as counts per (map, unit) in the order the facts come."""
    tally, severity = ev.applicable_tally, rule.info.severity
    for kind in applies_kinds(rule.info):
        kind_facts = by_type.get(kind, [])
        if (where := places.get(kind)) is None:
            where = places[kind] = [(ref.map, ref.unit)
                                    for ref in map(refs.__getitem__,
                                                   map(itemgetter("n"), kind_facts))]
        if accepts is not None:
            counts = Counter(compress(where, map(accepts, kind_facts)))
        elif (counts := counted.get(kind)) is None:
            counts = counted[kind] = Counter(where)
        for (map_code, unit), n in counts.items():
            tally[(severity, map_code, unit)] += n


def _facts_for_engine(rules: list[DeclarativeRule], facts: list[Fact]) -> list[Fact]:
    needed: dict[str, set[str]] = defaultdict(lambda: {"t", "n"})
    for rule in rules:
        for kind in applies_kinds(rule.info):
            fields = needed[kind]
            if rule.applies_if is not None:
                fields |= fields_used(rule.applies_if)
            for case in rule.cases:
                fields |= fields_used(case.when)
    sent: list[Fact] = []
    for f in facts:  # (the kind's fields looked up once per fact, not once per field)
        if (keep := needed.get(f["t"])) is not None:
            sent.append({k: v for k, v in f.items() if k in keep})
    return sent


def _severity_for(rule: DeclarativeRule) -> Callable[[Fact], Any]:
    """The severity of ``rule``'s check on a fact: its first ``severity_if`` that holds."""
    default = rule.info.severity
    if not rule.severity_if:
        return lambda _fact: default
    cases = [(compile_condition(cond), severity) for cond, severity in rule.severity_if]

    def severity_of(fact: Fact) -> Any:
        for holds, severity in cases:
            if holds(fact):
                return severity
        return default

    return severity_of


_SECTIONS = "probis_report_sections"


def _without_result(impl: Any) -> bool:
    """A sections implementation that does not ask for the result: workspace and date only."""
    return "result" not in impl.argnames


def early_sections(ws: Workspace, as_of: dt.date, registry: Registry) -> dict[str, Outcome]:
    """Per plugin, the outcome of its ``probis_report_sections`` when it does not ask for the
    result, called while the rules run (perhaps in a forked child: the values pickle)."""
    return {call.plugin: call.outcome
            for call in call_each(registry.pm, _SECTIONS, {"workspace": ws, "as_of": as_of},
                                  check=_checked_sections, select=_without_result)}


def collect_sections(result: AuditResult, early: Mapping[str, Outcome] | None = None) -> None:
    """The plugins' report sections, in plugin order: those in ``early`` (``early_sections``,
    already called) as they came, the others called now."""
    registry = result.registry
    early = early or {}
    kwargs = {"workspace": result.workspace, "as_of": result.as_of, "result": result}
    now = {call.plugin: call.outcome
           for call in call_each(registry.pm, _SECTIONS, kwargs, check=_checked_sections,
                                 select=lambda impl: impl.plugin_name not in early)}
    for impl in implementations(registry.pm, _SECTIONS):
        outcome = now[impl.plugin_name] if impl.plugin_name in now else early[impl.plugin_name]
        if not outcome.ok:
            result.engine_findings.append(
                _plugin_failure(impl.plugin_name, _SECTIONS, None, outcome))
            continue
        for key in sorted(outcome.value):
            result.sections[key] = outcome.value[key]
    result.engine_findings.sort(key=Finding.sort_key)


def _checked_sections(sections: Any, _plugin: str = "") -> dict[str, Any]:
    if sections is None:
        return {}
    if not isinstance(sections, dict) or not all(isinstance(k, str) for k in sections):
        raise TypeError("probis_report_sections must return a dict with text keys, "
                        f"got {type(sections).__name__}")
    # the report is JSON (no NaN or infinity: RFC 8259): fail here, not there
    json.dumps(sections, sort_keys=True, allow_nan=False)
    return sections


def rule_context(ws: Workspace, as_of: dt.date, rule: PythonRule,
                 profile_options: dict[str, Any]) -> RuleContext:
    """What ``rule`` receives: its default options overridden by the profile's."""
    options = dict(rule.info.options) | dict(profile_options.get(rule.info.id, {}))
    return RuleContext(ws, as_of, options)


def check_evidence(ev: Evaluation) -> None:
    """Raise unless every finding's evidence can go into the JSON report: in the rule's own
    guarded call, so that it is that rule's failure."""
    check_json(f.evidence for f in ev.findings)


def run_python_rules(ws: Workspace, as_of: dt.date, registry: Registry,
                     python_rules: list[PythonRule], profile_options: dict[str, Any],
                     engine_findings: list[Finding], timings: dict[str, float],
                     cache: ResultCache | None, tick: Callable[[], None]) -> list[Evaluation]:
    """Each plugin's Python rules, one guarded call per rule, within one time budget per plugin.

    After a rule times out, that plugin's remaining rules are not started (its budget is
    spent, and its abandoned thread may still be running); every other plugin runs normally.
    """
    budget = plugin_timeout()
    by_plugin: dict[str, list[tuple[str, PythonRule]]] = defaultdict(list)
    for rule in python_rules:
        by_plugin[registry.plugin_of(rule.info.id)].append((rule.info.id, rule))
    evaluations: list[Evaluation] = []
    for plugin, rules in sorted(by_plugin.items()):
        deadline = time.monotonic() + budget
        for position, (rid, rule) in enumerate(rules):
            tick()
            t0 = time.perf_counter()
            ev = Evaluation(rule.info)
            ctx = rule_context(ws, as_of, rule, profile_options)

            def run(rule: PythonRule = rule, ev: Evaluation = ev, ctx: RuleContext = ctx) -> None:
                if cache is not None and isinstance(rule, PerMapRule):
                    cache.run_per_map(rule, ctx, ev)
                else:
                    rule.check(ctx, ev)
                check_evidence(ev)

            outcome = call_guarded(run, deadline - time.monotonic(), f"{plugin}:{rid}", budget)
            if not outcome.ok:
                skipped = [r for r, _ in rules[position + 1:]] if outcome.timed_out else []
                engine_findings.append(_plugin_failure(plugin, "check", rid, outcome, skipped))
                if outcome.timed_out:
                    for _ in skipped:
                        tick()
                    break
                continue
            timings[f"rule:{rid}"] = time.perf_counter() - t0
            evaluations.append(ev)
    return evaluations


def _plugin_failure(plugin: str, stage: str, rule_id: str | None, outcome: Outcome,
                    skipped: list[str] | None = None) -> Finding:
    what_id = f"aturan {rule_id}" if rule_id else f"tahap {stage}"
    what_en = f"rule {rule_id}" if rule_id else f"stage {stage}"
    extra_id = f" Aturan yang tidak dijalankan: {', '.join(skipped)}." if skipped else ""
    extra_en = f" Rules not run: {', '.join(skipped)}." if skipped else ""
    evidence: dict[str, Any] = {"plugin": plugin, "stage": stage, "error": outcome.error,
                                "timed_out": outcome.timed_out}
    if rule_id:
        evidence["rule"] = rule_id
    if skipped:
        evidence["not_run"] = skipped
    if outcome.traceback:
        evidence["traceback"] = outcome.traceback
    return _engine_finding(
        ENG001, ElementRef(f"{plugin}:{rule_id or stage}", "plugin"),
        text(f"{what_id} dari plugin `{plugin}` gagal: {outcome.error}. "
             f"Temuan aturan dan plugin lain tetap berlaku.{extra_id}",
             f"{what_en} of plugin `{plugin}` failed: {outcome.error}. "
             f"Other rules' and plugins' findings stand.{extra_en}"),
        evidence)
