"""JUnit XML: failures per failed check, aggregated passes, waivers skipped; numbers add up."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from probis.engine.render.junit import render_junit


def test_junit_parses_and_adds_up_to_the_score(report: dict) -> None:
    root = ET.fromstring(render_junit(report, lang="en").encode("utf-8"))
    assert root.tag == "testsuites"
    cases = root.findall("./testsuite/testcase")
    failures = [c for c in cases if c.find("failure") is not None]
    skipped = [c for c in cases if c.find("skipped") is not None]
    passing = [c for c in cases if len(c) == 0]
    # one failing case per failed check (rule x element), as the score counts them
    assert len(failures) == report["scores"]["workspace"]["failed"] > 0
    assert len(skipped) == len(report["waived"]) == 1
    passed = 0
    for case in passing:
        count, total = case.get("name").split(": ")[1].split(" ")[0].split("/")
        passed += int(count)
    assert passed == report["scores"]["workspace"]["passed"]
    assert int(root.get("tests")) == len(cases)
    assert int(root.get("failures")) == len(failures)
    for suite in root.findall("testsuite"):
        assert int(suite.get("tests")) == len(suite.findall("testcase"))


def test_failure_carries_message_location_basis_and_fix(report: dict) -> None:
    root = ET.fromstring(render_junit(report, lang="id").encode("utf-8"))
    failure = root.find(".//testcase[@name='REG001 process PB.04.03.01']/failure")
    assert failure is not None
    f = next(x for x in report["findings"] if x["rule"] == "REG001")
    assert failure.get("message") == f["message"]["id"]  # markup survives as text
    assert "<script>" in failure.get("message")
    assert f"Lokasi: {f['file']}:{f['line']}" in failure.text
    assert f["basis"]["id"] in failure.text and f["fix"]["id"] in failure.text


def test_control_characters_do_not_break_the_xml(report: dict) -> None:
    import copy

    bad = copy.deepcopy(report)
    bad["findings"][0]["message"] = {"id": "a\x00b\x1bc", "en": "a\x00b\x1bc"}
    ET.fromstring(render_junit(bad).encode("utf-8"))
