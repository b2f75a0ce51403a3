"""One bad file never stops the others; every problem names file and line or field."""

from __future__ import annotations

import json
from pathlib import Path

from probis.engine.loader import load_workspace
from testkit import run_cli


def _errors(ws) -> dict[str, list]:
    out: dict[str, list] = {}
    for e in ws.input_errors:
        out.setdefault(e.file, []).append(e)
    return out


def test_broken_unknown_and_mistyped_files_are_reported_and_the_rest_loads(
    example_workspace: Path,
) -> None:
    maps = example_workspace / "peta" / "disdukcapil"
    (maps / "rusak.yaml").write_text("kind: peta-proses\ncode: PB.09\nlevel: [\n", encoding="utf-8")
    (maps / "aneh.yaml").write_text("kind: peta-ajaib\ncode: X\n", encoding="utf-8")
    (maps / "salah-tipe.yaml").write_text(
        "kind: peta-proses\ncode: PB.05\nlevel: dua\nprocesses: []\n", encoding="utf-8"
    )
    ws = load_workspace(example_workspace)
    errors = _errors(ws)
    assert set(errors) == {
        "peta/disdukcapil/rusak.yaml",
        "peta/disdukcapil/aneh.yaml",
        "peta/disdukcapil/salah-tipe.yaml",
    }
    syntax = errors["peta/disdukcapil/rusak.yaml"][0]
    assert syntax.line == 4 and "YAML" in syntax.message["en"]
    kind = errors["peta/disdukcapil/aneh.yaml"][0]
    assert kind.field == "kind" and "peta-ajaib" in kind.message["id"]
    typed = errors["peta/disdukcapil/salah-tipe.yaml"][0]
    assert typed.field == "level" and typed.line == 3 and "number" in typed.message["en"]
    # the good map still loaded
    assert [m.map.code for m in ws.maps] == ["PB.04.02"]


def test_missing_identity_field_names_the_path(example_workspace: Path) -> None:
    (example_workspace / "peta" / "x.yaml").write_text(
        "kind: peta-proses\ncode: PB.06\nlevel: 1\nparent: PB\nprocesses:\n"
        "  - name: Tanpa kode\n    category: inti\n",
        encoding="utf-8",
    )
    ws = load_workspace(example_workspace)
    (err,) = ws.input_errors
    assert err.field == "processes[0].code" and err.line == 6
    assert "wajib" in err.message["id"]


def test_code_written_as_number_asks_for_quotes(example_workspace: Path) -> None:
    (example_workspace / "peta" / "x.yaml").write_text(
        "kind: peta-proses\ncode: 1.10\nlevel: 0\nprocesses: []\n", encoding="utf-8"
    )
    (err,) = load_workspace(example_workspace).input_errors
    assert err.field == "code" and "quotes" in err.message["en"]


def test_duplicate_keys_and_python_tags_are_errors(example_workspace: Path) -> None:
    (example_workspace / "peta" / "dup.yaml").write_text(
        "kind: peta-proses\ncode: A\ncode: B\nlevel: 0\nprocesses: []\n", encoding="utf-8"
    )
    (example_workspace / "peta" / "tag.yaml").write_text(
        "kind: peta-proses\ncode: !!python/object/apply:os.system [touch /tmp/pwned]\n",
        encoding="utf-8",
    )
    errors = _errors(load_workspace(example_workspace))
    assert errors["peta/dup.yaml"][0].line == 3
    assert "twice" in errors["peta/dup.yaml"][0].message["en"]
    assert "not allowed" in errors["peta/tag.yaml"][0].message["en"]


def test_cli_reports_the_rest_with_exit_code_2(example_workspace: Path) -> None:
    (example_workspace / "peta" / "rusak.yaml").write_text(
        "kind: peta-proses\n  code: [", encoding="utf-8"
    )
    code, out, err = run_cli(
        "check",
        str(example_workspace),
        "--format",
        "json",
        "--as-of",
        "2026-11-28",
        env={"PROBIS_LOAD_PLUGINS": "regulation"},
    )
    assert code == 2, err
    report = json.loads(out)
    assert report["input_errors"][0]["file"] == "peta/rusak.yaml"
    assert report["workspace"]["counts"]["processes"] == 1
    assert "Traceback" not in err
    assert "peta/rusak.yaml" in err


def test_not_a_workspace_is_a_usage_error(tmp_path: Path) -> None:
    code, out, err = run_cli("check", str(tmp_path))
    assert code == 2
    assert "probis.yaml" in err and "Traceback" not in err
