"""The terminal summary: workspace score, score per unit, counts by severity, top findings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tabulate import tabulate

from ..i18n import pick
from ..safetext import printable, printable_data
from .common import coverage_text, grade_reasons, grade_text, not_run_text, plugin_sections
from .trend import trend_lines

LABELS = {
    "id": {
        "title": "Audit peta proses bisnis",
        "as_of": "per tanggal",
        "score": "Skor workspace",
        "findings": "temuan",
        "waived": "dikecualikan",
        "input_errors": "galat input",
        "units": "Skor per unit",
        "unit": "Unit",
        "name": "Nama",
        "grade": "Nilai",
        "checks": "Lulus/berlaku",
        "top": "Temuan teratas",
        "rule": "Aturan",
        "severity": "Tingkat",
        "element": "Elemen",
        "message": "Pesan",
        "more": "lainnya",
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
        "rule": "Rule",
        "severity": "Severity",
        "element": "Element",
        "message": "Message",
        "more": "more",
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
        "sev": {"error": "error", "warning": "warning", "info": "info"},
    },
}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def render_terminal(
    report: dict[str, Any],
    lang: str = "id",
    top: int = 10,
    section_renderer: Callable[[str, Any], str | None] | None = None,
    **_: Any,
) -> str:
    report = printable_data(report)  # no value may move the cursor or fake a line
    L = LABELS.get(lang, LABELS["id"])
    ws = report["workspace"]
    summ = report["summary"]
    sev = summ["by_severity"]
    lines = [
        f"{L['title']}: {ws.get('instansi') or ws['name']} ({ws['name']}), "
        f"{L['as_of']} {ws['as_of']}",
        f"{L['score']}: {report['score']} ({grade_text(report['grade'], lang)})  |  "
        f"{L['findings']}: "
        + ", ".join(f"{sev[s]} {L['sev'][s]}" for s in ("error", "warning", "info"))
        + f"  |  {L['waived']}: {summ['waived']}  |  {L['input_errors']}: {summ['input_errors']}"
        + (f"  |  {coverage_text(report, lang)}" if coverage_text(report, lang) else "")
        + (f"  |  {not_run_text(report, lang)}" if report["engine_findings"] else ""),
    ]
    lines += [f"{L['capped']}: {reason}" for reason in grade_reasons(report, lang)]
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
                _short(cell.get("name") or uid, 42),
                cell["score"],
                grade_text(cell["grade"], lang),
                f"{cell['passed']}/{cell['applicable']}",
                c["error"],
                c["warning"],
                c["info"],
            ]
        )
    if unit_rows:
        lines.append(L["units"])
        lines.append(
            tabulate(
                unit_rows,
                headers=[L["unit"], L["name"], "%", L["grade"], L["checks"], "E", "W", "I"],
                tablefmt="simple",
            )
        )
        lines.append("")
    rs_rows = [
        [rs, cell["score"], f"{cell['passed']}/{cell['applicable']}"]
        for rs, cell in report["scores"]["by_rule_set"].items()
    ]
    if rs_rows:
        lines.append(L["rule_sets"])
        lines.append(
            tabulate(rs_rows, headers=[L["rule_set"], "%", L["checks"]], tablefmt="simple")
        )
        lines.append("")
    findings = sorted(
        report["findings"],
        key=lambda f: (SEVERITY_ORDER[f["severity"]], f["rule"], f["file"] or "", f["line"] or 0),
    )
    if findings:
        lines.append(f"{L['top']} ({min(top, len(findings))}/{len(findings)})")
        rows = [
            [f["rule"], L["sev"][f["severity"]], _where(f), _short(pick(f["message"], lang), 70)]
            for f in findings[:top]
        ]
        lines.append(
            tabulate(
                rows,
                headers=[L["rule"], L["severity"], L["element"], L["message"]],
                tablefmt="simple",
            )
        )
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
            lines.append(f"  {w['rule']} {w['element']} ({w['expires']}): {w['reason']}")
    if report.get("unused_waivers"):
        lines += ["", L["unused"]]
        for w in report["unused_waivers"]:
            note = ""
            if w.get("unknown_element"):
                close = ", ".join(w.get("closest") or [])
                note = " " + L["unknown_element"] + (f" ({close}?)" if close else "")
            lines.append(f"  {w['rule']} {w['element']} ({w['file']}:{w['line']}){note}")
    if report["engine_findings"]:
        lines += ["", L["engine"]]
        for f in report["engine_findings"]:
            lines.append(f"  {f['rule']}: {pick(f['message'], lang)}")
    if report.get("notices"):
        lines += ["", L["notes"]]
    for e in report.get("notices", []):
        lines.append(f"  ({e['file']}: {pick(e['message'], lang)})")
    if report["input_errors"]:
        lines += ["", L["errors_title"]]
        for e in report["input_errors"]:
            where = (
                e["file"]
                + (f":{e['line']}" if e["line"] else "")
                + (f" ({e['field']})" if e["field"] else "")
            )
            lines.append(f"  {where}: {pick(e['message'], lang)}")
    return "\n".join(lines) + "\n"


def _where(f: dict[str, Any]) -> str:
    return f"{f['element']}"


def _short(value: str, width: int) -> str:
    return value if len(value) <= width else value[: width - 1] + "…"
