"""The terminal summary: workspace score, score per unit, counts by severity, and the findings
to start with (ranked by severity and score impact), wrapped to the terminal's width."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from typing import Any

from tabulate import tabulate

from ..i18n import pick
from ..safetext import printable, printable_data
from ..verdict import open_errors_reason
from .common import (
    coverage_text,
    element_type_label,
    grade_reasons,
    grade_text,
    location,
    not_run_text,
    plugin_sections,
    ranked_findings,
    rule_set_label,
)
from .trend import trend_lines

LABELS = {
    "id": {
        "title": "Audit peta proses bisnis",
        "as_of": "per tanggal",
        "score": "Skor keseluruhan",
        "findings": "temuan",
        "waived": "dikecualikan",
        "input_errors": "galat input",
        "units": "Skor per unit",
        "unit": "Unit",
        "name": "Nama",
        "grade": "Nilai",
        "checks": "Lulus/berlaku",
        "top": "Temuan teratas",
        "ranked": "menurut tingkat, lalu dampak pada skor OPD",
        "rule": "Aturan",
        "severity": "Tingkat",
        "element": "Elemen",
        "message": "Pesan",
        "more": "{n} temuan lainnya: tambahkan --all untuk melihat semuanya",
        "counts": "Temuan G/P/I",
        "errors_title": "Galat input (berkas yang tidak dapat dibaca seluruhnya)",
        "engine": "Masalah menjalankan plugin",
        "file": "Berkas",
        "none": "Tidak ada temuan.",
        "rule_sets": "Skor per himpunan aturan",
        "rule_set": "Himpunan aturan",
        "expired": "Pengecualian kedaluwarsa",
        "unused": "Pengecualian yang tidak mengenai temuan apa pun",
        "unknown_element": "- elemen ini tidak ada di workspace",
        "notes": "Catatan",
        "capped": "Nilai dibatasi",
        "units_capped": "Nilai unit dibatasi",
        "sev": {"error": "galat", "warning": "peringatan", "info": "info"},
    },
    "en": {
        "title": "Business process map audit",
        "as_of": "as of",
        "score": "Workspace score",
        "findings": "findings",
        "waived": "waived",
        "input_errors": "input errors",
        "units": "Score per unit",
        "unit": "Unit",
        "name": "Name",
        "grade": "Grade",
        "checks": "Passed/applicable",
        "top": "Top findings",
        "ranked": "by severity, then impact on the OPD's score",
        "rule": "Rule",
        "severity": "Severity",
        "element": "Element",
        "message": "Message",
        "more": "{n} more findings: add --all to see them all",
        "counts": "Findings E/W/I",
        "errors_title": "Input errors (files that could not be read in full)",
        "engine": "Problems running plugins",
        "file": "File",
        "none": "No findings.",
        "rule_sets": "Score per rule set",
        "rule_set": "Rule set",
        "expired": "Expired waivers",
        "unused": "Waivers that match no finding",
        "unknown_element": "- this element does not exist in the workspace",
        "notes": "Notes",
        "capped": "Grade limited",
        "units_capped": "Unit grades limited",
        "sev": {"error": "error", "warning": "warning", "info": "info"},
    },
}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _unit_caps(by_unit: dict[str, Any], counts: dict[str, dict[str, int]], L: dict[str, Any],
               lang: str, width: int) -> list[str]:
    """Why a unit's grade is capped, where its row does not show it (an unread map file, input
    errors); the open errors' cap is left out, the row's error count says it."""
    lines: list[str] = []
    for uid, cell in sorted(by_unit.items()):
        shown = pick(open_errors_reason(counts.get(uid, {}).get("error", 0)), lang)
        for reason in (pick(r, lang) for r in cell.get("grade_reasons") or []):
            if reason != shown:
                lines += _wrap(f"  {uid}: {reason}", width, "    ")
    return [L["units_capped"], *lines] if lines else []


def render_terminal(
    report: dict[str, Any],
    lang: str = "id",
    top: int | None = 10,
    section_renderer: Callable[[str, Any], str | None] | None = None,
    width: int | None = None,
    **_: Any,
) -> str:
    """The summary; ``top`` None shows every finding (``--all``); ``width`` defaults to the
    terminal's (``COLUMNS`` when set, else the terminal's, else 100)."""
    report = printable_data(report)  # no value may move the cursor or fake a line
    L = LABELS.get(lang, LABELS["id"])
    width = max(width or shutil.get_terminal_size((100, 24)).columns, 40)
    ws = report["workspace"]
    summ = report["summary"]
    sev = summ["by_severity"]
    lines = _wrap(f"{L['title']}: {ws.get('instansi') or ws['name']} ({ws['name']}), "
                  f"{L['as_of']} {ws['as_of']}", width)
    lines += _joined(
        [f"{L['score']}: {report['score']} ({grade_text(report['grade'], lang)})",
         f"{L['findings']}: "
         + ", ".join(f"{sev[s]} {L['sev'][s]}" for s in ("error", "warning", "info")),
         f"{L['waived']}: {summ['waived']}", f"{L['input_errors']}: {summ['input_errors']}"]
        + ([coverage_text(report, lang)] if coverage_text(report, lang) else [])
        + ([not_run_text(report, lang)] if report["engine_findings"] else []), width)
    for reason in grade_reasons(report, lang):
        lines += _wrap(f"{L['capped']}: {reason}", width, "  ")
    lines.append("")
    lines += trend_lines(report, lang)  # with --baseline only
    unit_rows = []
    counts: dict[str, dict[str, int]] = {}
    for f in report["findings"]:
        if f.get("unit"):
            counts.setdefault(f["unit"], {"error": 0, "warning": 0, "info": 0})[f["severity"]] += 1
    for uid, cell in sorted(
        report["scores"]["by_unit"].items(), key=lambda kv: (kv[1]["score"], kv[0])
    ):
        c = counts.get(uid, {"error": 0, "warning": 0, "info": 0})
        unit_rows.append(
            [
                uid,
                cell.get("name") or uid,
                cell["score"],
                grade_text(cell["grade"], lang),
                f"{cell['passed']}/{cell['applicable']}",
                f"{c['error']}/{c['warning']}/{c['info']}",
            ]
        )
    if unit_rows:
        lines.append(L["units"])
        lines.append(_fitted(unit_rows, [L["unit"], L["name"], "%", L["grade"], L["checks"],
                                         L["counts"]], 1, width))
        lines += _unit_caps(report["scores"]["by_unit"], counts, L, lang, width)
        lines.append("")
    rs_rows = [
        [rule_set_label(rs, lang), cell["score"], f"{cell['passed']}/{cell['applicable']}"]
        for rs, cell in report["scores"]["by_rule_set"].items()
    ]
    if rs_rows:
        lines.append(L["rule_sets"])
        lines.append(
            tabulate(rs_rows, headers=[L["rule_set"], "%", L["checks"]], tablefmt="simple")
        )
        lines.append("")
    findings = ranked_findings(report)
    shown = findings if top is None else findings[:top]
    if findings:
        lines += _wrap(f"{L['top']} ({len(shown)}/{len(findings)}; {L['ranked']})", width)
        number_width = len(str(len(shown)))
        for n, f in enumerate(shown, 1):
            head = (f"{n:>{number_width}}. {f['rule']}  {L['sev'][f['severity']]}  "
                    f"{element_type_label(f.get('element_type') or '', lang)} {f['element']}")
            where = location(f)
            indent = " " * (number_width + 2)
            lines += _wrap(head + (f"  ({where})" if where else ""), width, indent)
            lines += _wrap(pick(f["message"], lang), width, indent, first=indent)
        if len(shown) < len(findings):
            lines += _wrap(f"({L['more'].format(n=len(findings) - len(shown))})", width)
    else:
        lines.append(L["none"])
    if section_renderer is not None:
        for name in plugin_sections(report):
            text = section_renderer(name, report[name])
            if text:
                lines += ["", printable(text.rstrip(), keep_newlines=True)]
    if report["expired_waivers"]:
        lines += ["", L["expired"]]
        for w in report["expired_waivers"]:
            lines += _wrap(f"  {w['rule']} {w['element']} ({w['expires']}): {w['reason']}",
                           width, "    ")
    if report.get("unused_waivers"):
        lines += ["", L["unused"]]
        for w in report["unused_waivers"]:
            note = ""
            if w.get("unknown_element"):
                close = ", ".join(w.get("closest") or [])
                note = " " + L["unknown_element"] + (f" ({close}?)" if close else "")
            lines += _wrap(f"  {w['rule']} {w['element']} ({w['file']}:{w['line']}){note}",
                           width, "    ")
    if report["engine_findings"]:
        lines += ["", L["engine"]]
        for f in report["engine_findings"]:
            lines += _wrap(f"  {f['rule']}: {pick(f['message'], lang)}", width, "    ")
    if report.get("notices"):
        lines += ["", L["notes"]]
    for e in report.get("notices", []):
        lines += _wrap(f"  ({e['file']}: {pick(e['message'], lang)})", width, "    ")
    if report["input_errors"]:
        lines += ["", L["errors_title"]]
        for e in report["input_errors"]:
            where = (
                e["file"]
                + (f":{e['line']}" if e["line"] else "")
                + (f" ({e['field']})" if e["field"] else "")
            )
            lines += _wrap(f"  {where}: {pick(e['message'], lang)}", width, "    ")
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int, indent: str = "", first: str = "") -> list[str]:
    """``text`` in lines of at most ``width`` characters (a word longer than a line, such
    as a file path, is broken rather than overflowing)."""
    return textwrap.wrap(text, width, initial_indent=first, subsequent_indent=indent,
                         break_on_hyphens=False) or [first.rstrip()]


def _joined(parts: list[str], width: int) -> list[str]:
    """Parts separated by `` | ``, a new line where the next part would not fit."""
    lines = [parts[0]]
    for part in parts[1:]:
        if len(lines[-1]) + 3 + len(part) <= width:
            lines[-1] += f" | {part}"
        else:
            lines.append(part)
    return lines


def _fitted(rows: list[list[Any]], headers: list[str], column: int, width: int) -> str:
    """The table, ``column`` (names) shortened until the table fits ``width`` (down to 16)."""
    longest = max((len(str(r[column])) for r in rows), default=0)
    while True:
        table = tabulate([[*r[:column], _short(str(r[column]), longest), *r[column + 1:]]
                          for r in rows], headers=headers, tablefmt="simple")
        excess = max(len(line) for line in table.splitlines()) - width
        if excess <= 0 or longest <= 16:
            return table
        longest = max(longest - excess, 16)


# for plugins' terminal tables (plugins/sop/status_render.py): the same fitting as the report's
fit_table = _fitted
wrap_lines = _wrap


def _short(value: str, width: int) -> str:
    return value if len(value) <= width else value[: width - 1] + "…"
