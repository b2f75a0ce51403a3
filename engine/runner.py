"""One audit: load, evaluate every enabled rule, apply profile and waivers, score.

The data flows one way (../shared/design.md): loaders know nothing of rules; rules receive the
resolved model and return findings and applicable-check counts; profile, waivers and scoring
see only those. A plugin or rule that fails becomes an ENG finding and the rest stands.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import parallel, profiles, waivers
from .cache import PerMapRule, ResultCache
from .conditions import evaluate, fields_used
from .durable_bridge import BridgeError, compile_ruleset, run_ruleset
from .engine_rules import ENG001, ENG002
from .errors import InputError
from .facts import Fact, build_core_facts
from .findings import ElementRef, Finding
from .i18n import text
from .loader import LoaderConfig, load_workspace
from .plugins import Registry, build_registry, failure_message
from .progress import Progress
from .rule import DeclarativeRule, Evaluation, PythonRule, RuleContext, applies_kinds, fill
from .scoring import Scores, TallyKey, compute, failed_tally
from .workspace import Workspace


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

    @property
    def input_errors(self) -> list[InputError]:
        return self.workspace.input_errors


def _timeout() -> float | None:
    raw = os.environ.get("PROBIS_RULESET_TIMEOUT")
    try:
        return float(raw) if raw else 600.0
    except ValueError:
        return 600.0


def audit(path: str | Path, as_of: dt.date | None = None, registry: Registry | None = None,
          *, cache: ResultCache | None = None, progress: Progress | None = None,
          jobs: int = 1) -> AuditResult:
    """Load the workspace at ``path`` and evaluate it. With ``cache``, per-map results of
    unchanged maps are reused (engine/cache.py); the findings are the same either way.
    ``progress(stage, done, total)``, when given, is told how loading (stage ``load``, per
    file) and evaluation (stage ``evaluate``, per rule) advance. ``jobs`` > 1 loads and
    evaluates in that many processes (engine/parallel.py); the result is the same."""
    registry = registry or build_registry()
    start = time.perf_counter()
    ws = load_workspace(path, loader_config(registry), progress, jobs=jobs)
    load_time = time.perf_counter() - start
    result = evaluate_workspace(ws, as_of, registry, cache=cache, progress=progress, jobs=jobs)
    result.timings = {"load": load_time, **result.timings}
    return result


def loader_config(registry: Registry) -> LoaderConfig:
    config = LoaderConfig()
    config.kinds.update(registry.kinds)
    config.readers.update(registry.readers)
    return config


def evaluate_workspace(ws: Workspace, as_of: dt.date | None, registry: Registry,
                       *, cache: ResultCache | None = None,
                       progress: Progress | None = None, jobs: int = 1) -> AuditResult:
    """Evaluate an already loaded workspace (the second half of ``audit``)."""
    as_of = as_of or dt.date.today()
    timings: dict[str, float] = {}

    rule_infos = {rid: rule.info for rid, rule in registry.rules.items()}
    settings, profile_errors = profiles.resolve(
        ws.manifest.profile if ws.manifest else None, rule_infos, registry.profiles,
        ws.manifest_file)
    unknown_rule_problems = profile_errors + waivers.check_rules(ws.waivers, set(rule_infos))
    if os.environ.get("PROBIS_LOAD_PLUGINS") is not None:
        # the rule may belong to a plugin that was deliberately not loaded: say so, don't fail
        for problem in unknown_rule_problems:
            (ws.notices if problem.code in ("profile-rule", "waiver") else ws.input_errors).append(problem)
    else:
        ws.input_errors.extend(unknown_rule_problems)
    ws.input_errors.sort()
    ws.notices.sort()

    engine_findings = [_engine_finding(ENG001, ElementRef(f.plugin, "plugin"), failure_message(f),
                                       {"plugin": f.plugin, "stage": f.stage, "error": f.error})
                       for f in registry.failures]
    enabled = {rid: rule for rid, rule in registry.rules.items() if settings.get(rid) != "off"}
    profile_options = ws.manifest.profile.options if ws.manifest else {}

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
        return _run_python(ws, as_of, registry, rules, profile_options, engine, times, cache,
                           tick)

    # --jobs: Python rules run in forked children while this process does the rule files
    # (engine/parallel.py); per-map rules stay here when they fill the result cache
    pending = parallel.fork_python(
        python_rules, jobs, run_python,
        keep_local=lambda rule: cache is not None and isinstance(rule, PerMapRule))
    t0 = time.perf_counter()
    evaluations += _run_declarative(ws, as_of, registry, declarative, engine_findings, cache,
                                    jobs)
    timings["declarative"] = time.perf_counter() - t0
    done += len(declarative)
    if progress is not None and total:
        progress("evaluate", done, total)
    t0 = time.perf_counter()
    evaluations += pending.collect(engine_findings, timings, tick)
    timings["python"] = time.perf_counter() - t0

    # profile severity overrides, then waivers, then scores
    applicable: Counter[TallyKey] = Counter()
    all_findings: list[Finding] = []
    for ev in evaluations:
        override = settings.get(ev.info.id)
        for (severity, map_code, unit), n in ev.applicable_tally.items():
            sev = override if override in ("error", "warning", "info") and override != ev.info.severity else severity
            applicable[(ev.info.id, sev, map_code, unit)] += n
        for f in ev.findings:
            if override in ("error", "warning", "info") and override != ev.info.severity:
                f.severity = override  # type: ignore[assignment]
            all_findings.append(f)
    all_findings.sort(key=Finding.sort_key)

    outcome = waivers.apply(all_findings, ws.waivers, as_of)
    for key, n in failed_tally(outcome.waived).items():
        applicable[key] = max(0, applicable[key] - n)
    failed = failed_tally(outcome.active)
    rule_set_of = {rid: rule.info.rule_set for rid, rule in registry.rules.items()}
    scores = compute(applicable, failed, rule_set_of)
    engine_findings.sort(key=Finding.sort_key)

    if cache is not None:
        cache.save()
    result = AuditResult(
        workspace=ws, registry=registry, as_of=as_of, settings=settings,
        findings=outcome.active, waived=outcome.waived, engine_findings=engine_findings,
        expired_waivers=outcome.expired, unused_waivers=outcome.unused,
        applicable=applicable, scores=scores, timings=timings,
    )
    _collect_sections(result)
    return result


def _run_python(ws: Workspace, as_of: dt.date, registry: Registry,
                python_rules: list[PythonRule], profile_options: dict[str, Any],
                engine_findings: list[Finding], timings: dict[str, float],
                cache: ResultCache | None, tick: Callable[[], None]) -> list[Evaluation]:
    """Run ``python_rules`` one after the other (in a --jobs child: its share of them)."""
    evaluations: list[Evaluation] = []
    for rule in python_rules:
        rid = rule.info.id
        tick()
        t0 = time.perf_counter()
        ev = Evaluation(rule.info)
        options = dict(rule.info.options) | dict(profile_options.get(rid, {}))
        try:
            if cache is not None and isinstance(rule, PerMapRule):
                cache.run_per_map(rule, RuleContext(ws, as_of, options), ev)
            else:
                rule.check(RuleContext(ws, as_of, options), ev)
        except Exception as exc:
            plugin = registry.plugin_of(rid)
            engine_findings.append(_engine_finding(
                ENG001, ElementRef(f"{plugin}:{rid}", "plugin"),
                text(f"aturan {rid} dari plugin `{plugin}` gagal: {type(exc).__name__}: {exc}. "
                     "Temuan aturan lain tetap berlaku",
                     f"rule {rid} of plugin `{plugin}` failed: {type(exc).__name__}: {exc}. "
                     "Other rules' findings stand"),
                {"plugin": plugin, "rule": rid, "error": f"{type(exc).__name__}: {exc}",
                 "traceback": traceback.format_exc(limit=-3).splitlines()[-6:]}))
            continue
        timings[f"rule:{rid}"] = time.perf_counter() - t0
        evaluations.append(ev)
    return evaluations


def _engine_finding(info: Any, ref: ElementRef, message: dict[str, str], evidence: dict[str, Any]) -> Finding:
    return Finding(rule=info.id, rule_set=info.rule_set, severity=info.severity, ref=ref,
                   message=message, basis=dict(info.basis), fix=dict(info.fix), evidence=evidence)


def collect_facts(ws: Workspace, as_of: dt.date, registry: Registry,
                  engine_findings: list[Finding]) -> tuple[list[Fact], list[ElementRef]]:
    facts: list[Fact] = []
    refs: list[ElementRef] = []
    for fact, ref in build_core_facts(ws, as_of):
        fact["n"] = len(facts)
        facts.append(fact)
        refs.append(ref)
    for info in registry.plugins:
        plugin = registry.pm.get_plugin(info.name)
        impl = getattr(plugin, "probis_facts", None)
        if impl is None:
            continue
        try:
            for fact, ref in impl(workspace=ws, as_of=as_of) or []:
                fact = dict(fact)
                fact["n"] = len(facts)
                facts.append(fact)
                refs.append(ref)
        except Exception as exc:
            engine_findings.append(_engine_finding(
                ENG001, ElementRef(f"{info.name}:probis_facts", "plugin"),
                failure_message(type("F", (), {"plugin": info.name, "stage": "probis_facts",
                                               "error": f"{type(exc).__name__}: {exc}"})()),
                {"plugin": info.name, "stage": "probis_facts", "error": str(exc)}))
    return facts, refs


def _run_declarative(ws: Workspace, as_of: dt.date, registry: Registry,
                     rules: list[DeclarativeRule], engine_findings: list[Finding],
                     cache: ResultCache | None = None, jobs: int = 1) -> list[Evaluation]:
    if not rules:
        return []
    facts, refs = collect_facts(ws, as_of, registry, engine_findings)
    by_type: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        by_type[fact["t"]].append(fact)
    evaluations = [Evaluation(rule.info) for rule in rules]
    for rule, ev in zip(rules, evaluations, strict=True):
        for fact in (f for kind in applies_kinds(rule.info) for f in by_type.get(kind, [])):
            if rule.applies_if is None or evaluate(rule.applies_if, fact):
                ev.applicable(refs[fact["n"]], _severity_for(rule, fact))
    # Only facts of a kind some rule looks at are sent to the engine, and only the fields the
    # conditions read: serialising and matching is most of durable-rules' cost.
    sent = _facts_for_engine(rules, facts)
    try:
        body = compile_ruleset(rules)
        if cache is None:
            matches = run_ruleset(body, sent, _timeout(), jobs=jobs)
        else:
            matches = cache.declarative_matches(
                body, sent, [refs[f["n"]].file if refs[f["n"]].map else None for f in sent],
                lambda batch: run_ruleset(body, batch, _timeout(), jobs=jobs))
    except BridgeError as exc:
        ids = sorted(rule.info.id for rule in rules)
        engine_findings.append(_engine_finding(
            ENG002, ElementRef("durable-rules", "engine"),
            text(f"mesin aturan gagal: {exc}; aturan berbasis berkas ({', '.join(ids)}) "
                 "tidak memberi hasil",
                 f"rules engine failed: {exc}; rule-file rules ({', '.join(ids)}) gave no results"),
            {"error": str(exc), "rules": ids}))
        return []
    done: set[tuple[int, int]] = set()
    for rule_index, case_index, n in matches:
        if (rule_index, n) in done:
            continue  # one finding per rule and element: the first failing case wins
        done.add((rule_index, n))
        rule = rules[rule_index]
        fact = facts[n]
        evaluations[rule_index].finding(
            refs[n], fill(rule.cases[case_index].message, fact), None,
            severity=_severity_for(rule, fact),
            evidence={"case": case_index},
        )
    return evaluations


def _facts_for_engine(rules: list[DeclarativeRule], facts: list[Fact]) -> list[Fact]:
    needed: dict[str, set[str]] = defaultdict(lambda: {"t", "n"})
    for rule in rules:
        for kind in applies_kinds(rule.info):
            fields = needed[kind]
            if rule.applies_if is not None:
                fields |= fields_used(rule.applies_if)
            for case in rule.cases:
                fields |= fields_used(case.when)
    return [{k: v for k, v in f.items() if k in needed[f["t"]]} for f in facts if f["t"] in needed]


def _severity_for(rule: DeclarativeRule, fact: Fact) -> Any:
    for cond, severity in rule.severity_if:
        if evaluate(cond, fact):
            return severity
    return rule.info.severity


def _collect_sections(result: AuditResult) -> None:
    registry = result.registry
    for info in registry.plugins:
        plugin = registry.pm.get_plugin(info.name)
        impl = getattr(plugin, "probis_report_sections", None)
        if impl is None:
            continue
        try:
            sections = impl(workspace=result.workspace, result=result) or {}
            for key in sorted(sections):
                result.sections[key] = sections[key]
        except Exception as exc:
            result.engine_findings.append(_engine_finding(
                ENG001, ElementRef(f"{info.name}:probis_report_sections", "plugin"),
                text(f"plugin `{info.name}` gagal menyusun bagian laporan: {exc}",
                     f"plugin `{info.name}` failed to build its report section: {exc}"),
                {"plugin": info.name, "stage": "probis_report_sections", "error": str(exc)}))
