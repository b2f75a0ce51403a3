"""Report sections that need no findings (``probis_report_sections`` without ``result``) are
made while the rules run, in the forked rule runner with ``--jobs 2``, and take the same place
in the report as when they are made after the rules (engine/runner.py, ``early_sections``).

The plugins are real distributions found through entry points (plugin_factory), run by the
real ``probis`` command in a subprocess.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from plugin_factory import make_plugin
from testkit import SAMPLE_CITY, run_cli

EARLY = '''
import os
from probis.engine import hookimpl

IMPORTED_IN = os.getpid()  # the audit process: plugins are imported before any fork

@hookimpl
def probis_report_sections(workspace, as_of):
    with open(os.environ["EARLY_SECTIONS_LOG"], "a", encoding="utf-8") as log:
        log.write("forked\\n" if os.getpid() != IMPORTED_IN else "audit process\\n")
    return {"early_b": {"processes": len(workspace.processes)},
            "early_a": {"as_of": as_of.isoformat()}}
'''

EARLY_FAILS = '''
from probis.engine import hookimpl

@hookimpl
def probis_report_sections(workspace):
    raise ValueError("kaput")
'''

LATE = '''
from probis.engine import hookimpl

@hookimpl
def probis_report_sections(as_of, result):
    return {"late_counts": {"findings": len(result.findings), "as_of": str(as_of)}}
'''


def test_sections_without_result_are_made_beside_the_rules_in_the_same_place(
        tmp_path: Path) -> None:
    site = tmp_path / "site"
    for name, source in {"early": EARLY, "early_fails": EARLY_FAILS, "late": LATE}.items():
        make_plugin(site, f"probis-{name.replace('_', '-')}", name, f"probis_{name}", source)
    log = tmp_path / "early.log"
    env = {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]),
           "PROBIS_LOAD_PLUGINS": "regulation,alignment,sop,early,early_fails,late",
           "EARLY_SECTIONS_LOG": str(log)}
    written = {}
    for jobs in ("1", "2"):
        target = tmp_path / f"laporan-{jobs}.json"
        code, _, err = run_cli("check", str(SAMPLE_CITY), "-f", "json", "-o", str(target),
                               "--as-of", "2026-11-28", "--jobs", jobs, env=env)
        assert code == 1 and "Traceback" not in err, err
        written[jobs] = target.read_bytes()
    # made once per run: in this process with --jobs 1, in the forked rule runner with 2
    assert log.read_text(encoding="utf-8").splitlines() == ["audit process", "forked"]
    assert written["1"] == written["2"]
    report = json.loads(written["2"])
    plugin_keys = [k for k in report if k in
                   ("coverage", "early_a", "early_b", "late_counts", "status")]
    # plugin order (probis's own rule sets, then the others by entry-point name), each
    # plugin's keys sorted
    assert plugin_keys == ["coverage", "status", "early_a", "early_b", "late_counts"]
    assert report["early_a"] == {"as_of": "2026-11-28"}
    assert report["late_counts"] == {"findings": report["summary"]["findings"],
                                     "as_of": "2026-11-28"}
    (failed,) = [f for f in report["engine_findings"]
                 if f["element"] == "early_fails:probis_report_sections"]
    assert failed["rule"] == "ENG001" and "ValueError: kaput" in failed["message"]["en"]
