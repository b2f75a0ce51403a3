"""Turn a matcher ``OverlapPair`` into a finding an auditor can judge in seconds.

Shared by OVL001 (two OPDs) and OVL004 (one OPD): the finding sits on the process with the
lower code and names the other one; message and evidence both carry both processes with their
owners, the score against the threshold, the words and the outputs that matched.
"""

from __future__ import annotations

from collections.abc import Iterator
from string import Formatter
from typing import Any, NamedTuple

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


def _split(template: str) -> tuple[str, str, str]:
    """``template`` cut after the ``{a_owner}`` and the ``{b_owner}`` fields: the first part
    names process a, the second process b, the third the scores. Filled part by part and
    joined, it is ``template`` filled (str.format fills each field on its own)."""
    parts = ["", "", ""]
    part = 0
    for literal, field, spec, conversion in Formatter().parse(template):
        parts[part] += literal.replace("{", "{{").replace("}", "}}")
        if field is not None:
            parts[part] += "{" + field + ("!" + conversion if conversion else "") + (
                ":" + spec if spec else "") + "}"
            if field in ("a_owner", "b_owner"):
                part += 1
    return parts[0], parts[1], parts[2]


_PARTS = (_split(MESSAGE["id"]), _split(MESSAGE["en"]))


class _Side(NamedTuple):
    """A process as one side of its pairs: entry, OPD, evidence side, reference, and the
    message's part naming it as process a and as process b (Indonesian, English)."""

    entry: ProcessEntry
    opd: str | None
    evidence: dict[str, Any]
    ref: ElementRef
    as_a: tuple[str, str]
    as_b: tuple[str, str]


class Sides(dict[int, _Side]):
    """What one run of a rule reports pair after pair, computed once: per process entry
    (kept, so its id is not reused) its side, and per score line (the message's scores
    part, matched words and outputs) its texts and evidence lists."""

    __slots__ = ("scores",)

    def __init__(self) -> None:
        super().__init__()
        self.scores: dict[tuple[Any, ...], tuple[tuple[str, str], list[str], list[str]]] = {}


def _new_side(ws: Workspace, entry: ProcessEntry) -> _Side:
    code = entry.process.code
    considered = process_records(ws)  # memoised: its reference of the entry, made once
    ref = considered.refs[code] if considered.entries.get(code) is entry else ws.ref_process(
        entry)
    opd = ref.unit  # ws.process_unit(entry)
    name = {"a": code, "a_name": entry.process.name, "a_owner": opd,
            "b": code, "b_name": entry.process.name, "b_owner": opd}
    (id_a, id_b, _), (en_a, en_b, _) = _PARTS
    return _Side(entry, opd, side(ws, entry, opd), ref,
                 (id_a.format_map(name), en_a.format_map(name)),
                 (id_b.format_map(name), en_b.format_map(name)))


def _side_of(ws: Workspace, entry: ProcessEntry, sides: Sides | None) -> _Side:
    hit = sides.get(id(entry)) if sides is not None else None
    if hit is None:
        hit = _new_side(ws, entry)
        if sides is not None:
            sides[id(entry)] = hit
    return hit


def _scores_part(pair: OverlapPair, threshold: float,
                 sides: Sides | None) -> tuple[tuple[str, str], list[str], list[str]]:
    """The message's scores part and the evidence's matched words and outputs of ``pair``
    (shared by the pairs that scored alike when ``sides`` is given)."""
    key = (pair.score, threshold, pair.name_similarity, pair.output_similarity,
           pair.customer_similarity, pair.matched_words, pair.matched_outputs)
    memo = sides.scores if isinstance(sides, Sides) else None  # a plain dict: sides only
    hit = memo.get(key) if memo is not None else None
    if hit is None:
        values = {
            "score": f"{pair.score:.2f}", "threshold": f"{threshold:.2f}",
            "s_name": f"{pair.name_similarity:.2f}", "s_out": f"{pair.output_similarity:.2f}",
            "s_cust": f"{pair.customer_similarity:.2f}",
            "words": _list(pair.matched_words, "-"), "outputs": _list(pair.matched_outputs, "-"),
        }
        (_, _, id_scores), (_, _, en_scores) = _PARTS
        hit = ((id_scores.format_map(values), en_scores.format_map(values)),
               list(pair.matched_words), list(pair.matched_outputs))
        if memo is not None:
            memo[key] = hit
    return hit


def report_pair(ws: Workspace, out: Evaluation, pair: OverlapPair, entries: dict[str, ProcessEntry],
                threshold: float, extra: dict[str, Any] | None = None,
                sides: Sides | None = None) -> None:
    """One finding for ``pair``. With ``sides`` (a ``Sides`` the caller keeps for one run), a
    process in many pairs has one evidence side and one reference that its findings share
    instead of a copy each (a finding-heavy workspace: tens of thousands of pairs), and pairs
    that scored alike share their matched word and output lists."""
    if sides is not None:  # _side_of, inline: two look-ups per pair of a finding-heavy run
        entry_a, entry_b = entries[pair.a_code], entries[pair.b_code]
        a = sides.get(id(entry_a)) or _side_of(ws, entry_a, sides)
        b = sides.get(id(entry_b)) or _side_of(ws, entry_b, sides)
    else:
        a = _side_of(ws, entries[pair.a_code], None)
        b = _side_of(ws, entries[pair.b_code], None)
    scores, words, outputs = _scores_part(pair, threshold, sides)
    # MESSAGE filled with the pair's values, from parts filled once per process and score line
    (a_id, a_en), (b_id, b_en) = a.as_a, b.as_b
    message = {"id": a_id + b_id + scores[0], "en": a_en + b_en + scores[1]}
    evidence = {
        "process": a.evidence, "other": b.evidence,
        "score": pair.score, "threshold": threshold,
        "name_similarity": pair.name_similarity,
        "output_similarity": pair.output_similarity,
        "customer_similarity": pair.customer_similarity,
        "matched_words": words,
        "matched_outputs": outputs,
    }
    if extra:
        evidence.update(extra)
    out.finding_given(a.ref, message, evidence)  # both dicts made here for this finding only


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
    for ref in considered.refs.values():
        out.applicable(ref)
    if len(considered.records) < 2 and not ws.extra.get(KAMUS_KIND):
        return  # no pair of fewer than two: the built-in kamus need not be stemmed (start-up)
    matcher = OverlapMatcher(workspace_normalizer(ws), threshold=limit)
    prepared = prepared_records(ws, matcher, considered)
    for pair in matcher.find_pairs(considered.records, scope=scope, prepared=prepared):
        yield pair, considered.entries, limit
