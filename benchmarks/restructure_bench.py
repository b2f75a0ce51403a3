"""Benchmark: full evaluation vs re-evaluation after one OPD is merged into another.

    python benchmarks/restructure_bench.py [--processes 20000] [--rounds 3]

Generates a synthetic workspace (benchmarks/synth_restructure.py) and times what
``probis restructure --to sotk/sotk-2025.yaml`` does, against a full evaluation:

1. the impact (change events posted to the durable-rules trigger rules);
2. the evaluation with sotk-2023 in force, with the result cache (the command's "before"
   run; it fills .probis-cache/ and keeps the ledger a delta needs);
3. the full evaluation with sotk-2025 in force (dinas-01 merged into dinas-02), no cache;
4. the re-evaluation with sotk-2025 by difference from 1 (engine/incremental/delta.py): the maps the
   merge re-opens plus every cross-map rule, and the sums updated;
5. for comparison, the re-evaluation from the on-disk cache alone (a new process that only
   has .probis-cache/: unchanged maps' results are read back, everything summed again).

3 and 4 are timed ``--rounds`` times, alternating, and the medians compared. The JSON
reports of 3, 4 and 5 must be byte-identical. A full collection of the garbage collector
runs before each timed part, outside its time. Loading is printed apart: every run evaluates
the same loaded files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--processes", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("PROBIS_LOAD_PLUGINS", "regulation,restructure")
    sys.path.insert(0, str(Path(__file__).parent))
    from probis.engine.incremental.cache import ResultCache
    from probis.engine.incremental.delta import reevaluate
    from probis.engine.loader import load_workspace
    from probis.engine.plugins import build_registry
    from probis.engine.render.json_format import dumps_report
    from probis.engine.report import build_report
    from probis.engine.runner import evaluate_workspace, loader_config
    from probis.plugins.restructure.impact import impact
    from probis.plugins.restructure.scenario import with_plans
    from synth_restructure import generate

    as_of = dt.date(2026, 11, 28)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "kota-sintetis"
        size = generate(root, args.processes)
        registry = build_registry()
        t0 = time.perf_counter()
        ws0 = load_workspace(root, loader_config(registry))
        t_load = time.perf_counter() - t0

        def view(sotk: str):  # the loaded files with another SOTK in force (no re-reading)
            return with_plans(ws0, sotk, ws0.rpjmd_file)

        evaluate_workspace(view("sotk/sotk-2023.yaml"), as_of, registry)  # start the worker

        # in the command's order: impact, then the 'before' evaluation. Each timed part starts
        # after a full collection, so none pays for the previous part's garbage.
        gc.collect()
        t0 = time.perf_counter()
        imp = impact(view("sotk/sotk-2023.yaml"), view("sotk/sotk-2025.yaml"))
        t_impact = time.perf_counter() - t0
        gc.collect()
        t0 = time.perf_counter()
        before = evaluate_workspace(view("sotk/sotk-2023.yaml"), as_of, registry,
                                    cache=ResultCache.for_workspace(root))
        t_before = time.perf_counter() - t0

        full_times, delta_times = [], []
        for _ in range(args.rounds):
            ws_full, ws_delta = view("sotk/sotk-2025.yaml"), view("sotk/sotk-2025.yaml")
            gc.collect()
            t0 = time.perf_counter()
            full = evaluate_workspace(ws_full, as_of, registry)
            full_times.append(time.perf_counter() - t0)
            gc.collect()
            t0 = time.perf_counter()
            delta = reevaluate(before, ws_delta, force=imp.files)
            delta_times.append(time.perf_counter() - t0)

        ws_disk = view("sotk/sotk-2025.yaml")
        gc.collect()
        t0 = time.perf_counter()  # reading .probis-cache/ is part of this run
        cache = ResultCache.for_workspace(root, force=imp.files)
        from_disk = evaluate_workspace(ws_disk, as_of, registry, cache=cache)
        t_disk = time.perf_counter() - t0

        report = dumps_report(build_report(full))
        same_delta = dumps_report(build_report(delta.result)) == report
        same_disk = dumps_report(build_report(from_disk)) == report
        t_full, t_delta = statistics.median(full_times), statistics.median(delta_times)
        stats = delta.stats
        print(f"workspace: {size['processes']:,} processes in {size['maps']:,} maps, "
              f"{size['opds']} OPDs; change: merge dinas-01 into dinas-02")
        print(f"load (parse + validate, once for all runs):  {t_load:8.2f} s")
        print(f"'before' evaluation, sotk-2023, with cache:  {t_before:8.2f} s")
        print(f"impact (events + durable-rules triggers):    {t_impact:8.2f} s  "
              f"({len(imp.events)} events, {len(imp.affected)} affected maps)")
        print(f"full evaluation, sotk-2025 (median of {args.rounds}):  {t_full:8.2f} s  "
              f"(runs: {', '.join(f'{t:.2f}' for t in full_times)})")
        print(f"re-evaluation by difference (median of {args.rounds}): {t_delta:8.2f} s  "
              f"(runs: {', '.join(f'{t:.2f}' for t in delta_times)}; "
              f"{len(stats.evaluated_maps)} maps re-evaluated, {len(stats.cached_maps)} kept; "
              f"{stats.facts_sent:,} facts sent, {stats.facts_cached:,} kept)")
        print("  of which: " + ", ".join(
            f"{k} {v:.2f} s" for k, v in delta.result.timings.items()
            if not k.startswith("rule:") and k != "total"))
        if delta.reason:
            print(f"  NOT by difference: {delta.reason}")
        print(f"re-evaluation from the disk cache only:      {t_disk:8.2f} s  "
              f"({len(cache.stats.evaluated_maps)} maps re-evaluated, "
              f"{len(cache.stats.cached_maps)} read back)")
        print(f"speed-up (full / re-evaluation):             {t_full / t_delta:8.1f}x")
        print(f"speed-up incl. impact:                       "
              f"{t_full / (t_delta + t_impact):8.1f}x")
        print(f"speed-up of the disk-cache-only run:         {t_full / t_disk:8.1f}x")
        print(f"JSON report byte-identical to the full run: by difference {same_delta}, "
              f"from disk {same_disk} ({len(full.findings):,} findings)")
        if not (same_delta and same_disk):
            for label, result in (("full", full), ("delta", delta.result),
                                  ("disk", from_disk)):
                for f in result.engine_findings:
                    print(f"  {label}: {f.rule} {f.message['en']}")
            sys.exit(1)


if __name__ == "__main__":
    main()
