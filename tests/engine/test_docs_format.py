"""docs/format.md is the input format's home in the project: it must keep every example of
format v1 (the contract, ../shared/format.md, vendored in tests/corpora/format-v1)."""

from __future__ import annotations

from pathlib import Path

from format_examples import format_examples, yaml_blocks
from vendored import SHARED, needs_shared

ROOT = Path(__file__).resolve().parents[2]


def test_format_doc_keeps_every_v1_example() -> None:
    examples = format_examples()
    assert len(examples) == 7
    shipped = yaml_blocks((ROOT / "docs" / "format.md").read_text(encoding="utf-8"))
    for kind, body in examples.items():
        assert shipped.get(kind) == body, f"docs/format.md changed or lost the v1 `{kind}` example"


@needs_shared("the v1 contract is ../shared/format.md")
def test_vendored_examples_equal_the_contract() -> None:
    assert SHARED is not None
    assert format_examples() == yaml_blocks((SHARED / "format.md").read_text(encoding="utf-8"))


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
