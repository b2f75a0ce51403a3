"""Finding messages of a process with no name: no literal ``{name}``, no empty brackets."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from probis.engine.i18n import format_text
from testkit import SAMPLE_CITY, run_cli

TEMPLATE = {"id": "Proses {code} ({name}) belum memiliki {what}",
            "en": "Process {code} ({name}) has no {what}"}


@pytest.mark.parametrize("values", [{"code": "PB.01", "what": "x"},
                                    {"code": "PB.01", "name": "", "what": "x"},
                                    {"code": "PB.01", "name": None, "what": "x"}])
def test_a_missing_or_empty_bracketed_value_is_left_out(values: dict) -> None:
    assert format_text(TEMPLATE, values) == {"id": "Proses PB.01 belum memiliki x",
                                             "en": "Process PB.01 has no x"}


def test_a_given_value_and_other_missing_values_are_as_before() -> None:
    assert format_text(TEMPLATE, {"code": "PB.01", "name": "Ab", "what": "x"})["en"] == \
        "Process PB.01 (Ab) has no x"
    # a missing value outside brackets stays visible: a template bug shows, it does not hide
    assert format_text(TEMPLATE, {"code": "PB.01", "name": "Ab"})["en"] == \
        "Process PB.01 (Ab) has no {what}"


@pytest.mark.parametrize("name_line", ["", "    name: \"\"\n"])
def test_a_process_without_a_name_reads_well_in_its_findings(tmp_path: Path,
                                                             name_line: str) -> None:
    """A staffer who leaves Nama Proses empty got `Proses PB.01.02 ({name}) ...` (the name
    omitted) or `Proses PB.01.02 () ...` (the name blank) in every finding about it."""
    city = Path(shutil.copytree(SAMPLE_CITY, tmp_path / "kota"))
    path = city / "peta" / "setda" / "PB.01.yaml"
    raw = path.read_text(encoding="utf-8")
    named = "    name: Penyusunan dan Harmonisasi Produk Hukum Daerah\n"
    assert named in raw
    path.write_text(raw.replace(named, name_line), encoding="utf-8")
    _code, out, err = run_cli("check", str(city), "--as-of", "2026-11-28", "-f", "json")
    messages = [f["message"][lang] for f in json.loads(out)["findings"]
                if f["element"] == "PB.01.02" for lang in ("id", "en")]
    assert "Proses inti PB.01.02 tidak mendukung sasaran RPJMD atau Renstra mana pun" in \
        messages, messages
    assert not [m for m in messages if "{" in m or "()" in m], messages
