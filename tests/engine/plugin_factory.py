"""Build throwaway plugin distributions discovered through real entry points.

A folder on PYTHONPATH with a ``*.dist-info`` holding ``entry_points.txt`` is what an installed
wheel leaves behind, so importlib.metadata (and therefore probis) finds the plugin exactly as
it finds one installed with pip.
"""

from __future__ import annotations

import textwrap
from pathlib import Path


def make_plugin(site: Path, dist: str, entry_name: str, module: str, source: str) -> Path:
    site.mkdir(parents=True, exist_ok=True)
    (site / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    # wheel naming: the distribution name with underscores (importlib.metadata splits on "-")
    info = site / f"{dist.replace('-', '_')}-0.1.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(f"[probis]\n{entry_name} = {module}\n", encoding="utf-8")
    return site


# sources of test plugins shared by several test files
RULE_HEADER = '''
import time
from probis.engine import hookimpl
from probis.engine.findings import ElementRef
from probis.engine.i18n import text
from probis.engine.rule import PythonRule, RuleInfo

def info(rid, rule_set):
    return RuleInfo(id=rid, rule_set=rule_set, severity="warning", title=text(rid, rid),
                    checks=text("x", "x"), basis=text("x", "x"), rationale=text("x", "x"),
                    fix=text("x", "x"), applies_to="process")
'''

# a healthy plugin: one finding per process, so its results can be seen to survive
GOOD = RULE_HEADER + '''
class EveryProcess(PythonRule):
    info = info("GOOD001", "good")

    def check(self, ctx, out):
        for entry in ctx.workspace.processes:
            ref = ctx.workspace.ref_process(entry)
            out.applicable(ref)
            out.finding(ref, text("baik", "good finding"))

@hookimpl
def probis_register_rules(register):
    register(EveryProcess())
'''
