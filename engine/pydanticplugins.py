"""pydantic's plugin lookup without importing importlib.metadata.

When pydantic builds its first validator it imports ``pydantic.plugin._loader``, whose
``get_plugins`` finds the plugins of the entry-point group ``pydantic``. That module imports
importlib.metadata at its top (the email package, zipfile, csv, socket) and reads every
distribution through it: about a tenth of a one-map ``probis check`` (docs/design-notes.md,
"i24-startup2"). :func:`install` puts this module's own ``get_plugins`` in its place, before
pydantic imports it: the same answer (pydantic 2's rules, below), the entry points read by
engine/entrypoints.py, which hands whatever it does not read plainly to importlib.metadata.

pydantic 2's rules, kept here: ``PYDANTIC_DISABLE_PLUGINS`` set to ``__all__``, ``1`` or
``true`` disables every plugin, and to a comma-separated list the plugins of those entry-point
names; each entry-point value is loaded once; a plugin that fails to import is skipped with a
warning; while plugins load (they may use pydantic themselves) there are none. The result is
kept for the process, as pydantic keeps it. tests/engine/test_pydantic_plugins.py compares
it with pydantic's own loader.
"""

from __future__ import annotations

import os
import sys
import types
import warnings
from collections.abc import Iterable
from typing import Any

LOADER = "pydantic.plugin._loader"
PYDANTIC_ENTRY_POINT_GROUP = "pydantic"


def install() -> bool:
    """Put the lookup below in the place of pydantic's loader, unless pydantic has already
    imported its own (then nothing changes). True when installed."""
    if LOADER in sys.modules:
        return False
    module = types.ModuleType(LOADER, __doc__)
    state: dict[str, Any] = {"plugins": None, "loading": False}

    def get_plugins() -> Iterable[Any]:
        return _get_plugins(state)

    module.get_plugins = get_plugins  # type: ignore[attr-defined]
    module.PYDANTIC_ENTRY_POINT_GROUP = PYDANTIC_ENTRY_POINT_GROUP  # type: ignore[attr-defined]
    # any other name (a later pydantic may import more from its loader) is the real one's
    module.__getattr__ = _from_pydantics_own  # type: ignore[attr-defined]
    sys.modules[LOADER] = module
    return True


def _from_pydantics_own(name: str) -> Any:
    """``name`` from pydantic's own loader module, loaded from its file beside this stand-in
    (not a module attribute the import system looks for, such as ``__path__``)."""
    if name.startswith("__"):
        raise AttributeError(name)
    real = sys.modules.get(_REAL)
    if real is None:
        import importlib.util

        import pydantic.plugin

        path = os.path.join(os.path.dirname(pydantic.plugin.__file__), "_loader.py")
        spec = importlib.util.spec_from_file_location(_REAL, path)
        if spec is None or spec.loader is None:  # pragma: no cover - pydantic without it
            raise AttributeError(name)
        real = importlib.util.module_from_spec(spec)
        sys.modules[_REAL] = real
        spec.loader.exec_module(real)
    return getattr(real, name)


_REAL = "probis.engine._pydantic_plugin_loader"


def _get_plugins(state: dict[str, Any]) -> Iterable[Any]:
    disabled = os.getenv("PYDANTIC_DISABLE_PLUGINS")
    if state["loading"]:  # a plugin that uses pydantic gets no plugins
        return ()
    if disabled in ("__all__", "1", "true"):
        return ()
    if state["plugins"] is None:
        from .entrypoints import entry_points

        plugins: dict[str, Any] = {}
        state["plugins"] = plugins
        state["loading"] = True
        try:
            for entry_point in entry_points(PYDANTIC_ENTRY_POINT_GROUP):
                if entry_point.value in plugins:
                    continue
                if disabled is not None and entry_point.name in disabled.split(","):
                    continue
                try:
                    plugins[entry_point.value] = entry_point.load()
                except (ImportError, AttributeError) as e:
                    warnings.warn(
                        f"{e.__class__.__name__} while loading the `{entry_point.name}` "
                        f"Pydantic plugin, this plugin will not be installed.\n\n{e!r}",
                        stacklevel=2)
        finally:
            state["loading"] = False
    plugins_now: dict[str, Any] = state["plugins"]
    return plugins_now.values()
