"""Precision and recall of the overlap rules on the labelled dev set of real service names.

Run ``python benchmarks/overlap_devset.py`` (add ``--sweep`` for the threshold sweep, ``--show``
to list every miss and false alarm). The dev set is ``tests/overlap/devset/pairs.yaml`` (its
README cites the source of every name). Each pair becomes a real workspace on disk: OVL001
pairs put the two processes in two OPDs of the given unit types, OVL004 pairs put them in two
maps of one OPD; ``context`` names go to a third OPD (that is where a workspace spells out an
abbreviation). The workspace is audited with the overlap plugin only, and a pair counts as
found when the rule reports a finding that links its two processes.

Pairs labelled ``arguable`` are reported apart and never counted. Pairs are split by id: every
third pair (id divisible by 3) is ``holdout``, the rest ``tune``; thresholds and weights are
chosen on ``tune`` and the holdout figures show whether that choice generalises.

The sweep scores every pair with the matcher the rules use (the workspace's normaliser and
prepared records, at a floor of 0.3) and prints precision/recall per threshold.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT / "tests" / "overlap" / "devset" / "pairs.yaml"
AS_OF = dt.date(2026, 11, 28)
RULES = ("OVL001", "OVL004")


def load_pairs(path: Path = DEVSET) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return list(yaml.safe_load(fh)["pairs"])


def split_of(pair: dict[str, Any]) -> str:
    return "holdout" if int(pair["id"]) % 3 == 0 else "tune"


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # JSON strings are YAML scalars


def _list(items: Iterable[str]) -> str:
    return "[" + ", ".join(_q(i) for i in items) + "]"


def _process(code: str, side: dict[str, Any], owner: str) -> str:
    return (f"  - code: {code}\n    name: {_q(side['name'])}\n    category: inti\n"
            f"    owner: {owner}\n    outputs: {_list(side.get('outputs', []))}\n"
            f"    customers: {_list(side.get('customers', []))}\n"
            f"    subkegiatan: {_list(side.get('subkegiatan', []))}\n")


def _map(code: str, unit: str, *processes: str) -> str:
    return f"kind: peta-proses\ncode: {code}\nlevel: 0\nunit: {unit}\nprocesses:\n" + "".join(
        processes)


A_CODE, B_CODE = "PB.01.01", "PB.02.01"


def build_workspace(pair: dict[str, Any], root: Path) -> Path:
    """Write the pair's workspace under ``root`` and return its folder."""
    a, b = pair["a"], pair["b"]
    within = pair["rule"] == "OVL004"
    units = [("opd-a", a["unit"])]
    if not within:
        units.append(("opd-b", b["unit"]))
    if pair.get("context"):
        units.append(("opd-c", "dinas"))
    ws = root / f"pair-{pair['id']}"
    (ws / "peta").mkdir(parents=True)
    (ws / "sotk").mkdir()
    (ws / "probis.yaml").write_text(
        "kind: workspace\nsotk: sotk/sotk.yaml\nmaps: peta/\nprofile: {extends: [recommended]}\n",
        encoding="utf-8")
    sotk = "kind: sotk\nid: sotk-devset\nunits:\n" + "".join(
        f"  - {{id: {uid}, name: {uid}, type: {utype}}}\n" for uid, utype in units)
    (ws / "sotk" / "sotk.yaml").write_text(sotk, encoding="utf-8")
    owner_b = "opd-a" if within else "opd-b"
    (ws / "peta" / "a.yaml").write_text(_map("PB.01", "opd-a", _process(A_CODE, a, "opd-a")),
                                        encoding="utf-8")
    (ws / "peta" / "b.yaml").write_text(_map("PB.02", owner_b, _process(B_CODE, b, owner_b)),
                                        encoding="utf-8")
    if pair.get("context"):
        procs = [_process(f"PB.03.{i + 1:02d}", {"name": name}, "opd-c")
                 for i, name in enumerate(pair["context"])]
        (ws / "peta" / "c.yaml").write_text(_map("PB.03", "opd-c", *procs), encoding="utf-8")
    return ws


@dataclass(frozen=True)
class Outcome:
    pair: dict[str, Any]
    found: bool
    score: float | None  # matcher score of the pair at the sweep floor (None: not scored)


def _linked(findings: Iterable[Any], rule: str) -> bool:
    for f in findings:
        other = (f.evidence or {}).get("other") or {}
        if f.rule == rule and {f.ref.element, other.get("process")} == {A_CODE, B_CODE}:
            return True
    return False


def _score(ws_path: Path, pair: dict[str, Any], floor: float) -> float | None:
    from probis.engine.loader import load_workspace
    from probis.engine.plugins import build_registry
    from probis.engine.runner import loader_config
    from probis.plugins.overlap.kamus import workspace_normalizer
    from probis.plugins.overlap.matcher import OverlapMatcher
    from probis.plugins.overlap.workspace import prepared_records, process_records

    ws = load_workspace(ws_path, loader_config(build_registry()))
    matcher = OverlapMatcher(workspace_normalizer(ws), threshold=floor)
    considered = process_records(ws)
    prepared = prepared_records(ws, matcher, considered)
    scope = "same_owner" if pair["rule"] == "OVL004" else "cross_owner"
    for p in matcher.find_pairs(considered.records, scope=scope, prepared=prepared,
                                exhaustive=True):
        if {p.a_code, p.b_code} == {A_CODE, B_CODE}:
            return p.score
    return None


def run(pairs: list[dict[str, Any]], *, sweep: bool = False,
        floor: float = 0.3) -> list[Outcome]:
    os.environ["PROBIS_LOAD_PLUGINS"] = "overlap"
    from probis.engine.runner import audit

    outcomes = []
    with tempfile.TemporaryDirectory(prefix="probis-devset-") as tmp:
        for pair in pairs:
            ws = build_workspace(pair, Path(tmp))
            result = audit(ws, as_of=AS_OF)
            if result.input_errors:
                raise SystemExit(f"pair {pair['id']}: input errors {result.input_errors}")
            found = _linked(result.findings, pair["rule"])
            score = _score(ws, pair, floor) if sweep else None
            outcomes.append(Outcome(pair, found, score))
    return outcomes


def quality(outcomes: Iterable[Outcome], rule: str, split: str | None = None,
            found: Any = None) -> dict[str, float]:
    """Counts and precision/recall of one rule over labelled (same/different) pairs."""
    tp = fp = fn = tn = 0
    for o in outcomes:
        p = o.pair
        if p["rule"] != rule or p["label"] == "arguable":
            continue
        if split is not None and split_of(p) != split:
            continue
        hit = o.found if found is None else found(o)
        same = p["label"] == "same"
        tp += hit and same
        fp += hit and not same
        fn += (not hit) and same
        tn += (not hit) and not same
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "precision": precision, "recall": recall}


def _row(label: str, q: dict[str, float]) -> str:
    return (f"  {label:<18} same {q['tp'] + q['fn']:>3}  different {q['fp'] + q['tn']:>3}  "
            f"TP {q['tp']:>3} FP {q['fp']:>3} FN {q['fn']:>3}  precision {q['precision']:.3f}"
            f"  recall {q['recall']:.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sweep", action="store_true", help="precision/recall per threshold")
    ap.add_argument("--show", action="store_true", help="list misses and false alarms")
    ap.add_argument("--rarity", type=float, default=None,
                    help="gamma of the rarity weights (default: the matcher's DEFAULT_RARITY)")
    args = ap.parse_args()
    from probis.plugins.overlap import matcher

    if args.rarity is not None:  # the rules build their matchers with the module default
        matcher.DEFAULT_RARITY = args.rarity
    pairs = load_pairs()
    t0 = time.perf_counter()
    outcomes = run(pairs, sweep=args.sweep)
    wall = time.perf_counter() - t0
    print(f"overlap dev set: {len(pairs)} pairs from {DEVSET.relative_to(ROOT)} "
          f"({wall:.1f} s, one audited workspace per pair; rarity gamma "
          f"{matcher.DEFAULT_RARITY}, threshold {matcher.DEFAULT_THRESHOLD})")
    for rule in RULES:
        print(f"{rule}:")
        for split in (None, "tune", "holdout"):
            print(_row(split or "all", quality(outcomes, rule, split)))
        arguable = [o for o in outcomes if o.pair["rule"] == rule and o.pair["label"] == "arguable"]
        print(f"  arguable: {sum(o.found for o in arguable)} of {len(arguable)} reported "
              f"({', '.join(str(o.pair['id']) for o in arguable if o.found) or '-'})")
    if args.show:
        wrong = [o for o in outcomes if o.pair["label"] != "arguable"
                 and o.found != (o.pair["label"] == "same")]
        for o in wrong:
            kind = "miss" if o.pair["label"] == "same" else "false alarm"
            print(f"  {kind}: #{o.pair['id']} {o.pair['rule']} {o.pair['a']['name']!r} / "
                  f"{o.pair['b']['name']!r}")
    if args.sweep:
        print("threshold sweep (matcher score of each pair, exhaustive; tune split):")
        for t in (0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9):
            cells = []
            for rule in RULES:
                q = quality(outcomes, rule, "tune",
                            found=lambda o, t=t: o.score is not None and o.score >= t - 1e-9)
                cells.append(f"{rule} P {q['precision']:.3f} R {q['recall']:.3f}")
            print(f"  T={t:.2f}  " + "   ".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
