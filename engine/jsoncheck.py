"""Is a finding's evidence JSON? The same answer as ``json.dumps``, once per shared object.

The runner checks every finding's evidence inside the rule's guarded call (a rule that puts
a set or an object in it fails alone, not the whole report). ``json.dumps`` of each
evidence encoded the same shared parts again for every finding (OVL001's two process
sides, shared by all the pairs of a process). Here plain values (exact ``dict``, ``list``,
``tuple``, ``str``, ``int``, ``float``, ``bool``, ``None``) are walked once per object;
anything else, or a container met again on its own path (a cycle), goes to ``json.dumps``,
which accepts it or raises as before.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

_SCALARS = frozenset({str, int, float, bool, type(None)})


def check_json(values: Iterable[Any]) -> None:
    """Raise what ``json.dumps(value)`` raises for the first value it does not accept."""
    verified: dict[int, Any] = {}  # id -> the object, kept so that its id is not reused
    for value in values:
        if not _plain(value, verified, set()):
            json.dumps(value)


def _plain(value: Any, verified: dict[int, Any], path: set[int]) -> bool:
    """True when ``json.dumps`` accepts ``value`` for certain; False when unsure."""
    kind = type(value)
    if kind in _SCALARS:
        return True
    if kind is not dict and kind is not list and kind is not tuple:
        return False
    key = id(value)
    if key in verified:
        return True
    if key in path:
        return False  # a cycle: json.dumps raises ValueError
    path.add(key)
    scalars = _SCALARS
    if kind is dict:
        for k, v in value.items():  # scalars inline: most values are, and a call costs more
            if type(k) not in scalars or (type(v) not in scalars
                                          and not _plain(v, verified, path)):
                return False
    else:
        for v in value:
            if type(v) not in scalars and not _plain(v, verified, path):
                return False
    path.discard(key)
    verified[key] = value
    return True
