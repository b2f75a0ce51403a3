"""Excel both ways (issue 22 item 4): export-excel -> import-excel keeps every field of the
sample city's maps; re-import merges and refuses to overwrite hand edits; per-cell errors;
list cells; the adoption and evaluation cells; `probis template`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook
from probis.engine.loader import load_workspace
from probis.engine.model import ProcessMap
from probis.plugins.interop.excel_import import MANIFEST, import_workbook
from probis.plugins.interop.excel_layout import (
    LISTS_SHEET,
    RECORD_SHEET,
    TEMPLATE_FILE,
    join_list,
    split_list,
)
from probis.plugins.interop.excel_template import DATA_SHEET, HEADER_ROW, META_ROW
from testkit import SAMPLE_CITY, run_cli

SOTK = """kind: sotk
id: sotk-2025
units:
  - {id: disdukcapil, name: Dinas Kependudukan dan Pencatatan Sipil, type: dinas}
  - {id: disdukcapil.dafduk, name: Bidang Pelayanan Pendaftaran Penduduk, type: bidang,
     parent: disdukcapil}
"""


def _models(folder: Path) -> dict[str, dict]:
    """Every peta-proses below ``folder``, as the loader's model dumps it, by file."""
    out = {}
    for path in sorted(folder.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("kind") == "peta-proses":
            out[path.relative_to(folder).as_posix()] = ProcessMap.model_validate(
                data).model_dump()
    return out


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("export")
    code, out, err = run_cli("export-excel", str(SAMPLE_CITY), "-o", str(folder / "peta.xlsx"))
    assert code == 0, out + err
    return folder / "peta.xlsx"


def test_sample_city_survives_yaml_xlsx_yaml(exported: Path, tmp_path: Path) -> None:
    code, out, err = run_cli("import-excel", str(exported), "-o", str(tmp_path / "peta"))
    assert code == 0, out + err
    before = _models(SAMPLE_CITY / "peta")
    after = _models(tmp_path / "peta")
    assert len(before) == 36 and sorted(after) == sorted(before)  # same files, same folders
    for name, model in before.items():
        assert after[name] == model, name
    # the fields the old template had no cell for are there
    assert after["disdukcapil/PB.04.02.yaml"]["adopted"]["number"] == "800/112/D.4/2025"
    assert str(after["disdukcapil/PB.04.02.yaml"]["last_evaluated"]) == "2026-03-09"


def test_export_has_lists_from_the_sotk_and_plans_and_the_instructions(exported: Path) -> None:
    wb = load_workbook(exported)
    assert wb.sheetnames[0] == "Petunjuk" and "PB.04.02" in wb.sheetnames
    assert wb[RECORD_SHEET].sheet_state == "hidden"
    lists = [tuple(r) for r in wb[LISTS_SHEET].iter_rows(values_only=True)]
    units = {r[0] for r in lists[1:]}
    sasaran = {r[1] for r in lists[1:]}
    assert {"disdukcapil", "disdukcapil.dafduk"} <= units and "DUK.S1" in sasaran
    sheet = wb["PB.04.02"]
    formulas = {str(v.sqref): (v.type, v.formula1) for v in sheet.data_validations.dataValidation}
    category = next(f for f in formulas.values() if "inti" in (f[1] or ""))
    assert category[0] == "list"
    assert any(f[1].startswith(f"'{LISTS_SHEET}'!$A$2") for f in formulas.values())  # units
    assert any(f[1].startswith(f"'{LISTS_SHEET}'!$B$2") for f in formulas.values())  # sasaran
    assert sheet.cell(row=META_ROW["adopted.date"], column=2).value.year == 2025
    guide = " ".join(str(r[0]) for r in wb["Petunjuk"].iter_rows(values_only=True) if r[0])
    assert "koma (,), titik koma (;) atau baris baru" in guide and "--force" in guide


def test_reimport_into_the_workspace_merges_and_refuses_hand_edits(exported: Path,
                                                                    tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(SAMPLE_CITY, ws)
    peta = ws / "peta"
    # the files are as exported (the workbook records their hashes): replaced without --force
    code, out, err = run_cli("import-excel", str(exported), "-o", str(peta))
    assert code == 0, out + err
    assert "PB.04.02.yaml" in out and MANIFEST in {p.name for p in peta.iterdir()}
    assert _models(peta) == _models(SAMPLE_CITY / "peta")
    # a hand edit after the import is protected; nothing at all is written
    edited = peta / "disdukcapil" / "PB.04.02.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace(
        "Penerbitan Kartu Keluarga", "Penerbitan KK"), encoding="utf-8")
    other = peta / "dinkes" / "PB.05.yaml"
    other.unlink()
    code, out, err = run_cli("import-excel", str(exported), "-o", str(peta), "--lang", "en")
    assert code == 4, out + err
    assert f"changed since the last import: {edited}" in out and "--force" in err
    assert "Penerbitan KK" in edited.read_text(encoding="utf-8")
    assert not other.exists()
    # --dry-run says the same and writes nothing
    code, out, err = run_cli("import-excel", str(exported), "-o", str(peta), "--dry-run",
                             "--lang", "en")
    assert code == 4 and f"new: {other}" in out and not other.exists()
    code, out, err = run_cli("import-excel", str(exported), "-o", str(peta), "--force")
    assert code == 0, out + err
    assert "Penerbitan KK" not in edited.read_text(encoding="utf-8") and other.exists()
    # the next import finds everything unchanged
    code, out, err = run_cli("import-excel", str(exported), "-o", str(peta), "--lang", "en")
    assert code == 0 and "updated" not in out and f"unchanged: {edited}" in out


def _fill(path: Path, rows: list[list[object]], meta: dict[str, object],
          title: str = DATA_SHEET) -> None:
    wb = load_workbook(TEMPLATE_FILE)
    ws = wb[DATA_SHEET]
    ws.title = title
    for key, value in meta.items():
        ws.cell(row=META_ROW[key], column=2, value=value)
    for offset, values in enumerate(rows, start=1):
        for col, value in enumerate(values, start=1):
            ws.cell(row=HEADER_ROW + offset, column=col, value=value)
    wb.save(path)


ROWS = [["PB.04.02.01", "Penerbitan Kartu Keluarga", "inti", "disdukcapil.dafduk",
         "Masyarakat, Kelurahan", "Formulir F-1.01", "Kartu Keluarga", "Masyarakat",
         None]]
META = {"code": "PB.04.02", "title": "Pelayanan Administrasi Kependudukan", "level": 1,
        "parent": "PB.04", "unit": "disdukcapil", "status": "final"}


def test_a_bad_cell_is_reported_once_with_its_address_and_the_map_is_kept(
        tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    rows = [[f"PB.04.02.{i:02d}", f"Proses {i}", "inti", "disdukcapil.dafduk"]
            for i in range(1, 11)]
    rows[3][3] = 4.5  # an owner Excel stored as a number: that cell only
    meta = META | {"level": "1 (satu)", "adopted.date": "kemarin"}
    _fill(book, rows, meta, title="Peta1")
    result = import_workbook(book)
    described = [p.describe("id") for p in result.problems]
    assert len(described) == 3, described
    level_row, date_row = META_ROW["level"], META_ROW["adopted.date"]
    assert described[0].startswith(f"Peta1!B{level_row}: Level '1 (satu)' bukan angka")
    assert described[1].startswith(f"Peta1!B{date_row}: Tanggal Penetapan: 'kemarin' bukan "
                                   "tanggal")
    assert described[2].startswith(f"Peta1!D{HEADER_ROW + 4}: kode 4.5")
    [doc] = result.maps
    assert doc["level"] == 1 and len(doc["processes"]) == 10
    assert "owner" not in doc["processes"][3] and doc["processes"][3]["name"] == "Proses 4"
    code, out, err = run_cli("import-excel", str(book), "-o", str(tmp_path / "o"), "--lang",
                             "en")
    assert code == 2 and err.count("Peta1!B3") == 1 and "Traceback" not in err
    assert (tmp_path / "o" / "PB.04.02.yaml").is_file()


def test_list_cells_split_on_commas_semicolons_and_line_breaks() -> None:
    assert split_list("Masyarakat, Kelurahan; Kecamatan\nRT/RW") == [
        "Masyarakat", "Kelurahan", "Kecamatan", "RT/RW"]
    assert split_list('"Surat pengantar RT, RW"; KTP') == ["Surat pengantar RT, RW", "KTP"]
    for items in (["a, b", 'say "x"', "c;d", "plain"], ["one"]):
        assert split_list(join_list(items)) == items


def test_list_values_with_line_breaks_and_spaces_survive_export_and_import(
        tmp_path: Path) -> None:
    """A value holding a line break came back as two words joined by a space, and one
    starting with spaces without them: the quotes export-excel writes keep the value whole."""
    tricky = ["Surat pengantar RT, RW", "baris\nbaru", "  spasi depan", "spasi  ganda",
              "tab\tdi tengah", "akhir ", 'kutip "dalam"', "biasa"]
    for items in (tricky, ["baris\r\nbaru"]):
        assert split_list(join_list(items)) == items
    # a person's unquoted cell is still tidied: spaces collapsed, items trimmed
    assert split_list("  satu   dua ,\ntiga") == ["satu dua", "tiga"]
    ws = tmp_path / "ws"
    (ws / "peta").mkdir(parents=True)
    (ws / "probis.yaml").write_text("kind: workspace\nmaps: peta/\n", encoding="utf-8")
    process = {"code": "PB.01.01", "name": "Layanan", "category": "inti", "owner": "u1",
               "inputs": tricky, "outputs": ["Buku"]}
    doc = {"kind": "peta-proses", "code": "PB.01", "title": "Peta", "level": 1,
           "processes": [process]}
    (ws / "peta" / "PB.01.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True),
                                            encoding="utf-8")
    book = tmp_path / "peta.xlsx"
    code, out, err = run_cli("export-excel", str(ws), "-o", str(book))
    assert code == 0, out + err
    code, out, err = run_cli("import-excel", str(book), "-o", str(tmp_path / "out"))
    assert code == 0, out + err
    back = yaml.safe_load((tmp_path / "out" / "PB.01.yaml").read_text(encoding="utf-8"))
    assert back["processes"][0]["inputs"] == tricky


def test_english_summaries_make_nouns_agree_with_counts(tmp_path: Path) -> None:
    """import-excel --lang en said '1 maps, ... 1 input problems; 1 files written'."""
    from probis.engine.i18n import counted

    assert [counted(n, "process", "processes") for n in (0, 1, 2)] == [
        "0 processes", "1 process", "2 processes"]
    assert counted(1, "map") == "1 map" and counted(3, "map") == "3 maps"
    book = tmp_path / "b.xlsx"
    _fill(book, ROWS[:1], META | {"level": "1 (satu)"})
    code, out, err = run_cli("import-excel", str(book), "-o", str(tmp_path / "o"), "--lang",
                             "en")
    assert code == 2 and "1 map, 1 process, 1 input problem; 1 file written" in err, err
    code, out, err = run_cli("import-excel", str(book), "-o", str(tmp_path / "o"), "--lang",
                             "id")
    assert "1 peta, 1 proses, 1 masalah input; 0 berkas ditulis" in err, err
    (tmp_path / "o" / "probis.yaml").write_text("kind: workspace\nmaps: .\n", encoding="utf-8")
    code, out, err = run_cli("export-excel", str(tmp_path / "o"), "-o", str(tmp_path / "x.xlsx"),
                             "--lang", "en")
    assert code == 0 and out.strip().endswith("1 map, 1 process; 0 input errors"), out + err


def _workspace(tmp_path: Path, book: Path) -> Path:
    ws = tmp_path / "ws"
    (ws / "sotk").mkdir(parents=True)
    (ws / "sotk" / "sotk.yaml").write_text(SOTK, encoding="utf-8")
    (ws / "probis.yaml").write_text("kind: workspace\nsotk: sotk/sotk.yaml\nmaps: peta/\n",
                                    encoding="utf-8")
    code, out, err = run_cli("import-excel", str(book), "-o", str(ws / "peta"))
    assert code == 0, out + err
    return ws


def _rules(ws: Path) -> set[str]:
    code, out, err = run_cli("check", str(ws), "--as-of", "2026-11-28", "-f", "json", "-o",
                             str(ws.parent / "r.json"))
    assert code in (0, 1), out + err
    report = json.loads((ws.parent / "r.json").read_text(encoding="utf-8"))
    return {f["rule"] for f in report["findings"] if f.get("element") == "PB.04.02"}


def test_adoption_and_evaluation_cells_end_reg010_and_reg011(tmp_path: Path) -> None:
    bare = tmp_path / "bare"
    bare.mkdir()
    _fill(bare / "b.xlsx", ROWS, META)
    assert {"REG010", "REG011"} <= _rules(_workspace(bare, bare / "b.xlsx"))
    filled = tmp_path / "filled"
    filled.mkdir()
    _fill(filled / "f.xlsx", ROWS, META | {
        "adopted.instrument": "Keputusan Kepala Dinas Kependudukan dan Pencatatan Sipil",
        "adopted.number": "800/112/D.4/2025", "adopted.date": "12 Maret 2026",
        "adopted.signatory": "Kepala Dinas", "last_evaluated": "09/10/2026"})
    ws = _workspace(filled, filled / "f.xlsx")
    doc = yaml.safe_load((ws / "peta" / "PB.04.02.yaml").read_text(encoding="utf-8"))
    assert str(doc["adopted"]["date"]) == "2026-03-12" and str(doc["last_evaluated"]) == \
        "2026-10-09"
    assert doc["processes"][0]["suppliers"] == ["Masyarakat", "Kelurahan"]
    assert not {"REG010", "REG011"} & _rules(ws)


def test_template_command_copies_and_refuses_to_overwrite(tmp_path: Path) -> None:
    code, out, err = run_cli("template", "-o", str(tmp_path))
    target = tmp_path / TEMPLATE_FILE.name
    assert code == 0 and target.read_bytes() == TEMPLATE_FILE.read_bytes()
    target.write_bytes(b"isian saya")
    code, out, err = run_cli("template", "-o", str(tmp_path), "--lang", "en")
    assert code == 4 and "--force" in err and target.read_bytes() == b"isian saya"
    assert run_cli("template", "-o", str(tmp_path), "--force")[0] == 0
    assert target.read_bytes() == TEMPLATE_FILE.read_bytes()
    code, out, _ = run_cli("import-excel", "--help")
    assert code == 0 and "probis template" in " ".join(out.split())  # help text is wrapped
    assert TEMPLATE_FILE.name in out.replace("\n", "").replace(" ", "")


def test_export_refuses_to_overwrite_a_workbook(tmp_path: Path) -> None:
    book = tmp_path / "peta.xlsx"
    book.write_bytes(b"isian")
    code, _, err = run_cli("export-excel", str(SAMPLE_CITY), "-o", str(book), "--lang", "en")
    assert code == 4 and "--force" in err and book.read_bytes() == b"isian"


def test_workspace_loads_with_the_manifest_beside_the_maps(exported: Path,
                                                          tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(SAMPLE_CITY, ws)
    assert run_cli("import-excel", str(exported), "-o", str(ws / "peta"))[0] == 0
    loaded = load_workspace(ws)
    assert not [e for e in loaded.input_errors if MANIFEST in e.file]


def test_a_berkas_cell_cannot_write_outside_the_output_folder(tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    _fill(book, ROWS, META | {"file": "../../keluar.yaml"})
    result = import_workbook(book)
    [problem] = result.problems
    assert problem.column == f"B{META_ROW['file']}" and result.files == {}
    code, _, err = run_cli("import-excel", str(book), "-o", str(tmp_path / "o"), "--lang", "en")
    # the map is refused, not written under another name (a second file with its code)
    assert code == 2 and "'..'" in err and "not imported" in err
    assert not (tmp_path / "o" / "PB.04.02.yaml").exists()
    assert not (tmp_path.parent / "keluar.yaml").exists()


NON_ASCII = "disdukcapil/PB.04.02 Pelayanan Adminduk – édisi 2 (revisi).yaml"


def test_a_non_ascii_file_name_survives_export_and_import(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(SAMPLE_CITY, ws)
    (ws / "peta" / "disdukcapil" / "PB.04.02.yaml").rename(ws / "peta" / NON_ASCII)
    book = tmp_path / "peta.xlsx"
    code, out, err = run_cli("export-excel", str(ws), "-o", str(book))
    assert code == 0, out + err
    result = import_workbook(book)
    assert result.problems == [] and result.files["PB.04.02"] == NON_ASCII
    code, out, err = run_cli("import-excel", str(book), "-o", str(ws / "peta"), "--force")
    assert code == 0, out + err
    assert (ws / "peta" / NON_ASCII).is_file() and not (ws / "peta" / "PB.04.02.yaml").exists()
    before = _models(SAMPLE_CITY / "peta")
    before[NON_ASCII] = before.pop("disdukcapil/PB.04.02.yaml")
    assert _models(ws / "peta") == before


@pytest.mark.parametrize(("name", "rule"), [
    ("/etc/peta.yaml", "absolute path"),
    ("C:/peta/PB.04.02.yaml", "absolute path"),
    ("../PB.04.02.yaml", "'..' part"),
    ("disdukcapil/./PB.04.02.yaml", "'..' part"),
    ("disdukcapil\\PB.04.02.yaml", "not a folder separator"),
    ("disdukcapil//PB.04.02.yaml", "part is empty"),
    (".tersembunyi/PB.04.02.yaml", "hidden"),
    ("disdukcapil/PB.04.02\n.yaml", "control"),
    ("disdukcapil/PB\u200e.04.02.yaml", "invisible"),
    ("disdukcapil/PB.04.02?.yaml", "cannot hold: ?"),
    ("disdukcapil /PB.04.02.yaml", "starts or ends with a space"),
    ("disdukcapil/PB.04.02.txt", "must end in .yaml"),
])
def test_a_refused_file_name_says_its_rule_and_the_map_is_not_imported(
        name: str, rule: str, tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    _fill(book, ROWS, META | {"file": name})
    result = import_workbook(book)
    [problem] = result.problems
    assert rule in problem.message["en"] and "not imported" in problem.message["en"]
    assert problem.column == f"B{META_ROW['file']}"
    assert result.maps == [] and result.files == {}


def test_a_map_sheet_without_process_rows_is_still_a_map(tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    _fill(book, [], META)
    [doc] = import_workbook(book).maps
    assert doc["code"] == "PB.04.02" and doc["processes"] == []
