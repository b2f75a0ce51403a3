"""Rule fixtures in the bpmnlint style: tests/rules/<ID>/{valid,invalid}/ + expected.json.

Every fixture is a small overlay on one shared base workspace (tests/rules/_base, free of
defects), so each fixture folder holds only the file or two that make its point.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

RULES_DIR = Path(__file__).resolve().parent / "rules"
BASE = RULES_DIR / "_base"


def fixture_rule_ids() -> list[str]:
    return sorted(p.parent.name for p in RULES_DIR.glob("*/expected.json"))


def build_workspace(target: Path, *overlays: Path) -> Path:
    """Copy the base workspace to ``target`` and copy each overlay folder over it."""
    shutil.copytree(BASE, target)
    for overlay in overlays:
        shutil.copytree(overlay, target, dirs_exist_ok=True)
    return target


def fixture_workspace(rule_id: str, variant: str, tmp_path: Path) -> Path:
    return build_workspace(tmp_path / f"{rule_id}-{variant}", RULES_DIR / rule_id / variant)


def expected_findings(rule_id: str) -> list[tuple[str, str]]:
    data = json.loads((RULES_DIR / rule_id / "expected.json").read_text(encoding="utf-8"))
    return sorted((item["rule"], item["element"]) for item in data)
