"""The "since the last audit" lines of the terminal and Markdown reports and of `probis diff`:
counts of new, still open and fixed findings, the score and grade change, the OPD whose score
or grade changed and the fixed findings (``report["baseline"]``, engine/baseline.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..i18n import first_few
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
        "not_checked": "tidak diperiksa ulang",
        "first_checked": "pertama kali diperiksa",
        "not_checked_list": "Temuan yang tidak diperiksa ulang (berkasnya tidak terbaca atau "
                            "aturannya tidak berjalan)",
        "first_checked_list": "Temuan yang pertama kali diperiksa (berkasnya tidak terbaca "
                              "atau aturannya tidak berjalan sebelumnya)",
        "unread_after": "Perhatian: audit baru tidak dapat membaca {n} berkas ({files}); "
                        "{k} temuan lama di sana tidak diperiksa ulang dan tidak dihitung "
                        "selesai",
        "unread_before": "Perhatian: audit lama tidak dapat membaca {n} berkas ({files}); "
                         "{k} temuan di sana baru pertama kali diperiksa, bukan temuan baru",
        "partly_read": "Catatan: {n} berkas hanya terbaca sebagian dalam audit baru ({files}); "
                       "temuan yang selesai di sana mungkin hanya tidak diperiksa",
        "unit_unread": "tidak terbaca",
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
        "not_checked": "not checked again",
        "first_checked": "checked for the first time",
        "not_checked_list": "Findings not checked again (their file could not be read or "
                            "their rule did not run)",
        "first_checked_list": "Findings checked for the first time (their file could not be "
                              "read, or their rule did not run, before)",
        "unread_after": "Warning: the new audit could not read {n} {file_s} ({files}); {k} "
                        "earlier {finding_s} there were not checked again and are not counted "
                        "as fixed",
        "unread_before": "Warning: the earlier audit could not read {n} {file_s} ({files}); "
                         "{k} {finding_s} there are checked for the first time, not new",
        "partly_read": "Note: the new audit read {n} {file_s} only in part ({files}); "
                       "findings fixed there may only have gone unchecked",
        "unit_unread": "not read",
    },
}


def _labels(lang: str) -> dict[str, str]:
    return LABELS.get(lang, LABELS["id"])


def _score(value: Any) -> str:
    return "-" if value is None else str(value)



def headline(baseline: dict[str, Any], score_after: Any, grade_after: Any, lang: str) -> str:
    """One line: counts, then the workspace's score and grade before -> now. The findings not
    checked again and checked for the first time are counted only when there are some."""
    L = _labels(lang)
    extra = "".join(f", {baseline.get(key) or 0} {L[label]}"
                    for key, label in (("not_checked_again", "not_checked"),
                                       ("first_checked", "first_checked"))
                    if baseline.get(key))
    return (f"{L['title']} ({baseline['file']}): {baseline['new']} {L['new']}, "
            f"{baseline['open']} {L['open']}, {baseline['fixed']} {L['fixed']}{extra}; "
            f"{L['score']} {_score(baseline.get('score_before'))} → {_score(score_after)}, "
            f"{L['grade']} {grade_text(baseline.get('grade_before'), lang)} → "
            f"{grade_text(grade_after, lang)}")


def unit_changes(baseline: dict[str, Any], lang: str) -> list[str]:
    """``dinkes 97.5 → 98.5 (B → A)`` for each OPD whose score or grade changed or whose
    files the new audit could not read (named: its score now leaves them out)."""
    L = _labels(lang)
    out = []
    for uid, c in baseline["units"].items():
        unread = c.get("unread_files_after") or []
        if (c["score_before"], c["grade_before"]) != (c["score_after"], c["grade_after"]) \
                or unread:
            note = f"; {L['unit_unread']}: {first_few(unread)}" if unread else ""
            out.append(f"{uid} {_score(c['score_before'])} → {_score(c['score_after'])} "
                       f"({grade_text(c['grade_before'], lang)} → "
                       f"{grade_text(c['grade_after'], lang)}{note})")
    return out


def unread_notes(baseline: dict[str, Any], lang: str) -> list[str]:
    """What the fixed and new counts cannot be taken for: files either audit could not read,
    and files the new one read only in part. Empty for reports that read every file."""
    L = _labels(lang)

    def say(key: str, files: list[str], k: int = 0) -> str:
        # (the Indonesian labels have no {file_s} or {finding_s}: no plural there)
        return L[key].format(n=len(files), files=first_few(files), k=k,
                             file_s="file" if len(files) == 1 else "files",
                             finding_s="finding" if k == 1 else "findings")
    out = []
    if after := baseline.get("unread_files_after") or []:
        out.append(say("unread_after", after, baseline.get("not_checked_again") or 0))
    if before := baseline.get("unread_files_before") or []:
        out.append(say("unread_before", before, baseline.get("first_checked") or 0))
    if partly := baseline.get("partly_read_files_after") or []:
        out.append(say("partly_read", partly))
    return out


def finding_line(f: dict[str, Any], lang: str) -> str:
    message = f.get("message") or ""
    if isinstance(message, dict):
        message = message.get(lang) or message.get("id") or ""
    text = " ".join(str(message).split())
    where = f"{f.get('file')}:{f['line']}" if f.get("line") else str(f.get("file") or "")
    return f"{f.get('rule')} {f.get('element')} ({where}): {text}"


def _lists(baseline: dict[str, Any], new_findings: list[dict[str, Any]] | None,
           first_checked: list[dict[str, Any]] | None) -> list[tuple[str, list[dict[str, Any]]]]:
    return [("fixed_list", baseline["fixed_findings"]),
            ("not_checked_list", baseline.get("not_checked_again_findings") or []),
            ("new_list", new_findings or []), ("first_checked_list", first_checked or [])]


def trend_lines(report: dict[str, Any], lang: str, limit: int = 10,
                new_findings: list[dict[str, Any]] | None = None,
                first_checked: list[dict[str, Any]] | None = None) -> list[str]:
    """Terminal lines, empty without a baseline; ``new_findings`` and ``first_checked`` (from
    `probis diff`) are listed after the fixed ones. Files not read come right after the
    counts, before anything else."""
    baseline = report.get("baseline")
    if not baseline:
        return []
    L = _labels(lang)
    lines = [headline(baseline, report.get("score"), report.get("grade"), lang)]
    lines += [f"  {note}" for note in unread_notes(baseline, lang)]
    changes = unit_changes(baseline, lang)
    lines.append(f"  {L['units']}: " + ("; ".join(changes) if changes else L["no_unit_change"]))
    for key, found in _lists(baseline, new_findings, first_checked):
        if found:
            lines.append(f"  {L[key]}:")
            lines += [f"    - {finding_line(f, lang)}" for f in found[:limit]]
            if len(found) > limit:
                lines.append(f"    … {L['more'].format(n=len(found) - limit)}")
    return lines + [""]


def trend_markdown(report: dict[str, Any], lang: str, text: Callable[[str], str],
                   new_findings: list[dict[str, Any]] | None = None,
                   first_checked: list[dict[str, Any]] | None = None) -> list[str]:
    """Markdown lines (a section), empty without a baseline; ``text`` escapes a value."""
    baseline = report.get("baseline")
    if not baseline:
        return []
    L = _labels(lang)
    out = [f"## {L['title']}", "",
           f"- {text(headline(baseline, report.get('score'), report.get('grade'), lang))}"]
    out += [f"- **{text(note)}**" for note in unread_notes(baseline, lang)]
    changes = unit_changes(baseline, lang)
    out.append(f"- {L['units']}: " + (text("; ".join(changes)) if changes
                                         else L["no_unit_change"]))
    for key, found in _lists(baseline, new_findings, first_checked):
        if found:
            out += ["", f"### {L[key]}", ""]
            out += [f"- {text(finding_line(f, lang))}" for f in found]
    return out + [""]
