"""Benchmark: check-many on 50 generated city workspaces, --jobs 1 vs --jobs 2 vs Dask.

    python benchmarks/many_bench.py [--cities 50] [--processes 400] [--rounds 3]

Times ``probis check-many DIR --jobs 1 -o OUT`` and ``--jobs 2`` as a user runs them: each in a
fresh process (imports, plugin loading and the durable-rules worker's start are paid by every
run, as on the command line). The two alternate for ``--rounds`` rounds and the median of each
is compared, because a shared 2-core machine is noisy (single runs of the same command were
seen to differ by 30%). Prints the speed-up of --jobs 2 (target: at least 1.7x on a 2-core
machine) and whether the reports of --jobs 1, --jobs 2 and the Dask executor (a
distributed.LocalCluster of 2 worker processes) are byte-identical.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AS_OF = dt.date(2026, 11, 28)
PROBIS = Path(sys.executable).with_name("probis")  # the console script of this environment


def cli_run(workspaces: Path, jobs: int, outdir: Path) -> float:
    command = [str(PROBIS), "check-many", str(workspaces),
               "--jobs", str(jobs), "--as-of", AS_OF.isoformat(), "-o", str(outdir),
               "--fail-on", "never"]
    t0 = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if done.returncode not in (0, 2) or done.stderr.strip():
        sys.exit(f"check-many --jobs {jobs} failed ({done.returncode}): {done.stderr}")
    return elapsed


def audit_slice(workspaces: Path, start: int, step: int) -> None:
    """Child mode: audit every ``step``-th workspace from ``start`` after one warm-up audit,
    print the seconds the audits took (start-up excluded)."""
    from probis.engine.many import audit_one, discover

    found = discover(workspaces)
    audit_one("warm-up", str(found[-1][1]), AS_OF.isoformat())
    t0 = time.perf_counter()
    for name, folder in found[start::step]:
        audit_one(name, str(folder), AS_OF.isoformat())
    print(time.perf_counter() - t0)


def machine_ceiling(workspaces: Path) -> tuple[float, float]:
    """(one warm process auditing all, two warm processes auditing half each, side by side):
    the best speed-up this machine gives this work, before any start-up or scheduling cost."""
    def start(first: int, step: int) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, __file__, "--slice", str(workspaces),
                                 str(first), str(step)], stdout=subprocess.PIPE, text=True)

    alone = float(start(0, 1).communicate()[0])
    pair = [start(0, 2), start(1, 2)]
    return alone, max(float(p.communicate()[0]) for p in pair)


def reports(outdir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(outdir.glob("*.json"))
            if p.name != "ranking.json"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cities", type=int, default=50)
    parser.add_argument("--processes", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--slice", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.slice:
        audit_slice(Path(args.slice[0]), int(args.slice[1]), int(args.slice[2]))
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from probis.engine.many import check_many, report_file
    from synth_workspace import generate

    with tempfile.TemporaryDirectory() as tmp:
        workspaces = Path(tmp) / "pemda"
        for i in range(args.cities):
            generate(workspaces / f"kota-{i:02d}", args.processes, seed=i)
        times: dict[int, list[float]] = {1: [], 2: []}
        for _ in range(args.rounds):
            for jobs in (1, 2):
                times[jobs].append(cli_run(workspaces, jobs, Path(tmp) / f"out-{jobs}"))
        from distributed import LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster:
            t0 = time.perf_counter()
            rows = check_many(workspaces, AS_OF, 1, "dask", cluster.scheduler_address)
            t_dask = time.perf_counter() - t0
        alone, side_by_side = machine_ceiling(workspaces)
        local = reports(Path(tmp) / "out-1")
        dask = {report_file(r["name"]): r["report"].encode("utf-8") for r in rows
                if r.get("report") is not None}
        same = local == reports(Path(tmp) / "out-2") == dask and len(local) == args.cities
    one, two = statistics.median(times[1]), statistics.median(times[2])
    print(f"{args.cities} workspaces of {args.processes} processes; {args.rounds} rounds; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"check-many --jobs 1:          {one:7.2f} s  (median of "
          f"{', '.join(f'{t:.2f}' for t in times[1])})")
    print(f"check-many --jobs 2:          {two:7.2f} s  (median of "
          f"{', '.join(f'{t:.2f}' for t in times[2])})")
    print(f"speed-up of --jobs 2:         {one / two:7.2f}x  (target >= 1.7x; medians)")
    paired = [a / b for a, b in zip(times[1], times[2], strict=True)]
    print(f"  per round (--jobs 1 / the --jobs 2 run right after it): "
          f"{', '.join(f'{r:.2f}' for r in paired)}; median {statistics.median(paired):.2f}x")
    print(f"machine ceiling: the audits alone in one warm process {alone:.2f} s, split over "
          f"two warm processes side by side {side_by_side:.2f} s = {alone / side_by_side:.2f}x "
          "(no start-up, no scheduling: what two cores give this work at best)")
    print(f"--executor dask (2 workers):  {t_dask:7.2f} s  (one run, in-process client)")
    print(f"reports byte-identical across --jobs 1, --jobs 2 and dask: {same}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
