"""The files shipped inside a package (rule files, schemas, templates), found as
``importlib.resources.files`` finds them.

For a package imported from a folder, ``importlib.resources.files`` answers that folder as a
``pathlib.Path``; it also imports its readers for every other kind of package (zipfile among
them), about 0.01 s of a one-map ``probis check`` (docs/design-notes.md, "i24-startup2"). Here
a package loaded from a source or bytecode file in a folder gets that folder directly; any
other package (a zip, a namespace package, another loader) is importlib.resources' to answer.
"""

from __future__ import annotations

import os
from importlib import import_module
from importlib.machinery import SourceFileLoader, SourcelessFileLoader
from pathlib import Path
from typing import Any


def package_files(package: str) -> Any:
    """``importlib.resources.files(package)``: a ``Path`` for a package in a folder, else
    importlib.resources' Traversable."""
    spec = getattr(import_module(package), "__spec__", None)
    if (spec is not None and isinstance(spec.loader, SourceFileLoader | SourcelessFileLoader)
            and spec.origin and spec.submodule_search_locations is not None
            and os.path.isfile(spec.origin)):
        return Path(spec.origin).parent  # what importlib.resources' FileReader answers
    from importlib import resources

    return resources.files(package)
