"""`plugins:` in probis.yaml (docs/format-extensions.md): declared plugin kinds are skipped with
a notice when no loaded plugin provides them; undeclared unknown kinds stay input errors."""

from __future__ import annotations

from pathlib import Path

from probis.engine.loader import load_workspace


def test_declared_kind_is_a_notice_undeclared_is_an_error(example_workspace: Path) -> None:
    manifest = example_workspace / "probis.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8")
                        + "plugins:\n  sop: probis-plugin-sop\n  peta-proses: x\n",
                        encoding="utf-8")
    (example_workspace / "sop").mkdir()
    for name in ("SOP-1", "SOP-2"):
        (example_workspace / "sop" / f"{name}.yaml").write_text(f"kind: sop\nid: {name}\n",
                                                                encoding="utf-8")
    (example_workspace / "typo.yaml").write_text("kind: peta-prosess\ncode: X\n", encoding="utf-8")
    ws = load_workspace(example_workspace)
    errors = {(e.file, e.field): e for e in ws.input_errors}
    assert set(errors) == {("typo.yaml", "kind"), ("probis.yaml", "plugins.peta-proses")}
    assert "unknown kind `peta-prosess`" in errors[("typo.yaml", "kind")].message["en"]
    assert errors[("typo.yaml", "kind")].line == 1
    # the v1 example's old spelling `indicators` has its own notice (deprecated-field)
    (notice,) = [n for n in ws.notices if n.code != "deprecated-field"]
    assert (notice.file, notice.field, notice.code) == ("probis.yaml", "plugins.sop", "plugin-kind")
    assert "2 documents of kind `sop`" in notice.message["en"]
    assert "sop/SOP-1.yaml, sop/SOP-2.yaml" in notice.message["en"]
    assert "2 dokumen" in notice.message["id"]
    assert "sop" not in ws.extra


def test_without_plugins_key_an_unknown_kind_is_an_error(example_workspace: Path) -> None:
    (example_workspace / "s.yaml").write_text("kind: sop\nid: S\n", encoding="utf-8")
    ws = load_workspace(example_workspace)
    assert [(e.file, e.code) for e in ws.input_errors] == [("s.yaml", "kind")]
    assert [n for n in ws.notices if n.code != "deprecated-field"] == []
