"""Is a finding's evidence JSON? The same answer as ``json.dumps(value, allow_nan=False)``, once
per shared object.

The runner checks every finding's evidence inside the rule's guarded call (a rule that puts
a set or an object in it fails alone, not the whole report). ``json.dumps`` of each
evidence encoded the same shared parts again for every finding (OVL001's two process
sides, shared by all the pairs of a process). Here plain values (exact ``dict``, ``list``,
``tuple``, ``str``, ``int``, ``float``, ``bool``, ``None``) are walked once per object;
anything else, or a container met again on its own path (a cycle), goes to ``json.dumps``,
which accepts it or raises as before. NaN and infinities are refused: JSON (RFC 8259) has no
such numbers, and orjson and the standard library would write them differently (``null`` and
``NaN``), so the same report could come out as two texts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

#: JSON values that hold no float and need no walk; floats are not here: each one is checked
#: to be finite (`_plain`)
SCALARS = frozenset({str, int, bool, type(None)})


def check_json(values: Iterable[Any]) -> None:
    """Raise what ``json.dumps(value, allow_nan=False)`` raises for the first value it does
    not accept."""
    verified: dict[int, Any] = {}  # id -> the object, kept so that its id is not reused
    scalars = SCALARS
    for value in values:
        # a finding's own evidence dict (Evaluation.finding copies it, so it is seldom
        # shared): walked without being remembered
        if type(value) is dict and scalars.issuperset(map(type, value)):
            for v in value.values():  # floats and proven objects inline: no call for them
                kind = type(v)
                if kind in scalars:
                    continue
                if kind is float:
                    if v - v == 0.0:
                        continue
                    break
                if id(v) in verified:  # proven in this call (kept there, so the id is its)
                    continue
                if not _plain(v, verified, {id(value)}):
                    break
            else:
                continue
        if not _plain(value, verified, set()):
            json.dumps(value, allow_nan=False)


def _plain(value: Any, verified: dict[int, Any], path: set[int]) -> bool:
    """True when ``json.dumps`` accepts ``value`` for certain; False when unsure."""
    kind = type(value)
    if kind in SCALARS:
        return True
    if kind is float:
        return value - value == 0.0  # finite: NaN and infinities give NaN
    scalars = SCALARS
    key = id(value)
    if kind is list or kind is tuple:
        if key in verified:
            return True
        if scalars.issuperset(map(type, value)):
            # scalars only (in C): no cycle through it; remembered, as lists are often shared
            verified[key] = value
            return True
    elif kind is not dict:
        return False
    elif key in verified:
        return True
    if key in path:
        return False  # a cycle: json.dumps raises ValueError
    if kind is dict:
        if not scalars.issuperset(map(type, value)):  # the keys
            return False
        items = value.values()
    else:
        items = value
    path.add(key)
    for v in items:  # scalars inline: most values are, and a call costs more
        if type(v) not in scalars and not _plain(v, verified, path):
            return False
    path.discard(key)
    verified[key] = value
    return True
