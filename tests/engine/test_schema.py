"""The JSON Schema of format v1 (engine/schema.py): shipped up to date, every documented example
and the sample city valid against it, and on broken files it blames the field probis blames."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from format_examples import write_example_workspace, yaml_blocks
from probis.engine import schema
from probis.engine.cli import main
from probis.engine.loader import load_workspace
from testkit import ROOT, SAMPLE_CITY

DOCS = [ROOT / "docs" / "format.md", ROOT / "docs" / "format.id.md",
        ROOT / "docs" / "format-extensions.md"]


@pytest.fixture(scope="module")
def kinds() -> dict[str, Any]:
    return schema.builtin_kinds()


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    body = json.loads(schema.shipped("en")[schema.file_name(schema.COMBINED)])
    jsonschema.Draft202012Validator.check_schema(body)
    return jsonschema.Draft202012Validator(body)


def as_editor_reads(value: Any) -> Any:
    """What a YAML editor validates: dates are text, mapping keys are text."""
    if isinstance(value, dict):
        return {str(k): as_editor_reads(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_editor_reads(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def schema_errors(validator: jsonschema.Draft202012Validator, text: str) -> list[str]:
    data = as_editor_reads(yaml.safe_load(text))
    return sorted(".".join(str(p) for p in e.absolute_path) or "<root>"
                  for e in validator.iter_errors(data))


@pytest.mark.parametrize("lang", schema.LANGS)
def test_shipped_schema_is_what_the_models_generate(kinds: dict[str, Any], lang: str) -> None:
    assert schema.shipped(lang) == schema.generate(kinds, lang), (
        "engine/schemas is stale: run `python -m probis.engine.schema` and commit the result")


def test_every_kind_and_every_field_is_described(kinds: dict[str, Any]) -> None:
    for lang in schema.LANGS:
        for kind in kinds:
            body = json.loads(schema.shipped(lang)[schema.file_name(kind)])
            assert body.get("description"), kind
            for name, node in [("<root>", body), *body.get("$defs", {}).items()]:
                for field, prop in node.get("properties", {}).items():
                    assert prop.get("description"), f"{lang}: {kind} {name}.{field}"
    # one language at a time
    assert json.loads(schema.shipped("id")["sotk.schema.json"])["properties"]["units"][
        "description"] == "Daftar unit organisasi"


def every_yaml_block(markdown: str) -> list[tuple[int, str]]:
    """(line, text) of every ```yaml and ```yml block, a fragment of probis.yaml (no `kind:`)
    as a whole workspace document: yaml_blocks keeps one block per kind, with a kind only."""
    out = []
    for match in re.finditer(r"^```ya?ml\n(.*?)^```", markdown, flags=re.S | re.M):
        body = match.group(1)
        if not re.search(r"^kind:", body, flags=re.M):
            body = "kind: workspace\n" + body
        out.append((markdown.count("\n", 0, match.start()) + 1, body))
    assert len(out) == len(re.findall(r"^```ya?ml$", markdown, flags=re.M))  # none skipped
    return out


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_documented_example_is_valid(validator: Any, doc: Path) -> None:
    markdown = doc.read_text(encoding="utf-8")
    assert yaml_blocks(markdown)
    blocks = every_yaml_block(markdown)
    kinds = schema.builtin_kinds()
    for line, body in blocks:
        assert schema_errors(validator, body) == [], f"{doc.name}:{line}"
        data = yaml.safe_load(body)
        if data["kind"] == "workspace":  # what the schema accepts, the loader accepts too
            kinds["workspace"].model_validate(data)


def test_the_sample_city_is_valid(validator: Any) -> None:
    files = sorted(p for p in SAMPLE_CITY.rglob("*.yaml"))
    assert len(files) > 30
    for path in files:
        assert schema_errors(validator, path.read_text(encoding="utf-8")) == [], path


def test_the_v1_examples_are_valid(validator: Any, tmp_path: Path) -> None:
    root = write_example_workspace(tmp_path / "ws")
    for path in sorted(root.rglob("*.yaml")):
        assert schema_errors(validator, path.read_text(encoding="utf-8")) == [], path


MAP = """kind: peta-proses
code: "PB.01"
level: 1
parent: "PB"
processes:
  - code: "PB.01.01"
    name: Pelayanan
    category: inti
"""
LF = """kind: peta-lintas-fungsi
process: "PB.01.01"
steps:
  - {id: s1, type: start}
  - {id: s2, type: end}
flows:
  - {from: s1, to: s2}
"""

# broken file, the field as probis names it, the same field as the schema's path
BROKEN = [
    ("number-code", MAP.replace('"PB.01.01"', "1.10"), "processes[0].code", "processes.0.code"),
    ("level-text", MAP.replace("level: 1", "level: satu"), "level", "level"),
    ("bad-step-type", LF.replace("type: end", "type: proses"), "steps[1].type", "steps.1.type"),
    ("bad-status", MAP.replace("level: 1", "level: 1\nstatus: selesai"), "status", "status"),
    ("flow-no-target", LF.replace("{from: s1, to: s2}", "{from: s1}"), "flows[0].to", "flows.0"),
]


@pytest.mark.parametrize(("name", "body", "probis_field", "schema_path"), BROKEN,
                         ids=[b[0] for b in BROKEN])
def test_schema_and_probis_blame_the_same_field(validator: Any, tmp_path: Path, name: str,
                                                body: str, probis_field: str,
                                                schema_path: str) -> None:
    root = tmp_path / "ws"
    (root / "peta").mkdir(parents=True)
    (root / "probis.yaml").write_text("kind: workspace\nmaps: peta/\n", encoding="utf-8")
    (root / "peta" / "doc.yaml").write_text(body, encoding="utf-8")
    ws = load_workspace(root)
    assert [e.field for e in ws.input_errors] == [probis_field]
    errors = schema_errors(validator, body)
    assert errors and all(e == schema_path for e in errors), errors
    # a missing field: the schema names the mapping, probis the field in it
    assert probis_field.replace("[", ".").replace("]", "").startswith(schema_path)


def test_modeline_points_at_the_workspace_copy(tmp_path: Path) -> None:
    target = tmp_path / "peta" / "dinkes" / "PB.01.yaml"
    line = schema.modeline(target, "peta-proses", tmp_path)
    assert line == ("# yaml-language-server: $schema="
                    "../../.probis/schema/peta-proses.schema.json\n")
    copy = (target.parent / line.split("=", 1)[1].strip()).resolve()
    assert copy.read_text(encoding="utf-8") == schema.shipped("id")["peta-proses.schema.json"]
    # an unknown (plugin) kind gets the combined schema; an old modeline is replaced
    text = schema.with_modeline(line + "kind: contoh-sop\n", target, "contoh-sop", tmp_path)
    assert text == ("# yaml-language-server: $schema=../../.probis/schema/probis.schema.json\n"
                    "kind: contoh-sop\n")
    # the workspace copy is not read as documents
    (tmp_path / "probis.yaml").write_text("kind: workspace\n", encoding="utf-8")
    assert load_workspace(tmp_path).input_errors == []


def test_schema_command(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                        monkeypatch: pytest.MonkeyPatch) -> None:
    # `probis schema` writes the kinds of every installed plugin; the shipped files hold the
    # built-ins' only, so compare with the built-in plugins loaded (a third-party plugin such
    # as the SOP tutorial may be installed: tests/plugins/test_suite_with_a_plugin_installed.py)
    from importlib.metadata import entry_points

    builtin = sorted(ep.name for ep in entry_points(group="probis")
                     if ep.value.startswith("probis.plugins."))
    monkeypatch.setenv("PROBIS_LOAD_PLUGINS", ",".join(builtin))
    main(["schema", "--kind", "sotk", "--lang", "en"])
    assert capsys.readouterr().out == schema.shipped("en")["sotk.schema.json"]
    main(["schema", "-o", str(tmp_path / "out")])
    written = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "out").iterdir()}
    assert written == schema.shipped("id")
    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        main(["schema", "--kind", "peta"])
    assert done.value.code == 2
    assert re.search(r"kind `peta` tidak dikenal", capsys.readouterr().err)
