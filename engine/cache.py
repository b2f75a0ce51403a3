"""Deprecated: this module's contents moved after probis 0.1.0; it goes away in the next
minor release.

``PerMapRule`` (with ``map_groups`` and ``referenced_units``) is in ``probis.engine.rule``; the
result cache is ``probis.engine.incremental.cache``. A name imported from here still works and
emits a ``DeprecationWarning`` naming its new place (docs/api-stability.md).
"""

from __future__ import annotations

import warnings
from typing import Any

_RULE_NAMES = frozenset({"PerMapRule", "MapGroups", "map_groups", "referenced_units",
                         "remember_referenced_units"})


def __getattr__(name: str) -> Any:
    if name in _RULE_NAMES:
        from . import rule as module
    else:
        from .incremental import cache as module
    value = getattr(module, name)  # AttributeError for a name that never was here
    warnings.warn(f"probis.engine.cache.{name} moved to {module.__name__}.{name}; "
                  "probis.engine.cache goes away in the next minor release",
                  DeprecationWarning, stacklevel=2)
    return value
