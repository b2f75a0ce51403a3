"""Benchmark: BPMN import speed over the bpmn-miwg corpus (831 files from 34 tools), side by
side with bpmnlint on the same files, and where the two agree.

    python benchmarks/bpmn_bench.py [--repeat 3] [--install-bpmnlint] [--corpus DIR] [--list]

Corpus: ../shared/corpora/bpmn-miwg, or, in a clone without ../shared, the 97-file subset
vendored in tests/corpora/bpmn-miwg (the output says so). In alternating rounds (so a busy
moment of a shared machine hits both alike) it times:
- probis in this process: read every file, parse it (lxml, plugins/interop/xmltree.py),
  import it into peta-lintas-fungsi documents and validate them with the pydantic model,
  inside ``paused_gc`` as the workspace loader runs it;
- the same loop in a fresh Python process (start-up and imports included, as bpmnlint's
  figure includes Node's);
- bpmnlint (recommended rules) on the same files in one process, when Node and bpmnlint are
  found (``node_modules/.bin`` here or on PATH; ``--install-bpmnlint`` installs it with npm
  into a temporary folder first).
Prints medians with CPU times and the load average, the ratio to bpmnlint (target of issue
24: <= 0.2x bpmnlint's wall time on the full corpus), then audits every imported map once
with the FLW rules and prints, per bpmnlint rule mapped to an FLW rule
(tests/interop/bpmnlint_agreement.py PROJECTIONS), the files where both report it, only
bpmnlint, only probis, neither.
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
from collections import defaultdict
from pathlib import Path
from typing import Any

from bpmnlint_tool import bpmnlint_version, find_bpmnlint, parse_report

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / ".." / "shared" / "corpora" / "bpmn-miwg"
SUBSET = ROOT / "tests" / "corpora" / "bpmn-miwg"
TARGET_RATIO = 0.2


def import_all(files: list[Path]) -> tuple[list[tuple[str, Path, list[dict]]], int]:
    from probis.engine.gcpause import paused_gc
    from probis.engine.model import CrossFunctionalMap
    from probis.engine.yamlload import ParseError
    from probis.plugins.interop.bpmn_reader import read_bpmn_as

    out, errors = [], 0
    with paused_gc():
        for n, path in enumerate(files):
            code = f"BM.{n:04d}"
            try:
                docs = read_bpmn_as(path.read_bytes(), code, path.name)
                for doc in docs:
                    CrossFunctionalMap.model_validate(doc)
                out.append((code, path, docs))
            except ParseError:
                errors += 1
    return out, errors


def _cpu() -> float:
    t = os.times()
    return t.user + t.system


def _children_cpu() -> float:
    t = os.times()
    return t.children_user + t.children_system


def timed_run(cmd: list[str], cwd: Path | None = None) -> tuple[float, float, str]:
    """Wall and CPU seconds of one run of ``cmd`` (a child process), and what it printed."""
    before = _children_cpu()
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    return time.perf_counter() - t0, _children_cpu() - before, done.stdout


def agreement(imported: list[tuple[str, Path, list[dict]]],
              linted: dict[str, dict[str, list[tuple[str, str]]]]) -> tuple[dict, float, int]:
    """Per mapped rule: file sets where bpmnlint and probis report it; the audit's seconds."""
    import yaml
    from probis.engine.runner import audit

    sys.path.insert(0, str(ROOT / "tests"))
    from interop import bpmnlint_agreement as mapping

    os.environ["PROBIS_LOAD_PLUGINS"] = "regulation"
    path_of = {code: path for code, path, _ in imported}
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp)
        (ws / "peta").mkdir()
        (ws / "probis.yaml").write_text("kind: workspace\nmaps: peta/\n", encoding="utf-8")
        for code, _path, docs in imported:
            for i, doc in enumerate(docs):
                clean = yaml.safe_dump(_strip(doc), sort_keys=False, allow_unicode=True)
                (ws / "peta" / f"{code}-{i:03d}-LF.yaml").write_text(clean, encoding="utf-8")
        t0 = time.perf_counter()
        result = audit(ws, dt.date(2026, 11, 28))
        seconds = time.perf_counter() - t0
    mapping._STEP_COUNT.update({e.lf.process: len(e.lf.steps) for e in result.workspace.lf_maps})
    probis: dict[str, set[str]] = defaultdict(set)
    for f in result.findings:
        code = f.ref.element.split("#", 1)[0].split("/", 1)[0]
        if code not in path_of:
            continue
        for rule, (flw, keep, _kind) in mapping.PROJECTIONS.items():
            if f.rule in (flw if isinstance(flw, tuple) else (flw,)) and keep(f):
                probis[rule].add(str(path_of[code]))
    table: dict[str, dict[str, list[str]]] = {}
    files = {str(path) for path in path_of.values()}
    for rule in mapping.PROJECTIONS:
        wanted = mapping.BPMNLINT_MESSAGES.get(rule, lambda m: True)
        lint = {f for f in files
                if any(wanted(message) for _e, message in linted.get(f, {}).get(rule, []))}
        ours = probis[rule]
        table[rule] = {"both": sorted(lint & ours), "only bpmnlint": sorted(lint - ours),
                       "only probis": sorted(ours - lint), "neither": sorted(files - lint - ours)}
    return table, seconds, len(result.workspace.input_errors)


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--install-bpmnlint", action="store_true")
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--list", action="store_true",
                        help="name the files behind each disagreement")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    corpus = args.corpus or CORPUS
    if args.corpus is None and not corpus.is_dir():
        corpus = SUBSET
        print(f"note: the full corpus ({CORPUS}) is absent; timing the vendored subset "
              f"({SUBSET.relative_to(ROOT)}): figures not comparable with the full corpus")
    corpus = corpus.resolve()
    files = sorted(corpus.rglob("*.bpmn"))
    if args.child:  # the fresh-process run: the same loop, nothing printed
        import_all(files)
        return
    child = [sys.executable, str(Path(__file__).resolve()), "--child", "--corpus", str(corpus)]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        bpmnlint, lint_cwd = find_bpmnlint(args.install_bpmnlint, tmp)
        lint_cmd = [*bpmnlint, *map(str, files)] if bpmnlint else None
        lint_out = ""
        if lint_cmd:  # warm the file cache and Node's, not timed
            lint_out = timed_run(lint_cmd, lint_cwd)[2]
        import_all(files[:20])  # imports and first calls, not timed
        rows: dict[str, list[tuple[float, float]]] = defaultdict(list)
        loads = []
        imported: list[tuple[str, Path, list[dict]]] = []
        errors = 0
        for _ in range(args.repeat):
            loads.append(os.getloadavg()[0])
            cpu0, t0 = _cpu(), time.perf_counter()
            imported, errors = import_all(files)
            rows["probis, this process"].append((time.perf_counter() - t0, _cpu() - cpu0))
            wall, cpu, _ = timed_run(child)
            rows["probis, fresh process"].append((wall, cpu))
            if lint_cmd:
                wall, cpu, lint_out = timed_run(lint_cmd, lint_cwd)
                rows["bpmnlint"].append((wall, cpu))
    med = {name: statistics.median(w for w, _ in v) for name, v in rows.items()}
    print(f"{len(files)} files of {corpus} ({len(imported)} imported, {errors} clean input "
          f"errors); {args.repeat} alternating rounds; load average {min(loads):.1f}-"
          f"{max(loads):.1f} (2 cores: the machine may be shared)")
    for name, values in rows.items():
        walls = ", ".join(f"{w:.2f}" for w, _ in values)
        print(f"  {name:24s} median {med[name]:6.2f} s wall, "
              f"{statistics.median(c for _, c in values):6.2f} s CPU ({walls}) = "
              f"{len(files) / med[name]:.0f} files/s")
    print("== target ==")
    if lint_cmd:
        version = bpmnlint_version(bpmnlint)
        lint = med["bpmnlint"]
        for name in ("probis, this process", "probis, fresh process"):
            ratio = med[name] / lint
            verdict = ("met" if ratio <= TARGET_RATIO else "NOT met") if name.endswith(
                "this process") else "for reference"
            print(f"{name} / bpmnlint {version}: {ratio:.2f}x ({med[name]:.2f} s vs "
                  f"{lint:.2f} s); target <= {TARGET_RATIO}x: {verdict}")
        table, audit_seconds, input_errors = agreement(imported, parse_report(lint_out))
        total = med["probis, this process"] + audit_seconds
        print(f"probis import + audit with the FLW rules (one run): {total:.2f} s = "
              f"{total / lint:.2f}x bpmnlint's parse + lint ({input_errors} maps not read)")
        print(f"== agreement, file by file ({len(imported)} files both read) ==")
        print(f"{'bpmnlint rule':30s} {'both':>6s} {'only bpmnlint':>14s} {'only probis':>12s}"
              f" {'neither':>8s}")
        for rule, cells in table.items():
            print(f"{rule:30s} {len(cells['both']):6d} {len(cells['only bpmnlint']):14d} "
                  f"{len(cells['only probis']):12d} {len(cells['neither']):8d}")
            if args.list:
                for key in ("only bpmnlint", "only probis"):
                    for path in cells[key]:
                        print(f"    {key}: {Path(path).relative_to(corpus)}")
    else:
        print("bpmnlint: not measured (no node/bpmnlint; pass --install-bpmnlint to install it "
              "with npm into a temporary folder)")


if __name__ == "__main__":
    main()
