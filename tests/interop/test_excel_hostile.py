"""import-excel on hostile or careless workbooks (issue 20, items 3, 12 and 14).

Every workbook is built here, small: the zip bomb too (it is never committed). Each import runs
in a child process under a memory and time cap, so a regression fails instead of taking the
machine down.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook
from probis.plugins.interop.excel_import import import_workbook, write_maps
from testkit import run_cli

MEMORY_CAP = 1 << 30  # 1 GiB of address space for the child
HEADER = ["Kode", "Nama Proses", "Penanggung Jawab", "Keluaran"]


def _workbook(path: Path, rows: list[list[object]], code: str = "UJ") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Proses"
    ws.append(["Kode Peta", code])
    ws.append(["Level", 0])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _capped(*args: str, env: dict[str, str] | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`probis ARGS` with at most MEMORY_CAP of memory and `timeout` seconds."""
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    return subprocess.run(
        [sys.executable, "-c", "from probis.engine.cli import main; main()", *args],
        capture_output=True, text=True, timeout=timeout, preexec_fn=cap,
        env={**os.environ, **(env or {})})


def _bomb(path: Path, expanded: int) -> Path:
    """A valid workbook whose sheet holds one cell of `expanded` spaces (deflates ~1000:1)."""
    good = _workbook(path.with_suffix(".src.xlsx"), [["UJ.01", "Satu", "u1", "A"]])
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info, src.read(info.filename))
                continue
            with out.open(info.filename, "w", force_zip64=True) as sheet:
                sheet.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxml'
                            b'formats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
                            b'<c r="A1" t="inlineStr"><is><t>')
                block = b" " * (1 << 20)
                for _ in range(expanded >> 20):
                    sheet.write(block)
                sheet.write(b"</t></is></c></row></sheetData></worksheet>")
    return path


# --- item 3: size and decompression limits -------------------------------------------------

def test_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "bomb.xlsx", 200 << 20)  # 200 MiB of spaces, a few hundred KB
    assert bomb.stat().st_size < 2 << 20
    proc = _capped("import-excel", str(bomb), "-o", str(tmp_path / "out"), timeout=30)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "PROBIS_MAX_FILE_BYTES" in proc.stderr and "xl/worksheets/sheet1.xml" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "out").exists()


def test_limits_follow_the_environment_overrides(tmp_path: Path) -> None:
    book = _workbook(tmp_path / "b.xlsx", [[f"UJ.{i:02}", f"P{i}", "u1", "A"] for i in range(60)])
    code, _, err = run_cli("import-excel", str(book), "-o", str(tmp_path / "o1"),
                           env={"PROBIS_MAX_FILE_BYTES": "4000"})
    assert code == 2 and "PROBIS_MAX_FILE_BYTES" in err and "Traceback" not in err
    code, _, err = run_cli("import-excel", str(book), "-o", str(tmp_path / "o2"),
                           env={"PROBIS_MAX_FILES": "5"})
    assert code == 2 and "PROBIS_MAX_FILES" in err and "entri arsip" in err
    code, _, err = run_cli("import-excel", str(book), "-o", str(tmp_path / "o3"),
                           env={"PROBIS_MAX_ELEMENTS": "100"})
    assert code == 2 and "PROBIS_MAX_ELEMENTS" in err
    assert not any((tmp_path / o).exists() for o in ("o1", "o2", "o3"))
    code, _, err = run_cli("import-excel", str(book), "-o", str(tmp_path / "o4"),
                           env={"PROBIS_MAX_FILE_BYTES": "banyak"})
    assert code == 2 and "PROBIS_MAX_FILE_BYTES" in err and "Traceback" not in err


def test_a_declared_dimension_of_16384_columns_is_not_padded(tmp_path: Path) -> None:
    book = _workbook(tmp_path / "wide.xlsx", [[f"UJ.{i:02}", "P", "u1", "A"] for i in range(50)])
    wide = tmp_path / "wide2.xlsx"
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(wide, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, _, rest = data.partition(b"<dimension ref=\"")
                data = head + b'<dimension ref="A1:XFD' + rest.split(b'"', 1)[0].split(
                    b":")[-1].lstrip(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ") + b'"' + rest.split(b'"', 1)[1]
            out.writestr(info, data)
    # 53 rows of 16,384 cells would be 868,352 elements; the rows hold 4 cells
    code, _, err = run_cli("import-excel", str(wide), "-o", str(tmp_path / "o"),
                           env={"PROBIS_MAX_ELEMENTS": "10000"})
    assert code == 0, err
    assert len(yaml.safe_load((tmp_path / "o" / "UJ.yaml").read_text())["processes"]) == 50


# --- item 12: no silent data loss ----------------------------------------------------------

def test_existing_files_are_not_replaced_without_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    book = _workbook(tmp_path / "a.xlsx", [["UJ.01", "Satu", "u1", "A"]])
    assert run_cli("import-excel", str(book), "-o", str(out))[0] == 0
    target = out / "UJ.yaml"
    target.write_text("# edited by hand\n", encoding="utf-8")
    code, _, err = run_cli("import-excel", str(book), "-o", str(out))
    assert code == 4 and str(target) in err and "--force" in err  # 4: refused (issue 22)
    assert target.read_text(encoding="utf-8") == "# edited by hand\n"
    # --force replaces it atomically: a new file is renamed over the old one, so a hard link
    # to the old file keeps the old content (a write in place would change both)
    os.link(target, tmp_path / "old.yaml")
    code, _, err = run_cli("import-excel", str(book), "-o", str(out), "--force")
    assert code == 0, err
    assert "UJ.01" in target.read_text(encoding="utf-8")
    assert (tmp_path / "old.yaml").read_text(encoding="utf-8") == "# edited by hand\n"
    # no temporary left; the manifest records what was written (issue 22)
    assert sorted(p.name for p in out.iterdir()) == [".probis-import", "UJ.yaml"]


def test_codes_that_clean_to_one_file_name_are_refused(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Level", 0])
    ws.append(["Kode Peta", *HEADER])
    ws.append(["PB.04:09", "PB.04.09.01", "Satu", "u1", "A"])
    ws.append(["PB.04 09", "PB.04.09.02", "Dua", "u1", "B"])
    wb.save(tmp_path / "clash.xlsx")
    code, out, err = run_cli("import-excel", str(tmp_path / "clash.xlsx"), "-o",
                             str(tmp_path / "out"))
    assert code == 2, (out, err)
    assert "'PB.04:09'" in err and "'PB.04 09'" in err and "PB.04_09.yaml" in err
    assert not (tmp_path / "out").exists()
    # names that differ only in case are one file on Windows and macOS
    with pytest.raises(Exception, match="'ab' / 'AB'"):
        write_maps([{"code": "ab", "processes": []}, {"code": "AB", "processes": []}],
                   tmp_path / "out2")


def test_merged_cells_and_uncalculated_formulas_are_input_errors(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Proses"
    ws.append(["Kode Peta", "UJ"])
    ws.append(["Level", 0])
    ws.merge_cells("D1:E1")  # a merged label above the table: harmless
    ws.append(HEADER)
    ws.append(["UJ.01", "Satu", "u1", "A"])
    ws.append(["UJ.02", "Dua", None, "B"])
    ws.append(["UJ.03", "=B4&\" lagi\"", "u1", "C"])  # openpyxl saves no cached value
    ws.merge_cells("C4:C5")  # u1 for UJ.01 and UJ.02: UJ.02 would lose its owner
    wb.save(tmp_path / "m.xlsx")
    result = import_workbook(tmp_path / "m.xlsx")
    where = [(p.sheet, p.row, p.column) for p in result.problems]
    assert where == [("Proses", 4, "C4:C5"), ("Proses", 6, "B6")], where
    code, _, err = run_cli("import-excel", str(tmp_path / "m.xlsx"), "-o", str(tmp_path / "o"),
                           "--lang", "en")
    assert code == 2
    assert "Proses!C4:C5: cells C4:C5 are merged" in err
    assert "Proses!B6: cell B6 holds a formula without a saved value" in err


# --- item 14: output through libyaml, same text --------------------------------------------

def test_yaml_is_written_by_libyaml_with_the_same_text(tmp_path: Path) -> None:
    assert yaml.__with_libyaml__, "PyYAML without libyaml: import-excel is 3x slower"
    doc = {"kind": "peta-proses", "code": "UJ", "title": "Pelayanan Administrasi Kependudukan "
           "dan Pencatatan Sipil untuk seluruh warga kota — ñ", "level": 0,
           "processes": [{"code": "UJ.01", "name": "Satu: dua # tiga", "outputs": ["A", "B"],
                          "owner": ["u1", "u2"]}]}
    [path] = write_maps([doc], tmp_path)
    text = path.read_text(encoding="utf-8")
    body = text.split("\n", 1)[1]
    assert body == yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
    assert yaml.safe_load(text) == doc


def test_the_benchmark_runs_small(tmp_path: Path) -> None:
    bench = Path(__file__).parents[2] / "benchmarks" / "excel_bench.py"
    proc = subprocess.run([sys.executable, str(bench), "--rows", "300", "--keep", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "rows: 300" in proc.stdout and "peak memory" in proc.stdout
    assert "target" in proc.stdout
    maps = list((tmp_path / "out").glob("*.yaml"))
    assert sum(len(yaml.safe_load(p.read_text())["processes"]) for p in maps) == 300


def test_a_dtd_or_entity_in_a_sheet_is_refused(tmp_path: Path) -> None:
    book = _workbook(tmp_path / "a.xlsx", [["UJ.01", "Satu", "u1", "A"]])
    sheet = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;'
             b'&a;&a;&a;">]><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
             b'2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is>'
             b'</c></row></sheetData></worksheet>')
    utf7 = (b'<?xml version="1.0" encoding="UTF-7"?>+ADw-worksheet/+AD4-')
    for name, data in (("dtd", sheet), ("utf7", utf7)):
        bad = tmp_path / f"{name}.xlsx"
        with zipfile.ZipFile(book) as src, zipfile.ZipFile(bad, "w") as out:
            for info in src.infolist():
                out.writestr(info, data if info.filename == "xl/worksheets/sheet1.xml"
                             else src.read(info.filename))
        result = import_workbook(bad)
        assert not result.maps and len(result.problems) == 1, name
        assert "xl/worksheets/sheet1.xml" in result.problems[0].message["en"], name


def test_shared_and_rich_strings_and_row_numbers(tmp_path: Path) -> None:
    """Rows are numbered as Excel numbers them even when rows are missing from the XML."""
    book = _workbook(tmp_path / "a.xlsx", [["UJ.01", "Satu", "u1", "A"], [None] * 4,
                                           [None] * 4, ["UJ.02", None, "u1", "B"]])
    result = import_workbook(book)
    assert [(p.row, p.column) for p in result.problems] == [], result.problems
    assert [p["code"] for p in result.maps[0]["processes"]] == ["UJ.01", "UJ.02"]
    missing_name = _workbook(tmp_path / "b.xlsx", [["UJ.01", "Satu", "u1", "A"], [None] * 4,
                                                   [1.5, "x", "u1", "B"]])
    assert [p.row for p in import_workbook(missing_name).problems] == [6]


TRICKY = ["PB.04.02.01", "Formulir F-1.01", "1.10", "1", "yes", "No", "null", "~", "=", "a: b",
          "a #b", "(x) y", "x, y; z", "it's", "'q'", "-x", "a  b", "trailing ", " lead", "ñandú",
          "2026-01-01", "1:20", "+1", "0x1F", ".inf", "x" * 95, "kata " * 19, "[a]", "{b}",
          "a\tb", "@x", "`y`", "*z", "&w", "!v", "%u", "|t", ">s", "?r", "?", ":", "-", ""]


def test_fast_yaml_text_equals_the_dumper_on_tricky_values() -> None:
    from probis.plugins.interop.excel_import import _dump

    for value in TRICKY:
        doc = {"kind": "peta-proses", "code": value, "level": 2,
               "processes": [{"code": "A.1", "name": value, "owner": ["u1", value],
                              "outputs": [value]}, {"code": value}], "empty": []}
        assert _dump(doc) == yaml.safe_dump(doc, sort_keys=False, allow_unicode=True,
                                            width=100), repr(value)


def _with_shared_string(source: Path, path: Path, index: str) -> Path:
    """`source` with cell B4 (a process name) turned into a shared-string cell of `index`, and
    a one-string sharedStrings part (openpyxl writes inline strings otherwise)."""
    sst = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org'
           b'/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>Satu</t></si></sst>')
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                start = data.index(b'<c r="B4"')
                end = data.index(b"</c>", start) + len(b"</c>")
                data = data[:start] + b'<c r="B4" t="s"><v>' + index.encode() + b"</v></c>" \
                    + data[end:]
            out.writestr(info, data)
        if "xl/sharedStrings.xml" in src.namelist():
            raise AssertionError("openpyxl wrote shared strings: the test must replace them")
        out.writestr("xl/sharedStrings.xml", sst)
    return path


@pytest.mark.parametrize("index", ["7", "abc"])
def test_a_shared_string_past_the_table_is_an_input_error(tmp_path: Path, index: str) -> None:
    source = _workbook(tmp_path / "src.xlsx", [["UJ.01", "nama", "u1", "A"]])
    good = import_workbook(_with_shared_string(source, tmp_path / "ok.xlsx", "0"))
    assert not good.problems and good.maps[0]["processes"][0]["name"] == "Satu"
    bad = _with_shared_string(source, tmp_path / "bad.xlsx", index)
    result = import_workbook(bad)
    assert [(p.sheet, p.row, p.column) for p in result.problems] == [("Proses", 4, "B4")]
    code, _, err = run_cli("import-excel", str(bad), "-o", str(tmp_path / "o"), "--lang", "en")
    assert code == 2
    assert f"Proses!B4: cell B4 cannot be read: it refers to shared string `{index}`" in err
