"""A re-evaluation by difference (engine/incremental/delta.py) gives, after every kind of
change, the very bytes a full evaluation gives in the JSON report, evaluates only what the
change re-opened, and leaves the result it started from as it was."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from probis.engine.findings import ElementRef, Finding
from probis.engine.incremental.cache import ResultCache
from probis.engine.incremental.delta import Delta, _Full, _merge, reevaluate
from probis.engine.loader import load_workspace
from probis.engine.plugins import Registry, build_registry
from probis.engine.render.json_format import dumps_report
from probis.engine.report import build_report
from probis.engine.rule import Evaluation, PerMapRule, RuleContext, RuleInfo
from probis.engine.runner import AuditResult, evaluate_workspace, loader_config
from probis.engine.workspace import LfEntry, MapEntry
from probis.plugins.restructure.scenario import with_plans
from test_incremental import BASE, CHANGES

AS_OF = dt.date(2026, 11, 28)
SAMPLE = Path(__file__).parents[2] / "sample_maps" / "kota-metro"


@pytest.fixture(autouse=True)
def _plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROBIS_LOAD_PLUGINS", "regulation,restructure")


def _json(result: AuditResult) -> str:
    return dumps_report(build_report(result))


def _copy(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    shutil.copytree(BASE, ws, ignore=shutil.ignore_patterns(".probis-cache"))
    return ws


def _before(ws: Path, registry: Registry) -> AuditResult:
    """``ws`` evaluated as ``probis restructure``'s first run is: with a result cache."""
    return evaluate_workspace(load_workspace(ws, loader_config(registry)), AS_OF, registry,
                              cache=ResultCache.in_memory())


def _delta_and_full(before: AuditResult, ws: Path, registry: Registry
                    ) -> tuple[Delta, AuditResult]:
    """``ws`` as it is now, re-evaluated by difference from ``before`` and in full."""
    config = loader_config(registry)
    return (reevaluate(before, load_workspace(ws, config)),
            evaluate_workspace(load_workspace(ws, config), AS_OF, registry))


@pytest.mark.parametrize("kind", sorted(CHANGES))
def test_delta_gives_the_full_report_byte_for_byte(tmp_path: Path, kind: str) -> None:
    ws = _copy(tmp_path)
    registry = build_registry()
    before = _before(ws, registry)
    before_json = _json(before)
    CHANGES[kind](ws)
    delta, full = _delta_and_full(before, ws, registry)

    assert _json(delta.result) == _json(full)
    assert _json(full) != before_json  # the change changed the report
    assert _json(before) == before_json  # the result it started from is untouched
    if kind == "map-edited":  # another map file: evaluated in full, and said so
        assert delta.reason == "map files differ"
    else:  # another SOTK or plan over the same maps: by difference, not every map again
        assert delta.reason is None
        assert len(delta.stats.evaluated_maps) < len(full.workspace.maps)
        assert delta.stats.cached_maps


def test_a_change_and_back_again(tmp_path: Path) -> None:
    """Re-evaluating a re-evaluated result (its ledger is kept up to date) returns to the
    first report exactly."""
    ws = _copy(tmp_path)
    registry = build_registry()
    ws0 = load_workspace(ws, loader_config(registry))
    first = evaluate_workspace(with_plans(ws0, ws0.sotk_file, ws0.rpjmd_file), AS_OF, registry,
                               cache=ResultCache.in_memory())
    CHANGES["merge"](ws)
    ws1 = load_workspace(ws, loader_config(registry))
    merged = reevaluate(first, ws1)
    back = reevaluate(merged.result, with_plans(ws0, ws0.sotk_file, ws0.rpjmd_file))
    assert merged.reason is None and back.reason is None
    assert _json(merged.result) != _json(first)
    assert _json(back.result) == _json(first)


def test_sample_city_restructuring_by_difference(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample city's 2023 -> 2025 SOTK, every plugin loaded (overlap and alignment rules
    run in full): the same report as a full evaluation, only the re-opened maps evaluated."""
    monkeypatch.delenv("PROBIS_LOAD_PLUGINS")
    from probis.plugins.restructure.impact import impact

    registry = build_registry()
    ws0 = load_workspace(SAMPLE, loader_config(registry))
    ws_before = with_plans(ws0, "sotk/sotk-2023.yaml", ws0.rpjmd_file)
    ws_after = with_plans(ws0, "sotk/sotk-2025.yaml", ws0.rpjmd_file)
    files = impact(ws_before, ws_after).files
    before = evaluate_workspace(ws_before, AS_OF, registry, cache=ResultCache.in_memory())
    delta = reevaluate(before, ws_after, force=files)
    full = evaluate_workspace(with_plans(ws0, "sotk/sotk-2025.yaml", ws0.rpjmd_file), AS_OF,
                              registry)
    assert delta.reason is None
    assert set(files) <= delta.stats.evaluated_maps
    assert len(delta.stats.evaluated_maps) < len(ws0.maps)
    assert _json(delta.result) == _json(full)


def test_without_a_ledger_the_workspace_is_evaluated_in_full(tmp_path: Path) -> None:
    registry = build_registry()
    ws0 = load_workspace(BASE, loader_config(registry))
    before = evaluate_workspace(ws0, AS_OF, registry)  # no result cache: no ledger
    delta = reevaluate(before, load_workspace(BASE, loader_config(registry)))
    assert delta.reason == "the previous result was evaluated without a result cache"
    assert _json(delta.result) == _json(before)
    assert delta.result.ledger is not None  # so the next re-evaluation can be a delta


def _finding(element: str, message: str = "m") -> Finding:
    return Finding(rule="REG001", rule_set="regulation", severity="error",
                   ref=ElementRef(element, "process", "peta/a.yaml", 1, "PB", "dinas"),
                   message={"id": message, "en": message}, basis={}, fix={})


def test_merge_keeps_sort_order_and_refuses_ties() -> None:
    kept = [_finding("A"), _finding("C")]
    merged, keys = _merge([f.sort_key() for f in kept], kept, [_finding("D"), _finding("B")])
    assert [f.ref.element for f in merged] == ["A", "B", "C", "D"]
    assert keys == [f.sort_key() for f in merged]
    # equal sort keys: only a full run's evaluation order decides between them
    with pytest.raises(_Full):
        _merge([f.sort_key() for f in kept], kept, [_finding("C")])
    with pytest.raises(_Full):
        _merge([], [], [_finding("B"), _finding("B")])


class _SupportsKnownSasaran(PerMapRule):
    """A per-map rule reading the sasaran its map's processes support: part of the map's
    fingerprint, so it declares no map inputs (engine/incremental/cache.py)."""

    info = RuleInfo(id="TST901", rule_set="test", severity="warning", title={}, checks={},
                    basis={}, rationale={}, fix={}, applies_to="process")

    def check_map(self, ctx: RuleContext, entry: MapEntry, lfs: list[LfEntry],
                  out: Evaluation) -> None:
        ws = ctx.workspace
        for pe in ws.processes:
            if pe.map is entry.map:
                ref = ws.ref_process(pe)
                out.applicable(ref)
                gone = [s for s in pe.process.supports if s not in ws.sasaran]
                if gone:
                    out.finding(ref, {"id": f"sasaran hilang: {gone}",
                                      "en": f"sasaran gone: {gone}"})


def test_a_changed_sasaran_re_opens_the_maps_that_support_it(tmp_path: Path) -> None:
    ws = _copy(tmp_path)
    registry = build_registry()
    registry.rules["TST901"] = _SupportsKnownSasaran()
    before = _before(ws, registry)
    CHANGES["sasaran-removed"](ws)
    delta, full = _delta_and_full(before, ws, registry)
    assert any(f.rule == "TST901" for f in full.findings)
    # the maps whose processes support a sasaran of the revised plan, and only those
    assert delta.reason is None
    assert "peta/diskopukm.yaml" in delta.stats.evaluated_maps
    assert "peta/disdag.yaml" in delta.stats.cached_maps
    assert _json(delta.result) == _json(full)


def test_a_changed_profile_is_evaluated_in_full_with_its_problems_once(tmp_path: Path) -> None:
    """The delta reads the profile before it knows it must give up: the full evaluation it
    falls back to starts from the workspace's problems as loaded (each reported once)."""
    ws = _copy(tmp_path)
    registry = build_registry()
    before = _before(ws, registry)
    manifest = (ws / "probis.yaml").read_text("utf-8")
    (ws / "probis.yaml").write_text(
        manifest + "profile:\n  rules:\n    REG006: error\n    REG099: warning\n", "utf-8")
    delta, full = _delta_and_full(before, ws, registry)
    assert delta.reason == "the profile differs"
    assert _json(delta.result) == _json(full)
    assert len([n for n in delta.result.workspace.notices if "REG099" in str(n)]) == 1


def test_delta_with_a_strict_profile_and_waivers(tmp_path: Path) -> None:
    """Severity overrides and waivers (valid, expired, one on a finding the change creates)
    act on the new findings exactly as in a full run."""
    ws = _copy(tmp_path)
    (ws / "probis.yaml").write_text((ws / "probis.yaml").read_text("utf-8") + (
        "waivers: waivers.yaml\nprofile:\n  extends: [strict]\n  rules: {REG006: info}\n"),
        "utf-8")
    (ws / "waivers.yaml").write_text(
        "kind: waivers\nwaivers:\n"
        "  - {rule: STR001, element: PB.02.01, reason: digabung, approved_by: Inspektorat,"
        " expires: 2027-01-01}\n"
        "  - {rule: STR001, element: PB.03.01, reason: lama, approved_by: Inspektorat,"
        " expires: 2025-01-01}\n"
        "  - {rule: REG013, element: PB.05.01, reason: tetap, approved_by: Inspektorat,"
        " expires: 2027-01-01}\n", "utf-8")
    registry = build_registry()
    before = _before(ws, registry)
    CHANGES["merge"](ws)
    delta, full = _delta_and_full(before, ws, registry)
    assert delta.reason is None
    assert [f.ref.element for f in full.waived if f.rule == "STR001"] == ["PB.02.01"]
    assert any(w["matched"] for w in full.expired_waivers)
    assert _json(delta.result) == _json(full)


def test_a_check_whose_first_finding_lands_before_an_unchanged_map(tmp_path: Path) -> None:
    """One check (STR001 on process code PB.03.01, held by two maps) is counted once, at its
    first finding. Before: only peta/disdag.yaml fails it (owner `dindag`, renamed in
    sotk-2023). The new SOTK renames bappeda, so peta/bappeda.yaml's PB.03.01 fails it too
    and, sorting first, takes the count from a map whose results did not change at all."""
    ws = _copy(tmp_path)
    sotk = ws / "sotk/sotk-2023.yaml"
    text23 = sotk.read_text("utf-8")
    (ws / "sotk/sotk-2021.yaml").write_text(
        text23.replace("id: sotk-2023", "id: sotk-2021").replace("2023-01-01", "2021-01-01")
        .replace("{id: disdag,", "{id: dindag,"), "utf-8")
    sotk.write_text(text23.replace(
        "effective: 2023-01-01\n", "effective: 2023-01-01\nprevious: sotk-2021\n"
        "changes: [{op: rename, from: dindag, to: disdag}]\n"), "utf-8")
    peta = ws / "peta/disdag.yaml"
    peta.write_text(peta.read_text("utf-8").replace("owner: disdag}", "owner: dindag}"), "utf-8")
    peta = ws / "peta/bappeda.yaml"
    peta.write_text(peta.read_text("utf-8") + (
        "  - {code: PB.03.01, name: Kajian pasar, category: inti, "
        "owner: bappeda.perencanaan}\n"), "utf-8")
    registry = build_registry()
    before = _before(ws, registry)
    CHANGES["rename"](ws)  # bappeda -> bapperida
    delta, full = _delta_and_full(before, ws, registry)

    def failing(result: AuditResult) -> list[str]:
        return [f.ref.file for f in result.findings
                if f.rule == "STR001" and f.ref.element == "PB.03.01"]

    assert failing(before) == ["peta/disdag.yaml"]
    assert failing(full) == ["peta/bappeda.yaml", "peta/disdag.yaml"]
    assert delta.reason is None and "peta/disdag.yaml" in delta.stats.cached_maps
    assert _json(delta.result) == _json(full)
