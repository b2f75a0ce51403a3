"""`probis rules`, `probis explain` and the generated rule pages for the regulation rule set."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from probis.engine.cli import cli
from probis.engine.docs import write_docs, write_facts
from probis.engine.plugins import build_registry
from testkit import ROOT

REGULATION_IDS = [f"REG{i:03d}" for i in range(1, 14)] + [f"FLW{i:03d}" for i in range(1, 7)]
DOCS = ROOT / "docs" / "rules"
FACTS = ROOT / "docs" / "facts.md"


@pytest.fixture
def regulation_only(only_plugins) -> None:
    only_plugins("regulation")


def test_rules_lists_all_19_regulation_rules(regulation_only) -> None:
    result = CliRunner().invoke(cli, ["rules", "--rule-set", "regulation", "--lang", "en"])
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.output.splitlines()[2:] if line.strip()]
    assert [row[0] for row in rows] == sorted(REGULATION_IDS)
    registry = build_registry()
    for row in rows:
        info = registry.info(row[0])
        assert row[1] == info.severity and row[2] == "regulation"
        assert " ".join(row[3:]) == info.title["en"]


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("rule_id", REGULATION_IDS)
def test_explain_prints_full_documentation(rule_id: str, lang: str, regulation_only) -> None:
    result = CliRunner().invoke(cli, ["explain", rule_id.lower(), "--lang", lang])
    assert result.exit_code == 0, result.output
    info = build_registry().info(rule_id)
    out = result.output
    assert out.startswith(f"# {rule_id}: {info.title[lang]}")
    for key in ("checks", "rationale", "basis", "fix"):
        assert getattr(info, key)[lang] in out, key
    assert info.example_fail and info.example_fail in out
    assert info.example_pass and info.example_pass in out
    headings = ("## Contoh yang gagal", "## Cara memperbaiki") if lang == "id" else (
        "## Failing example", "## How to fix")
    assert all(h in out for h in headings)


def test_regulation_metadata_is_complete_and_bilingual(regulation_only) -> None:
    registry = build_registry()
    for rule_id in REGULATION_IDS:
        info = registry.info(rule_id)
        for key in ("title", "checks", "basis", "rationale", "fix"):
            text = getattr(info, key)
            assert text["id"] and text["en"] and text["id"] != text["en"], (rule_id, key)
        # a real instrument or plain practice (tests/engine/test_basis_citable.py)
        assert "PermenPANRB" in info.basis["en"] or "good practice" in info.basis["en"], rule_id
        assert info.applies_to and info.source


def test_committed_rule_pages_equal_a_fresh_generation(tmp_path: Path) -> None:
    """docs/rules/ is generated from metadata (python -m probis.engine.docs docs/rules)."""
    fresh = tmp_path / "rules"
    write_docs(fresh)
    generated = {p.name: p.read_text(encoding="utf-8") for p in fresh.iterdir()}
    committed = {p.name: p.read_text(encoding="utf-8") for p in DOCS.iterdir()}
    assert sorted(committed) == sorted(generated), (
        "docs/rules is out of date: run `python -m probis.engine.docs docs/rules`")
    stale = [name for name in generated if committed[name] != generated[name]]
    assert not stale, f"stale pages {stale}: run `python -m probis.engine.docs docs/rules`"
    assert {f"{rid}.md" for rid in REGULATION_IDS} <= set(generated)


def test_committed_facts_page_equals_a_fresh_generation(tmp_path: Path) -> None:
    """docs/facts.md is generated from the declared fact kinds by the same command."""
    fresh = write_facts(tmp_path / "facts.md")
    assert FACTS.exists(), "docs/facts.md is missing: run `python -m probis.engine.docs docs/rules`"
    assert FACTS.read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8"), (
        "docs/facts.md is out of date: run `python -m probis.engine.docs docs/rules`")
    text = fresh.read_text(encoding="utf-8")
    for kind in ("process", "map", "lf-map", "lane", "step", "unit", "indicator"):
        assert f"\n## {kind}\n" in text, kind
    assert "| `owner_count` | integer | number of owners written" in text
