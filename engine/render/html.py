"""Self-contained HTML report: one file an auditor can e-mail, open offline and print on A4.

Everything is inline: CSS in a ``<style>``, charts as inline SVG, a small filter script. The
file references no external resource at all (no CDN, font, image or link), so it opens on a
machine without network and leaks nothing when opened. Without JavaScript every finding is
visible and the filter controls stay hidden. All text from the report goes through
``html.escape``; plugin sections come from the plugin's own ``probis_render_section(...,
"html")`` (the plugin escapes its text) and otherwise fall back to escaped JSON.

The output depends on the report dict only (no clock, no random ids), so the same inputs
give the same bytes.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from ..findings import SEVERITIES
from ..i18n import pick
from .common import (
    SectionRenderer,
    coverage_text,
    grade_reasons,
    grade_text,
    labels,
    location,
    plugin_sections,
    rule_title,
    sorted_findings,
    unit_label,
)

SEVERITY_COLOURS = {"error": "#b03a2e", "warning": "#b9770e", "info": "#2e6da4"}
GRADE_COLOURS = {"A": "#1e8449", "B": "#52a35a", "C": "#b7950b", "D": "#ca6f1e", "E": "#b03a2e"}

CSS = """
:root { --ink:#1c2833; --muted:#5d6d7e; --line:#d5d8dc; --bg:#f8f9f9; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif;
       color: var(--ink); margin: 0; background: #fff; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 40px; }
h1 { font-size: 1.55em; margin: 0 0 4px; }
h2 { font-size: 1.2em; margin: 32px 0 10px; padding-bottom: 4px;
     border-bottom: 2px solid var(--line); }
h3 { font-size: 1.02em; margin: 18px 0 6px; }
.meta { color: var(--muted); margin: 0 0 16px; }
.meta span + span::before { content: " · "; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 16px; min-width: 130px;
        background: var(--bg); }
.card .n { font-size: 1.7em; font-weight: 650; display: block; }
.card .k { color: var(--muted); font-size: .85em; }
.grade { display: inline-block; min-width: 1.6em; padding: 0 .35em; border-radius: 4px;
         color: #fff; text-align: center; font-weight: 700; }
.sev { display: inline-block; padding: 0 .45em; border-radius: 3px; color: #fff; font-size: .8em;
       font-weight: 600; text-transform: uppercase; letter-spacing: .02em; white-space: nowrap; }
.sev-error { background: #b03a2e; } .sev-warning { background: #b9770e; }
.sev-info { background: #2e6da4; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: .92em; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left;
         vertical-align: top; }
th { background: var(--bg); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Consolas, monospace; font-size: .9em; }
.hash { word-break: break-all; font-size: .78em; }
.charts { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 24px; }
.chart svg { width: 100%; height: auto; display: block; }
/* keep chart text near the body size when a chart gets a whole column (narrow screens, print) */
#chart-units svg { max-width: 700px; } #chart-rule-sets svg { max-width: 460px; }
.chart text { font-family: inherit; font-size: 12px; fill: var(--ink); }
.finding .msg { font-weight: 500; }
.finding .bf { color: var(--muted); font-size: .9em; margin-top: 3px; }
.finding .bf b { color: var(--ink); font-weight: 600; }
#filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; margin: 6px 0 10px;
           padding: 8px 10px; background: var(--bg); border: 1px solid var(--line);
           border-radius: 6px; }
#filters label { display: flex; flex-direction: column; font-size: .85em; color: var(--muted); }
#filters select { font: inherit; font-size: 1.05em; padding: 2px 4px; min-width: 160px; }
#filters[hidden] { display: none; }
#shown { margin-left: auto; color: var(--muted); font-size: .9em; }
.empty { color: var(--muted); font-style: italic; }
.plugin-section { margin: 8px 0 16px; overflow-x: auto; }
pre { white-space: pre-wrap; word-break: break-word; background: var(--bg); padding: 8px;
      border: 1px solid var(--line); border-radius: 4px; font-size: .82em; }
footer { margin-top: 36px; color: var(--muted); font-size: .85em; border-top: 1px solid var(--line);
         padding-top: 8px; }
@media (max-width: 860px) { .charts { grid-template-columns: 1fr; } }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { font-size: 9.5pt; }
  main { max-width: none; padding: 0; }
  #filters { display: none !important; }
  h2 { break-after: avoid; }
  tr, .card, .chart { break-inside: avoid; }
  .charts { display: block; }  /* an A4 column is too narrow for two charts side by side */
  .sev, .grade, th, .card { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

# Filtering: rows carry data-unit / data-rule-set / data-severity. The controls are hidden in
# the markup and only shown by this script, so without JavaScript nothing pretends to filter.
SCRIPT = """
(function () {
  var box = document.getElementById('filters');
  if (!box) { return; }
  var rows = Array.prototype.slice.call(document.querySelectorAll('#findings-table tbody tr'));
  var selects = Array.prototype.slice.call(box.querySelectorAll('select'));
  var shown = document.getElementById('shown-count');
  function apply() {
    var n = 0;
    rows.forEach(function (row) {
      var ok = selects.every(function (s) {
        return s.value === '' || row.getAttribute('data-' + s.name) === s.value;
      });
      row.hidden = !ok;
      if (ok) { n += 1; }
    });
    shown.textContent = String(n);
  }
  selects.forEach(function (s) { s.addEventListener('change', apply); });
  box.hidden = false;
  apply();
})();
"""


def render_html(report: dict[str, Any], lang: str = "id",
                section_renderer: SectionRenderer | None = None, **_: Any) -> str:
    L = labels(lang)
    ws = report["workspace"]
    title = f"{L['title']}: {ws.get('instansi') or ws['name']}"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="probis {escape(report["probis"]["version"])}">',
        f"<title>{escape(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        _header(report, L, title),
        _charts(report, L),
        _findings(report, L, lang),
        _waived(report, L, lang),
        _sections(report, L, section_renderer),
        _problems(report, L, lang),
        _run(report, L),
        f"<footer>{escape(L['generated'])} {escape(report['probis']['version'])} · "
        f"{escape(L['as_of'])} {escape(ws['as_of'])} · {escape(L['print_hint'])}</footer>",
        "</main>",
        f"<script>{SCRIPT}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def _header(report: dict[str, Any], L: dict[str, Any], title: str) -> str:
    ws = report["workspace"]
    summ = report["summary"]
    cell = report["scores"]["workspace"]
    meta = [f"<span>{escape(L['workspace'])}: <code>{escape(ws['name'])}</code></span>",
            f"<span>{escape(L['as_of'])}: {escape(ws['as_of'])}</span>"]
    for key in ("sotk", "rpjmd"):
        if ws.get(key):
            meta.append(f"<span>{escape(L[key])}: <code>{escape(ws[key])}</code></span>")
    c = ws["counts"]
    meta.append(f"<span>{c['units']} {escape(L['units_count'])}, "
                f"{c['maps']} {escape(L['maps_count'])}, "
                f"{c['processes']} {escape(L['processes_count'])}, "
                f"{c['files']} {escape(L['files_count'])}</span>")
    lang = L["lang"]
    cards = [
        _card(f"{report['score']} {_grade(report['grade'], lang)}", L["score"], raw=True),
        _card(f"{cell['passed']}/{cell['applicable']}", L["checks"]),
    ]
    for sev in SEVERITIES:
        cards.append(_card(str(summ["by_severity"][sev]), L["sev"][sev],
                           style=f"border-left:5px solid {SEVERITY_COLOURS[sev]}"))
    cards.append(_card(str(summ["waived"]), L["waived_short"]))
    # input errors are a red card when present: the audit did not read everything
    cards.append(_card(str(summ["input_errors"]), L["input_errors_short"],
                       style=f"border-left:5px solid {SEVERITY_COLOURS['error']}"
                       if summ["input_errors"] else ""))
    verdict = "".join(f"<li>{escape(reason)}</li>" for reason in grade_reasons(report, lang))
    coverage = coverage_text(report, lang)
    notes = (f'<div class="verdict" id="verdict"><p>{escape(coverage)}</p>'
             f"{f'<ul>{verdict}</ul>' if verdict else ''}</div>") if coverage or verdict else ""
    return (f"<header><h1>{escape(title)}</h1><p class=\"meta\">{''.join(meta)}</p>"
            f"<div class=\"cards\" id=\"summary\">{''.join(cards)}</div>{notes}</header>")


def _card(value: str, key: str, raw: bool = False, style: str = "") -> str:
    val = value if raw else escape(value)
    st = f' style="{escape(style)}"' if style else ""
    return (f'<div class="card"{st}><span class="n">{val}</span>'
            f'<span class="k">{escape(key)}</span></div>')


def _grade(letter: str | None, lang: str = "id") -> str:
    colour = GRADE_COLOURS.get(letter or "", "#5d6d7e")
    return (f'<span class="grade" style="background:{colour}">'
            f'{escape(grade_text(letter, lang))}</span>')


# --- charts --------------------------------------------------------------------------------

def _charts(report: dict[str, Any], L: dict[str, Any]) -> str:
    units = sorted(report["scores"]["by_unit"].items(), key=lambda kv: (kv[1]["score"], kv[0]))
    unit_chart = _unit_chart(units, L) if units else '<p class="empty">-</p>'
    return (
        '<section class="charts">'
        f'<div class="chart" id="chart-units"><h2>{escape(L["by_unit"])}</h2>{unit_chart}'
        f"{_unit_table(units, report, L)}</div>"
        f'<div class="chart" id="chart-rule-sets"><h2>{escape(L["by_rule_set"])}</h2>'
        f"{_rule_set_chart(report, L)}{_rule_set_table(report, L)}</div>"
        "</section>"
    )


def _unit_chart(units: list[tuple[str, dict[str, Any]]], L: dict[str, Any]) -> str:
    """Horizontal bars, worst OPD first: 0–100 with grid lines at 60/80/90 (grade limits)."""
    label_w, bar_w, row_h, top = 250, 330, 24, 22
    limit = 32  # characters of an OPD name that fit in label_w at the chart's font size
    width = label_w + bar_w + 60
    height = top + row_h * len(units) + 8
    out = [f'<svg viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{escape(L["chart_unit"])}">',
           f"<title>{escape(L['chart_unit'])}</title>"]
    for tick in (0, 60, 80, 90, 100):
        x = label_w + bar_w * tick / 100
        out.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 4}" '
                   f'stroke="#d5d8dc" stroke-dasharray="{"0" if tick in (0, 100) else "3 3"}"/>')
        out.append(f'<text x="{x:.1f}" y="{top - 10}" text-anchor="middle" '
                   f'style="font-size:10px;fill:#5d6d7e">{tick}</text>')
    for i, (uid, cell) in enumerate(units):
        y = top + i * row_h
        name = cell.get("name") or uid
        short = name if len(name) <= limit else name[: limit - 1] + "…"
        w = bar_w * max(0.0, min(100.0, float(cell["score"]))) / 100
        colour = GRADE_COLOURS.get(cell["grade"] or "", "#5d6d7e")
        letter = grade_text(cell["grade"], L["lang"])
        out.append(f'<g class="bar" data-unit="{escape(uid)}">'
                   f"<title>{escape(name)} ({escape(uid)}): {cell['score']} "
                   f"({escape(letter)})</title>"
                   f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">{escape(short)}</text>'
                   f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" '
                   f'fill="{colour}" rx="2"/>'
                   f'<text x="{label_w + w + 6:.1f}" y="{y + 16}">{cell["score"]} '
                   f"{escape(letter)}</text></g>")
    out.append("</svg>")
    return "".join(out)


def _unit_table(units: list[tuple[str, dict[str, Any]]], report: dict[str, Any],
                L: dict[str, Any]) -> str:
    counts: dict[str, dict[str, int]] = {}
    for f in report["findings"]:
        if f.get("unit"):
            cell = counts.setdefault(f["unit"], {})
            cell[f["severity"]] = cell.get(f["severity"], 0) + 1
    rows = []
    for uid, cell in units:
        n = counts.get(uid, {})
        rows.append(
            f"<tr><td>{escape(cell.get('name') or uid)}<br><code>{escape(uid)}</code></td>"
            f'<td class="num">{cell["score"]}</td><td>{_grade(cell["grade"], L["lang"])}</td>'
            f'<td class="num">{cell["passed"]}/{cell["applicable"]}</td>'
            + "".join(f'<td class="num">{n.get(s, 0)}</td>' for s in SEVERITIES) + "</tr>")
    if not rows:
        return ""
    head = (f"<tr><th>{escape(L['unit'])}</th><th class=\"num\">{escape(L['score_short'])}</th>"
            f"<th>{escape(L['grade'])}</th><th class=\"num\">{escape(L['checks'])}</th>"
            + "".join(f'<th class="num">{escape(L["sev"][s])}</th>' for s in SEVERITIES) + "</tr>")
    return f'<table id="unit-table"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def _rule_set_chart(report: dict[str, Any], L: dict[str, Any]) -> str:
    """Stacked horizontal bars: findings per rule set split by severity."""
    by_rs = report["summary"]["by_rule_set"]
    names = sorted(set(by_rs) | set(report["scores"]["by_rule_set"]))
    if not names:
        return '<p class="empty">-</p>'
    totals = {rs: sum(by_rs.get(rs, {}).values()) for rs in names}
    biggest = max(totals.values()) or 1
    label_w, bar_w, row_h, top = 120, 250, 26, 8
    width = label_w + bar_w + 50
    legend_y = top + row_h * len(names) + 16
    height = legend_y + 14
    out = [f'<svg viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{escape(L["chart_rule_set"])}">',
           f"<title>{escape(L['chart_rule_set'])}</title>"]
    for i, rs in enumerate(names):
        y = top + i * row_h
        out.append(f'<g class="bar" data-rule-set="{escape(rs)}">'
                   f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end">{escape(rs)}</text>')
        x = float(label_w)
        for sev in SEVERITIES:
            n = by_rs.get(rs, {}).get(sev, 0)
            if not n:
                continue
            w = bar_w * n / biggest
            out.append(f'<rect x="{x:.1f}" y="{y + 5}" width="{w:.1f}" height="{row_h - 10}" '
                       f'fill="{SEVERITY_COLOURS[sev]}"><title>{escape(rs)}: {n} '
                       f"{escape(L['sev'][sev])}</title></rect>")
            x += w
        out.append(f'<text x="{x + 6:.1f}" y="{y + 17}">{totals[rs]}</text></g>')
    x = float(label_w)
    for sev in SEVERITIES:
        out.append(f'<rect x="{x:.1f}" y="{legend_y - 9}" width="10" height="10" '
                   f'fill="{SEVERITY_COLOURS[sev]}"/>'
                   f'<text x="{x + 14:.1f}" y="{legend_y}">{escape(L["sev"][sev])}</text>')
        x += 90
    out.append("</svg>")
    return "".join(out)


def _rule_set_table(report: dict[str, Any], L: dict[str, Any]) -> str:
    by_rs = report["summary"]["by_rule_set"]
    scores = report["scores"]["by_rule_set"]
    rows = []
    for rs in sorted(set(by_rs) | set(scores)):
        n = by_rs.get(rs, {})
        cell = scores.get(rs)
        score = f"{cell['score']}" if cell else "-"
        rows.append(f"<tr><td>{escape(rs)}</td><td class=\"num\">{score}</td>"
                    + "".join(f'<td class="num">{n.get(s, 0)}</td>' for s in SEVERITIES)
                    + f'<td class="num">{sum(n.values())}</td></tr>')
    head = (f"<tr><th>{escape(L['rule_set'])}</th><th class=\"num\">{escape(L['score_short'])}</th>"
            + "".join(f'<th class="num">{escape(L["sev"][s])}</th>' for s in SEVERITIES)
            + f'<th class="num">{escape(L["total"])}</th></tr>')
    return f'<table id="rule-set-table"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


# --- findings ------------------------------------------------------------------------------

def _findings(report: dict[str, Any], L: dict[str, Any], lang: str) -> str:
    findings = sorted_findings(report["findings"])
    head = f'<section id="findings"><h2>{escape(L["findings"])} ({len(findings)})</h2>'
    if not findings:
        return head + f'<p class="empty">{escape(L["no_findings"])}</p></section>'
    units = sorted({f.get("unit") or "" for f in findings}, key=lambda u: (u == "", u))
    rule_sets = sorted({f["rule_set"] for f in findings})
    present = [s for s in SEVERITIES if any(f["severity"] == s for f in findings)]
    filters = (
        '<form id="filters" hidden onsubmit="return false">'
        + _select("unit", L["unit"], [(u, unit_label(report, u, lang)) for u in units], L)
        + _select("rule-set", L["rule_set"], [(rs, rs) for rs in rule_sets], L)
        + _select("severity", L["severity"], [(s, L["sev"][s]) for s in present], L)
        + f'<span id="shown"><span id="shown-count">{len(findings)}</span> '
        f"{escape(L['of'])} {len(findings)} {escape(L['shown'])}</span></form>"
    )
    rows = [_finding_row(f, report, L, lang) for f in findings]
    table = (
        '<table id="findings-table"><thead><tr>'
        f"<th>{escape(L['severity'])}</th><th>{escape(L['rule'])}</th>"
        f"<th>{escape(L['element'])}</th><th>{escape(L['unit'])}</th>"
        f"<th>{escape(L['message'])} · {escape(L['basis'])} · {escape(L['fix'])}</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return head + filters + table + "</section>"


def _select(name: str, label: str, options: list[tuple[str, str]], L: dict[str, Any]) -> str:
    opts = [f'<option value="">{escape(L["all"])}</option>']
    opts += [f'<option value="{escape(v)}">{escape(text)}</option>' for v, text in options]
    return (f'<label>{escape(label)}<select name="{escape(name)}" id="filter-{escape(name)}">'
            f"{''.join(opts)}</select></label>")


def _finding_row(f: dict[str, Any], report: dict[str, Any], L: dict[str, Any], lang: str) -> str:
    where = location(f)
    title = rule_title(report, f["rule"], lang)
    element = (f"<code>{escape(f['element'])}</code><br><small>{escape(f['element_type'])}"
               + (f" · {escape(L['map'])} <code>{escape(f['map'])}</code>"
                  if f.get("map") and f["map"] != f["element"] else "")
               + "</small>"
               + (f'<br><small class="mono">{escape(where)}</small>' if where else ""))
    return (
        f'<tr class="finding" data-unit="{escape(f.get("unit") or "")}" '
        f'data-rule-set="{escape(f["rule_set"])}" data-severity="{escape(f["severity"])}" '
        f'id="f-{escape(f["fingerprint"])}">'
        f'<td><span class="sev sev-{escape(f["severity"])}">'
        f'{escape(L["sev"][f["severity"]])}</span></td>'
        f"<td><code>{escape(f['rule'])}</code><br><small>{escape(title)}</small></td>"
        f"<td>{element}</td>"
        f"<td>{escape(unit_label(report, f.get('unit'), lang))}</td>"
        f'<td><div class="msg">{escape(pick(f["message"], lang))}</div>'
        f'<div class="bf"><b>{escape(L["basis"])}:</b> {escape(pick(f["basis"], lang))}</div>'
        f'<div class="bf"><b>{escape(L["fix"])}:</b> {escape(pick(f["fix"], lang))}</div></td>'
        "</tr>"
    )


def _waived(report: dict[str, Any], L: dict[str, Any], lang: str) -> str:
    waived = sorted_findings(report["waived"])
    out = [f'<section id="waived"><h2>{escape(L["waived"])} ({len(waived)})</h2>']
    if waived:
        out.append(_table(
            [L["rule"], L["element"], L["message"], L["reason"], L["approved_by"], L["expires"]],
            [[f"<code>{escape(f['rule'])}</code><br>"
              f"<small>{escape(rule_title(report, f['rule'], lang))}</small>",
              f"<code>{escape(f['element'])}</code><br>"
              f"<small class=\"mono\">{escape(location(f))}</small>",
              escape(pick(f["message"], lang)), escape(f["waiver"]["reason"]),
              escape(f["waiver"].get("approved_by") or "-"), escape(f["waiver"]["expires"])]
             for f in waived], "waived-table"))
    else:
        out.append(f'<p class="empty">{escape(L["no_waived"])}</p>')
    if report["expired_waivers"]:
        out.append(f"<h3>{escape(L['expired'])}</h3>")
        out.append(_table(
            [L["rule"], L["element"], L["reason"], L["expires"], L["matched"], L["location"]],
            [[f"<code>{escape(w['rule'])}</code>", f"<code>{escape(w['element'])}</code>",
              escape(w["reason"]), escape(w["expires"]),
              escape(L["yes"] if w.get("matched") else L["no"]),
              f'<span class="mono">{escape(location(w))}</span>']
             for w in report["expired_waivers"]], "expired-table"))
    if report["unused_waivers"]:
        out.append(f"<h3>{escape(L['unused'])}</h3>")
        out.append(_table(
            [L["rule"], L["element"], L["reason"], L["expires"], L["location"]],
            [[f"<code>{escape(w['rule'])}</code>", f"<code>{escape(w['element'])}</code>",
              escape(w["reason"]), escape(w["expires"]),
              f'<span class="mono">{escape(location(w))}</span>']
             for w in report["unused_waivers"]], "unused-table"))
    out.append("</section>")
    return "".join(out)


def _sections(report: dict[str, Any], L: dict[str, Any],
              section_renderer: SectionRenderer | None) -> str:
    names = plugin_sections(report)
    if not names:
        return ""
    out = [f'<section id="plugin-sections"><h2>{escape(L["sections"])}</h2>']
    for name in names:
        rendered = section_renderer(name, report[name], "html") if section_renderer else None
        if rendered:
            body = rendered  # the plugin's own HTML (its hook escapes its text)
        else:
            dumped = json.dumps(report[name], ensure_ascii=False, indent=2, sort_keys=True)
            body = f"<h3>{escape(name)}</h3><pre>{escape(dumped)}</pre>"
        out.append(f'<div class="plugin-section" data-section="{escape(name)}">{body}</div>')
    out.append("</section>")
    return "".join(out)


def _problems(report: dict[str, Any], L: dict[str, Any], lang: str) -> str:
    out = []
    if report["engine_findings"]:
        out.append(f'<section id="engine-findings"><h2>{escape(L["engine"])}</h2>')
        out.append(_table([L["rule"], L["element"], L["message"], L["fix"]],
                          [[f"<code>{escape(f['rule'])}</code>",
                            f"<code>{escape(f['element'])}</code>",
                            escape(pick(f["message"], lang)), escape(pick(f["fix"], lang))]
                           for f in report["engine_findings"]], "engine-table"))
        out.append("</section>")
    if report.get("notices"):
        out.append(f'<section id="notices"><h2>{escape(L["notices"])}</h2>')
        out.append(_table([L["location"], L["message"]],
                          [[f'<span class="mono">{escape(location(e))}</span>',
                            escape(pick(e["message"], lang))] for e in report["notices"]],
                          "notices-table"))
        out.append("</section>")
    if report["input_errors"]:
        out.append(f'<section id="input-errors"><h2>{escape(L["input_errors"])}</h2>')
        out.append(_table([L["file"], L["line"], L["field"], L["message"]],
                          [[f'<span class="mono">{escape(e["file"])}</span>',
                            escape(str(e["line"] or "")),
                            f"<code>{escape(e['field'] or '')}</code>",
                            escape(pick(e["message"], lang))] for e in report["input_errors"]],
                          "input-errors-table"))
        out.append("</section>")
    return "".join(out)


def _run(report: dict[str, Any], L: dict[str, Any]) -> str:
    run = report["run"]
    ws = report["workspace"]
    out = [f'<section id="run"><h2>{escape(L["run"])}</h2>',
           _table([L["version"], L["report_format"], L["as_of"]],
                  [[escape(report["probis"]["version"]),
                    escape(str(report["probis"]["report_format"])), escape(ws["as_of"])]],
                  "run-table")]
    if run["plugins"]:
        out.append(f"<h3>{escape(L['plugins'])}</h3>")
        out.append(_table([L["plugin"], L["package"], L["plugin_version"], L["rules"]],
                          [[escape(p["name"]), escape(p.get("distribution") or "-"),
                            escape(p.get("version") or "-"),
                            escape(", ".join(p.get("rules") or []) or "-")]
                           for p in run["plugins"]], "plugins-table"))
    if run["files"]:
        out.append(f"<h3>{escape(L['files'])} ({len(run['files'])})</h3>")
        out.append(_table([L["file"], L["kind"], L["sha256"]],
                          [[f'<span class="mono">{escape(x["file"])}</span>', escape(x["kind"]),
                            f'<span class="mono hash">{escape(x["sha256"])}</span>']
                           for x in run["files"]], "files-table"))
    out.append("</section>")
    return "".join(out)


def _table(headers: list[str], rows: list[list[str]], table_id: str) -> str:
    """A table of already-escaped cells (headers are escaped here)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
