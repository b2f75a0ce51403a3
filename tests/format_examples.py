"""Read the YAML examples of ../shared/format.md, so tests use them exactly as written."""

from __future__ import annotations

import re
from pathlib import Path


def _find_shared() -> Path:
    # the shared docs sit beside the checkout (/work/shared next to /work/main), but a git
    # worktree lives one level deeper (/work/wt/<name>): look upwards instead of a fixed depth
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "shared" / "format.md").is_file():
            return parent / "shared"
    return here.parents[2] / "shared"


SHARED = _find_shared()
FORMAT_MD = SHARED / "format.md"

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


def format_examples() -> dict[str, str]:
    """kind -> YAML text of every ```yaml block in format.md that declares a kind."""
    # the shared contract when it is beside the project, else the copy shipped in docs/
    # (tests/engine/test_docs_format.py keeps the two identical)
    source = FORMAT_MD if FORMAT_MD.is_file() else Path(__file__).resolve().parents[1] / "docs" / "format.md"
    text = source.read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for block in re.findall(r"```yaml\n(.*?)```", text, flags=re.S):
        match = re.search(r"^kind:\s*(\S+)", block, flags=re.M)
        if match:
            out[match.group(1)] = block
    return out


def write_example_workspace(root: Path) -> Path:
    for kind, body in format_examples().items():
        target = root / EXAMPLE_PATHS[kind]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
    return root
