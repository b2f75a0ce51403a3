"""Markdown report, meant to be attached to a nota dinas (official memo).

Headings, score tables, the findings grouped by OPD (each with its basis and fix), waived
findings in their own section, plugin sections (``section_renderer(name, section,
"markdown")``), input errors and the run's metadata. Plain GitHub-flavoured Markdown that also
converts cleanly to a word-processor document.
"""

from __future__ import annotations

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
from .trend import trend_markdown


def render_markdown(report: dict[str, Any], lang: str = "id",
                    section_renderer: SectionRenderer | None = None, **_: Any) -> str:
    L = labels(lang)
    ws = report["workspace"]
    out: list[str] = [f"# {_text(L['title'])}: {_text(ws.get('instansi') or ws['name'])}", ""]
    out += [f"- {L['workspace']}: `{_code(ws['name'])}`", f"- {L['as_of']}: {ws['as_of']}"]
    if ws.get("sotk"):
        out.append(f"- {L['sotk']}: `{_code(ws['sotk'])}`")
    if ws.get("rpjmd"):
        out.append(f"- {L['rpjmd']}: `{_code(ws['rpjmd'])}`")
    c = ws["counts"]
    out.append(f"- {L['counts']}: {c['units']} {L['units_count']}, {c['maps']} {L['maps_count']}, "
               f"{c['processes']} {L['processes_count']}, {c['files']} {L['files_count']}")
    out.append("")

    summ = report["summary"]
    wcell = report["scores"]["workspace"]
    sev_heads = [L["sev"][s] for s in SEVERITIES]
    out += [f"## {L['summary']}", ""]
    out += _table([L["score"], L["grade"], L["checks"], *sev_heads, L["waived_short"],
                   L["input_errors_short"]],
                  [[f"**{report['score']}**", f"**{grade_text(report['grade'], lang)}**",
                    f"{wcell['passed']}/{wcell['applicable']}",
                    *[summ["by_severity"][s] for s in SEVERITIES], summ["waived"],
                    summ["input_errors"]]])
    if coverage_text(report, lang):
        out += [f"- {_text(coverage_text(report, lang))}"]
    out += [f"- {_text(reason)}" for reason in grade_reasons(report, lang)]
    out.append("")
    out += trend_markdown(report, lang, _text)  # with --baseline only

    per_unit = _counts_by_unit(report["findings"])
    rows = []
    for uid, cell in sorted(report["scores"]["by_unit"].items(),
                            key=lambda kv: (kv[1]["score"], kv[0])):
        n = per_unit.get(uid, {})
        rows.append([f"`{_code(uid)}`", _text(cell.get("name") or uid), cell["score"],
                     grade_text(cell["grade"], lang), f"{cell['passed']}/{cell['applicable']}",
                     *[n.get(s, 0) for s in SEVERITIES]])
    if rows:
        out += [f"## {L['by_unit']}", ""]
        out += _table([L["unit"], L["name"], L["score_short"], L["grade"], L["checks"], *sev_heads],
                      rows)

    rs_rows = []
    for rs, cell in report["scores"]["by_rule_set"].items():
        n = summ["by_rule_set"].get(rs, {})
        rs_rows.append([_text(rs), cell["score"], f"{cell['passed']}/{cell['applicable']}",
                        *[n.get(s, 0) for s in SEVERITIES]])
    if rs_rows:
        out += [f"## {L['by_rule_set']}", ""]
        out += _table([L["rule_set"], L["score_short"], L["checks"], *sev_heads], rs_rows)

    out += [f"## {L['findings']} ({summ['findings']})", ""]
    if not report["findings"]:
        out += [L["no_findings"], ""]
    groups: dict[str, list[dict[str, Any]]] = {}
    for f in report["findings"]:
        groups.setdefault(f.get("unit") or "", []).append(f)
    for uid in sorted(groups, key=lambda u: (u == "", u)):
        items = sorted_findings(groups[uid])
        out += [f"### {_text(unit_label(report, uid, lang))} ({len(items)})", ""]
        for i, f in enumerate(items, start=1):
            out += _finding(f, i, report, lang)
        out.append("")

    out += [f"## {L['waived']} ({len(report['waived'])})", ""]
    if report["waived"]:
        out += _table(
            [L["rule"], L["element"], L["message"], L["reason"], L["approved_by"], L["expires"]],
            [[f"`{_code(f['rule'])}`", f"`{_code(f['element'])}`", _text(pick(f["message"], lang)),
              _text(f["waiver"]["reason"]), _text(f["waiver"].get("approved_by") or "-"),
              f["waiver"]["expires"]] for f in sorted_findings(report["waived"])])
    else:
        out += [L["no_waived"], ""]

    if report["expired_waivers"]:
        out += [f"## {L['expired']}", ""]
        out += _table([L["rule"], L["element"], L["reason"], L["expires"], L["matched"],
                       L["location"]],
                      [[f"`{_code(w['rule'])}`", f"`{_code(w['element'])}`", _text(w["reason"]),
                        w["expires"], L["yes"] if w.get("matched") else L["no"],
                        f"`{_code(location(w))}`"]
                       for w in report["expired_waivers"]])
    if report["unused_waivers"]:
        out += [f"## {L['unused']}", ""]
        out += _table([L["rule"], L["element"], L["reason"], L["expires"], L["location"]],
                      [[f"`{_code(w['rule'])}`", f"`{_code(w['element'])}`", _text(w["reason"]),
                        w["expires"], f"`{_code(location(w))}`"] for w in report["unused_waivers"]])

    if section_renderer is not None:
        for name in plugin_sections(report):
            text = section_renderer(name, report[name], "markdown")
            if text:
                out += [text.rstrip(), ""]

    if report["engine_findings"]:
        out += [f"## {L['engine']}", ""]
        out += [f"- `{_code(f['rule'])}` {_text(pick(f['message'], lang))}"
                for f in report["engine_findings"]] + [""]
    if report.get("notices"):
        out += [f"## {L['notices']}", ""]
        out += [f"- `{_code(location(e))}`: {_text(pick(e['message'], lang))}"
                for e in report["notices"]] + [""]
    if report["input_errors"]:
        out += [f"## {L['input_errors']}", ""]
        out += _table([L["file"], L["line"], L["field"], L["message"]],
                      [[f"`{_code(e['file'])}`", e["line"] or "", _text(e["field"] or ""),
                        _text(pick(e["message"], lang))] for e in report["input_errors"]])

    run = report["run"]
    out += [f"## {L['run']}", "", f"- {L['version']}: {report['probis']['version']} "
            f"({L['report_format']} {report['probis']['report_format']})",
            f"- {L['as_of']}: {ws['as_of']}", ""]
    if run["plugins"]:
        out += _table([L["plugin"], L["package"], L["plugin_version"], L["rules"]],
                      [[_text(p["name"]), _text(p.get("distribution") or "-"),
                        _text(p.get("version") or "-"),
                        _text(", ".join(p.get("rules") or []) or "-")] for p in run["plugins"]])
    if run["files"]:
        out += _table([L["file"], L["kind"], L["sha256"]],
                      [[f"`{_code(x['file'])}`", _text(x["kind"]), f"`{_code(x['sha256'])}`"]
                       for x in run["files"]])
    return "\n".join(out).rstrip() + "\n"


def _finding(f: dict[str, Any], n: int, report: dict[str, Any], lang: str) -> list[str]:
    L = labels(lang)
    title = rule_title(report, f["rule"], lang)
    where = location(f)
    head = (f"{n}. **{L['sev'][f['severity']]}** · `{_code(f['rule'])}` {_text(title)} — "
            f"`{_code(f['element'])}`" + (f" (`{_code(where)}`)" if where else ""))
    return [head,
            f"   - {L['message']}: {_text(pick(f['message'], lang))}",
            f"   - {L['basis']}: {_text(pick(f['basis'], lang))}",
            f"   - {L['fix']}: {_text(pick(f['fix'], lang))}"]


def _counts_by_unit(findings: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for f in findings:
        if f.get("unit"):
            cell = out.setdefault(f["unit"], {})
            cell[f["severity"]] = cell.get(f["severity"], 0) + 1
    return out


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) for h in headers) + " |",
             "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return lines + [""]


def _cell(value: Any) -> str:
    """A table cell: one line, pipes escaped (backticks and bold markers are kept on purpose)."""
    return " ".join(str(value).split()).replace("|", "\\|")


def _text(value: str) -> str:
    """Free text in running prose: one line, with characters that would start markup escaped."""
    text = " ".join(str(value).split())
    for ch in ("\\", "*", "_", "[", "]", "<", ">", "#", "|"):
        text = text.replace(ch, "\\" + ch)
    return text


def _code(value: str) -> str:
    """Text inside backticks: one line (a blank line would end the paragraph, and with it the
    span, letting raw HTML through), and no backtick can close the span early."""
    return " ".join(str(value).split()).replace("`", "'")


# for other Markdown writers (check-many's ranking.md)
escape_text = _text
escape_code = _code
