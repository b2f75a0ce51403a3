"""Turn a matcher ``OverlapPair`` into a finding an auditor can judge in seconds.

Shared by OVL001 (two OPDs) and OVL004 (one OPD): the finding sits on the process with the
lower code and names the other one; message and evidence both carry both processes with their
owners, the score against the threshold, the words and the outputs that matched.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from probis.engine.findings import ElementRef
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


# per process entry (kept, so its id is not reused): its OPD, evidence side and reference
Sides = dict[int, tuple[ProcessEntry, str | None, dict[str, Any], ElementRef]]


def _side_of(ws: Workspace, entry: ProcessEntry,
             sides: Sides | None) -> tuple[ProcessEntry, str | None, dict[str, Any], ElementRef]:
    hit = sides.get(id(entry)) if sides is not None else None
    if hit is None:
        opd = ws.process_unit(entry)
        hit = (entry, opd, side(ws, entry, opd), ws.ref_process(entry))
        if sides is not None:
            sides[id(entry)] = hit
    return hit


def report_pair(ws: Workspace, out: Evaluation, pair: OverlapPair, entries: dict[str, ProcessEntry],
                threshold: float, extra: dict[str, Any] | None = None,
                sides: Sides | None = None) -> None:
    """One finding for ``pair``. With ``sides`` (a dict the caller keeps for one run), a
    process in many pairs has one evidence side and one reference that its findings share
    instead of a copy each (a finding-heavy workspace: tens of thousands of pairs)."""
    a, opd_a, side_a, ref_a = _side_of(ws, entries[pair.a_code], sides)
    b, opd_b, side_b, _ = _side_of(ws, entries[pair.b_code], sides)
    values: dict[str, Any] = {
        "a": pair.a_code, "a_name": a.process.name, "a_owner": opd_a,
        "b": pair.b_code, "b_name": b.process.name, "b_owner": opd_b,
        "score": f"{pair.score:.2f}", "threshold": f"{threshold:.2f}",
        "s_name": f"{pair.name_similarity:.2f}", "s_out": f"{pair.output_similarity:.2f}",
        "s_cust": f"{pair.customer_similarity:.2f}",
        "words": _list(pair.matched_words, "-"), "outputs": _list(pair.matched_outputs, "-"),
    }
    evidence = {
        "process": side_a, "other": side_b,
        "score": pair.score, "threshold": threshold,
        "name_similarity": pair.name_similarity,
        "output_similarity": pair.output_similarity,
        "customer_similarity": pair.customer_similarity,
        "matched_words": list(pair.matched_words),
        "matched_outputs": list(pair.matched_outputs),
        **(extra or {}),
    }
    out.finding(ref_a, MESSAGE, values, evidence=evidence)


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
