"""docs/format.md ships the input-format contract; it must not drift from the shared original."""

from __future__ import annotations

from pathlib import Path

import pytest
from format_examples import FORMAT_MD

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_format_doc_equals_the_contract() -> None:
    if not FORMAT_MD.is_file():
        pytest.skip(f"the shared contract is not beside the project ({FORMAT_MD})")
    assert (ROOT / "docs" / "format.md").read_text(encoding="utf-8") == FORMAT_MD.read_text(encoding="utf-8")


def test_report_file_is_readable_by_others(tmp_path: Path) -> None:
    import os
    import stat

    from probis.engine.atomic import write_atomic

    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "r.json", "{}\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "r.json").stat().st_mode) == 0o644
