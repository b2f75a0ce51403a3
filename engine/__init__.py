"""probis engine: loads a workspace of process maps, runs plugin rule sets, scores and reports.

Import name ``probis.engine`` (the folder stays at the top level as ``engine/``).
"""

__version__ = "0.1.0"

from .hookspecs import hookimpl  # noqa: E402  - the marker plugins import: probis.engine.hookimpl

__all__ = ["__version__", "hookimpl"]
