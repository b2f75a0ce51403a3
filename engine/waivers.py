"""Waivers: accepted exceptions with a reason, an approver and an expiry date.

A waiver matches a finding by rule id and element. While valid (expiry on or after the audit
date) it moves the finding into ``waived`` and the check leaves both sides of the score. Once
expired it stops applying, and the report lists it as expired next to the finding it no
longer covers. A waiver naming an unknown rule is an input error.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .errors import InputError
from .findings import Finding
from .i18n import text
from .model import Waiver


@dataclass
class WaiverOutcome:
    active: list[Finding] = field(default_factory=list)
    waived: list[Finding] = field(default_factory=list)
    expired: list[dict[str, Any]] = field(default_factory=list)
    unused: list[dict[str, Any]] = field(default_factory=list)
    # findings matched per waiver key (rule, element): a delta re-evaluation updates the counts
    use: Counter[tuple[str, str]] = field(default_factory=Counter)


def describe(waiver: Waiver, file: str) -> dict[str, Any]:
    return {
        "rule": waiver.rule,
        "element": waiver.element,
        "reason": waiver.reason,
        "approved_by": waiver.approved_by,
        "expires": waiver.expires.isoformat(),
        "file": file,
        "line": waiver.line,
    }


def check_rules(waivers: Iterable[tuple[Waiver, str]], known_rules: set[str]) -> list[InputError]:
    errors = []
    for waiver, file in waivers:
        if waiver.rule not in known_rules:
            errors.append(
                InputError(
                    file,
                    waiver.line,
                    "waivers.rule",
                    text(
                        f"pengecualian menyebut aturan `{waiver.rule}` yang tidak dikenal; "
                        "lihat `probis rules`",
                        f"waiver names unknown rule `{waiver.rule}`; see `probis rules`",
                    ),
                    code="waiver",
                )
            )
    return errors


def apply(
    findings: Iterable[Finding], waivers: list[tuple[Waiver, str]], as_of: dt.date
) -> WaiverOutcome:
    out = WaiverOutcome()
    by_key = _by_key(waivers)
    if not by_key:  # no waiver: every finding stays active, nothing expired or unused
        out.active = list(findings)
        return out
    for finding in findings:
        key = (finding.rule, finding.ref.element)
        match = by_key.get(key)
        if match is None:
            out.active.append(finding)
            continue
        out.use[key] += 1
        waiver, file = match
        if waiver.expires >= as_of:
            finding.waiver = describe(waiver, file)
            out.waived.append(finding)
        else:
            finding.evidence = dict(finding.evidence, expired_waiver=describe(waiver, file))
            out.active.append(finding)
    out.expired, out.unused = summarise(waivers, as_of, out.use)
    return out


def summarise(waivers: list[tuple[Waiver, str]], as_of: dt.date,
              use: Counter[tuple[str, str]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The expired waivers (each saying whether it still matched a finding) and the valid
    ones that matched none, given how many findings each waiver key matched."""
    expired, unused = [], []
    for key, (waiver, file) in sorted(_by_key(waivers).items()):
        info = describe(waiver, file)
        if waiver.expires < as_of:
            expired.append(dict(info, matched=use[key] > 0))
        elif use[key] == 0:
            unused.append(info)
    return expired, unused


def _by_key(waivers: list[tuple[Waiver, str]]) -> dict[tuple[str, str], tuple[Waiver, str]]:
    by_key: dict[tuple[str, str], tuple[Waiver, str]] = {}
    for waiver, file in waivers:
        by_key.setdefault((waiver.rule, waiver.element), (waiver, file))
    return by_key
