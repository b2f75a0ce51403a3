"""The "since the last audit" lines of the terminal and Markdown reports and of `probis diff`:
counts of new, still open and fixed findings, the score and grade change, the OPD whose score
or grade changed and the fixed findings (``report["baseline"]``, engine/baseline.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .common import grade_text

LABELS: dict[str, dict[str, str]] = {
    "id": {
        "title": "Sejak audit terakhir",
        "new": "baru",
        "open": "masih terbuka",
        "fixed": "selesai",
        "score": "skor",
        "grade": "nilai",
        "units": "OPD yang berubah",
        "no_unit_change": "skor dan nilai setiap OPD tidak berubah",
        "fixed_list": "Temuan yang selesai",
        "new_list": "Temuan baru",
        "more": "dan {n} lagi",
    },
    "en": {
        "title": "Since the last audit",
        "new": "new",
        "open": "still open",
        "fixed": "fixed",
        "score": "score",
        "grade": "grade",
        "units": "OPD that changed",
        "no_unit_change": "no OPD's score or grade changed",
        "fixed_list": "Fixed findings",
        "new_list": "New findings",
        "more": "and {n} more",
    },
}


def _labels(lang: str) -> dict[str, str]:
    return LABELS.get(lang, LABELS["id"])


def _score(value: Any) -> str:
    return "-" if value is None else str(value)


def headline(baseline: dict[str, Any], score_after: Any, grade_after: Any, lang: str) -> str:
    """One line: counts, then the workspace's score and grade before -> now."""
    L = _labels(lang)
    return (f"{L['title']} ({baseline['file']}): {baseline['new']} {L['new']}, "
            f"{baseline['open']} {L['open']}, {baseline['fixed']} {L['fixed']}; "
            f"{L['score']} {_score(baseline.get('score_before'))} → {_score(score_after)}, "
            f"{L['grade']} {grade_text(baseline.get('grade_before'), lang)} → "
            f"{grade_text(grade_after, lang)}")


def unit_changes(baseline: dict[str, Any], lang: str) -> list[str]:
    """``dinkes 97.5 → 98.5 (B → A)`` for each OPD whose score or grade changed."""
    out = []
    for uid, c in baseline["units"].items():
        if (c["score_before"], c["grade_before"]) != (c["score_after"], c["grade_after"]):
            out.append(f"{uid} {_score(c['score_before'])} → {_score(c['score_after'])} "
                       f"({grade_text(c['grade_before'], lang)} → "
                       f"{grade_text(c['grade_after'], lang)})")
    return out


def finding_line(f: dict[str, Any], lang: str) -> str:
    message = f.get("message") or ""
    if isinstance(message, dict):
        message = message.get(lang) or message.get("id") or ""
    text = " ".join(str(message).split())
    where = f"{f.get('file')}:{f['line']}" if f.get("line") else str(f.get("file") or "")
    return f"{f.get('rule')} {f.get('element')} ({where}): {text}"


def trend_lines(report: dict[str, Any], lang: str, limit: int = 10,
                new_findings: list[dict[str, Any]] | None = None) -> list[str]:
    """Terminal lines, empty without a baseline; ``new_findings`` (from `probis diff`) are
    listed after the fixed ones."""
    baseline = report.get("baseline")
    if not baseline:
        return []
    L = _labels(lang)
    lines = [headline(baseline, report.get("score"), report.get("grade"), lang)]
    changes = unit_changes(baseline, lang)
    lines.append(f"  {L['units']}: " + ("; ".join(changes) if changes else L["no_unit_change"]))
    for key, found in (("fixed_list", baseline["fixed_findings"]),
                       ("new_list", new_findings or [])):
        if found:
            lines.append(f"  {L[key]}:")
            lines += [f"    - {finding_line(f, lang)}" for f in found[:limit]]
            if len(found) > limit:
                lines.append(f"    … {L['more'].format(n=len(found) - limit)}")
    return lines + [""]


def trend_markdown(report: dict[str, Any], lang: str, text: Callable[[str], str],
                   new_findings: list[dict[str, Any]] | None = None) -> list[str]:
    """Markdown lines (a section), empty without a baseline; ``text`` escapes a value."""
    baseline = report.get("baseline")
    if not baseline:
        return []
    L = _labels(lang)
    out = [f"## {L['title']}", "",
           f"- {text(headline(baseline, report.get('score'), report.get('grade'), lang))}"]
    changes = unit_changes(baseline, lang)
    out.append(f"- {L['units']}: " + (text("; ".join(changes)) if changes
                                         else L["no_unit_change"]))
    for key, found in (("fixed_list", baseline["fixed_findings"]),
                       ("new_list", new_findings or [])):
        if found:
            out += ["", f"### {L[key]}", ""]
            out += [f"- {text(finding_line(f, lang))}" for f in found]
    return out + [""]
