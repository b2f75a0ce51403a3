"""A plugin that raises becomes an ENG001 finding; the other plugins' findings stand."""

from __future__ import annotations

import json
import os
from pathlib import Path

from plugin_factory import make_plugin
from testkit import run_cli

BROKEN_RULE = '''
from probis.engine import hookimpl
from probis.engine.i18n import text
from probis.engine.rule import PythonRule, RuleInfo

class Exploding(PythonRule):
    info = RuleInfo(id="XPL001", rule_set="explode", severity="error",
                    title=text("Meledak", "Explodes"), checks=text("x", "x"), basis=text("x", "x"),
                    rationale=text("x", "x"), fix=text("x", "x"))

    def check(self, ctx, out):
        raise RuntimeError("boom in check")

@hookimpl
def probis_register_rules(register):
    register(Exploding())
'''

BROKEN_IMPORT = "raise ImportError('this plugin cannot be imported')\n"


def _env(site: Path, plugins: str) -> dict[str, str]:
    return {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]),
            "PROBIS_LOAD_PLUGINS": plugins}


def test_raising_rule_and_unimportable_plugin_become_eng001(example_workspace: Path, tmp_path: Path) -> None:
    site = make_plugin(tmp_path / "site", "probis-explode", "explode", "probis_explode", BROKEN_RULE)
    make_plugin(site, "probis-noimport", "noimport", "probis_noimport", BROKEN_IMPORT)
    # give the regulation rule set something to find
    lf = example_workspace / "peta" / "disdukcapil" / "PB.04.02.yaml"
    lf.write_text(lf.read_text(encoding="utf-8").replace("category: inti", "category: utama"),
                  encoding="utf-8")
    code, out, err = run_cli("check", str(example_workspace), "-f", "json", "--as-of", "2026-11-28",
                             env=_env(site, "regulation,explode,noimport"))
    assert code == 1, err
    report = json.loads(out)
    eng = {(f["rule"], f["element"]) for f in report["engine_findings"]}
    assert ("ENG001", "explode:XPL001") in eng
    assert ("ENG001", "noimport") in eng
    messages = " ".join(f["message"]["en"] for f in report["engine_findings"])
    assert "boom in check" in messages and "cannot be imported" in messages
    assert any(f["rule"] == "REG001" for f in report["findings"])
    assert "Traceback" not in err


def test_load_plugins_variable_restricts_plugins(example_workspace: Path, tmp_path: Path) -> None:
    site = make_plugin(tmp_path / "site", "probis-explode", "explode", "probis_explode", BROKEN_RULE)
    code, out, _ = run_cli("plugins", env=_env(site, "regulation"))
    assert code == 0
    assert "regulation" in out and "explode" not in out
    code, out, _ = run_cli("rules", env=_env(site, "regulation,explode"))
    assert "XPL001" in out and "REG001" in out
