"""Benchmark: start-up of the ``probis`` command, and ``probis check`` of one small BPMN map.

    python benchmarks/startup_bench.py [--rounds 15] [--bpmn FILE] [--install-bpmnlint]

Runs, in alternating rounds (one of each command per round, so a busy moment of a shared
machine hits every command alike), each in a fresh process:
- ``probis --version``;
- ``probis check WS -f json -o OUT``, WS a workspace holding one BPMN file (default: the
  7 KB MIWG reference model A.1.0, tests/corpora/bpmn-miwg/Reference/A.1.0.bpmn), named
  ``PB.01.01.01-LF.bpmn`` so that the naming rule links it to a process (docs/format.md,
  bpmn-link): the map is loaded and every rule runs on it. Before timing, one run's report is
  checked (exit 0, the map audited, no input error, no engine failure), and every timed run
  must exit 0: a failing run is never timed;
- ``bpmnlint FILE`` on the same file, when Node and bpmnlint are found (``node_modules/.bin``
  here or on PATH); ``--install-bpmnlint`` installs bpmnlint with npm into a temporary folder
  first. Without them the probis figures are printed and bpmnlint is said not measured.

probis runs from bytecode as an installed package does (``PYTHONDONTWRITEBYTECODE`` is
dropped for the runs; the untimed first run writes the bytecode). Prints the median wall
time of each, the CPU time (user + system of the process and its
children) beside it because the machine may be shared, the load average, and the targets
(issue 24): ``--version`` <= 0.15 s, ``check`` of one map <= 0.35 s, and the check's ratio
to bpmnlint's wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bpmnlint_tool import find_bpmnlint

HERE = Path(__file__).resolve().parent
DEFAULT_BPMN = HERE.parent / "tests" / "corpora" / "bpmn-miwg" / "Reference" / "A.1.0.bpmn"
TARGET_VERSION, TARGET_CHECK = 0.15, 0.35
PROCESS_CODE = "PB.01.01.01"  # the naming rule <code>-LF.bpmn links the map to this process


# probis's own modules run from bytecode, as after `pip install` (which compiles them): a
# PYTHONDONTWRITEBYTECODE environment would otherwise recompile every module on every run
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str], cwd: Path | None = None, ok: tuple[int, ...] = (0,)
          ) -> tuple[float, float]:
    """Wall and CPU seconds (the child's user + system) of one run of ``cmd``; a run whose
    exit code is not in ``ok`` stops the benchmark (its time would measure a failure)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)  # microseconds (os.times: ticks)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          check=False, env=ENV)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in ok:
        sys.exit(f"{' '.join(cmd)} exited {done.returncode} (expected {ok}): "
                 f"{done.stderr.decode(errors='replace')[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def one_map_workspace(root: Path, bpmn: Path) -> Path:
    ws = root / "satu-peta"
    (ws / "peta").mkdir(parents=True)
    (ws / "probis.yaml").write_text(
        "kind: workspace\ninstansi: Pemerintah Kota Satu Peta\nmaps: peta/\n", "utf-8")
    shutil.copy(bpmn, ws / "peta" / f"{PROCESS_CODE}-LF.bpmn")
    return ws


def check_report(path: Path) -> str:
    """Stop unless the report of the one-map check shows the map loaded and every enabled
    rule run; a short description of what it audited."""
    report = json.loads(path.read_text("utf-8"))
    completeness = report["verdict"]["completeness"]
    problems = []
    if report["input_errors"]:
        problems.append(f"input errors: {report['input_errors']}")
    if report["engine_findings"]:
        problems.append(f"engine findings (a rule or plugin failed): "
                        f"{[f['message']['en'] for f in report['engine_findings']]}")
    if completeness["maps"]["audited"] != 1 or not completeness["complete"]:
        problems.append(f"the map was not audited: {completeness}")
    if not completeness["rules_enabled"]:
        problems.append("no rule enabled")
    if problems:
        sys.exit("the one-map check did not audit its map: " + "; ".join(problems))
    return (f"{completeness['maps']['audited']} map audited, {completeness['rules_enabled']} "
            f"rules run, {len(report['findings'])} findings, grade {report['grade']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--bpmn", type=Path, default=DEFAULT_BPMN)
    parser.add_argument("--install-bpmnlint", action="store_true")
    args = parser.parse_args()
    probis = [str(Path(sys.executable).with_name("probis"))]  # the installed script
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        ws = one_map_workspace(tmp, args.bpmn)
        bpmnlint, lint_cwd = find_bpmnlint(args.install_bpmnlint, tmp)
        bpmnlint_cmd = bpmnlint[0] if bpmnlint is not None else None  # exits 1 on findings
        commands: dict[str, tuple[list[str], Path | None]] = {
            "probis --version": ([*probis, "--version"], None),
            "probis check (one map)": ([*probis, "check", str(ws), "-f", "json", "-o",
                                        str(tmp / "out.json"), "--fail-on", "never"], None),
        }
        if bpmnlint is not None:
            commands["bpmnlint (same file)"] = ([*bpmnlint, str(args.bpmn.resolve())],
                                                lint_cwd)
        for cmd, cwd in commands.values():  # warm the file cache, not timed
            timed(cmd, cwd, ok=(0, 1) if cmd[0] == bpmnlint_cmd else (0,))
        audited = check_report(tmp / "out.json")
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        loads = []
        for _ in range(args.rounds):
            loads.append(os.getloadavg()[0])
            for name, (cmd, cwd) in commands.items():
                wall, cpu = timed(cmd, cwd, ok=(0, 1) if cmd[0] == bpmnlint_cmd else (0,))
                walls[name].append(wall)
                cpus[name].append(cpu)
    med = {name: statistics.median(v) for name, v in walls.items()}
    print(f"{args.rounds} alternating rounds; file {args.bpmn.name} "
          f"({args.bpmn.stat().st_size / 1024:.1f} KB); load average "
          f"{min(loads):.1f}-{max(loads):.1f} (2 cores: the machine may be shared)")
    print(f"one-map check: {audited}")
    for name in commands:
        print(f"  {name:26s} median {med[name]:6.3f} s wall, {statistics.median(cpus[name]):6.3f}"
              f" s CPU (min {min(walls[name]):.3f} s, max {max(walls[name]):.3f} s)")
    print("== targets ==")
    v, c = med["probis --version"], med["probis check (one map)"]
    print(f"probis --version {v:.3f} s <= {TARGET_VERSION} s: "
          f"{'met' if v <= TARGET_VERSION else 'NOT met'}")
    print(f"probis check, one map {c:.3f} s <= {TARGET_CHECK} s: "
          f"{'met' if c <= TARGET_CHECK else 'NOT met'}")
    if "bpmnlint (same file)" in med:
        b = med["bpmnlint (same file)"]
        print(f"probis check / bpmnlint on the same file: {c / b:.2f}x "
              f"({c:.3f} s vs {b:.3f} s)")
    else:
        print("bpmnlint: not measured (no node/bpmnlint; pass --install-bpmnlint to install it "
              "with npm into a temporary folder)")


if __name__ == "__main__":
    main()
