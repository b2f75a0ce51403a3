"""Benchmark: check-many on 50 generated city workspaces, --jobs 1 vs --jobs 2 vs Dask.

    python benchmarks/many_bench.py [--cities 50] [--processes 400]

Prints the wall time of each executor, the speed-up of --jobs 2 (target: at least 1.7x on a
2-core machine) and whether the Dask executor (a distributed.LocalCluster of 2 worker
processes) gives byte-identical per-workspace reports.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

AS_OF = dt.date(2026, 11, 28)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cities", type=int, default=50)
    parser.add_argument("--processes", type=int, default=400)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from probis.engine.many import check_many
    from synth_workspace import generate

    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.cities):
            generate(Path(tmp) / f"kota-{i:02d}", args.processes, seed=i)
        timed = {}
        rows = {}
        for jobs in (1, 2):
            t0 = time.perf_counter()
            rows[jobs] = check_many(tmp, AS_OF, jobs)
            timed[jobs] = time.perf_counter() - t0
        from distributed import LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster:
            t0 = time.perf_counter()
            rows["dask"] = check_many(tmp, AS_OF, 1, "dask", cluster.scheduler_address)
            timed["dask"] = time.perf_counter() - t0
    same = all({r["name"]: r.get("report") for r in rows[k]}
               == {r["name"]: r.get("report") for r in rows[1]} for k in (2, "dask"))
    print(f"{args.cities} workspaces of {args.processes} processes; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"--jobs 1:                     {timed[1]:7.2f} s")
    print(f"--jobs 2:                     {timed[2]:7.2f} s  "
          f"(speed-up {timed[1] / timed[2]:.2f}x, target >= 1.7x)")
    print(f"--executor dask (2 workers):  {timed['dask']:7.2f} s")
    print(f"reports byte-identical across executors: {same}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
