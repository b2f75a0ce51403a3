"""Benchmark of the overlap matcher on synthetic data: quality, speed, memory, blocking recall.

Run ``python benchmarks/overlap_bench.py`` (full: 1,000 / 10,000 / 100,000 processes) or
``--quick`` (1,000 / 5,000, a smaller blocking check). Each size runs in a fresh subprocess
so that the peak resident memory (``ru_maxrss``) belongs to that size alone; it includes the
generated input records. Wall time covers what the audit would pay: building the normaliser
and finding the pairs (normalising, blocking, scoring); generating the data is not counted.

Targets (2-core machine): recall >= 0.95, precision >= 0.90, blocking keeps >= 99% of the
pairs an exhaustive comparison finds, 100,000 processes in < 5 s (issue 19) and < 2 GB, time
per process growing at most 1.5x from 10,000 to 100,000. The run ends with one line per
target, "met" or "NOT met"; wall time is judged together with the CPU time beside it, since
a loaded machine stretches the one and hardly the other.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from probis.plugins.overlap.matcher import DEFAULT_THRESHOLD, OverlapMatcher  # noqa: E402
from probis.plugins.overlap.normalize import Normalizer  # noqa: E402
from synth_overlap import generate  # noqa: E402

SEED = 19
#: Targets checked at the end of a full run (module docstring).
TARGET_WALL_S = 5.0
TARGET_PEAK_MB = 2048
TARGET_GROWTH = 1.5
TARGET_PRECISION, TARGET_RECALL, TARGET_KEPT = 0.90, 0.95, 0.99


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def _quality(
    found: set[tuple[str, str]], planted: frozenset[tuple[str, str]]
) -> tuple[float, float]:
    tp = len(found & planted)
    precision = tp / len(found) if found else 1.0
    recall = tp / len(planted) if planted else 1.0
    return precision, recall


def run_size(n: int, threshold: float) -> dict[str, float]:
    data = generate(n, seed=SEED)
    rss_input = _maxrss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    matcher = OverlapMatcher(Normalizer(), threshold=threshold)
    pairs = matcher.find_pairs(data.records)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    found = {(p.a_code, p.b_code) for p in pairs}
    precision, recall = _quality(found, data.planted)
    return {
        "n": n, "opd": data.n_opd, "planted": len(data.planted), "found": len(found),
        "precision": precision, "recall": recall, "wall_s": wall,
        "cpu_s": cpu, "us_per_process": wall / n * 1e6, "cpu_us_per_process": cpu / n * 1e6,
        "rss_input_mb": rss_input, "rss_peak_mb": _maxrss_mb(),
    }


def run_blocking(n: int, threshold: float) -> dict[str, float]:
    data = generate(n, seed=SEED)
    matcher = OverlapMatcher(Normalizer(), threshold=threshold)
    t0 = time.perf_counter()
    blocked = {(p.a_code, p.b_code) for p in matcher.find_pairs(data.records)}
    t_block = time.perf_counter() - t0
    t0 = time.perf_counter()
    exhaustive = {(p.a_code, p.b_code) for p in matcher.find_pairs(data.records, exhaustive=True)}
    t_exh = time.perf_counter() - t0
    kept = len(blocked & exhaustive) / len(exhaustive) if exhaustive else 1.0
    return {"n": n, "exhaustive_pairs": len(exhaustive), "blocked_pairs": len(blocked),
            "kept": kept, "extra": len(blocked - exhaustive), "t_block_s": t_block,
            "t_exhaustive_s": t_exh}


def run_sweep(n: int) -> list[dict[str, float]]:
    """Precision/recall by threshold, from one run at a low threshold (why: choose T)."""
    data = generate(n, seed=SEED + 1)  # a different seed than the measured runs
    matcher = OverlapMatcher(Normalizer(), threshold=0.5)
    pairs = matcher.find_pairs(data.records)
    rows = []
    for t in (0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95):
        found = {(p.a_code, p.b_code) for p in pairs if p.score >= t - 1e-9}
        precision, recall = _quality(found, data.planted)
        rows.append({"threshold": t, "found": len(found), "precision": precision, "recall": recall})
    return rows


def _print_targets(big: dict[str, float], growth: float, cpu_growth: float,
                   kept: float) -> None:
    """One line per target of the module docstring: met or NOT met, with the figure."""

    def line(name: str, ok: bool, figure: str) -> None:
        print(f"  {name:<44} {'met' if ok else 'NOT met':<8} {figure}")

    print("targets:")
    loaded = big["wall_s"] >= TARGET_WALL_S > big["cpu_s"]
    line(f"100,000 processes < {TARGET_WALL_S:g} s wall", big["wall_s"] < TARGET_WALL_S,
         f"{big['wall_s']:.2f} s wall, {big['cpu_s']:.2f} s CPU"
         + (" (the CPU time is under it: a loaded machine; measure again)" if loaded else ""))
    line(f"100,000 processes < {TARGET_PEAK_MB:,} MB peak", big["rss_peak_mb"] < TARGET_PEAK_MB,
         f"{big['rss_peak_mb']:.0f} MB")
    line(f"precision >= {TARGET_PRECISION:.2f}, recall >= {TARGET_RECALL:.2f}",
         big["precision"] >= TARGET_PRECISION and big["recall"] >= TARGET_RECALL,
         f"{big['precision']:.3f} / {big['recall']:.3f}")
    line(f"time per process 10,000 -> 100,000 <= x{TARGET_GROWTH:g}",
         min(growth, cpu_growth) <= TARGET_GROWTH, f"x{growth:.2f} wall, x{cpu_growth:.2f} CPU")
    line(f"blocking keeps >= {TARGET_KEPT:.0%} of exhaustive pairs", kept >= TARGET_KEPT,
         f"{kept:.4f}")


def _child(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True,
                         text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes only (smoke run)")
    ap.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--blocking", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--sweep", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_size(args.one, args.threshold)))
        return 0
    if args.blocking:
        print(json.dumps(run_blocking(args.blocking, args.threshold)))
        return 0
    if args.sweep:
        print(json.dumps(run_sweep(args.sweep)))
        return 0

    sizes = [1_000, 5_000] if args.quick else [1_000, 10_000, 100_000]
    t = args.threshold
    print(f"overlap matcher benchmark (threshold {t}, seed {SEED})")
    print(f"{'processes':>10} {'OPDs':>6} {'planted':>8} {'found':>7} {'precision':>9} "
          f"{'recall':>7} {'wall s':>7} {'cpu s':>6} {'us/proc':>8} {'cpu us/p':>8} "
          f"{'input MB':>8} {'peak MB':>7}")
    results = {}
    for n in sizes:
        r = _child(["--one", str(n), "--threshold", str(t)])
        results[n] = r
        print(f"{r['n']:>10,} {r['opd']:>6} {r['planted']:>8} {r['found']:>7} "
              f"{r['precision']:>9.3f} {r['recall']:>7.3f} {r['wall_s']:>7.2f} {r['cpu_s']:>6.2f} "
              f"{r['us_per_process']:>8.1f} {r['cpu_us_per_process']:>8.1f} "
              f"{r['rss_input_mb']:>8.0f} {r['rss_peak_mb']:>7.0f}")
    growth = cpu_growth = 0.0
    if not args.quick:
        big, small = results[100_000], results[10_000]
        growth = big["us_per_process"] / small["us_per_process"]
        cpu_growth = big["cpu_us_per_process"] / small["cpu_us_per_process"]
        print(f"time per process, 100,000 vs 10,000: x{growth:.2f} wall, x{cpu_growth:.2f} CPU")
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs: on a shared machine "
          "wall time varies with other work; CPU time much less)")

    nb = 2_000 if args.quick else 5_000
    b = _child(["--blocking", str(nb), "--threshold", str(t)])
    print(f"blocking at {b['n']:,} processes: keeps {b['kept']:.4f} of {b['exhaustive_pairs']} "
          f"exhaustive pairs ({b['extra']} extra), blocked {b['t_block_s']:.2f} s vs "
          f"exhaustive {b['t_exhaustive_s']:.2f} s")

    if not args.quick:
        _print_targets(results[100_000], growth, cpu_growth, b["kept"])

    ns = 2_000 if args.quick else 10_000
    print(f"threshold sweep at {ns:,} processes (seed {SEED + 1}):")
    for row in _child(["--sweep", str(ns)]):
        mark = "  <- default" if abs(row["threshold"] - DEFAULT_THRESHOLD) < 1e-9 else ""
        print(f"  T={row['threshold']:.2f}  found {row['found']:>5}  precision "
              f"{row['precision']:.3f}  recall {row['recall']:.3f}{mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
