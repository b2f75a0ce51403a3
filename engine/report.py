"""The report: one plain dict built from an AuditResult; every renderer reads only this.

Its JSON form is the contract of format.md ("Report contract"). Ordering is fixed and no
value depends on the clock, the machine or the absolute path, so the same inputs and
``--as-of`` give a byte-identical JSON report.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from . import __version__
from .findings import SEVERITIES
from .runner import AuditResult
from .scoring import grade

REPORT_FORMAT_VERSION = 1


def build_report(result: AuditResult) -> dict[str, Any]:
    ws = result.workspace
    scores = result.scores
    unit_names = {uid: ws.unit_name(uid) for uid in scores.by_unit}
    findings = [f.to_dict() for f in result.findings]
    by_severity = Counter(f.severity for f in result.findings)
    by_rule = Counter(f.rule for f in result.findings)
    by_rule_set: dict[str, Counter[str]] = {}
    for f in result.findings:
        by_rule_set.setdefault(f.rule_set, Counter())[f.severity] += 1
    report: dict[str, Any] = {
        "probis": {"version": __version__, "report_format": REPORT_FORMAT_VERSION},
        "workspace": {
            "name": ws.name,
            "instansi": ws.manifest.instansi if ws.manifest else None,
            "sotk": ws.sotk.id if ws.sotk else None,
            "rpjmd": ws.rpjmd.id if ws.rpjmd else None,
            "as_of": result.as_of.isoformat(),
            "counts": {
                "units": len(ws.units),
                "maps": len(ws.maps),
                "processes": len(ws.processes),
                "cross_functional_maps": len(ws.lf_maps),
                "files": len(ws.docs),
            },
        },
        "score": scores.workspace.score,
        "grade": grade(scores.workspace.score),
        "scores": {
            "workspace": scores.workspace.to_dict(),
            "by_unit": {
                uid: dict(cell.to_dict(), name=unit_names[uid], grade=grade(cell.score))
                for uid, cell in sorted(scores.by_unit.items())
            },
            "by_map": {code: cell.to_dict() for code, cell in sorted(scores.by_map.items())},
            "by_rule_set": {rs: cell.to_dict() for rs, cell in sorted(scores.by_rule_set.items())},
            "by_rule": {rid: cell.to_dict() for rid, cell in sorted(scores.by_rule.items())},
        },
        "summary": {
            "findings": len(result.findings),
            "by_severity": {sev: by_severity.get(sev, 0) for sev in SEVERITIES},
            "by_rule": dict(sorted(by_rule.items())),
            "by_rule_set": {
                rs: {sev: c.get(sev, 0) for sev in SEVERITIES} for rs, c in sorted(by_rule_set.items())
            },
            "waived": len(result.waived),
            "input_errors": len(result.input_errors),
            "engine_findings": len(result.engine_findings),
        },
        "findings": findings,
        "waived": [f.to_dict() for f in result.waived],
        "expired_waivers": result.expired_waivers,
        "unused_waivers": result.unused_waivers,
        "engine_findings": [f.to_dict() for f in result.engine_findings],
        "input_errors": [e.to_dict() for e in result.input_errors],
        "notices": [e.to_dict() for e in result.workspace.notices],
        "rules": {
            rid: {
                "rule_set": rule.info.rule_set,
                "setting": result.settings.get(rid, rule.info.severity),
                "default_severity": rule.info.severity,
                "title": dict(rule.info.title),
                "plugin": result.registry.plugin_of(rid),
            }
            for rid, rule in result.registry.rules.items()
        },
        "run": {
            "plugins": [
                {"name": p.name, "distribution": p.distribution, "version": p.version,
                 "rules": p.rule_ids}
                for p in result.registry.plugins
            ],
            "files": ws.file_hashes(),
        },
    }
    for key, section in result.sections.items():
        if key not in report:
            report[key] = section
    return report
