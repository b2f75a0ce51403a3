"""Build throwaway plugin distributions discovered through real entry points.

A folder on PYTHONPATH with a ``*.dist-info`` holding ``entry_points.txt`` is what an installed
wheel leaves behind, so importlib.metadata (and therefore probis) finds the plugin exactly as
it finds one installed with pip.
"""

from __future__ import annotations

import textwrap
from pathlib import Path


def make_plugin(site: Path, dist: str, entry_name: str, module: str, source: str) -> Path:
    site.mkdir(parents=True, exist_ok=True)
    (site / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    # wheel naming: the distribution name with underscores (importlib.metadata splits on "-")
    info = site / f"{dist.replace('-', '_')}-0.1.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(f"[probis]\n{entry_name} = {module}\n", encoding="utf-8")
    return site
