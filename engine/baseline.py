"""Trend since the last audit: compare a report with an earlier JSON report, finding by
finding (by fingerprint: rule, element, file and English message, no line number, so a
finding survives edits that only move it), and OPD by OPD (score and grade).

``check --baseline OLD.json`` puts the comparison in the report (key ``baseline``, each
finding's ``baseline_status``); ``probis diff OLD.json NEW.json`` prints it without auditing.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

from .errors import ProbisUsageError
from .i18n import Text, text


def load_report(path: str) -> dict[str, Any]:
    """A JSON report written by ``probis check -f json``; anything else is a usage error
    naming the file and what is wrong with it."""
    where = f"`{path}`"
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ProbisUsageError(text(f"{where}: berkas tidak ditemukan",
                                    f"{where}: file not found")) from None
    except IsADirectoryError:
        raise ProbisUsageError(text(f"{where}: ini folder, bukan berkas laporan JSON",
                                    f"{where}: is a folder, not a JSON report file")) from None
    except OSError as exc:
        raise ProbisUsageError(text(f"{where}: tidak dapat dibaca: {exc.strerror}",
                                    f"{where}: cannot be read: {exc.strerror}")) from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ProbisUsageError(text(
            f"{where}: bukan teks UTF-8; berikan laporan dari `probis check -f json`",
            f"{where}: is not UTF-8 text; give a report of `probis check -f json`")) from None
    except json.JSONDecodeError as exc:
        raise ProbisUsageError(text(
            f"{where}: bukan JSON yang sah (baris {exc.lineno}, kolom {exc.colno}: {exc.msg}); "
            "berikan laporan dari `probis check -f json`",
            f"{where}: is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "give a report of `probis check -f json`")) from None
    except (RecursionError, ValueError) as exc:  # nesting past the stack, a 5,000-digit number
        why = (text("bersarang terlalu dalam", "nested too deeply")
               if isinstance(exc, RecursionError) else
               text("berisi angka yang terlalu panjang", "holds a number too long to read"))
        raise ProbisUsageError(text(
            f"{where}: tidak dapat dibaca sebagai laporan JSON ({why['id']}); berikan laporan "
            "dari `probis check -f json`",
            f"{where}: cannot be read as a JSON report ({why['en']}); give a report of "
            "`probis check -f json`")) from None
    problem = _shape_problem(data)
    if problem:
        raise ProbisUsageError(text(
            f"{where}: bukan laporan JSON probis ({problem['id']}); buat dengan "
            "`probis check DIR -f json -o FILE`",
            f"{where}: is not a probis JSON report ({problem['en']}); write one with "
            "`probis check DIR -f json -o FILE`"))
    return data


def _shape_problem(data: Any) -> Text | None:
    if not isinstance(data, dict) or "probis" not in data:
        return text("tanpa kunci `probis`", "no `probis` key")
    findings = data.get("findings")
    if not isinstance(findings, list):
        return text("tanpa daftar `findings`", "no `findings` list")
    for i, f in enumerate(findings):
        if not isinstance(f, dict) or not isinstance(f.get("fingerprint"), str):
            return text(f"findings[{i}] tanpa `fingerprint`",
                        f"findings[{i}] has no `fingerprint`")
    units = (data.get("scores") or {}).get("by_unit") if isinstance(data.get("scores"),
                                                                       dict) else None
    if not isinstance(units, dict):
        return text("tanpa `scores.by_unit`", "no `scores.by_unit`")
    score, grade = data.get("score"), data.get("grade")
    if isinstance(score, bool) or not (score is None or isinstance(score, int | float)) or (
            isinstance(score, float) and not math.isfinite(score)):
        return text("`score` bukan angka", "`score` is not a number")
    if not (grade is None or isinstance(grade, str)):
        return text("`grade` bukan huruf nilai", "`grade` is not a grade letter")
    return None


def _read_and_named(report: dict[str, Any]) -> tuple[set[str] | None, set[str]]:
    """The files a run read (``run.files``; None when the report has no list) and the files
    its input errors name."""
    run = report.get("run")
    listed = run.get("files") if isinstance(run, dict) else None
    read = ({f.get("file") for f in listed if isinstance(f, dict)}
            if isinstance(listed, list) else None)
    errors = report.get("input_errors")
    named = {e["file"] for e in errors if isinstance(e, dict) and isinstance(e.get("file"), str)
             } if isinstance(errors, list) else set()
    return read, named


def unread_files(report: dict[str, Any]) -> list[str]:
    """The files a run could not read at all: named by an input error and not among the files
    it read (``run.files``). A file read in part (a value ignored) was read. Without
    ``run.files`` every file with an input error counts as unread."""
    read, named = _read_and_named(report)
    return sorted(named - (read or set()))


def partly_read_files(report: dict[str, Any]) -> list[str]:
    """The files a run read with a value or an item ignored (an input error names them)."""
    read, named = _read_and_named(report)
    return sorted(named & read) if read is not None else []


def _unread_test(report: dict[str, Any], files: list[str]) -> Any:
    """Whether one of ``report``'s findings lies in an unread file, or concerns a map whose
    own file is unread (a map or process finding there names it; a finding on that map
    reported from another file, such as a cross-functional map, was not checked either)."""
    where = set(files)
    maps = {f.get("map") for f in report["findings"] if f.get("file") in where
            and f.get("element_type") in ("map", "process")} - {None}

    def unread(f: dict[str, Any]) -> bool:
        return f.get("file") in where or (f.get("map") is not None and f.get("map") in maps)
    return unread


def rules_not_run(report: dict[str, Any], other: dict[str, Any]) -> set[str]:
    """The rules ``report``'s run did not run: those its engine findings name (a rule that
    raised or timed out, the rules of a plugin hook that failed), and those ``other``'s run
    had that it did not load at all (``PROBIS_LOAD_PLUGINS`` leaving a rule set out)."""
    missing: set[str] = set()
    for f in report.get("engine_findings") or []:
        evidence = f.get("evidence") if isinstance(f, dict) else None
        if not isinstance(evidence, dict):
            continue
        if isinstance(evidence.get("rule"), str):
            missing.add(evidence["rule"])
        missing.update(r for r in evidence.get("rules") or [] if isinstance(r, str))
    loaded, known = report.get("rules"), other.get("rules")
    if isinstance(loaded, dict) and isinstance(known, dict):
        missing.update(rule for rule in known if rule not in loaded)
    return missing


def compare(old: dict[str, Any], new: dict[str, Any], file: str) -> tuple[dict[str, Any],
                                                                            list[str]]:
    """The ``baseline`` section of ``new`` against ``old``, and the status of each of
    ``new``'s findings in order: ``open``, ``new``, or ``first_checked`` (not in ``old``, but
    in a file ``old``'s run could not read). A fingerprint that occurs n times before and m
    times now counts min(n, m) as still open. A finding waived now is neither open nor fixed:
    it is not in the fixed list. An old finding gone now but in a file the new run could not
    read, or of a rule the new run did not run, is not fixed: it was not checked again; a new
    finding of a rule the old run did not run is checked for the first time."""
    unread_before, unread_after = unread_files(old), unread_files(new)
    first_seen = _unread_test(new, unread_before) if unread_before else None
    # a rule that did not run (or was not loaded) in one run checked nothing there
    not_run_before, not_run_after = rules_not_run(old, new), rules_not_run(new, old)
    before = Counter(f["fingerprint"] for f in old["findings"])
    statuses: list[str] = []
    for f in new["findings"]:
        if before[f["fingerprint"]] > 0:
            before[f["fingerprint"]] -= 1
            statuses.append("open")
        elif (first_seen is not None and first_seen(f)) or f.get("rule") in not_run_before:
            statuses.append("first_checked")
        else:
            statuses.append("new")
    waived_now = {f.get("fingerprint") for f in new.get("waived") or []}
    still = Counter(f["fingerprint"] for f in new["findings"])
    not_checked = _unread_test(old, unread_after) if unread_after else None
    fixed: list[dict[str, Any]] = []
    unchecked: list[dict[str, Any]] = []
    for f in old["findings"]:
        if still[f["fingerprint"]] > 0:
            still[f["fingerprint"]] -= 1
        elif (not_checked is not None and not_checked(f)) or f.get("rule") in not_run_after:
            unchecked.append(f)
        elif f["fingerprint"] not in waived_now:
            fixed.append(f)
    unread_units = _files_by_unit(old, unread_after)
    old_units = old["scores"]["by_unit"]
    new_units = new["scores"]["by_unit"]
    units: dict[str, dict[str, Any]] = {}
    for uid in sorted(set(old_units) | set(new_units)):
        units[uid] = {
            "score_before": (old_units.get(uid) or {}).get("score"),
            "score_after": (new_units.get(uid) or {}).get("score"),
            "grade_before": (old_units.get(uid) or {}).get("grade"),
            "grade_after": (new_units.get(uid) or {}).get("grade"),
        }
        if unread_units.get(uid):  # its score now leaves these files out
            units[uid]["unread_files_after"] = unread_units[uid]
    section = {
        "file": file,
        "new": statuses.count("new"),
        "open": statuses.count("open"),
        "fixed": len(fixed),
        "fixed_findings": fixed,
        "units": units,
        "score_before": old.get("score"),
        "grade_before": old.get("grade"),
        "not_checked_again": len(unchecked),
        "not_checked_again_findings": unchecked,
        "first_checked": statuses.count("first_checked"),
        "unread_files_after": unread_after,
        "unread_files_before": unread_before,
        "partly_read_files_after": partly_read_files(new),
    }
    return section, statuses


def _files_by_unit(old: dict[str, Any], files: list[str]) -> dict[str, list[str]]:
    """The unread files of each OPD, known from the old report's findings in them."""
    where = set(files)
    out: dict[str, set[str]] = {}
    for f in old["findings"]:
        if f.get("file") in where and isinstance(f.get("unit"), str):
            out.setdefault(f["unit"], set()).add(f["file"])
    return {uid: sorted(found) for uid, found in out.items()}


def apply_baseline(report: dict[str, Any], old: dict[str, Any], file: str) -> None:
    """Add the ``baseline`` section and each finding's ``baseline_status`` to ``report``."""
    section, statuses = compare(old, report, file)
    for f, status in zip(report["findings"], statuses, strict=True):
        f["baseline_status"] = status
    report["baseline"] = section
