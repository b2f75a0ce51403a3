"""STR004 after a split: the successors may carry a removed unit's function between them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from format_examples import EXAMPLE_PATHS
from probis.engine.report import build_report
from probis.engine.runner import audit

OLD_SOTK = """kind: sotk
id: sotk-2023
instansi: Pemerintah Kota Contoh
effective: 2023-01-01
units:
  - {id: disdukcapil, name: Dinas Kependudukan dan Pencatatan Sipil, type: dinas}
  - {id: disdukcapil.dafduk, name: Bidang Pelayanan Pendaftaran Penduduk, type: bidang,
     parent: disdukcapil}
  - id: disdikbud
    name: Dinas Pendidikan dan Kebudayaan
    type: dinas
    urusan: ["1.01", "2.22"]
    functions: [Urusan pendidikan dan kebudayaan]
"""

NEW_UNITS = """
  - id: disdik
    name: Dinas Pendidikan
    type: dinas
    urusan: ["1.01"]
    functions: [Urusan pemerintahan bidang pendidikan]
  - id: disbud
    name: Dinas Kebudayaan
    type: dinas
    urusan: [{urusan}]
    functions: [Urusan pemerintahan bidang kebudayaan]
changes:
  - {{op: split, from: disdikbud, to: [disdik, disbud]}}
"""


def _workspace(root: Path, disbud_urusan: str) -> Path:
    sotk = root / EXAMPLE_PATHS["sotk"]
    body = sotk.read_text(encoding="utf-8")
    body = body[: body.index("changes:")].rstrip() + "\n" + NEW_UNITS.format(urusan=disbud_urusan)
    sotk.write_text(body, encoding="utf-8")
    (sotk.parent / "sotk-2023.yaml").write_text(OLD_SOTK, encoding="utf-8")
    return root


def _str004(ws: Path) -> list[dict]:
    report = build_report(audit(ws, as_of=dt.date(2026, 11, 28)))
    assert not report["input_errors"], report["input_errors"]
    return [f for f in report["findings"] if f["rule"] == "STR004"]


def test_split_successors_carry_the_function_together(example_workspace: Path) -> None:
    assert _str004(_workspace(example_workspace, '"2.22"')) == []


def test_an_urusan_no_successor_carries_is_reported(example_workspace: Path) -> None:
    [finding] = _str004(_workspace(example_workspace, '"2.23"'))
    assert finding["element"] == "disdikbud"
    assert finding["evidence"]["urusan"] == ["2.22"]
    assert finding["evidence"]["functions"] == []
    assert sorted(finding["evidence"]["successors"]) == ["disbud", "disdik"]
