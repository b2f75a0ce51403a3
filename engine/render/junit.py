"""JUnit XML for CI systems (GitLab, Jenkins, GitHub test reporters): ``probis check -f junit``.

Test cases, one ``<testsuite>`` per rule set:

- every failed check, i.e. every (rule, element) with an active finding, is one test case
  with a ``<failure>`` (type = severity; text = message, location, basis, fix). Several
  findings of one rule on one element fail one check, as in the score, and share the case;
- passing checks are aggregated: one passing test case per (rule, map, unit) carrying the
  number of checks that passed there (from ``report["checks"]``);
- waived findings are ``<skipped>`` cases with the waiver's reason and expiry;
- plugin failures (ENG*) and input errors are ``<error>`` cases.

Why aggregate the passes: one case per passing (rule, element) would be a list of millions of
cases at national scale (every rule times every step of every map), which neither the report
dict nor a CI page can hold; the runner deliberately keeps only counts per (rule, severity,
map, unit). Failures stay individual because each one needs its own fix. The count of cases
is therefore bounded by failures + rules x maps, and the pass/fail numbers still add up to
the score's applicable checks.

No timestamps or durations are written (``time="0"``), so the file is deterministic.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from ..i18n import pick
from .common import labels, location, rule_title, sorted_findings

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render_junit(report: dict[str, Any], lang: str = "id", **_: Any) -> str:
    L = labels(lang)
    suites: dict[str, list[ET.Element]] = {}

    failed_cases: dict[tuple[str, str, str], ET.Element] = {}
    for f in sorted_findings(report["findings"]):
        key = (f["rule"], f["element_type"], f["element"])
        case = failed_cases.get(key)
        text = _describe(f, lang)
        if case is None:
            case = _case(f["rule_set"], f["rule"], _check_name(f), report, lang)
            failure = ET.SubElement(case, "failure", type=f["severity"],
                                    message=pick(f["message"], lang))
            failure.text = text
            failed_cases[key] = case
            suites.setdefault(f["rule_set"], []).append(case)
        else:
            failure = case.find("failure")
            assert failure is not None
            failure.text = (failure.text or "") + "\n\n" + text

    rule_set_of = {rid: info["rule_set"] for rid, info in report["rules"].items()}
    for row in report.get("checks", []):
        if row["passed"] <= 0:
            continue
        scope = row["map"] or row["unit"] or report["workspace"]["name"]
        rs = rule_set_of.get(row["rule"], "?")
        name = f"{row['rule']} {scope}: {row['passed']}/{row['applicable']} {L['passed_checks']}"
        case = _case(rs, row["rule"], name, report, lang)
        suites.setdefault(rs, []).append(case)

    for f in sorted_findings(report["waived"]):
        w = f["waiver"]
        case = _case(f["rule_set"], f["rule"], _check_name(f), report, lang)
        ET.SubElement(case, "skipped", message=f"{L['waived']}: {w['reason']} "
                                               f"({L['expires']} {w['expires']})")
        suites.setdefault(f["rule_set"], []).append(case)

    for f in report["engine_findings"]:
        case = _case(f["rule_set"], f["rule"], f"{f['rule']} {f['element']}", report, lang)
        error = ET.SubElement(case, "error", type=f["severity"], message=pick(f["message"], lang))
        error.text = _describe(f, lang)
        suites.setdefault(f["rule_set"], []).append(case)

    for e in report["input_errors"]:
        where = location(e) + (f" ({e['field']})" if e.get("field") else "")
        case = ET.Element("testcase", classname="input", name=where, time="0")
        error = ET.SubElement(case, "error", type=e.get("code") or "input",
                              message=pick(e["message"], lang))
        error.text = f"{where}: {pick(e['message'], lang)}"
        suites.setdefault("input", []).append(case)

    root = ET.Element("testsuites", name=f"probis {report['workspace']['name']}")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for rs in sorted(suites):
        cases = suites[rs]
        counts = {
            "tests": len(cases),
            "failures": sum(1 for c in cases if c.find("failure") is not None),
            "errors": sum(1 for c in cases if c.find("error") is not None),
            "skipped": sum(1 for c in cases if c.find("skipped") is not None),
        }
        suite = ET.SubElement(root, "testsuite", name=rs,
                              **{k: str(v) for k, v in counts.items()}, time="0")
        props = ET.SubElement(suite, "properties")
        for pname, value in (("as_of", report["workspace"]["as_of"]),
                             ("probis_version", report["probis"]["version"]),
                             ("score", str(report["scores"]["by_rule_set"].get(rs, {})
                                           .get("score", "")))):
            ET.SubElement(props, "property", name=pname, value=value)
        suite.extend(cases)
        for k in totals:
            totals[k] += counts[k]
    for k, v in totals.items():
        root.set(k, str(v))
    root.set("time", "0")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    # ElementTree escapes markup but passes control characters through, which XML 1.0 forbids
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + _XML_INVALID.sub("\ufffd", body) + "\n"


def _case(rule_set: str, rule: str, name: str, report: dict[str, Any], lang: str) -> ET.Element:
    title = rule_title(report, rule, lang)
    classname = f"{rule_set}.{rule}" + (f" {title}" if title else "")
    return ET.Element("testcase", classname=classname, name=name, time="0")


def _describe(f: dict[str, Any], lang: str) -> str:
    L = labels(lang)
    lines = [pick(f["message"], lang)]
    where = location(f)
    if where:
        lines.append(f"{L['location']}: {where}")
    lines.append(f"{L['basis']}: {pick(f['basis'], lang)}")
    lines.append(f"{L['fix']}: {pick(f['fix'], lang)}")
    return "\n".join(lines)


def _check_name(f: dict[str, Any]) -> str:
    return f"{f['rule']} {f['element_type']} {f['element']}"
