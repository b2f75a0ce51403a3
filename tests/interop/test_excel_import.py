"""Excel import: the shipped template, filled in cell by cell as a person would, becomes a
workspace that `probis check` audits; unreadable rows are reported by sheet and row."""

from __future__ import annotations

from pathlib import Path

import yaml
from openpyxl import load_workbook
from probis.plugins.interop.excel_import import import_workbook
from probis.plugins.interop.excel_template import DATA_SHEET, HEADER_ROW, TEMPLATE, build_template
from testkit import run_cli

SOTK = """kind: sotk
id: sotk-2025
units:
  - {id: disdukcapil, name: Dinas Kependudukan dan Pencatatan Sipil, type: dinas}
  - {id: disdukcapil.dafduk, name: Bidang Pelayanan Pendaftaran Penduduk, type: bidang,
     parent: disdukcapil}
"""


def _content(wb) -> dict[str, list[tuple]]:
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)]
            for ws in wb.worksheets}


def test_committed_template_equals_a_fresh_generation() -> None:
    committed = load_workbook(TEMPLATE)
    fresh = build_template()
    assert _content(committed) == _content(fresh)
    assert [str(v.sqref) for v in committed[DATA_SHEET].data_validations.dataValidation] == \
        [str(v.sqref) for v in fresh[DATA_SHEET].data_validations.dataValidation]


def _fill(path: Path, rows: list[list[object]], meta: dict[int, object]) -> None:
    wb = load_workbook(TEMPLATE)
    ws = wb[DATA_SHEET]
    for row, value in meta.items():
        ws.cell(row=row, column=2, value=value)
    for offset, values in enumerate(rows, start=1):
        for col, value in enumerate(values, start=1):
            ws.cell(row=HEADER_ROW + offset, column=col, value=value)
    wb.save(path)


GOOD_ROWS = [
    ["PB.04.02.01", "Penerbitan Kartu Keluarga", "Inti", "disdukcapil.dafduk",
     "Masyarakat; Kelurahan", "Formulir F-1.01\nKartu Keluarga lama", "Kartu Keluarga",
     "Masyarakat", "DUK.S1"],
    ["PB.04.02.02", "Penerbitan KTP-el", "inti", "disdukcapil.dafduk", "Masyarakat",
     "Formulir F-1.21", "KTP-el", "Masyarakat", None],
]
META = {1: "PB.04.02", 2: "Pelayanan Administrasi Kependudukan", 3: 2, 4: "PB.04",
        5: "disdukcapil", 6: "draft"}


def test_filled_template_imports_into_a_workspace_probis_checks(tmp_path: Path) -> None:
    xlsx = tmp_path / "isian.xlsx"
    _fill(xlsx, GOOD_ROWS, META)
    ws = tmp_path / "ws"
    (ws / "sotk").mkdir(parents=True)
    (ws / "sotk" / "sotk.yaml").write_text(SOTK, encoding="utf-8")
    (ws / "probis.yaml").write_text("kind: workspace\nsotk: sotk/sotk.yaml\nmaps: peta/\n",
                                    encoding="utf-8")
    code, out, err = run_cli("import-excel", str(xlsx), "-o", str(ws / "peta"))
    assert code == 0, err
    doc = yaml.safe_load((ws / "peta" / "PB.04.02.yaml").read_text(encoding="utf-8"))
    assert doc["kind"] == "peta-proses" and doc["level"] == 2 and doc["parent"] == "PB.04"
    first = doc["processes"][0]
    assert first["category"] == "inti"
    assert first["suppliers"] == ["Masyarakat", "Kelurahan"]
    assert first["inputs"] == ["Formulir F-1.01", "Kartu Keluarga lama"]
    assert first["supports"] == ["DUK.S1"]
    code, out, err = run_cli("check", str(ws), "--as-of", "2026-11-28")
    assert code in (0, 1), out + err


def test_unreadable_rows_are_reported_by_sheet_and_row(tmp_path: Path) -> None:
    xlsx = tmp_path / "isian.xlsx"
    rows = GOOD_ROWS + [[None, "Tanpa kode", "inti"], [1.1, "Kode jadi angka", "inti"]]
    _fill(xlsx, rows, META)
    result = import_workbook(xlsx)
    assert [(p.sheet, p.row) for p in result.problems] == [
        (DATA_SHEET, HEADER_ROW + 3), (DATA_SHEET, HEADER_ROW + 4)]
    assert len(result.maps[0]["processes"]) == 2
    code, out, err = run_cli("import-excel", str(xlsx), "-o", str(tmp_path / "out"))
    assert code == 2
    assert f"'Peta Proses'!A{HEADER_ROW + 3}: " in err and "Traceback" not in err


def test_missing_level_and_a_second_sheet_with_info_sheet(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    info = wb.active
    info.title = "Info Peta"
    info.append(["Kode Peta", "UJ"])
    info.append(["Level", 0])
    data = wb.create_sheet("Proses")
    data.append(["Kode Peta", "Kode", "Nama Proses", "Penanggung Jawab", "Keluaran"])
    data.append(["UJ", "UJ.01", "Satu", "u1", "A; B"])
    data.append([None, "UJ.02", "Dua", "u1; u2", None])
    nolevel = wb.create_sheet("Lain")
    nolevel.append(["Kode Peta", "X"])
    nolevel.append(["Level", "tinggi"])
    nolevel.append(["Kode", "Nama Proses"])
    nolevel.append(["X.01", "Tiga"])
    wb.save(tmp_path / "b.xlsx")
    result = import_workbook(tmp_path / "b.xlsx")
    # the unreadable level costs the level, reported once at its cell, not the map (issue 22)
    assert [m["code"] for m in result.maps] == ["UJ", "X"]
    assert "level" not in result.maps[1] and result.maps[1]["processes"][0]["code"] == "X.01"
    assert result.maps[0]["processes"][1]["owner"] == ["u1", "u2"]
    assert [(p.sheet, p.row, p.column) for p in result.problems] == [("Lain", 2, "B2")]


def _bleed_book(path: Path, info: bool) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.title = "Peta"
    for row in (["Kode Peta", "PB.01"], ["Judul", "Peta DKIS"], ["Level", 1],
                ["Status", "final"], ["Nomor Penetapan", "800/112/DKIS/2025"], [],
                ["Kode Peta", "Kode", "Nama Proses", "Kategori"],
                ["PB.01", "PB.01.01", "Layanan Aplikasi", "inti"],
                ["PB.02", "PB.02.01", "Layanan Statistik", "inti"],
                [None, "PB.01.02", "Layanan Data", "inti"],
                ["PB.02", "PB.02.02", "Layanan Survei", "inti"]):
        sheet.append(row)
    if info:
        defaults = wb.create_sheet("Info Peta")
        defaults.append(["Level", 1])
        defaults.append(["Status", "draft"])
    wb.save(path)


def test_details_above_the_table_are_for_the_map_they_name_only(tmp_path: Path) -> None:
    """The header's penetapan made every map of the sheet's Kode Peta column look adopted."""
    _bleed_book(tmp_path / "b.xlsx", info=False)
    result = import_workbook(tmp_path / "b.xlsx")
    first, second = result.maps
    assert first["code"] == "PB.01" and first["title"] == "Peta DKIS" and first["level"] == 1
    assert first["status"] == "final" and first["adopted"] == {"number": "800/112/DKIS/2025"}
    assert [p["code"] for p in first["processes"]] == ["PB.01.01", "PB.01.02"]
    assert second["code"] == "PB.02" and len(second["processes"]) == 2
    assert not {"title", "level", "status", "adopted"} & set(second)
    [note] = result.notes  # once for the sheet, naming the cells
    assert note["en"].startswith("Peta!B1: the details above the table (B2 Judul, B3 Level, "
                                 "B4 Status, B5 Nomor Penetapan) belong to map PB.01")
    assert "map PB.02 of this sheet's Kode Peta column does not get them" in note["en"]
    assert "peta PB.02 dari kolom Kode Peta" in note["id"]
    # PB.02 has no level anywhere: that is an input problem of PB.02, not borrowed from PB.01
    assert [p.message["en"].split(";")[0] for p in result.problems] == [
        "map PB.02: Level is not filled in"]
    # with Info Peta defaults, PB.02 gets those (and only those)
    _bleed_book(tmp_path / "i.xlsx", info=True)
    code, out, err = run_cli("import-excel", str(tmp_path / "i.xlsx"), "-o",
                             str(tmp_path / "out"), "--lang", "en")
    assert code == 0, out + err
    assert "Peta!B1: the details above the table" in err and "Traceback" not in err
    doc = yaml.safe_load((tmp_path / "out" / "PB.02.yaml").read_text(encoding="utf-8"))
    assert doc["level"] == 1 and doc["status"] == "draft"
    assert "adopted" not in doc and "title" not in doc


def test_the_map_named_above_the_table_is_kept_without_rows_of_its_own(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    for row in (["Kode Peta", "PB.01"], ["Level", 1], ["Status", "final"], [],
                ["Kode Peta", "Kode", "Nama Proses"], ["PB.02", "PB.02.01", "Satu"]):
        sheet.append(row)
    wb.save(tmp_path / "b.xlsx")
    result = import_workbook(tmp_path / "b.xlsx")
    assert [(m["code"], m.get("status"), len(m["processes"])) for m in result.maps] == [
        ("PB.02", None, 1), ("PB.01", "final", 0)]
    assert "belong to map PB.01" in result.notes[0]["en"]


def test_not_a_workbook_is_a_clean_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    code, out, err = run_cli("import-excel", str(bad), "-o", str(tmp_path / "out"))
    assert code == 2 and "Traceback" not in err and "bad.xlsx" in err
