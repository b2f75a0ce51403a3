"""The format guide in English (docs/format.md) and Indonesian (docs/format.id.md): the same
examples (comments translated, data equal), every kind that exists documented, and every example
loads without an input error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from format_examples import EXAMPLE_PATHS
from probis.engine.loader import load_workspace
from probis.engine.runner import loader_config
from probis.engine.schema import builtin_kinds
from testkit import ROOT

GUIDES = {"en": ROOT / "docs" / "format.md", "id": ROOT / "docs" / "format.id.md"}
PATHS = dict(EXAMPLE_PATHS, kamus="kamus.yaml", pelimpahan="pelimpahan.yaml",
             peristiwa="perubahan/peristiwa.yaml", pemicu="perubahan/pemicu.yaml")
PATHS["bpmn-link"] = "peta/disdukcapil/kk.bpmn.yaml"
PATHS["sop"] = "sop/SOP-DUK-001.yaml"


def blocks(path: Path) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


def test_both_guides_have_the_same_examples() -> None:
    english, indonesian = blocks(GUIDES["en"]), blocks(GUIDES["id"])
    assert len(english) == len(indonesian)
    for en, id_ in zip(english, indonesian, strict=True):
        # the comments are translated; what the example says must be the same
        assert yaml.safe_load(id_) == yaml.safe_load(en), id_


@pytest.mark.parametrize("lang", GUIDES)
def test_every_kind_is_documented(lang: str) -> None:
    kinds = {m.group(1) for b in blocks(GUIDES[lang])
             for m in [re.search(r"^kind:\s*(\S+)", b, flags=re.M)] if m}
    assert kinds == set(builtin_kinds()), set(builtin_kinds()) ^ kinds


@pytest.mark.parametrize("lang", GUIDES)
def test_every_example_loads(lang: str, tmp_path: Path) -> None:
    from probis.engine.plugins import build_registry

    root = tmp_path / "kota-contoh"
    written = set()
    for body in blocks(GUIDES[lang]):
        kind = re.search(r"^kind:\s*(\S+)", body, flags=re.M).group(1)  # type: ignore[union-attr]
        target = root / PATHS[kind]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
        written.add(kind)
    ws = load_workspace(root, loader_config(build_registry()))
    assert ws.input_errors == []
    assert {d.kind for d in ws.docs} == written
    # only the old spelling `indicators` the v1 example keeps is noted
    assert [(n.code, n.field) for n in ws.notices] == [
        ("deprecated-field", "processes[0].indicators")]
