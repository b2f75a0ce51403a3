"""PyYAML, imported without compiling the regular expression of its pure-Python reader.

``yaml.reader`` compiles ``Reader.NON_PRINTABLE``, a class over all of Unicode, when it is
imported: 5-6 ms of every ``probis`` start (docs/design-notes.md, "i24-startup"), though
probis reads YAML with the C loader (libyaml), which never uses it. Here the expressions
``yaml.reader`` compiles are compiled when first used instead: the pure-Python loader (a
plugin's ``yaml.safe_load``) finds a pattern that answers every call as the compiled one
does. ``re.compile`` is itself again once PyYAML is imported.
"""

from __future__ import annotations

import re
import sys
from typing import Any

_compile = re.compile


class LazyPattern:
    """``re.compile(pattern, flags)``, compiled on its first use."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: Any, flags: int) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[Any] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = _compile(*self._args)
        return getattr(self._compiled, name)


def _import_yaml() -> Any:
    if "yaml" in sys.modules:  # imported already: nothing left to spare
        return sys.modules["yaml"]

    def compile_for_yaml(pattern: Any, flags: int = 0) -> Any:
        if sys._getframe(1).f_globals.get("__name__") == "yaml.reader":
            return LazyPattern(pattern, flags)
        return _compile(pattern, flags)

    re.compile = compile_for_yaml  # type: ignore[assignment]
    try:
        import yaml
    finally:
        re.compile = _compile
    return yaml


yaml = _import_yaml()
