"""Every change kind the restructure code can emit has a label in both languages: the
terminal impact table shows `change_label`, which falls back to the raw kind."""

from __future__ import annotations

import ast
import inspect

from probis.plugins.restructure import events
from probis.plugins.restructure.command import CHANGE_KINDS, change_label


def emitted_kinds() -> set[str]:
    """The kinds events.py writes: UNIT_EVENT's values and each literal `_event("...")`."""
    found = set(events.UNIT_EVENT.values())
    for node in ast.walk(ast.parse(inspect.getsource(events))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id == "_event" and node.args
                and isinstance(node.args[0], ast.Constant)):
            found.add(node.args[0].value)
    return found


def test_every_emitted_change_kind_has_a_label_in_both_languages() -> None:
    kinds = emitted_kinds()
    assert {"rpjmd_period_changed", "sasaran_removed", "unit_split"} <= kinds  # the scan works
    missing = sorted(k for k in kinds if not (CHANGE_KINDS.get(k, {}).get("id")
                                              and CHANGE_KINDS.get(k, {}).get("en")))
    assert missing == []
    for kind in kinds:
        assert change_label(kind, "id") != kind and change_label(kind, "en") != kind
