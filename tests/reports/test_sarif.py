"""SARIF 2.1.0: valid against the published OASIS schema, with rules, levels, locations,
fingerprints and waivers as suppressions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from probis.engine.render.sarif import render_sarif

REPO = Path(__file__).resolve().parents[2]
# vendored from ../shared/schemas (tests/corpora/README.md)
SCHEMA = REPO / "tests" / "corpora" / "sarif" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_sarif_is_valid_against_the_schema(report: dict, validator, lang: str) -> None:
    doc = json.loads(render_sarif(report, lang=lang))
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_schema_validation_catches_a_broken_document(report: dict, validator) -> None:
    doc = json.loads(render_sarif(report))
    doc["runs"][0]["results"][0]["level"] = "fatal"  # not a SARIF level
    assert list(validator.iter_errors(doc))


def test_rules_results_and_locations(report: dict) -> None:
    doc = json.loads(render_sarif(report, lang="en"))
    run = doc["runs"][0]
    assert doc["version"] == "2.1.0"
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(report["rules"])
    reg005 = next(r for r in rules if r["id"] == "REG005")
    assert reg005["shortDescription"]["text"] == report["rules"]["REG005"]["title"]["en"]
    assert reg005["fullDescription"]["text"] == report["rules"]["REG005"]["checks"]["en"]
    assert report["rules"]["REG005"]["fix"]["en"] in reg005["help"]["text"]
    assert reg005["name"] == "EveryProcessHasAnOutputAndACustomer"

    results = run["results"]
    active = [r for r in results if "suppressions" not in r]
    assert len(active) == len(report["findings"])
    by_fp = {f["fingerprint"]: f for f in report["findings"] + report["waived"]}
    for r in results:
        f = by_fp[r["partialFingerprints"]["probis/v1"]]
        assert r["ruleId"] == f["rule"]
        assert rules[r["ruleIndex"]]["id"] == f["rule"]
        assert r["level"] == {"error": "error", "warning": "warning", "info": "note"}[f["severity"]]
        loc = r["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"] == {"uri": f["file"], "uriBaseId": "WORKSPACE"}
        assert not loc["artifactLocation"]["uri"].startswith("/")
        assert loc["region"]["startLine"] == f["line"]
        assert r["locations"][0]["logicalLocations"][0]["name"] == f["element"]

    waived = [r for r in results if "suppressions" in r]
    assert len(waived) == len(report["waived"]) == 1
    sup = waived[0]["suppressions"][0]
    assert sup["status"] == "accepted" and "Bagian Organisasi" in sup["justification"]
    assert sup["properties"]["expires"] == "2027-12-31"


def test_messages_follow_the_language(report: dict) -> None:
    en = json.loads(render_sarif(report, lang="en"))["runs"][0]
    idn = json.loads(render_sarif(report, lang="id"))["runs"][0]
    assert {r["message"]["text"] for r in idn["results"]} >= {
        f["message"]["id"] for f in report["findings"]}
    assert {r["message"]["text"] for r in en["results"]} >= {
        f["message"]["en"] for f in report["findings"]}
    notes = idn["invocations"][0]["toolExecutionNotifications"]
    assert len(notes) == len(report["input_errors"]) + len(report["notices"])
