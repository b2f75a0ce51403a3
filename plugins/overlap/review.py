"""``probis overlap WORKSPACE``: the auditor's review queue of candidate overlaps.

OVL001 reports the pairs at or above its threshold. Just below it lie the pairs an auditor
should look at once and confirm or dismiss: this command lists every cross-OPD pair from a
floor (default 0.5) up, ranked by score, with the evidence for (shared words, rarest first,
with how many processes use each; shared outputs) and against (words, outputs and customers
only one side has). Pairs come from the same matcher OVL001 uses, run at the floor.

A pair is ``finding`` (OVL001 reports it), ``review`` (below the threshold), ``delegated`` (a
delegation in force covers it: OVL001 reports it as info) or ``dismissed`` (a valid OVL001
waiver on its finding's element, the lower code, as ``probis check`` applies it).
``--dismiss A B`` records a dismissal as such a waiver: printed as YAML to paste, or added
to the workspace's waivers file with ``--write``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
import yaml
from probis.engine.atomic import write_atomic, write_output
from probis.engine.cli import _Date
from probis.engine.errors import ProbisUsageError
from probis.engine.i18n import Lang, cannot_write, pick, text
from probis.engine.langoption import lang_option
from probis.engine.loader import load_workspace
from probis.engine.model import WaiversDoc
from probis.engine.rule import RuleContext
from probis.engine.safetext import printable, spreadsheet_text
from probis.engine.workspace import ProcessEntry, Workspace

from .delegation import KIND as DELEGATION_KIND
from .delegation import covering, delegations
from .kamus import workspace_normalizer
from .matcher import DEFAULT_THRESHOLD, OverlapMatcher, OverlapPair
from .normalize import Normalizer
from .workspace import prepared_records, process_records, threshold

RULE = "OVL001"
DEFAULT_FLOOR = 0.5
EXIT_INPUT, EXIT_INTERNAL = 2, 3

STATUS = {
    "finding": text("temuan", "finding"),
    "review": text("tinjau", "review"),
    "delegated": text("dilimpahkan", "delegated"),
    "dismissed": text("dikecualikan", "dismissed"),
}
HEADERS = {
    "rank": text("#", "#"), "score": text("skor", "score"), "status": text("status", "status"),
    "a": text("proses A", "process A"), "b": text("proses B", "process B"),
    "for": text("bukti pendukung", "evidence for"),
    "against": text("bukti penyangkal", "evidence against"),
}
LABELS = {
    "words": text("kata sama", "shared words"), "outputs": text("keluaran sama", "shared outputs"),
    "only_a": text("hanya A", "only A"), "only_b": text("hanya B", "only B"),
    "out_a": text("keluaran A", "outputs A"), "out_b": text("keluaran B", "outputs B"),
    "cust": text("pelanggan berbeda", "different customers"),
    "waiver": text("pengecualian", "waiver"), "delegation": text("pelimpahan", "delegation"),
}
CSV_FIELDS = (
    "rank", "score", "threshold", "status", "a_process", "a_name", "a_owner", "b_process",
    "b_name", "b_owner", "name_similarity", "output_similarity", "customer_similarity",
    "shared_words", "shared_outputs", "words_only_a", "words_only_b", "outputs_only_a",
    "outputs_only_b", "customers_a", "customers_b", "waiver", "delegation",
)


# ------------------------------------------------------------------ the queue


def _side(ws: Workspace, entry: ProcessEntry) -> dict[str, Any]:
    p = entry.process
    opd = ws.process_unit(entry)
    return {"process": p.code, "name": p.name, "owner": opd, "owner_name": ws.unit_name(opd),
            "file": entry.file, "line": p.line, "outputs": list(p.outputs),
            "customers": list(p.customers)}


def _waiver(ws: Workspace, element: str, as_of: dt.date) -> tuple[dict[str, Any] | None, bool]:
    """The OVL001 waiver ``probis check`` would apply to a finding on ``element`` (the first
    one, as engine/waivers.py takes it), and whether it is valid on ``as_of``."""
    for waiver, file in ws.waivers:
        if waiver.rule == RULE and waiver.element == element:
            info = {"file": file, "line": waiver.line, "reason": waiver.reason,
                    "approved_by": waiver.approved_by, "expires": waiver.expires.isoformat()}
            return info, waiver.expires >= as_of
    return None, False


def _evidence(pair: OverlapPair, a: ProcessEntry, b: ProcessEntry, normalizer: Normalizer,
              df: Counter[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(evidence for, evidence against) one pair."""
    words = sorted(pair.matched_words, key=lambda w: (df.get(w, 0), w))
    shared = [{"word": w, "processes": df.get(w, 0)} for w in words]
    na = normalizer.normalize(a.process.name or "").tokens
    nb = normalizer.normalize(b.process.name or "").tokens
    only_a, only_b = _only_words(na, nb, pair.matched_words, normalizer)
    outputs_a, outputs_b = list(a.process.outputs), list(b.process.outputs)
    customers_a, customers_b = list(a.process.customers), list(b.process.customers)
    both_out = bool(outputs_a and outputs_b)
    both_cust = bool(customers_a and customers_b)
    against = {
        "words_only_a": only_a,
        "words_only_b": only_b,
        "outputs_only_a": [o for o in outputs_a if o not in pair.matched_outputs] if both_out
        else [],
        "outputs_only_b": [o for o in outputs_b if o not in pair.matched_outputs] if both_out
        else [],
        "customers_differ": both_cust and pair.customer_similarity < 1.0,
        "customers_a": customers_a,
        "customers_b": customers_b,
    }
    return {"shared_words": shared, "shared_outputs": list(pair.matched_outputs)}, against


def _only_words(na: frozenset[str], nb: frozenset[str], matched: Sequence[str],
                normalizer: Normalizer) -> tuple[list[str], list[str]]:
    """What one name says and the other does not, word by word as the matcher compares them
    (``Normalizer.words``: a concept spelled out), so a word both names hold, or one the pair
    matched, is never "only A" even when one name holds it inside a concept ("SIP" is "surat
    izin praktik"; "izin praktik" written out is shared). A concept none of whose words is
    shared is shown whole; otherwise its words that are not shared are shown."""
    from .matcher import _fuzzy_extra

    wa, wb = normalizer.words(na), normalizer.words(nb)
    covered = set(matched) | normalizer.words(frozenset(matched))
    covered.update(w for m in matched for w in m.split())
    # a typo the matcher paired (one side is in ``matched``): the other side is shared too
    for mine, theirs in ((wa, wb), (wb, wa)):
        covered.update(y for _, y in _fuzzy_extra(sorted((mine - theirs) & covered),
                                                  sorted(theirs - mine)))

    def only(mine: frozenset[str], theirs: frozenset[str]) -> list[str]:
        shared = theirs | covered
        out: set[str] = set()
        for token in mine - shared:
            content = normalizer.words(frozenset((token,)))
            if shared.isdisjoint(token.split()) and shared.isdisjoint(content):
                if content:  # a concept of generic words only is not compared at all
                    out.add(token)
            else:
                out.update(content - shared)
        return sorted(out)

    return only(na, wb), only(nb, wa)


def review_queue(ws: Workspace, floor: float, as_of: dt.date) -> dict[str, Any]:
    """The queue as a JSON-ready mapping: settings, then the pairs ranked by score."""
    options = ws.manifest.profile.options.get(RULE, {}) if ws.manifest else {}
    limit = threshold(RuleContext(ws, as_of, options), RULE, DEFAULT_THRESHOLD)
    limit = DEFAULT_THRESHOLD if limit is None else limit  # bad option: an input error already
    normalizer = workspace_normalizer(ws)
    considered = process_records(ws)
    matcher = OverlapMatcher(normalizer, threshold=floor)
    prepared = prepared_records(ws, matcher, considered)
    pairs = matcher.find_pairs(considered.records, scope="cross_owner", prepared=prepared)
    df: Counter[str] = Counter()
    for record in considered.records:
        df.update(normalizer.normalize(record.name).tokens)
    grants = delegations(ws, normalizer) if ws.extra.get(DELEGATION_KIND) else []
    rows = []
    for rank, pair in enumerate(sorted(pairs, key=lambda p: (-p.score, p.a_code, p.b_code)), 1):
        a, b = considered.entries[pair.a_code], considered.entries[pair.b_code]
        evidence_for, evidence_against = _evidence(pair, a, b, normalizer, df)
        status = "finding" if pair.score >= limit - 1e-9 else "review"
        grant = covering(ws, grants, a, b, as_of, normalizer)[0] if grants else None
        if grant is not None:
            status = "delegated"
        waiver, valid = _waiver(ws, pair.a_code, as_of)
        if valid:
            status = "dismissed"
        rows.append({
            "rank": rank, "score": pair.score, "status": status,
            "a": _side(ws, a), "b": _side(ws, b),
            "similarity": {"name": pair.name_similarity, "outputs": pair.output_similarity,
                           "customers": pair.customer_similarity},
            "for": evidence_for, "against": evidence_against,
            "waiver": dict(waiver, valid=valid) if waiver else None,
            "delegation": grant.describe(ws) if grant else None,
        })
    return {"workspace": ws.name, "as_of": as_of.isoformat(), "rule": RULE, "floor": floor,
            "threshold": limit, "pairs": rows,
            "input_errors": [e.to_dict() for e in ws.input_errors]}


# ------------------------------------------------------------------ rendering


def _words(row: dict[str, Any]) -> str:
    return ", ".join(f"{w['word']} ({w['processes']})" for w in row["for"]["shared_words"])


def _join(items: Sequence[str]) -> str:
    return "; ".join(items)


def render_json(queue: dict[str, Any]) -> str:
    return json.dumps(queue, ensure_ascii=False, indent=2) + "\n"


# the columns that hold text from the workspace (the others are numbers and ids probis writes)
TEXT_FIELDS = frozenset(("a_process", "a_name", "a_owner", "b_process", "b_name", "b_owner",
                         "shared_words", "shared_outputs", "words_only_a", "words_only_b",
                         "outputs_only_a", "outputs_only_b", "customers_a", "customers_b",
                         "waiver", "delegation"))


def render_csv(queue: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in queue["pairs"]:
        a, b, sim, against = row["a"], row["b"], row["similarity"], row["against"]
        cells = {
            "rank": row["rank"], "score": f"{row['score']:.4f}",
            "threshold": f"{queue['threshold']:.2f}", "status": row["status"],
            "a_process": a["process"], "a_name": a["name"], "a_owner": a["owner"],
            "b_process": b["process"], "b_name": b["name"], "b_owner": b["owner"],
            "name_similarity": sim["name"], "output_similarity": sim["outputs"],
            "customer_similarity": sim["customers"], "shared_words": _words(row).replace(
                ", ", "; "),
            "shared_outputs": _join(row["for"]["shared_outputs"]),
            "words_only_a": _join(against["words_only_a"]),
            "words_only_b": _join(against["words_only_b"]),
            "outputs_only_a": _join(against["outputs_only_a"]),
            "outputs_only_b": _join(against["outputs_only_b"]),
            "customers_a": _join(against["customers_a"]),
            "customers_b": _join(against["customers_b"]),
            "waiver": (row["waiver"] or {}).get("reason", ""),
            "delegation": (row["delegation"] or {}).get("basis", ""),
        }
        writer.writerow({k: spreadsheet_text(v) if isinstance(v, str) and k in TEXT_FIELDS
                         else v for k, v in cells.items()})
    return buffer.getvalue()


def render_table(queue: dict[str, Any], lang: Lang) -> str:
    from tabulate import tabulate

    def label(key: str) -> str:
        return pick(LABELS[key], lang)

    rows = []
    for row in queue["pairs"]:
        a, b, against = row["a"], row["b"], row["against"]
        pro = [f"{label('words')}: {_words(row) or '-'}"]
        if row["for"]["shared_outputs"]:
            pro.append(f"{label('outputs')}: {', '.join(row['for']['shared_outputs'])}")
        con = []
        if against["words_only_a"] or against["words_only_b"]:
            con.append(f"{label('only_a')}: {', '.join(against['words_only_a']) or '-'}; "
                       f"{label('only_b')}: {', '.join(against['words_only_b']) or '-'}")
        if against["outputs_only_a"] or against["outputs_only_b"]:
            con.append(f"{label('out_a')}: {', '.join(against['outputs_only_a']) or '-'}; "
                       f"{label('out_b')}: {', '.join(against['outputs_only_b']) or '-'}")
        if against["customers_differ"]:
            con.append(f"{label('cust')}: {', '.join(against['customers_a'])} / "
                       f"{', '.join(against['customers_b'])}")
        status = pick(STATUS[row["status"]], lang)
        if row["status"] == "dismissed":
            pro.append(f"{label('waiver')}: {row['waiver']['reason']}")
        if row["delegation"]:
            pro.append(f"{label('delegation')}: {row['delegation']['basis']}")
        rows.append([row["rank"], f"{row['score']:.2f}", status,
                     f"{a['process']} {a['name']}\n({a['owner']})",
                     f"{b['process']} {b['name']}\n({b['owner']})",
                     "\n".join(pro), "\n".join(con) or "-"])
    heading = text(
        f"{queue['workspace']}: {len(rows)} pasangan dari skor {queue['floor']:.2f} "
        f"(ambang {RULE} {queue['threshold']:.2f}), per {queue['as_of']}",
        f"{queue['workspace']}: {len(rows)} pairs from score {queue['floor']:.2f} "
        f"({RULE} threshold {queue['threshold']:.2f}), as of {queue['as_of']}")
    headers = [pick(HEADERS[k], lang) for k in
               ("rank", "score", "status", "a", "b", "for", "against")]
    body = tabulate(rows, headers=headers, tablefmt="grid") if rows else "-"
    return f"{pick(heading, lang)}\n{body}\n"


# ------------------------------------------------------------------ dismissal as a waiver


def _scalar(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML scalar


def waiver_entry(element: str, other: str, reason: str, approved_by: str,
                 expires: dt.date, indent: str = "  ") -> str:
    """One waiver as a YAML list item, in the form of docs/format.md's waivers example."""
    inner = indent + "  "
    return (f"{indent}- rule: {RULE}\n"
            f"{inner}element: {_scalar(element)}\n"
            f"{inner}reason: {_scalar(f'[{element} / {other}] {reason}')}\n"
            f"{inner}approved_by: {_scalar(approved_by)}\n"
            f"{inner}expires: {expires.isoformat()}\n")


def _waivers_target(ws: Workspace) -> Path:
    name = ws.manifest.waivers if ws.manifest and ws.manifest.waivers else "waivers.yaml"
    return ws.root / name


def add_waiver(path: Path, entry: str, element: str) -> None:
    """Append ``entry`` to the waivers file at ``path`` (created when absent), keeping its
    comments; refuses, naming the file, when the result would not be that file plus the one
    waiver (a flow-style list, another kind)."""
    if not path.exists():
        write_atomic(path, f"kind: waivers\nwaivers:\n{entry}")
        return
    old = path.read_text(encoding="utf-8")
    try:
        before = yaml.safe_load(old) or {}
    except yaml.YAMLError as exc:
        raise ProbisUsageError(text(f"{path}: bukan YAML yang sah ({exc})",
                                    f"{path}: not valid YAML ({exc})")) from None
    if not isinstance(before, dict) or before.get("kind") != "waivers":
        raise ProbisUsageError(text(f"{path}: bukan dokumen `kind: waivers`",
                                    f"{path}: not a `kind: waivers` document"))
    match = re.search(r"^([ \t]*)- +rule:", old, flags=re.M)
    indent = match.group(1) if match else "  "
    entry = re.sub(r"^  ", lambda _m: indent, entry, flags=re.M) if indent != "  " else entry
    head = old if old.endswith("\n") else old + "\n"
    if "waivers" not in before:
        head += "waivers:\n"
    new = head + entry
    try:
        after = yaml.safe_load(new)
        WaiversDoc.model_validate(after)
        ok = after["waivers"][:-1] == (before.get("waivers") or []) and \
            after["waivers"][-1]["element"] == element
    except Exception:
        ok = False
    if not ok:
        raise ProbisUsageError(text(
            f"{path}: pengecualian tidak dapat ditambahkan otomatis; tempelkan cuplikan YAML "
            "yang dicetak tanpa --write ke daftar `waivers:`",
            f"{path}: the waiver cannot be appended automatically; paste the YAML snippet "
            "printed without --write under `waivers:`"))
    write_atomic(path, new)


# ------------------------------------------------------------------ the command


def _year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _load(path: str, lang: Lang) -> Workspace:
    """Load as `probis check` does (the document kinds and readers plugins register)."""
    from probis.engine.plugins import build_registry
    from probis.engine.runner import loader_config

    return load_workspace(path, loader_config(build_registry()))


@click.command("overlap")
@click.argument("workspace", type=click.Path(file_okay=False))
@click.option("--floor", type=click.FloatRange(0, 1, min_open=True), default=DEFAULT_FLOOR,
              show_default=True, help="Lowest score listed (OVL001's threshold is the profile's).")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json", "csv"]),
              default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to FILE (atomically; `-` is standard output) instead of standard "
                   "output.")
@click.option("--as-of", type=_Date(), default=None,
              help="Date for waivers and delegations in force (default: today).")
@lang_option()
@click.option("--dismiss", nargs=2, default=None, metavar="A B",
              help="Record the pair of process codes A, B as dismissed (an OVL001 waiver).")
@click.option("--reason", default=None, help="Why the pair is not an overlap (with --dismiss).")
@click.option("--approved-by", default=None, help="Who approves the dismissal (with --dismiss).")
@click.option("--expires", type=_Date(), default=None,
              help="Waiver expiry (with --dismiss; default: one year after --as-of).")
@click.option("--write", is_flag=True,
              help="With --dismiss: add the waiver to the workspace's waivers file instead of "
                   "printing it.")
def overlap_command(workspace: str, floor: float, fmt: str, output: str | None,
                    as_of: dt.date | None, lang: Lang, dismiss: tuple[str, str] | None,
                    reason: str | None, approved_by: str | None, expires: dt.date | None,
                    write: bool) -> None:
    """Review queue of overlap candidates: pairs from --floor up, ranked, with evidence."""
    as_of = as_of or dt.date.today()
    ws = _load(workspace, lang)
    queue = review_queue(ws, floor, as_of)
    for error in ws.input_errors:
        click.echo(f"probis: {error.describe(lang)}", err=True)
    if dismiss is not None:
        _dismiss(ws, queue, dismiss, reason, approved_by, expires or _year_after(as_of),
                 write, lang)
    else:
        rendered = (render_json(queue) if fmt == "json" else render_csv(queue) if fmt == "csv"
                    else printable(render_table(queue, lang), keep_newlines=True))
        if output is None:
            click.echo(rendered, nl=False)
        else:
            try:
                write_output(output, rendered)
            except OSError as exc:
                click.echo("probis: " + cannot_write(output, exc.strerror, lang), err=True)
                sys.exit(EXIT_INTERNAL)
    if ws.input_errors:
        sys.exit(EXIT_INPUT)


def _dismiss(ws: Workspace, queue: dict[str, Any], codes: tuple[str, str], reason: str | None,
             approved_by: str | None, expires: dt.date, write: bool, lang: Lang) -> None:
    if not (reason or "").strip() or not (approved_by or "").strip():
        raise ProbisUsageError(text("--dismiss butuh --reason dan --approved-by",
                                    "--dismiss needs --reason and --approved-by"))
    entries = process_records(ws).entries
    for code in codes:
        if code not in entries:
            raise ProbisUsageError(text(f"`{code}` bukan kode proses yang dibandingkan",
                                        f"`{code}` is not a compared process code"))
    element, other = sorted(codes)
    entry = waiver_entry(element, other, reason or "", approved_by or "", expires)
    also = sorted({r["b"]["process"] for r in queue["pairs"]
                   if r["a"]["process"] == element and r["b"]["process"] != other})
    if also:  # a waiver is per element: say which other pairs it dismisses too
        note = text(f"catatan: pengecualian OVL001 pada {element} juga mencakup pasangannya "
                    f"dengan {', '.join(also)}",
                    f"note: an OVL001 waiver on {element} also covers its pairs with "
                    f"{', '.join(also)}")
        click.echo(f"probis: {pick(note, lang)}", err=True)
    if not write:
        click.echo(entry, nl=False)
        return
    target = _waivers_target(ws)
    try:
        add_waiver(target, entry, element)
    except OSError as exc:
        click.echo("probis: " + cannot_write(target, exc.strerror, lang), err=True)
        sys.exit(EXIT_INTERNAL)
    done = text(f"pengecualian {RULE} {element} / {other} ditambahkan ke {target}",
                f"{RULE} waiver {element} / {other} added to {target}")
    click.echo(pick(done, lang))
