"""Run the real FLW rules through the engine on bpmnlint's own rule fixtures.

Each fixture is imported with probis's BPMN importer (from the copy vendored in
tests/corpora/bpmnlint, MIT), the imported maps are written as format-v1 YAML into one
temporary workspace, and that workspace is audited once. Each bpmnlint rule is then compared
with the probis finding that answers the same question (PROJECTIONS below; docs/bpmn.md has
the same table).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from probis.engine.report import build_report  # noqa: F401 - keeps the report contract in view
from probis.engine.runner import audit
from probis.plugins.interop.bpmn_reader import read_bpmn_as

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpora" / "bpmnlint"
AS_OF = dt.date(2026, 11, 28)


def _ev(f: Any, key: str) -> Any:
    return (f.evidence or {}).get(key)


def _en(f: Any) -> str:
    return f.message.get("en", "")


_STEP_COUNT: dict[str, int] = {}


def _steps(f: Any) -> int:
    """Steps of the finding's map (an empty process has nothing disconnected)."""
    return _STEP_COUNT.get(f.ref.element.split("#", 1)[0], 0)


# bpmnlint rule -> (FLW rule, which of its findings answer the same question, what it points at)
Projection = tuple[str | tuple[str, ...], Callable[[Any], bool], str]
PROJECTIONS: dict[str, Projection] = {
    "start-event-required": ("FLW001", lambda f: "no start step" in _en(f)
                             or "neither a start" in _en(f), "scope"),
    "end-event-required": ("FLW001", lambda f: "no end step" in _en(f)
                           or "neither a start" in _en(f), "scope"),
    "single-blank-start-event": ("FLW001", lambda f: "start steps; keep one" in _en(f), "scope"),
    # FLW002 needs a start and an end to define reachability; without them FLW001 reports the
    # map as a whole (a deliberate difference in the element, docs/bpmn.md)
    "no-disconnected": (("FLW002", "FLW001"), lambda f: (
        _ev(f, "reachable_from_start") is False and _ev(f, "reaches_end") is False)
        or ("neither a start" in _en(f) and _steps(f) > 0), "step"),
    "no-implicit-start": ("FLW002", lambda f: _ev(f, "reachable_from_start") is False, "step"),
    "no-implicit-end": ("FLW002", lambda f: _ev(f, "reaches_end") is False, "step"),
    "no-duplicate-sequence-flows": ("FLW006", lambda f: True, "flow"),
    "superfluous-gateway": ("FLW003", lambda f: _ev(f, "outgoing") is not None, "step"),
}
# what bpmnlint reports that the projection is compared with (other messages of the same rule,
# e.g. "Duplicate outgoing sequence flows" on the task, say the same thing twice more)
BPMNLINT_MESSAGES: dict[str, Callable[[str], bool]] = {
    "no-duplicate-sequence-flows": lambda m: m == "SequenceFlow is a duplicate",
}


def fixtures() -> dict[str, list[dict[str, Any]]]:
    expected = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
    return {k: v for k, v in sorted(expected.items()) if k.split("/")[0] in PROJECTIONS}


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def run(workdir: Path) -> dict[str, dict[str, Any]]:
    """For every fixture of a mapped rule: bpmnlint's ids, probis's ids, import errors."""
    expected = fixtures()
    ws_dir = workdir / "bpmnlint-ws"
    (ws_dir / "peta").mkdir(parents=True)
    (ws_dir / "probis.yaml").write_text("kind: workspace\nmaps: peta/\n", encoding="utf-8")
    code_of: dict[str, str] = {}
    for n, key in enumerate(expected):
        code = f"BL{n:03d}"
        code_of[code] = key
        docs = read_bpmn_as((CORPUS / key).read_bytes(), code, key)
        for i, doc in enumerate(docs):
            (ws_dir / "peta" / f"{code}-{i:02d}-LF.yaml").write_text(
                yaml.safe_dump(_strip_lines(doc), sort_keys=False, allow_unicode=True),
                encoding="utf-8")
    saved = os.environ.get("PROBIS_LOAD_PLUGINS")
    os.environ["PROBIS_LOAD_PLUGINS"] = "regulation"
    try:
        result = audit(ws_dir, AS_OF)
    finally:
        if saved is None:
            os.environ.pop("PROBIS_LOAD_PLUGINS", None)
        else:
            os.environ["PROBIS_LOAD_PLUGINS"] = saved
    ws = result.workspace
    assert not ws.input_errors, ws.input_errors[:3]
    _STEP_COUNT.update({e.lf.process: len(e.lf.steps) for e in ws.lf_maps})
    scope_of = {e.lf.process: (e.lf.model_extra or {}).get("source", {}).get("element")
                for e in ws.lf_maps}
    flow_id_at: dict[tuple[str, int | None], str] = {}
    for e in ws.lf_maps:
        for flow in e.lf.flows:
            flow_id_at[(e.file, flow.line)] = (flow.model_extra or {}).get("id")

    by_fixture: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for f in result.findings:
        ref = f.ref
        process = ref.element.split("#", 1)[0]
        fixture = code_of.get(process.split("/", 1)[0])
        if fixture is None:
            continue
        rule = fixture.split("/")[0]
        flw, keep, kind = PROJECTIONS[rule]
        if f.rule not in (flw if isinstance(flw, tuple) else (flw,)) or not keep(f):
            continue
        if kind == "scope" or "#" not in ref.element:
            by_fixture[fixture]["ids"].add(scope_of.get(process) or process)
        elif kind == "step":
            by_fixture[fixture]["ids"].add(ref.element.split("#", 1)[1])
        else:
            by_fixture[fixture]["ids"].add(flow_id_at.get((ref.file, ref.line)) or ref.element)

    out: dict[str, dict[str, Any]] = {}
    for key, reports in expected.items():
        rule = key.split("/")[0]
        wanted = BPMNLINT_MESSAGES.get(rule, lambda m: True)
        out[key] = {
            "bpmnlint": sorted({r["id"] for r in reports if wanted(r["message"])}),
            "probis": sorted(by_fixture[key]["ids"]),
        }
    return out
