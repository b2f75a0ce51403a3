"""The HTML report: self-contained, escaped, with charts, filterable findings and metadata."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from probis.engine.render.html import render_html


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def _parse(html: str) -> _Collect:
    parser = _Collect()
    parser.feed(html)
    return parser


def test_no_external_resource_at_all(report: dict) -> None:
    html = render_html(report, lang="id")
    parsed = _parse(html)
    for tag, attrs in parsed.tags:
        for name in ("src", "href", "srcset", "action", "data", "poster", "xlink:href"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), (tag, name, value)
        assert not (tag == "link" or tag == "iframe" or tag == "img"), tag
    assert "url(" not in html and "@import" not in html
    assert not re.search(r"https?://", html), "no URL of any kind in the report"
    assert "fetch(" not in html and "XMLHttpRequest" not in html


def test_all_text_is_escaped(report: dict) -> None:
    html = render_html(report, lang="en")
    parsed = _parse(html)
    # the only script is ours; the process name's <script> arrives as text
    assert len([t for t, _ in parsed.tags if t == "script"]) == 1
    assert ("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;Lahir&#34;" in html
            or "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Lahir&quot;" in html)
    assert "Sedang direvisi &lt;b&gt;bersama&lt;/b&gt; Bagian Organisasi" in html


def test_content(report: dict) -> None:
    html = render_html(report, lang="id")
    parsed = _parse(html)
    # page 1: cover and executive summary with the grade, top five and counts per OPD
    assert '<span class="big grade grade-' in html and 'id="top-five"' in html
    assert html.index('id="cover"') < html.index('id="top-five"') < html.index('id="unit-table"')
    items = [a for t, a in parsed.tags if t == "li" and a.get("class") == "finding"]
    assert len(items) == len(report["findings"])
    assert all(a["data-severity"] in ("error", "warning", "info") and a["data-rule-set"]
               for a in items)
    assert {a["id"] for a in items} == {f"finding-{f['fingerprint']}" for f in report["findings"]}
    # one chapter per OPD with findings, each finding inside its OPD's chapter
    chapters = [a for t, a in parsed.tags if t == "section" and a.get("class") == "chapter"]
    assert {f.get("unit") or "" for f in report["findings"]} <= {a["data-unit"] for a in chapters}
    for f in report["findings"]:
        assert f["fix"]["id"].replace("`", "") in html.replace("`", "")
    # filters are hidden until the script shows them, so without JavaScript all rows show
    form = next(a for t, a in parsed.tags if t == "form")
    assert form.get("id") == "filters" and "hidden" in form
    assert not any("hidden" in a for t, a in parsed.tags if t in ("li", "article"))
    for section in ('id="waived"', 'id="waived-table"', 'id="expired-table"', 'id="run-table"',
                    'id="files-table"', 'id="notices-table"', 'id="signature-block"'):
        assert section in html, section
    for x in report["run"]["files"]:
        assert x["sha256"][:16] in html
    assert "@media print" in html and "size: A4" in html
    assert 'content: " · "' in html  # the stylesheet is ours: not autoescaped into &#34;
    assert "28 November 2026" in html  # Babel's long date, not 2026-11-28


def test_languages_differ_everywhere(report: dict) -> None:
    idn, en = render_html(report, lang="id"), render_html(report, lang="en")
    assert '<html lang="id">' in idn and '<html lang="en">' in en
    assert "Temuan per OPD" in idn and "Temuan per OPD" not in en
    assert "Findings per OPD" in en
    assert report["rules"]["REG001"]["title"]["en"] in en
    assert report["rules"]["REG001"]["title"]["id"] in idn
    assert report["rules"]["REG001"]["title"]["id"] not in en


def test_plugin_section_html_and_fallback(report: dict) -> None:
    calls = []

    def section_renderer(name, section, fmt="terminal"):
        calls.append((name, fmt))
        if name == "coverage":
            return '<table class="coverage"><tr><td>S1</td></tr></table>'
        return None

    extended = dict(report, coverage={"rows": 1}, other={"x": "<i>y</i>"})
    html = render_html(extended, section_renderer=section_renderer)
    assert calls == [("coverage", "html"), ("other", "html")]
    assert '<table class="coverage">' in html
    assert "&lt;i&gt;y&lt;/i&gt;" in html  # a section without an HTML form is a table


def test_empty_report_renders(report: dict) -> None:
    import copy

    empty = copy.deepcopy(report)
    for key in ("findings", "waived", "expired_waivers", "unused_waivers", "notices"):
        empty[key] = []
    empty["summary"]["by_rule_set"] = {}
    html = render_html(empty, lang="en")
    assert "No active findings." in html and 'id="findings-table"' not in html
