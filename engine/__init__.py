"""probis engine: loads a workspace of process maps, runs plugin rule sets, scores and reports.

Import name ``probis.engine`` (the folder stays at the top level as ``engine/``).
"""

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any  # noqa: E402

if TYPE_CHECKING:
    from .hookspecs import hookimpl

__all__ = ["__version__", "hookimpl"]


def __getattr__(name: str) -> Any:
    """``probis.engine.hookimpl``, the marker plugins import, loaded on first use: `probis
    --version` needs no pluggy."""
    if name == "hookimpl":
        from .hookspecs import hookimpl

        return hookimpl
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
