"""``probis restructure``: impact of a new SOTK (and/or RPJMD), re-evaluation, before/after."""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

import click
from probis.engine.cli import EXIT_INPUT, EXIT_OK, _Date
from probis.engine.errors import ProbisUsageError
from probis.engine.i18n import pick, text
from probis.engine.incremental.cache import ResultCache
from probis.engine.incremental.delta import reevaluate
from probis.engine.langoption import lang_option
from probis.engine.loader import load_workspace
from probis.engine.plugins import active_registry
from probis.engine.runner import AuditResult, evaluate_workspace, loader_config
from probis.engine.workspace import Workspace

from .apply import apply, choice
from .history import chain_to
from .impact import Impact, impact
from .plans import earlier_rpjmds
from .scenario import find_doc, with_plans


def _before_sotk(ws: Workspace, target: str) -> str | None:
    if ws.sotk_file and ws.sotk_file != target:
        return ws.sotk_file
    sotk = next(s for s, f in ws.sotk_versions.values() if f == target)
    chain = chain_to(ws, sotk)
    return ws.sotk_versions[chain[-2].id][1] if len(chain) > 1 else target


def _before_rpjmd(ws: Workspace, target: str | None) -> str | None:
    if target is None:
        return ws.rpjmd_file
    if ws.rpjmd_file and ws.rpjmd_file != target:
        return ws.rpjmd_file
    plan = next(p for p, f in ws.rpjmd_versions.values() if f == target)
    earlier = earlier_rpjmds(ws, plan)
    return ws.rpjmd_versions[earlier[-1].id][1] if earlier else target


def run_restructure(path: str | Path, to: str | None, rpjmd: str | None,
                    as_of: dt.date | None, use_disk_cache: bool = True) -> dict[str, Any]:
    """Everything the command prints, as data (the JSON report), plus private timings."""
    registry = active_registry()
    ws0 = load_workspace(path, loader_config(registry))
    if to is None and rpjmd is None:
        raise ProbisUsageError(text(id="berikan --to dan/atau --rpjmd",
                                    en="give --to and/or --rpjmd"))
    sotk_after = find_doc(ws0, "sotk", to) if to else ws0.sotk_file
    sotk_before = _before_sotk(ws0, sotk_after) if sotk_after else None
    rpjmd_after = find_doc(ws0, "rpjmd", rpjmd) if rpjmd else ws0.rpjmd_file
    rpjmd_before = _before_rpjmd(ws0, rpjmd_after) if rpjmd else ws0.rpjmd_file
    ws_before = with_plans(ws0, sotk_before, rpjmd_before)
    ws_after = with_plans(ws0, sotk_after, rpjmd_after)

    t0 = time.perf_counter()
    result = impact(ws_before, ws_after)
    t_impact = time.perf_counter() - t0

    cache = ResultCache.for_workspace(ws0.root) if use_disk_cache else ResultCache.in_memory()
    t0 = time.perf_counter()
    before = evaluate_workspace(ws_before, as_of, registry, cache=cache)
    t_before = time.perf_counter() - t0
    before_stats = cache.stats
    # the same map files with the new SOTK/RPJMD: re-evaluated by difference from `before`
    # (engine/incremental/delta.py), the re-opened maps always among those evaluated again
    t0 = time.perf_counter()
    delta = reevaluate(before, ws_after, force=result.files, cache=cache)
    after, stats = delta.result, delta.stats
    t_after = time.perf_counter() - t0

    report = {
        "workspace": ws0.name,
        "as_of": before.as_of.isoformat(),
        "from": {"sotk": sotk_before, "rpjmd": rpjmd_before},
        "to": {"sotk": sotk_after, "rpjmd": rpjmd_after},
        "events": [{k: v for k, v in e.items() if k not in ("t",)} for e in result.events],
        "triggers": [{"trigger": t.doc.id, "source": t.source, "event": e["n"]}
                     for t, e in result.fired],
        "affected": [a.to_dict() for a in result.affected],
        "units": result.by_unit(),
        "reevaluated": {
            "maps": sorted(stats.evaluated_maps),
            "count": len(stats.evaluated_maps),
            "reused": len(stats.cached_maps),
            "affected_files": len(result.files),
            "facts_sent": stats.facts_sent,
            "facts_reused": stats.facts_cached,
            # null: by difference from the before result; else why everything was evaluated
            "full_because": delta.reason,
        },
        "scores": {"before": _scores(before), "after": _scores(after)},
        "findings": _finding_delta(before, after, result),
        "input_errors": [e.to_dict() if hasattr(e, "to_dict") else str(e)
                         for e in ws0.input_errors],
    }
    report["_timings"] = {"impact": t_impact, "before": t_before, "after": t_after,
                          "before_evaluated_maps": len(before_stats.evaluated_maps)}
    report["_impact"] = result
    report["_root"] = ws0.root
    report["_cache_notes"] = list(cache.notes)
    return report


def _scores(result: AuditResult) -> dict[str, Any]:
    s = result.scores
    return {"workspace": s.workspace.to_dict(),
            "by_unit": {u: c.to_dict() for u, c in sorted(s.by_unit.items())}}


def _finding_delta(before: AuditResult, after: AuditResult, imp: Impact) -> dict[str, Any]:
    def count(findings: list[Any]) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in findings:
            out[f.rule] = out.get(f.rule, 0) + 1
        return dict(sorted(out.items()))

    files = imp.files
    return {
        "by_rule": {"before": count(before.findings), "after": count(after.findings)},
        "affected_after": [f.to_dict() for f in after.findings
                           if f.ref.file in files or f.rule == "STR004"],
    }


# raw event kinds as people say them; a kind a workspace declares itself is shown as it is
# a label for every kind events.py emits (tests/restructure/test_change_labels.py)
CHANGE_KINDS = {
    "unit_renamed": {"id": "unit diganti nama", "en": "unit renamed"},
    "unit_merged": {"id": "unit digabung", "en": "unit merged"},
    "unit_split": {"id": "unit dipecah", "en": "unit split"},
    "unit_moved": {"id": "unit dipindah", "en": "unit moved"},
    "unit_abolished": {"id": "unit dihapus", "en": "unit abolished"},
    "unit_created": {"id": "unit baru", "en": "unit created"},
    "unit_name_changed": {"id": "nama unit berubah", "en": "unit name changed"},
    "sasaran_renamed": {"id": "sasaran diganti", "en": "sasaran renamed"},
    "sasaran_removed": {"id": "sasaran dihapus", "en": "sasaran removed"},
    "sasaran_added": {"id": "sasaran baru", "en": "sasaran added"},
    "rpjmd_changed": {"id": "RPJMD berganti", "en": "RPJMD changed"},
    "rpjmd_period_changed": {"id": "periode RPJMD berganti", "en": "RPJMD period changed"},
}
LABELS = {
    "id": {"head": "Restrukturisasi", "events": "Peristiwa perubahan", "event": "peristiwa",
           "subject": "unit/sasaran", "to": "menjadi", "source": "sumber",
           "inferred": "disimpulkan", "stated": "tertulis", "impact": "Dampak per unit",
           "unit": "unit", "change": "perubahan", "proposed": "usulan", "maps": "peta",
           "processes": "proses", "lanes": "lajur", "affected": "Peta terdampak",
           "code": "kode", "file": "berkas", "why": "alasan", "scores": "Skor",
           "whole": "(keseluruhan)", "before": "sebelum", "after": "sesudah",
           "by_rule": "Temuan per aturan", "rule": "aturan", "copies": "Salinan ditulis",
           "replacements": "penggantian",
           "marked": "{count} baris ditandai komentar `# probis: pilih ...` di salinan",
           "unresolved": "tanpa usulan pengganti (tetap tertulis)",
           "unreadable": "salinan tidak terbaca lagi; periksa sebelum dipakai",
           "reevaluated": "Dievaluasi ulang {count} peta, {reused} diambil dari cache.",
           "internals": "{sent} fakta dikirim ke durable-rules, {reused} dipakai ulang "
                        "(sebelum {before:.2f} dtk, sesudah {after:.2f} dtk)"},
    "en": {"head": "Restructuring", "events": "Change events", "event": "event",
           "subject": "unit/sasaran", "to": "to", "source": "source",
           "inferred": "inferred", "stated": "stated", "impact": "Impact per unit",
           "unit": "unit", "change": "change", "proposed": "proposed", "maps": "maps",
           "processes": "processes", "lanes": "lanes", "affected": "Affected maps",
           "code": "code", "file": "file", "why": "why", "scores": "Scores",
           "whole": "(workspace)", "before": "before", "after": "after",
           "by_rule": "Findings per rule", "rule": "rule", "copies": "Copies written",
           "replacements": "replacement(s)",
           "marked": "{count} line(s) marked with a `# probis: choose ...` comment in the copy",
           "unresolved": "no proposed successor (left as written)",
           "unreadable": "the copy no longer reads; check it before use",
           "reevaluated": "Re-evaluated {count} map(s), reused {reused} from the cache.",
           "internals": "{sent} facts sent to durable-rules, {reused} reused "
                        "(before {before:.2f} s, after {after:.2f} s)"},
}


def change_label(kind: str, lang: str) -> str:
    """``unit diganti nama`` for ``unit_renamed``; a declared kind as the workspace names it."""
    names = CHANGE_KINDS.get(kind)
    return names["en" if lang == "en" else "id"] if names else kind


def render_terminal(report: dict[str, Any], lang: str, verbose: bool = False) -> str:
    """The impact in ``lang``; ``verbose`` adds the engine's figures (facts, timings)."""
    from tabulate import tabulate

    L = LABELS["en" if lang == "en" else "id"]
    lines: list[str] = []
    head = f"{L['head']} {report['workspace']}: {report['from']['sotk']} -> {report['to']['sotk']}"
    if report["from"]["rpjmd"] != report["to"]["rpjmd"]:
        head += f"; RPJMD {report['from']['rpjmd']} -> {report['to']['rpjmd']}"
    lines += [head, "", L["events"]]
    rows = [[e["n"], change_label(e["kind"], lang),
             e.get("unit") or e.get("sasaran") or e.get("to_version", ""),
             e.get("to", ""), L["inferred"] if e.get("inferred") else L["stated"]]
            for e in report["events"]]
    lines.append(tabulate(rows, headers=["#", L["event"], L["subject"], L["to"], L["source"]]))
    lines += ["", L["impact"]]
    rows = [[g["subject"], change_label(g["event"], lang),
             ", ".join(g["proposed"]) or g.get("to") or "-",
             ", ".join(g["maps"]) or "-", ", ".join(g["processes"]) or "-",
             ", ".join(g["lanes"]) or "-"] for g in report["units"]]
    lines.append(tabulate(rows, headers=[L["unit"], L["change"], L["proposed"], L["maps"],
                                         L["processes"], L["lanes"]],
                          maxcolwidths=[None, None, 24, 30, 40, 30]))
    lines += ["", L["affected"]]
    rows = [[a["code"], a["file"], "; ".join(pick(c["reason"], lang) for c in a["changes"]),
             ", ".join(f"{o} -> {'/'.join(n) or '?'}" for o, n in a["proposed"].items()) or "-"]
            for a in report["affected"]]
    lines.append(tabulate(rows, headers=[L["code"], L["file"], L["why"], L["proposed"]],
                          maxcolwidths=[None, None, 60, 40]))
    r = report["reevaluated"]
    t = report["_timings"]
    lines += ["", L["reevaluated"].format(count=r["count"], reused=r["reused"])]
    if verbose:  # engine internals: for whoever tunes probis, not for the auditor
        lines.append(L["internals"].format(sent=r["facts_sent"], reused=r["facts_reused"],
                                           before=t["before"], after=t["after"]))
    before, after = report["scores"]["before"], report["scores"]["after"]
    units = sorted(set(before["by_unit"]) | set(after["by_unit"]))
    def score(cell: dict[str, Any] | None) -> str:  # one decimal in both columns
        return "-" if cell is None else f"{cell['score']:.1f}"

    rows = [[L["whole"], score(before["workspace"]), score(after["workspace"])]]
    rows += [[u, score(before["by_unit"].get(u)), score(after["by_unit"].get(u))]
             for u in units]
    lines += ["", L["scores"],
              tabulate(rows, headers=[L["unit"], L["before"], L["after"]],
                       disable_numparse=True, colalign=("left", "right", "right"))]
    delta = report["findings"]["by_rule"]
    rules = sorted(set(delta["before"]) | set(delta["after"]))
    rows = [[rid, delta["before"].get(rid, 0), delta["after"].get(rid, 0)] for rid in rules]
    lines += ["", L["by_rule"],
              tabulate(rows, headers=[L["rule"], L["before"], L["after"]])]
    if report.get("applied"):
        lines += ["", L["copies"]]
        for item in report["applied"]:
            lines.append(f"  {item['copy']}: {item['replacements']} {L['replacements']}"
                         + "".join(f"; {pick(choice(old, new), lang)}"
                                   for old, new in sorted(item.get("choose", {}).items())))
            if item.get("marked"):
                lines.append(f"    {L['marked'].format(count=item['marked'])}")
            if item.get("unresolved"):
                lines.append(f"    {L['unresolved']}: {', '.join(item['unresolved'])}")
            if item.get("error"):
                lines.append(f"    {L['unreadable']}: {pick(item['error'], lang)}")
    return "\n".join(lines) + "\n"


def public(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if not k.startswith("_")}


@click.command("restructure")
@click.argument("workspace", type=click.Path(file_okay=False))
@click.option("--to", "to", default=None, metavar="SOTK_FILE",
              help="The new SOTK (a sotk file of the workspace, e.g. sotk/sotk-2025.yaml).")
@click.option("--rpjmd", default=None, metavar="RPJMD_FILE", help="The new RPJMD file.")
@click.option("--format", "fmt", type=click.Choice(["terminal", "json"]), default="terminal",
              show_default=True)
@click.option("--apply", "apply_dir", default=None, type=click.Path(file_okay=False),
              help="Write copies of the affected map files with the proposed units into DIR.")
@click.option("--as-of", type=_Date(), default=None, help="Audit date (default: today).")
@lang_option()
@click.option("--no-cache", is_flag=True, help="Do not read or write .probis-cache/.")
@click.option("-v", "--verbose", is_flag=True,
              help="Also print the engine's figures (facts sent, cache reuse, timings).")
def restructure(workspace: str, to: str | None, rpjmd: str | None, fmt: str,
                apply_dir: str | None, as_of: dt.date | None, lang: str, no_cache: bool,
                verbose: bool) -> None:
    """Impact of a new SOTK/RPJMD on WORKSPACE: affected maps, proposals, scores before/after."""
    report = run_restructure(workspace, to, rpjmd, as_of, use_disk_cache=not no_cache)
    # a cache not trusted costs time, never results: an engine internal, for --verbose
    for note in report["_cache_notes"] if verbose else ():
        click.echo(f"probis: {pick(note, lang)}", err=True)
    if apply_dir:
        report["applied"] = apply(report["_root"], report["_impact"], apply_dir, lang)
    if fmt == "json":
        click.echo(json.dumps(public(report), ensure_ascii=False, indent=2, sort_keys=True))
    else:
        click.echo(render_terminal(report, lang, verbose), nl=False)
    sys.exit(EXIT_INPUT if report["input_errors"] else EXIT_OK)
