"""SARIF 2.1.0 (OASIS) for code-scanning tools and CI: ``probis check -f sarif``.

- ``tool.driver.rules``: every rule of the report, with its documentation (title, what it
  checks, basis, rationale, fix) in the chosen language; plugins appear as ``tool.extensions``.
- ``results``: one per finding. ``level`` maps error/warning/info to error/warning/note.
  Locations are relative to the audited workspace (``uriBaseId`` ``WORKSPACE``) with the
  start line where the loader knew it; the element (process, map, unit, ...) is a logical
  location. ``partialFingerprints`` carries the finding's stable fingerprint, so code-scanning
  services follow a finding across runs.
- Waived findings are results too, with an accepted external suppression carrying the
  waiver's reason and expiry, as SARIF intends for reviewed exceptions.
- Input errors (level error) and notices (level note) are ``toolExecutionNotifications`` of
  the invocation; plugin failures (ENG*) are results of their engine rule.

The file passes the published JSON schema (tests/reports/test_sarif.py validates it).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from ..i18n import pick
from .common import labels, sorted_findings

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "probis/v1"
BASE_ID = "WORKSPACE"


def render_sarif(report: dict[str, Any], lang: str = "id", **_: Any) -> str:
    rule_ids = sorted(report["rules"])
    index = {rid: i for i, rid in enumerate(rule_ids)}
    results = [_result(f, report, index, lang) for f in sorted_findings(report["findings"])]
    results += [_result(f, report, index, lang) for f in sorted_findings(report["engine_findings"])]
    results += [_result(f, report, index, lang) for f in sorted_findings(report["waived"])]
    ws = report["workspace"]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "probis",
                "version": report["probis"]["version"],
                "semanticVersion": report["probis"]["version"],
                "language": lang,
                "rules": [_rule(rid, report["rules"][rid], lang) for rid in rule_ids],
            },
            "extensions": [
                {"name": p["name"], **({"version": p["version"]} if p.get("version") else {}),
                 "properties": {"distribution": p.get("distribution"), "rules": p.get("rules", [])}}
                for p in report["run"]["plugins"]
            ],
        },
        "invocations": [{
            "executionSuccessful": True,
            "toolExecutionNotifications": (
                [_input_error(e, lang) for e in report["input_errors"]]
                + [_input_error(e, lang, "note") for e in report.get("notices", [])]),
        }],
        "originalUriBaseIds": {
            BASE_ID: {"description": {"text": f"{labels(lang)['workspace']}: {ws['name']}"}},
        },
        "artifacts": [
            {"location": _artifact(x["file"]), "hashes": {"sha-256": x["sha256"]},
             "properties": {"kind": x["kind"]}}
            for x in report["run"]["files"]
        ],
        "language": lang,
        "results": results,
        "properties": {
            "workspace": ws["name"], "instansi": ws.get("instansi"), "asOf": ws["as_of"],
            "score": report["score"], "grade": report["grade"],
        },
    }
    doc = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _rule(rid: str, info: dict[str, Any], lang: str) -> dict[str, Any]:
    L = labels(lang)
    setting = info.get("setting") or info.get("default_severity")
    help_parts = [
        (L["basis"], pick(info.get("basis"), lang)),
        (L["rationale"], pick(info.get("rationale"), lang)),
        (L["fix"], pick(info.get("fix"), lang)),
    ]
    out: dict[str, Any] = {
        "id": rid,
        "name": _identifier(pick(info.get("title"), "en")) or rid,
        "shortDescription": {"text": pick(info.get("title"), lang) or rid},
        "fullDescription": {"text": pick(info.get("checks"), lang) or pick(info.get("title"), lang)
                            or rid},
        "help": {
            "text": "\n".join(f"{head}: {body}" for head, body in help_parts if body),
            "markdown": "\n\n".join(f"**{head}**: {body}" for head, body in help_parts if body),
        },
        "defaultConfiguration": {
            "enabled": setting != "off",
            "level": LEVELS.get(setting if setting in LEVELS else info["default_severity"],
                                "warning"),
        },
        "properties": {
            "ruleSet": info["rule_set"], "tags": [info["rule_set"]],
            "defaultSeverity": info["default_severity"], "setting": setting,
            "plugin": info.get("plugin"),
        },
    }
    return out


def _result(f: dict[str, Any], report: dict[str, Any], index: dict[str, int],
            lang: str) -> dict[str, Any]:
    logical = {"name": f["element"], "kind": f["element_type"]}
    if f.get("map") and f["map"] != f["element"]:
        logical["fullyQualifiedName"] = f"{f['map']}/{f['element']}"
    location: dict[str, Any] = {"logicalLocations": [logical]}
    if f.get("file"):
        physical: dict[str, Any] = {"artifactLocation": _artifact(f["file"])}
        if f.get("line"):
            physical["region"] = {"startLine": f["line"]}
        location["physicalLocation"] = physical
    out: dict[str, Any] = {
        "ruleId": f["rule"],
        "level": LEVELS[f["severity"]],
        "message": {"text": pick(f["message"], lang)},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: f["fingerprint"]},
        "properties": {
            "ruleSet": f["rule_set"], "severity": f["severity"], "unit": f.get("unit"),
            "map": f.get("map"), "elementType": f["element_type"],
            "basis": pick(f["basis"], lang), "fix": pick(f["fix"], lang),
        },
    }
    if f["rule"] in index:
        out["ruleIndex"] = index[f["rule"]]
    if f.get("waiver"):
        w = f["waiver"]
        out["suppressions"] = [{
            "kind": "external", "status": "accepted",
            "justification": w["reason"],
            "location": {"physicalLocation": {
                "artifactLocation": _artifact(w["file"]),
                **({"region": {"startLine": w["line"]}} if w.get("line") else {})}},
            "properties": {"approvedBy": w.get("approved_by"), "expires": w["expires"]},
        }]
    return out


def _input_error(e: dict[str, Any], lang: str, level: str = "error") -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _artifact(e["file"])}
    if e.get("line"):
        physical["region"] = {"startLine": e["line"]}
    return {
        "level": level,
        "message": {"text": pick(e["message"], lang)},
        "locations": [{"physicalLocation": physical}],
        "descriptor": {"id": f"input/{e.get('code') or 'input'}"},
        "properties": {"field": e.get("field")},
    }


def _artifact(path: str) -> dict[str, Any]:
    # workspace-relative POSIX paths; percent-encode what a URI reference may not contain
    return {"uri": quote(path, safe="/-._~"), "uriBaseId": BASE_ID}


def _identifier(title: str) -> str:
    """PascalCase identifier from an English rule title (SARIF's ``name``)."""
    words = re.findall(r"[A-Za-z0-9]+", title)
    return "".join(w[:1].upper() + w[1:] for w in words)
