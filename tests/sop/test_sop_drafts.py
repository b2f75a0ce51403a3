"""`probis sop`: drafts of every cross-functional map of the sample city open in python-docx
and openpyxl with the identity section and one flowchart row per map step in flow order; a
drafted `kind: sop` document passes the SOP rules once its marked blanks are filled; a lane
whose unit is renamed gives the SOP–map consistency finding (SOP010)."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
import yaml
from probis.engine.report import build_report
from probis.engine.runner import audit
from testkit import AS_OF, SAMPLE_CITY, run_cli

RULES_BASE = Path(__file__).resolve().parents[1] / "rules" / "_base"
SOP_BASE = RULES_BASE.parent / "_base-sop" / "sop"
LF_CODES = ["PB.04.02.01", "PB.05.02.02", "PB.07.02.03", "PB.09.01.02", "PB.12.01", "PB.14.01"]
IDENTITY = ["Nomor SOP", "Tanggal Pembuatan", "Tanggal Revisi", "Tanggal Efektif",
            "Disahkan oleh", "Nama SOP"]


def _lf(code: str) -> dict:
    for path in SAMPLE_CITY.glob("peta/*/*-LF.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data["process"] == code:
            return data
    raise AssertionError(code)


def _assert_flow_order(names: list[str], lf: dict) -> None:
    """Rows are the map's steps, each once; every flow that is not a loop back goes down."""
    assert sorted(names) == sorted(s["name"] for s in lf["steps"])
    row = {name: i for i, name in enumerate(names)}
    name = {s["id"]: s["name"] for s in lf["steps"]}
    flows = [f for f in lf["flows"] if f["from"] in name and f["to"] in name]  # not dangling
    downward = [f for f in flows if row[name[f["to"]]] > row[name[f["from"]]]]
    assert len(downward) >= len(flows) - 1  # at most one loop back in the sample maps
    assert names[0] == next(s["name"] for s in lf["steps"] if s["type"] == "start")


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("sop")
    written = {}
    for fmt in ("docx", "xlsx"):
        code, stdout, err = run_cli("sop", str(SAMPLE_CITY), "--all", "--format", fmt,
                                    "-o", str(out / fmt), "--as-of", "2026-11-28")
        assert code == 0, err
        for line in stdout.split():
            written[Path(line).name] = Path(line)
    return written


def test_all_writes_one_docx_and_xlsx_per_lf_map(drafts: dict[str, Path]) -> None:
    assert sorted(drafts) == sorted(f"SOP-{c}.{x}" for c in LF_CODES for x in ("docx", "xlsx"))


@pytest.mark.parametrize("code", LF_CODES)
def test_docx_has_identity_and_rows_in_flow_order(drafts: dict[str, Path], code: str) -> None:
    document = docx.Document(str(drafts[f"SOP-{code}.docx"]))
    ident, _sections, flow = document.tables
    assert [ident.cell(i, 1).text for i in range(6)] == IDENTITY
    assert ident.cell(2, 2).text.startswith("(diisi")  # no revision yet: a marked blank
    assert ident.cell(1, 2).text == "2026-11-28"
    lf = _lf(code)
    rows = flow.rows[2:]
    names = [r.cells[1].text for r in rows]
    _assert_flow_order(names, lf)
    assert [r.cells[0].text for r in rows] == [str(i) for i in range(1, len(rows) + 1)]
    # each row's symbol sits in the column of its step's lane
    lanes = {lane["id"]: lane.get("name") for lane in lf["lanes"]}
    head = [c.text for c in flow.rows[1].cells]
    for r, step in zip(rows, sorted(lf["steps"], key=lambda s: names.index(s["name"])),
                       strict=True):
        column = head.index(lanes[step["lane"]])
        symbol = {"start": "⬭", "end": "⬭", "task": "▭", "decision": "◇"}[step["type"]]
        assert r.cells[column].text.startswith(symbol), (code, step)


@pytest.mark.parametrize("code", LF_CODES)
def test_xlsx_has_identity_and_rows_in_flow_order(drafts: dict[str, Path], code: str) -> None:
    sheet = openpyxl.load_workbook(drafts[f"SOP-{code}.xlsx"]).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert [row[2] for row in values[:6]] == IDENTITY
    header = next(i for i, row in enumerate(values) if row[0] == "No")
    rows = [row for row in values[header + 2:] if isinstance(row[0], int)]
    _assert_flow_order([row[1] for row in rows], _lf(code))
    filled = [c for c in sheet[header + 3] if c.fill.fgColor.rgb not in (None, "00000000")]
    assert len(filled) == 1 and filled[0].value.startswith("⬭")  # the start terminator


def _inputs(code: str) -> list[str]:
    for path in SAMPLE_CITY.glob("peta/*/*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for process in data.get("processes") or []:
            if process["code"] == code:
                return process["inputs"]
    raise AssertionError(code)


def test_each_input_is_its_own_requirement(drafts: dict[str, Path], tmp_path: Path) -> None:
    """The inputs were merged into one requirement ('Formulir ..., Kartu Keluarga lama, ...');
    format.md's SOP lists them one an item, and the drafts show them one a line."""
    code = "PB.04.02.01"
    inputs = _inputs(code)
    assert len(inputs) == 3
    status, _, err = run_cli("sop", str(SAMPLE_CITY), code, "-o", str(tmp_path / "s.yaml"),
                             "--as-of", "2026-11-28")
    assert status == 0, err
    text = (tmp_path / "s.yaml").read_text(encoding="utf-8")
    assert "&id" not in text  # each step its own list, not a YAML alias of the first
    steps = yaml.safe_load(text)["steps"]
    assert steps[0]["mutu_baku"]["requirements"] == inputs
    assert steps[1]["mutu_baku"]["requirements"] == inputs  # the start passes them on
    flow = docx.Document(str(drafts[f"SOP-{code}.docx"])).tables[2]
    column = [c.text for c in flow.rows[1].cells].index("Kelengkapan")
    assert flow.rows[2].cells[column].text == "\n".join(inputs)
    sheet = openpyxl.load_workbook(drafts[f"SOP-{code}.xlsx"]).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(values) if row[0] == "No")
    column = values[header + 1].index("Kelengkapan")
    assert values[header + 2][column] == "\n".join(inputs)


def _check(workspace: Path) -> dict:
    return build_report(audit(workspace, as_of=AS_OF))


def _draft_into(workspace: Path, code: str) -> Path:
    target = workspace / "sop" / f"SOP-{code}.yaml"
    target.parent.mkdir(exist_ok=True)
    for other in ("SOP-YAN-02.yaml", "SOP-KEU-01.yaml"):  # the SOPs the base's processes list
        shutil.copy(SOP_BASE / other, target.parent / other)
    status, _, err = run_cli("sop", str(workspace), code, "-o", str(target),
                             "--as-of", "2026-06-15")
    assert status == 0, err
    return target


def test_a_drafted_sop_passes_the_sop_rules_once_its_blanks_are_filled(tmp_path: Path) -> None:
    workspace = shutil.copytree(RULES_BASE, tmp_path / "ws")
    target = _draft_into(workspace, "PB.01.01")
    findings = [f for f in _check(workspace)["findings"] if f["rule_set"] == "sop"]
    # a draft is honest about what it could not fill: only the marked blanks are reported
    assert {f["rule"] for f in findings} <= {"SOP001", "SOP002", "SOP004"}, findings
    assert any("number" in f["message"]["en"] for f in findings if f["rule"] == "SOP001")
    doc = yaml.safe_load(target.read_text(encoding="utf-8"))
    doc.update(number="800/1/SOP/2026", effective="2026-07-01", legal_basis=["UU 17/2023"],
               executor_qualifications=["-"], related=["-"], equipment=["-"], warning="-",
               records=["-"])
    for step in doc["steps"]:
        step["mutu_baku"] = {k: (["x"] if isinstance(v, list) else "5m") if "(diisi" in str(v)
                             else v for k, v in step["mutu_baku"].items()}
    target.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    report = _check(workspace)
    assert [f for f in report["findings"] if f["rule_set"] == "sop"] == []
    for rule in ("SOP001", "SOP003", "SOP005", "SOP006", "SOP009", "SOP010", "SOP011"):
        assert report["scores"]["by_rule"][rule]["applicable"] > 0, rule


def test_renaming_a_lanes_unit_gives_the_consistency_finding(tmp_path: Path) -> None:
    workspace = shutil.copytree(RULES_BASE, tmp_path / "ws")
    _draft_into(workspace, "PB.01.01")
    lf = workspace / "peta" / "PB.01.01-LF.yaml"
    assert [f for f in _check(workspace)["findings"] if f["rule"] == "SOP010"] == []
    lf.write_text(lf.read_text(encoding="utf-8").replace(
        "name: Petugas Loket, unit: dinkes.yankes",
        "name: Petugas Loket, unit: dinkes.sekretariat"),
        encoding="utf-8")
    found = [f for f in _check(workspace)["findings"] if f["rule"] == "SOP010"]
    assert [f["element"] for f in found] == ["SOP-PB.01.01#2", "SOP-PB.01.01#3"]
    assert "lane loket" in found[0]["message"]["en"] and "dinkes.sekretariat" in \
        found[0]["message"]["en"]
    assert found[0]["evidence"]["map_step"] == "s2" and found[0]["evidence"]["sop_row"] == "2"


def test_no_cross_functional_map_is_a_clear_error(tmp_path: Path) -> None:
    # a lowest-level process without one, and a process a lower map decomposes
    for process in ("PB.03.01.01", "PB.03.01"):
        code, _, err = run_cli("sop", str(SAMPLE_CITY), process, "-o",
                               str(tmp_path / "x.docx"), "--lang", "en")
        assert code == 2 and f"process {process} has no cross-functional map" in err, err
        assert "Traceback" not in err and not (tmp_path / "x.docx").exists()


def test_a_process_that_does_not_exist_is_named_so(tmp_path: Path) -> None:
    """It was said to have no cross-functional map, as if it existed."""
    code, _, err = run_cli("sop", str(SAMPLE_CITY), "NOPE", "-o", str(tmp_path / "x.docx"),
                           "--lang", "en")
    assert code == 2 and "process NOPE does not exist in any process map" in err, err
    assert "cross-functional" not in err and "did you mean" not in err
    code, _, err = run_cli("sop", str(SAMPLE_CITY), "PB.04.02.1", "-o", str(tmp_path / "x.docx"))
    assert code == 2 and "proses PB.04.02.1 tidak ada di peta proses mana pun" in err, err
    assert "maksudnya PB.04.02.01?" in err and not (tmp_path / "x.docx").exists()


@pytest.mark.parametrize(("title", "about"), [
    (None, "Peta Proses Bisnis Kecamatan Metro Pusat"),  # the sample city's title, as written
    ("PETA PROSES  BISNIS Kecamatan Metro Pusat", "PETA PROSES  BISNIS Kecamatan Metro Pusat"),
    ("Kecamatan Metro Pusat", "Peta Proses Bisnis Kecamatan Metro Pusat"),
])
def test_the_legal_basis_names_the_map_without_doubling_its_words(title: str | None,
                                                                  about: str) -> None:
    from probis.plugins.sop.draft import build_draft
    from probis.plugins.sop.sop_command import load

    ws = load(str(SAMPLE_CITY), "en")
    holder = ws.processes_by_code["PB.14.01"][0].map
    if title is not None:
        holder.title = title
    legal = build_draft(ws, "PB.14.01", AS_OF).doc["legal_basis"]
    assert f"Keputusan Wali Kota Metro Nomor 100.3.3.2/094/C-01/2025 tentang {about}" in legal


def test_sop_speaks_the_language_of_probis_lang() -> None:
    """`sop` had its own --lang defaulting to id: PROBIS_LANG=en was ignored."""
    code, _, err = run_cli("sop", str(SAMPLE_CITY), "PB.99", "-o", "unused.docx",
                           env={"PROBIS_LANG": "en"})
    assert code == 2 and "process PB.99 does not exist" in err


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".yaml"])
def test_a_failed_write_leaves_the_previous_draft_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str) -> None:
    """A draft is written whole or not at all: it was written in place, so a full disk left a
    truncated file where the previous draft was."""
    import os

    from probis.engine.errors import ProbisWriteError
    from probis.plugins.sop.draft import build_draft
    from probis.plugins.sop.sop_command import load, write

    draft = build_draft(load(str(SAMPLE_CITY), "en"), "PB.14.01", AS_OF)
    target = tmp_path / f"SOP-PB.14.01{suffix}"
    target.write_bytes(b"the previous draft")

    def full_disk(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(ProbisWriteError):
        write(draft, target, "Pemerintah Kota Metro", "en")
    assert target.read_bytes() == b"the previous draft"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]
    monkeypatch.undo()
    write(draft, target, "Pemerintah Kota Metro", "en")
    assert target.read_bytes() != b"the previous draft" and target.stat().st_size > 100


@pytest.mark.parametrize("code", ["PB.04.02.01/A", "../../../../outside"])
def test_all_refuses_a_code_that_is_no_file_name_and_writes_the_others(
        tmp_path: Path, code: str) -> None:
    """`sop --all` built each file name from the process code as written: a `/` lost every
    draft (exit 3, none written) and `../..` wrote outside the folder asked for."""
    import shutil

    city = Path(shutil.copytree(SAMPLE_CITY, tmp_path / "kota"))
    for rel, old in (("peta/disdukcapil/PB.04.02.01-LF.yaml", "process: PB.04.02.01\n"),
                     ("peta/disdukcapil/PB.04.02.yaml", "code: PB.04.02.01\n")):
        path = city / rel
        body = path.read_text(encoding="utf-8")
        assert old in body, rel
        path.write_text(body.replace(old, old.split(":")[0] + f': "{code}"\n'), encoding="utf-8")
    out = tmp_path / "deep" / "er" / "sop"
    code_, stdout, err = run_cli("sop", str(city), "--all", "-o", str(out), "--format", "yaml",
                                 "--lang", "en", "--as-of", "2026-11-28")
    assert code_ == 2 and "Traceback" not in err, err
    assert f"process code `{code}` cannot be a file name" in err
    written = sorted(p.name for p in out.iterdir())
    assert written and len(written) == len(stdout.split()), (written, stdout)
    assert not list(tmp_path.rglob("outside*"))  # nothing outside the folder asked for


def test_two_branches_of_a_decision_may_come_in_either_order(tmp_path: Path) -> None:
    """SOP010 took the order in which the map's YAML lists its steps for the flow order:
    listing the Tidak branch (s4) after the Ya branch (s5) made the SOP 'out of order', though
    no flow puts one before the other. A real reorder is still found."""
    city = Path(shutil.copytree(SAMPLE_CITY, tmp_path / "kota"))
    status, _, err = run_cli("sop", str(city), "PB.04.02.01", "-o",
                             str(city / "sop" / "SOP-PB.04.02.01.yaml"), "--as-of", "2026-11-28")
    assert status == 0, err
    lf = city / "peta" / "disdukcapil" / "PB.04.02.01-LF.yaml"
    body = lf.read_text(encoding="utf-8")
    s4 = next(line for line in body.splitlines(keepends=True) if "- {id: s4," in line)
    s5 = next(line for line in body.splitlines(keepends=True) if "- {id: s5," in line)
    lf.write_text(body.replace(s4 + s5, s5 + s4), encoding="utf-8")

    def order_findings() -> list[str]:
        return [f["element"] for f in _check(city)["findings"]
                if f["rule"] == "SOP010" and "Order changed" in f["message"]["en"]]

    assert order_findings() == []
    body = lf.read_text(encoding="utf-8")
    for old, new in (("{from: s3, to: s5, label: Ya}", "{from: s3, to: s6, label: Ya}"),
                     ("{from: s5, to: s6}", "{from: s6, to: s5}"),
                     ("{from: s6, to: s7}", "{from: s5, to: s7}")):
        assert old in body, old
        body = body.replace(old, new)
    lf.write_text(body, encoding="utf-8")
    assert order_findings() == ["SOP-PB.04.02.01#6"]  # row 6 (s6) now precedes row 5 (s5)


def test_a_no_branch_is_read_from_its_label_not_its_place(tmp_path: Path) -> None:
    """Flows labelled 'Tidak sah' (listed first) and 'Sah': the draft sent 'Ya' to the first
    flow, so the SOP told the clerk to have the applicant complete a valid file."""
    city = Path(shutil.copytree(SAMPLE_CITY, tmp_path / "kota"))
    lf = city / "peta" / "disdukcapil" / "PB.04.02.01-LF.yaml"
    body = lf.read_text(encoding="utf-8")
    old = "  - {from: s3, to: s5, label: Ya}\n  - {from: s3, to: s4, label: Tidak}\n"
    assert old in body
    lf.write_text(body.replace(old, "  - {from: s3, to: s4, label: Tidak sah}\n"
                                    "  - {from: s3, to: s5, label: Sah}\n"), encoding="utf-8")
    status, _, err = run_cli("sop", str(city), "PB.04.02.01", "-o", str(tmp_path / "d.yaml"),
                             "--as-of", "2026-11-28")
    assert status == 0, err
    steps = yaml.safe_load((tmp_path / "d.yaml").read_text(encoding="utf-8"))["steps"]
    decision = next(s for s in steps if s["map_step"] == "s3")
    number = {s["map_step"]: s["id"] for s in steps}
    assert (decision["ya"], decision["tidak"]) == (number["s5"], number["s4"])


def test_the_xlsx_draft_prints_on_one_landscape_page_width(drafts: dict[str, Path]) -> None:
    """The workbook had no page setup and one column width: printed, the flowchart was cut
    over pages across its columns and its text clipped; and Waktu said `15m` on an
    Indonesian form."""
    sheet = openpyxl.load_workbook(drafts["SOP-PB.04.02.01.xlsx"]).active
    setup = sheet.page_setup
    assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert {"A", "B", "C", "D", "J"} <= {k for k, d in sheet.column_dimensions.items()
                                         if d.width}
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(values) if row[0] == "No")
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {f"A{header + 1}:A{header + 2}", f"B{header + 1}:B{header + 2}"} <= merged
    column = values[header + 1].index("Waktu")
    times = {row[column] for row in values[header + 2:] if row[0]}
    assert "15 menit" in times and not {t for t in times if t and t.endswith("m")}
    docx_times = {c.text for r in docx.Document(
        str(drafts["SOP-PB.04.02.01.docx"])).tables[2].rows for c in r.cells}
    assert "15 menit" in docx_times and "15m" not in docx_times


def test_a_decisions_branch_that_now_leads_elsewhere_is_found(tmp_path: Path) -> None:
    """The map's Ya branch of s3 now skips s5 (SIAK) and goes to s6; the SOP's row 3 still
    says `ya: 5`. SOP010 did not compare branches."""
    city = Path(shutil.copytree(SAMPLE_CITY, tmp_path / "kota"))
    status, _, err = run_cli("sop", str(city), "PB.04.02.01", "-o",
                             str(city / "sop" / "SOP-PB.04.02.01.yaml"), "--as-of", "2026-11-28")
    assert status == 0, err

    def branch_findings() -> list[dict]:
        return [f for f in _check(city)["findings"]
                if f["rule"] == "SOP010" and f["evidence"].get("branch")]

    assert branch_findings() == []
    lf = city / "peta" / "disdukcapil" / "PB.04.02.01-LF.yaml"
    body = lf.read_text(encoding="utf-8")
    assert "{from: s3, to: s5, label: Ya}" in body
    lf.write_text(body.replace("{from: s3, to: s5, label: Ya}", "{from: s3, to: s6, label: Ya}"),
                  encoding="utf-8")
    (found,) = branch_findings()
    assert found["element"] == "SOP-PB.04.02.01#3" and found["evidence"]["branch"] == "ya"
    assert "leads to row 5 (map step s5)" in found["message"]["en"]
    assert "branch of step s3 leads to s6" in found["message"]["en"]
