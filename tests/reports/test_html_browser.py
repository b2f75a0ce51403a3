"""The sample city's HTML report in a real headless Chromium (Debian's ``chromium`` package).

Checks that the summary, the OPD chapters and the signature block render with a real size,
that the top-five links land on findings, that the filter controls appear once the script
runs and that choosing a severity hides the other findings.
A screenshot is kept as test-artifacts/report.png (ignored by git) for a human look.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .browser import PipeBrowser, find_chromium
from .conftest import ROOT, SAMPLE_CITY, run_cli

ARTIFACT = ROOT / "test-artifacts" / "report.png"
CHROMIUM = find_chromium()

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                                "(apt-get install chromium); CI installs it in .ci/run")


@pytest.fixture(scope="module")
def page(city: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("browser")
    env = {} if city == SAMPLE_CITY else {"PROBIS_LOAD_PLUGINS": "regulation"}
    code, _, stderr = run_cli("check", str(city), "-f", "html", "-o", str(out / "report.html"),
                              "-f", "json", "-o", str(out / "report.json"),
                              "--as-of", "2026-11-28", "--lang", "en", env=env)
    assert code in (0, 1, 2) and "Traceback" not in stderr, stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert CHROMIUM is not None
    with PipeBrowser(CHROMIUM) as browser:
        browser.open((out / "report.html").as_uri())
        yield browser, report


def _box(browser: PipeBrowser, selector: str) -> dict:
    return browser.eval(
        f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
        " if (!e) return null; const r = e.getBoundingClientRect();"
        " return {w: r.width, h: r.height}; })()")


def test_summary_and_chapters_render(page) -> None:
    browser, report = page
    for part in ("#cover", "#top-five", "#unit-table", "section.chapter", "#signature-block"):
        box = _box(browser, part)
        assert box and box["w"] > 200 and box["h"] > 20, (part, box)
    units = {f.get("unit") or "" for f in report["findings"]}
    chapters = browser.eval("Array.from(document.querySelectorAll('section.chapter'))"
                            ".map(c => c.dataset.unit)")
    assert units <= set(chapters)
    # every top-five link lands on a finding that exists
    targets = browser.eval("Array.from(document.querySelectorAll('#top-five a'))"
                           ".map(a => !!document.querySelector(a.getAttribute('href')))")
    assert targets and all(targets)


def test_findings_render_and_filter_by_severity(page) -> None:
    browser, report = page
    visible = ("Array.from(document.querySelectorAll('li.finding'))"
               ".filter(r => r.offsetParent !== null).length")
    assert browser.eval(visible) == len(report["findings"]) > 0
    # the script has revealed the filter controls
    assert _box(browser, "#filters")["h"] > 0
    hidden_some = False
    for severity in ("error", "warning", "info", ""):
        browser.eval("(() => { const s = document.getElementById('filter-severity');"
                     f" s.value = {json.dumps(severity)};"
                     " s.dispatchEvent(new Event('change')); })()")
        expected = sum(1 for f in report["findings"] if severity in ("", f["severity"]))
        options = browser.eval("Array.from(document.querySelectorAll('#filter-severity option'))"
                               ".map(o => o.value)")
        if severity not in options:
            continue  # the filter offers only severities that occur
        assert browser.eval(visible) == expected, severity
        hidden_some |= expected < len(report["findings"])
        assert browser.eval("document.getElementById('shown-count').textContent") == str(expected)
        shown = browser.eval("Array.from(document.querySelectorAll('li.finding'))"
                             ".filter(r => r.offsetParent !== null)"
                             ".map(r => r.dataset.severity)")
        assert all(severity in ("", s) for s in shown)
    assert hidden_some, "the report needs findings of two severities to test the filter"


def test_screenshot_is_kept(page) -> None:
    browser, _ = page
    data = browser.screenshot(ARTIFACT)
    assert data.startswith(b"\x89PNG") and len(data) > 10_000
