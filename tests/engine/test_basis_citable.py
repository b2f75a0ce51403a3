"""A basis an auditor can cite (issue 18, point 4).

An Inspektorat signs what probis reports, so every text a user reads must cite an instrument
they can look up (type, number, year) or say plainly that the rule rests on good practice. The
team's internal notes (section signs of the domain brief, candidate ids such as R11, its
confidence tags [S]/[U]/[V], the rules catalogue) must never leak into rule documentation,
`probis explain`, the generated rule pages or the messages of an audit.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from probis.engine.cli import cli
from probis.engine.engine_rules import ENGINE_RULES
from probis.engine.plugins import build_registry
from probis.engine.rule import DeclarativeRule, RuleInfo
from probis.engine.rulefile import load_rule_paths
from testkit import AS_OF, ROOT, SAMPLE_CITY, run_cli

INTERNAL_REFERENCES = {
    "domain section": re.compile(r"domain\s*§"),
    "section sign": re.compile(r"§"),
    "candidate id": re.compile(r"\bR\d{1,2}\b"),
    "candidate": re.compile(r"candidate R", re.IGNORECASE),
    "usulan": re.compile(r"usulan R", re.IGNORECASE),
    "rules catalogue": re.compile(r"rules-catalog", re.IGNORECASE),
    "confidence tag": re.compile(r"\[[SUV]\]"),
}

# a real instrument: type and number/year (PermenPANRB 19/2018, Kepmendagri 050-5889/2021,
# PP 18/2016, Peraturan BPK 1/2017, ...)
INSTRUMENT = re.compile(
    r"\b(?:PermenPANRB|Permendagri|Kepmendagri|PP|Perpres|UU|Peraturan BPK)"
    r"\s+(?:No\.\s*)?[\d.-]+/\d{4}\b")
GOOD_PRACTICE = {"id": re.compile(r"praktik baik", re.IGNORECASE),
                 "en": re.compile(r"good practice", re.IGNORECASE)}
# practice examples that are never a basis by themselves
EXAMPLE_ONLY = re.compile(r"Pergub DKI 139/2019|SK Bupati Sinjai")

DOC_FIELDS = ("title", "checks", "basis", "rationale", "fix")
SOP_PLUGIN = ROOT / "examples" / "probis-plugin-sop"


def _sop_rules() -> list[Any]:
    """The example plugin's rules, read from its source folder (no pip install needed)."""
    sys.path.insert(0, str(SOP_PLUGIN))
    try:
        import probis_plugin_sop
    finally:
        sys.path.remove(str(SOP_PLUGIN))
    folder = SOP_PLUGIN / "probis_plugin_sop" / "rules"
    rules = list(load_rule_paths(sorted(folder.glob("*.yaml"))))
    rules += [cls() for cls in probis_plugin_sop.PYTHON_RULES]
    return rules


REGISTRY_RULES = build_registry().rules
SOP_RULES = {r.info.id: r for r in _sop_rules()}
ALL_INFOS: dict[str, RuleInfo] = ({rid: r.info for rid, r in REGISTRY_RULES.items()}
                                  | ENGINE_RULES | {rid: r.info for rid, r in SOP_RULES.items()})
CASES = {rid: r.cases for rid, r in (REGISTRY_RULES | SOP_RULES).items()
         if isinstance(r, DeclarativeRule)}


def _leaks(text: str) -> list[str]:
    return [f"{name} ({m.group(0)!r})" for name, pattern in INTERNAL_REFERENCES.items()
            if (m := pattern.search(text))]


def test_the_rule_list_covers_every_rule_set() -> None:
    ids = set(ALL_INFOS)
    for prefix in ("ALN", "ENG", "FLW", "OVL", "REG", "STR", "SOP"):
        assert any(rid.startswith(prefix) for rid in ids), prefix


@pytest.mark.parametrize("rule_id", sorted(ALL_INFOS))
def test_rule_documentation_has_no_internal_reference(rule_id: str) -> None:
    info = ALL_INFOS[rule_id]
    problems = []
    for field in DOC_FIELDS:
        for lang in ("id", "en"):
            problems += [f"{rule_id}.{field}[{lang}]: {leak}"
                         for leak in _leaks(getattr(info, field).get(lang, ""))]
    for field in ("example_fail", "example_pass"):
        problems += [f"{rule_id}.{field}: {leak}" for leak in _leaks(getattr(info, field))]
    for n, case in enumerate(CASES.get(rule_id, ())):  # a rule file's message templates
        for lang in ("id", "en"):
            problems += [f"{rule_id}.cases[{n}].message[{lang}]: {leak}"
                         for leak in _leaks(case.message.get(lang, ""))]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("rule_id", sorted(ALL_INFOS))
def test_basis_names_an_instrument_or_says_good_practice(rule_id: str) -> None:
    basis = ALL_INFOS[rule_id].basis
    for lang in ("id", "en"):
        text = basis.get(lang, "")
        assert text, f"{rule_id}.basis[{lang}] is empty"
        assert INSTRUMENT.search(text) or GOOD_PRACTICE[lang].search(text), (
            f"{rule_id}.basis[{lang}] names no instrument (PermenPANRB n/yyyy, Permendagri, "
            f"Kepmendagri, PP, Perpres, UU, Peraturan BPK) and does not say "
            f"{'praktik baik' if lang == 'id' else 'good practice'}: {text!r}")
        # an example region's instrument is cited only beside a real basis or as practice
        if EXAMPLE_ONLY.search(text):
            without = EXAMPLE_ONLY.sub("", text)
            assert INSTRUMENT.search(without) or GOOD_PRACTICE[lang].search(text), (
                f"{rule_id}.basis[{lang}] rests on an example region's instrument: {text!r}")


@pytest.mark.parametrize("rule_id", sorted(ALL_INFOS))
def test_an_example_region_is_named_only_as_an_example(rule_id: str) -> None:
    """Pergub DKI 139/2019 may illustrate practice; it is never the basis for another region."""
    for lang, word in (("id", "contoh"), ("en", "example")):
        for sentence in re.split(r"(?<=\.)\s+", ALL_INFOS[rule_id].basis.get(lang, "")):
            if EXAMPLE_ONLY.search(sentence):
                assert word in sentence.lower(), (
                    f"{rule_id}.basis[{lang}] cites a region's instrument without calling it "
                    f"an example: {sentence!r}")


def test_aln001_rests_on_the_national_instruments() -> None:
    basis = ALL_INFOS["ALN001"].basis
    for lang in ("id", "en"):
        assert "PermenPANRB 19/2018" in basis[lang] and "PermenPANRB 89/2021" in basis[lang]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_explain_output_has_no_internal_reference(lang: str) -> None:
    registry = build_registry()
    problems = []
    runner = CliRunner()
    for rule_id in sorted({*registry.rules, *ENGINE_RULES}):
        result = runner.invoke(cli, ["explain", rule_id, "--lang", lang])
        assert result.exit_code == 0, result.output
        problems += [f"probis explain {rule_id} --lang {lang}: {leak}"
                     for leak in _leaks(result.output)]
    assert not problems, "\n".join(problems)


def test_generated_rule_pages_have_no_internal_reference() -> None:
    pages = sorted((ROOT / "docs" / "rules").glob("*.md"))
    assert len(pages) > 30
    problems = [f"docs/rules/{page.name}: {leak}" for page in pages
                for leak in _leaks(page.read_text(encoding="utf-8"))]
    assert not problems, "\n".join(problems)


def _texts(report: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(where, text) of everything user-facing that a rule wrote into the JSON report."""
    for section in ("findings", "waived", "engine_findings"):
        for item in report.get(section) or []:
            for key in ("message", "basis", "fix"):
                value = item.get(key) or {}
                for lang, text in (value.items() if isinstance(value, dict) else [("", value)]):
                    yield f"{section} {item.get('rule')} {item.get('element')} {key}[{lang}]", text
    for rule_id, meta in (report.get("rules") or {}).items():
        for key in DOC_FIELDS:
            for lang, text in (meta.get(key) or {}).items():
                yield f"rules {rule_id} {key}[{lang}]", text


def test_audit_of_the_sample_city_has_no_internal_reference(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    code, _, err = run_cli("check", str(SAMPLE_CITY), "-f", "json", "-o", str(out),
                           "--as-of", AS_OF.isoformat(), "-j", "1")
    assert code in (0, 1), err
    report = json.loads(out.read_text(encoding="utf-8"))
    texts = list(_texts(report))
    assert sum(1 for where, _ in texts if " basis[" in where) > 20  # findings were scanned
    problems = [f"{where}: {leak}" for where, text in texts for leak in _leaks(str(text))]
    assert not problems, "\n".join(problems)
