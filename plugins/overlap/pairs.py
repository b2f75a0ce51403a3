"""Turn a matcher ``OverlapPair`` into a finding an auditor can judge in seconds.

Shared by OVL001 (two OPDs) and OVL004 (one OPD): the finding sits on the process with the
lower code and names the other one; message and evidence both carry both processes with their
owners, the score against the threshold, the words and the outputs that matched.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from probis.engine.i18n import text
from probis.engine.rule import Evaluation, RuleContext
from probis.engine.workspace import ProcessEntry, Workspace

from .kamus import KIND as KAMUS_KIND
from .kamus import workspace_normalizer
from .matcher import OverlapMatcher, OverlapPair, Scope
from .workspace import prepared_records, process_records, threshold

MESSAGE = text(
    "Proses {a} \"{a_name}\" ({a_owner}) dan {b} \"{b_name}\" ({b_owner}) tampaknya "
    "mengerjakan pekerjaan yang sama: kemiripan {score} (ambang {threshold}; nama {s_name}, "
    "keluaran {s_out}, pelanggan {s_cust}). Kata yang sama: {words}. Keluaran yang sama: "
    "{outputs}",
    "Processes {a} \"{a_name}\" ({a_owner}) and {b} \"{b_name}\" ({b_owner}) seem to do the "
    "same work: similarity {score} (threshold {threshold}; name {s_name}, outputs {s_out}, "
    "customers {s_cust}). Matched words: {words}. Matched outputs: {outputs}",
)


def side(ws: Workspace, entry: ProcessEntry, opd: str | None) -> dict[str, Any]:
    p = entry.process
    return {
        "process": p.code, "name": p.name, "owner": opd, "owner_name": ws.unit_name(opd),
        "owner_unit": p.owners[0] if p.owners else None, "map": entry.map.code,
        "file": entry.file, "line": p.line, "outputs": list(p.outputs),
        "customers": list(p.customers),
    }


def _list(items: tuple[str, ...], none: str) -> str:
    return ", ".join(items) if items else none


def report_pair(ws: Workspace, out: Evaluation, pair: OverlapPair, entries: dict[str, ProcessEntry],
                threshold: float, extra: dict[str, Any] | None = None) -> None:
    a, b = entries[pair.a_code], entries[pair.b_code]
    opd_a, opd_b = ws.process_unit(a), ws.process_unit(b)
    values: dict[str, Any] = {
        "a": pair.a_code, "a_name": a.process.name, "a_owner": opd_a,
        "b": pair.b_code, "b_name": b.process.name, "b_owner": opd_b,
        "score": f"{pair.score:.2f}", "threshold": f"{threshold:.2f}",
        "s_name": f"{pair.name_similarity:.2f}", "s_out": f"{pair.output_similarity:.2f}",
        "s_cust": f"{pair.customer_similarity:.2f}",
        "words": _list(pair.matched_words, "-"), "outputs": _list(pair.matched_outputs, "-"),
    }
    evidence = {
        "process": side(ws, a, opd_a), "other": side(ws, b, opd_b),
        "score": pair.score, "threshold": threshold,
        "name_similarity": pair.name_similarity,
        "output_similarity": pair.output_similarity,
        "customer_similarity": pair.customer_similarity,
        "matched_words": list(pair.matched_words),
        "matched_outputs": list(pair.matched_outputs),
        **(extra or {}),
    }
    out.finding(ws.ref_process(a), MESSAGE, values, evidence=evidence)


def process_pairs(ctx: RuleContext, out: Evaluation, default: float,
                  scope: Scope) -> Iterator[tuple[OverlapPair, dict[str, ProcessEntry], float]]:
    """The process pairs of one overlap rule (OVL001 across OPDs, OVL004 within one), with
    the entries to report them on and the threshold used. Counts one applicable check per
    process considered; yields nothing when the profile's threshold is invalid (the rule
    already reported that as an input error)."""
    ws = ctx.workspace
    limit = threshold(ctx, out.info.id, default)
    if limit is None:
        return
    considered = process_records(ws)
    for entry in considered.entries.values():
        out.applicable(ws.ref_process(entry))
    if len(considered.records) < 2 and not ws.extra.get(KAMUS_KIND):
        return  # no pair of fewer than two: the built-in kamus need not be stemmed (start-up)
    matcher = OverlapMatcher(workspace_normalizer(ws), threshold=limit)
    prepared = prepared_records(ws, matcher, considered)
    for pair in matcher.find_pairs(considered.records, scope=scope, prepared=prepared):
        yield pair, considered.entries, limit
