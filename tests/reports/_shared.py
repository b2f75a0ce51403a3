"""The top-level tests/conftest.py helpers, loaded by path.

Several test folders have a ``conftest.py``, and pytest binds the module name ``conftest`` to
whichever it imported last, so ``from conftest import ...`` is not reliable here.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "probis_tests_root_conftest", Path(__file__).resolve().parents[1] / "conftest.py")
assert _spec is not None and _spec.loader is not None
_root = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_root)

AS_OF = _root.AS_OF
ROOT = _root.ROOT
SAMPLE_CITY = _root.SAMPLE_CITY
run_cli = _root.run_cli
