"""Benchmark: BPMN import speed over the bpmn-miwg corpus (831 files from 34 tools).

    python benchmarks/bpmn_bench.py [--repeat 3] [--lint]

Times, per run, reading every file of ../shared/corpora/bpmn-miwg (or, in a clone without
../shared, of the 97-file subset vendored in tests/corpora/bpmn-miwg: figures not comparable
with bpmnlint's, and the output says so), parsing it safely
(defusedxml) and importing it into peta-lintas-fungsi documents (validated with the pydantic
model), and prints files per second (median of the runs). With --lint it also audits one
workspace holding every imported map with the regulation rules (FLW001-FLW006 included),
which is what bpmnlint's figure covers. Reference (../shared/design.md): bpmnlint 11.13 parses
and lints the same 831 files in 10.3 s (median of 3, one process) on the project machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / ".." / "shared" / "corpora" / "bpmn-miwg"
SUBSET = ROOT / "tests" / "corpora" / "bpmn-miwg"
BPMNLINT_SECONDS = 10.3


def import_all(files: list[Path]) -> tuple[list[tuple[str, list[dict]]], int]:
    from probis.engine.model import CrossFunctionalMap
    from probis.engine.yamlload import ParseError
    from probis.plugins.interop.bpmn_reader import read_bpmn_as

    out, errors = [], 0
    for n, path in enumerate(files):
        try:
            docs = read_bpmn_as(path.read_bytes(), f"BM.{n:04d}", path.name)
            for doc in docs:
                CrossFunctionalMap.model_validate(doc)
            out.append((f"BM.{n:04d}", docs))
        except ParseError:
            errors += 1
    return out, errors


def lint(imported: list[tuple[str, list[dict]]]) -> float:
    import yaml
    from probis.engine.runner import audit

    os.environ.setdefault("PROBIS_LOAD_PLUGINS", "regulation")
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp)
        (ws / "peta").mkdir()
        (ws / "probis.yaml").write_text("kind: workspace\nmaps: peta/\n", encoding="utf-8")
        for code, docs in imported:
            for i, doc in enumerate(docs):
                clean = yaml.safe_dump(_strip(doc), sort_keys=False, allow_unicode=True)
                (ws / "peta" / f"{code}-{i:03d}-LF.yaml").write_text(clean, encoding="utf-8")
        t0 = time.perf_counter()
        result = audit(ws, dt.date(2026, 11, 28))
        seconds = time.perf_counter() - t0
        flw = sum(1 for f in result.findings if f.rule.startswith("FLW"))
        print(f"audit of {len(result.workspace.lf_maps)} imported maps: {seconds:.2f} s, "
              f"{flw} FLW findings")
    return seconds


def _strip(value):
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lint", action="store_true")
    args = parser.parse_args()
    corpus = CORPUS
    if not corpus.is_dir():
        corpus = SUBSET
        print(f"note: the full corpus ({CORPUS}) is absent; timing the vendored subset "
              f"({SUBSET.relative_to(ROOT)}), which bpmnlint's figure below does not cover")
    files = sorted(corpus.rglob("*.bpmn"))
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        imported, errors = import_all(files)
        times.append(time.perf_counter() - t0)
    median = statistics.median(times)
    print(f"{len(files)} files ({len(imported)} imported, {errors} clean input errors)")
    print(f"parse + import: {median:.2f} s median of {args.repeat} "
          f"({', '.join(f'{t:.2f}' for t in times)}) = {len(files) / median:.0f} files/s")
    print(f"bpmnlint 11.13 parse + lint, same files: {BPMNLINT_SECONDS} s = "
          f"{len(files) / BPMNLINT_SECONDS:.0f} files/s (../shared/design.md)")
    if args.lint:
        total = median + lint(imported)
        print(f"probis import + audit: {total:.2f} s = {len(files) / total:.0f} files/s")


if __name__ == "__main__":
    main()
