"""The YAML examples of format v1, so tests use them exactly as the contract wrote them.

They are vendored in tests/corpora/format-v1 (one file per kind, copied from ../shared/format.md
by tests/corpora/vendor.py). docs/format.md is the format's home in the project;
tests/engine/test_docs_format.py checks it still holds every one of these examples, and that the
copies equal ../shared/format.md's when it is beside the checkout.
"""

from __future__ import annotations

import re
from pathlib import Path

from vendored import CORPORA

EXAMPLES_DIR = CORPORA / "format-v1"

# where each example kind lives in a workspace laid out as format.md shows
EXAMPLE_PATHS = {
    "workspace": "probis.yaml",
    "sotk": "sotk/sotk-2025.yaml",
    "rpjmd": "rencana/rpjmd-2025-2029.yaml",
    "renstra": "rencana/renstra/disdukcapil.yaml",
    "peta-proses": "peta/disdukcapil/PB.04.02.yaml",
    "peta-lintas-fungsi": "peta/disdukcapil/PB.04.02.01-LF.yaml",
    "waivers": "waivers.yaml",
}


def yaml_blocks(markdown: str) -> dict[str, str]:
    """kind -> YAML text of every ```yaml block of a markdown text that declares a kind."""
    out: dict[str, str] = {}
    for block in re.findall(r"```yaml\n(.*?)```", markdown, flags=re.S):
        match = re.search(r"^kind:\s*(\S+)", block, flags=re.M)
        if match:
            out[match.group(1)] = block
    return out


def format_examples() -> dict[str, str]:
    """kind -> YAML text of every v1 example (the vendored copies)."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(EXAMPLES_DIR.glob("*.yaml"))}


def write_example_workspace(root: Path) -> Path:
    for kind, body in format_examples().items():
        target = root / EXAMPLE_PATHS[kind]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
    return root
