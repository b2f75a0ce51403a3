"""Rule fixtures in the bpmnlint style, pinned by snapshots in the ruff style.

Layout, one folder per rule id::

    tests/rules/<ID>/valid-<what-makes-it-pass>/    overlay: the rule applies and passes
    tests/rules/<ID>/invalid-<what-makes-it-fail>/  overlay: the rule fails
    tests/rules/<ID>/expected.json                  snapshot: {case: [finding, ...]}

Every case is a small overlay on one shared base workspace (tests/rules/_base, free of
defects), so a case folder holds only the file or two that make its point. A rule set whose
rules read more documents (RPJMD, Renstra, an older SOTK) adds them in ``_base-<rule set>``,
copied over ``_base`` before the case. ``pytest tests/rules --update-snapshots`` rewrites the
expected.json files from what the rules report now.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

RULES_DIR = Path(__file__).resolve().parent / "rules"
BASE = RULES_DIR / "_base"
CASE_PREFIXES = ("valid-", "invalid-")
# what a snapshot pins of each finding of the rule under test, in this order
PINNED = ("rule", "element", "severity", "file", "line", "message")


def fixture_rule_ids() -> list[str]:
    """Rule ids that have a fixture folder (``_base*`` folders are shared bases, not rules)."""
    return sorted(p.name for p in RULES_DIR.iterdir() if p.is_dir() and not p.name.startswith("_"))


def fixture_cases(rule_id: str) -> list[str]:
    """The named cases of one rule: its ``valid-*`` and ``invalid-*`` folders."""
    folder = RULES_DIR / rule_id
    return sorted(p.name for p in folder.iterdir()
                  if p.is_dir() and p.name.startswith(CASE_PREFIXES))


def all_cases() -> list[tuple[str, str]]:
    return [(rule_id, case) for rule_id in fixture_rule_ids() for case in fixture_cases(rule_id)]


def set_base(rule_set: str) -> Path | None:
    """The extra documents every case of ``rule_set`` starts from, if the set needs any."""
    folder = RULES_DIR / f"_base-{rule_set}"
    return folder if folder.is_dir() else None


def build_workspace(target: Path, *overlays: Path) -> Path:
    """Copy the base workspace to ``target`` and copy each overlay folder over it."""
    shutil.copytree(BASE, target)
    for overlay in overlays:
        shutil.copytree(overlay, target, dirs_exist_ok=True)
    return target


def fixture_workspace(rule_id: str, case: str, tmp_path: Path, rule_set: str | None = None) -> Path:
    """The workspace of one case: ``_base``, then ``_base-<rule_set>``, then the case folder."""
    extra = set_base(rule_set) if rule_set else None
    overlays = [p for p in (extra, RULES_DIR / rule_id / case) if p is not None]
    return build_workspace(tmp_path / f"{rule_id}-{case}", *overlays)


def pinned(finding: dict[str, Any]) -> dict[str, Any]:
    """What a snapshot keeps of a report finding: the English message, not both languages."""
    out = {key: finding[key] for key in PINNED if key != "message"}
    out["message"] = finding["message"]["en"]
    return out


def snapshot_path(rule_id: str) -> Path:
    return RULES_DIR / rule_id / "expected.json"


def read_snapshot(rule_id: str) -> dict[str, list[dict[str, Any]]]:
    path = snapshot_path(rule_id)
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected an object {{case: [finding, ...]}}; "
                         "run `pytest tests/rules --update-snapshots`")
    return data


def write_snapshot(rule_id: str, case: str, findings: list[dict[str, Any]]) -> None:
    """Set one case's findings in the rule's snapshot, dropping cases whose folder is gone."""
    path = snapshot_path(rule_id)
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data = data if isinstance(data, dict) else {}  # an older format is replaced whole
    data[case] = findings
    live = set(fixture_cases(rule_id))
    data = {name: data[name] for name in sorted(data) if name in live}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
