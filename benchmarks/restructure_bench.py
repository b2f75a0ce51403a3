"""Benchmark: full evaluation vs re-evaluation after one OPD is merged into another.

    python benchmarks/restructure_bench.py [--processes 20000]

Generates a synthetic workspace (benchmarks/synth_restructure.py), then times
1. the full evaluation with sotk-2023 in force (no cache),
2. the same with an empty on-disk cache (the run that fills .probis-cache/),
3. the full evaluation with sotk-2025 in force (dinas-01 merged into dinas-02, no cache),
4. the re-evaluation with sotk-2025 using the cache of step 2 (only affected maps re-run;
   reading and writing .probis-cache/ included),
and checks that 3 and 4 give identical findings and scores. Load time is printed apart:
both the full and the incremental run load the same files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--processes", type=int, default=20000)
    args = parser.parse_args()
    os.environ.setdefault("PROBIS_LOAD_PLUGINS", "regulation,restructure")
    sys.path.insert(0, str(Path(__file__).parent))
    from probis.engine.cache import ResultCache, tally_of
    from probis.engine.loader import load_workspace
    from probis.engine.plugins import build_registry
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
        before = with_plans(ws0, "sotk/sotk-2023.yaml", ws0.rpjmd_file)
        after = with_plans(ws0, "sotk/sotk-2025.yaml", ws0.rpjmd_file)
        evaluate_workspace(with_plans(ws0, "sotk/sotk-2023.yaml", ws0.rpjmd_file), as_of,
                           registry)  # start the durable-rules worker outside the timings

        def timed(ws, make_cache=None):
            # reading .probis-cache/ is part of the incremental run, so it is inside the timing
            t = time.perf_counter()
            cache = make_cache() if make_cache else None
            result = evaluate_workspace(ws, as_of, registry, cache=cache)
            return result, cache, time.perf_counter() - t

        _, _, t_full_before = timed(before)
        _, _, t_fill = timed(with_plans(ws0, "sotk/sotk-2023.yaml", ws0.rpjmd_file),
                             lambda: ResultCache.for_workspace(root))
        full_after, _, t_full_after = timed(after)
        t0 = time.perf_counter()
        imp = impact(before, after)
        t_impact = time.perf_counter() - t0
        t0 = time.perf_counter()
        ResultCache.for_workspace(root)  # only to print how long reading the cache takes
        t_read = time.perf_counter() - t0
        incremental, cache, t_incr = timed(
            with_plans(ws0, "sotk/sotk-2025.yaml", ws0.rpjmd_file),
            lambda: ResultCache.for_workspace(root, force=imp.files))

        same = (tally_of(full_after.findings) == tally_of(incremental.findings)
                and full_after.scores.workspace.to_dict() == incremental.scores.workspace.to_dict())
        print(f"workspace: {size['processes']:,} processes in {size['maps']:,} maps, "
              f"{size['opds']} OPDs; change: merge dinas-01 into dinas-02")
        print(f"load (parse + validate, same for both):   {t_load:8.2f} s")
        print(f"full evaluation, sotk-2023:               {t_full_before:8.2f} s")
        print(f"first cached run (fills .probis-cache):   {t_fill:8.2f} s")
        print(f"full evaluation, sotk-2025:               {t_full_after:8.2f} s")
        print(f"impact (events + durable-rules triggers): {t_impact:8.2f} s  "
              f"({len(imp.events)} events, {len(imp.affected)} affected maps)")
        print(f"re-evaluation, sotk-2025 (incremental):   {t_incr:8.2f} s  "
              f"({len(cache.stats.evaluated_maps)} maps re-evaluated, "
              f"{len(cache.stats.cached_maps)} reused; {cache.stats.facts_sent:,} facts sent, "
              f"{cache.stats.facts_cached:,} reused; reading the cache {t_read:.2f} s)")
        print(f"speed-up (full / incremental evaluation): {t_full_after / t_incr:8.1f}x")
        print(f"speed-up incl. impact:                    "
              f"{t_full_after / (t_incr + t_impact):8.1f}x")
        print(f"identical findings and scores: {same} "
              f"({len(incremental.findings):,} findings)")
        if not same:  # say why: an engine failure (ENG00x) in one run, or a real difference
            for label, result in (("full", full_after), ("incremental", incremental)):
                for f in result.engine_findings:
                    print(f"  {label}: {f.rule} {f.message['en']}")
            full_rules = Counter(f.rule for f in full_after.findings)
            incr_rules = Counter(f.rule for f in incremental.findings)
            print(f"  only in full: {dict(full_rules - incr_rules)}; "
                  f"only in incremental: {dict(incr_rules - full_rules)}")
            sys.exit(1)


if __name__ == "__main__":
    main()
