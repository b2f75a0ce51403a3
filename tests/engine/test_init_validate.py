"""`probis init` makes a workspace that loads cleanly and audits with only "to be filled"
findings; `probis validate` runs the input checks only (exit 0/2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from probis.engine import runner
from probis.engine.cli import main
from probis.engine.loader import load_workspace
from testkit import AS_OF

# what a workspace with nothing filled in yet lacks: categories, outputs, customers, inputs,
# suppliers, sasaran served, indicator targets, core processes of each dinas, SOP/LF
TO_FILL = {"REG001", "REG002", "REG005", "REG006", "REG013", "ALN001", "ALN003", "ALN004"}
FLAGS = ["--instansi", "Pemerintah Kabupaten Contoh", "--periode", "2025-2029",
         "--opd", "disdukcapil=Dinas Kependudukan dan Pencatatan Sipil",
         "--opd", "Dinas Kesehatan"]


def init(target: Path, *extra: str) -> int | None:
    try:
        main(["init", str(target), *FLAGS, *extra])
    except SystemExit as exc:
        return exc.code  # type: ignore[return-value]
    return 0


def audit_json(root: Path, tmp_path: Path) -> dict:
    out = tmp_path / "r.json"
    with pytest.raises(SystemExit):
        main(["check", str(root), "-f", "json", "-o", str(out), "--as-of", AS_OF.isoformat()])
    return json.loads(out.read_text(encoding="utf-8"))


def test_init_then_check_shows_only_what_is_to_be_filled(tmp_path: Path) -> None:
    root = tmp_path / "kab-contoh"
    assert init(root) == 0
    for rel in ("probis.yaml", "sotk/sotk-2025.yaml", "rencana/rpjmd-2025-2029.yaml",
                "peta/PB.yaml", "waivers.yaml", "README.txt", "templat/peta-proses.yaml.txt"):
        assert (root / rel).is_file(), rel
    assert (root / "peta" / "PB.yaml").read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../.probis/schema/peta-proses.schema.json\n")
    assert "DIISI" in (root / "README.txt").read_text(encoding="utf-8")
    ws = load_workspace(root)
    assert ws.input_errors == [] and ws.notices == []
    assert [u.id for u in ws.sotk.units] == ["disdukcapil", "dinas-kesehatan"]
    report = audit_json(root, tmp_path)
    rules = {f["rule"] for f in report["findings"]}
    assert report["input_errors"] == [] and report["grade"] is not None
    assert rules and rules <= TO_FILL, rules - TO_FILL
    assert {"REG001", "REG005", "ALN003"} <= rules

    # fill in the process and the sasaran: their findings go, nothing new appears
    pb = root / "peta" / "PB.yaml"
    text = pb.read_text(encoding="utf-8")
    for old, new in (('name: ""', "name: Pelayanan Administrasi Kependudukan"),
                     ("category:  ", "category: inti"),
                     ("suppliers: []", "suppliers: [Masyarakat]"),
                     ("inputs: []", "inputs: [Formulir permohonan]"),
                     ("outputs: []", "outputs: [Dokumen kependudukan]"),
                     ("customers: []", "customers: [Masyarakat]"),
                     ("supports: []", "supports: [S1]")):
        assert old in text, old
        text = text.replace(old, new, 1)
    pb.write_text(text, encoding="utf-8")
    filled = audit_json(root, tmp_path)
    left = {(f["rule"], f["element"]) for f in filled["findings"]}
    assert filled["input_errors"] == []
    assert not {("REG001", "PB.01"), ("REG005", "PB.01"), ("REG006", "PB.01"),
                ("ALN003", "S1"), ("REG002", "disdukcapil")} & left
    assert {r for r, _ in left} <= TO_FILL


def test_init_copies_a_given_sotk(tmp_path: Path) -> None:
    sotk = tmp_path / "sotk.yaml"
    sotk.write_text("kind: sotk\nid: sotk-2024\nunits:\n  - {id: setda, name: Sekretariat "
                    "Daerah, type: sekretariat-daerah}\n", encoding="utf-8")
    root = tmp_path / "ws"
    assert main(["init", str(root), "--instansi", "Kota X", "--periode", "2025-2029",
                 "--sotk", str(sotk)]) is None
    ws = load_workspace(root)
    assert ws.input_errors == [] and ws.sotk is not None and ws.sotk.id == "sotk-2024"
    assert ws.maps[0].map.processes[0].owner == "setda"


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    (root / "catatan.txt").write_text("milik pengguna", encoding="utf-8")
    assert init(root) == 2
    assert "--force" in capsys.readouterr().err
    assert sorted(p.name for p in root.iterdir()) == ["catatan.txt"]
    assert init(root, "--force") == 0
    assert (root / "catatan.txt").read_text(encoding="utf-8") == "milik pengguna"
    assert (root / "probis.yaml").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ws"]  # nothing written elsewhere


def test_init_without_flags_and_no_terminal_names_what_is_missing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["init", str(tmp_path / "ws"), "--instansi", "Kota X"])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "--periode" in err and "--sotk/--opd" in err
    assert not (tmp_path / "ws").exists()


def test_init_asks_when_interactive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner
    from probis.engine.commands import init as init_module

    monkeypatch.setattr(init_module, "is_interactive", lambda: True)
    result = CliRunner().invoke(init_module.init_command, [str(tmp_path / "ws")],
                                input="Pemerintah Kota Contoh\n2026-2030\nDinas Sosial, Badan "
                                      "Pendapatan Daerah\n")
    assert result.exit_code == 0, result.output
    ws = load_workspace(tmp_path / "ws")
    assert ws.manifest.instansi == "Pemerintah Kota Contoh"
    assert ws.rpjmd.period.start == 2026
    assert [(u.id, u.type) for u in ws.sotk.units] == [("dinas-sosial", "dinas"),
                                                      ("badan-pendapatan-daerah", "badan")]


def test_validate_reports_input_errors_without_running_rules(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "ws"
    assert init(root) == 0
    capsys.readouterr()

    def no_rules(*args: object, **kwargs: object) -> None:
        raise AssertionError("validate must not evaluate rules")

    monkeypatch.setattr(runner, "evaluate_workspace", no_rules)
    with pytest.raises(SystemExit) as done:
        main(["validate", str(root)])
    assert done.value.code == 0
    assert "0 galat masukan" in capsys.readouterr().out
    pb = root / "peta" / "PB.yaml"
    pb.write_text(pb.read_text(encoding="utf-8").replace("level: 0", "level: nol"),
                  encoding="utf-8")
    (root / "probis.yaml").write_text((root / "probis.yaml").read_text(encoding="utf-8")
                                      + "  rules: {XYZ999: off}\n", encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main(["validate", str(root), "--lang", "en"])
    assert done.value.code == 2
    captured = capsys.readouterr()
    assert "peta/PB.yaml:" in captured.err and "(level)" in captured.err
    assert "XYZ999" in captured.err  # the profile's rule ids are checked too
    assert "2 input errors" in captured.out


def test_old_spelling_indicators_is_read_with_a_notice(example_workspace: Path) -> None:
    ws = load_workspace(example_workspace)
    process = ws.processes[0].process
    assert process.indicators == ["DUK.S1.I1"]
    notes = [n for n in ws.notices if n.code == "deprecated-field"]
    assert [(n.file, n.line, n.field) for n in notes] == [
        ("peta/disdukcapil/PB.04.02.yaml", 22, "processes[0].indicators")]
    assert "`indikator`" in notes[0].message["en"]
    pb = example_workspace / "peta" / "disdukcapil" / "PB.04.02.yaml"
    pb.write_text(pb.read_text(encoding="utf-8").replace("indicators:", "indikator:"),
                  encoding="utf-8")
    ws = load_workspace(example_workspace)
    assert ws.processes[0].process.indicators == ["DUK.S1.I1"] and ws.notices == []


def test_init_ids_keep_the_base_letter_of_accented_names() -> None:
    """Cöntoh -> contoh, not c-ntoh: an OPD's id is what staff type in every map."""
    from probis.engine.init_workspace import parse_opd

    assert parse_opd("Dinas Kesehatan Daerah Cöntoh Ñ").id == "dinas-kesehatan-daerah-contoh-n"
    assert parse_opd("Kecamatan Kuta Selatan").id == "kecamatan-kuta-selatan"


def test_validate_counts_agree_with_their_noun_in_english(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "ws"
    assert init(root) == 0
    pb = root / "peta" / "PB.yaml"
    pb.write_text(pb.read_text(encoding="utf-8").replace("level: 0", "level: nol"),
                  encoding="utf-8")
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["validate", str(root), "--lang", "en"])
    assert "files read, 1 input error, 0 notes" in capsys.readouterr().out


def test_an_opd_whose_type_init_cannot_guess_is_a_notice_until_filled(tmp_path: Path) -> None:
    """`init` leaves `type:` blank for an OPD it cannot guess; nothing said so, and the rules
    that judge an OPD by its type (REG002) passed it by."""
    root = tmp_path / "kab-contoh"
    assert init(root, "--opd", "Unit Layanan Pengadaan Barang") == 0
    ws = load_workspace(root)
    (note,) = ws.notices
    assert ws.input_errors == []
    assert (note.file, note.field) == ("sotk/sotk-2025.yaml", "units[2].type")
    assert note.line is not None
    assert "unit-layanan-pengadaan-barang` has no `type`" in note.message["en"]
    assert "tidak memiliki `type`" in note.message["id"]
    sotk = root / "sotk" / "sotk-2025.yaml"
    text = sotk.read_text(encoding="utf-8")
    assert "    type:                       #" in text
    sotk.write_text(text.replace("    type:                       #",
                                 "    type: badan                 #", 1), encoding="utf-8")
    assert load_workspace(root).notices == []


def test_excel_and_word_files_in_the_workspace_are_said_not_read(tmp_path: Path) -> None:
    """A staffer's workbook or an SOP draft in Word put beside the maps was skipped in silence:
    the audit looked complete without them. Office lock files (`~$...`) are left alone."""
    root = tmp_path / "kab-contoh"
    assert init(root) == 0
    (root / "peta" / "Peta Dinsos.xlsx").write_bytes(b"PK\x03\x04")
    (root / "peta" / "~$Peta Dinsos.xlsx").write_bytes(b"lock")
    (root / "sop").mkdir()
    (root / "sop" / "SOP-DUK-001.docx").write_bytes(b"PK\x03\x04")
    notes = {n.file: n.message for n in load_workspace(root).notices}
    assert set(notes) == {"peta/Peta Dinsos.xlsx", "sop/SOP-DUK-001.docx"}, notes
    assert "probis import-excel" in notes["peta/Peta Dinsos.xlsx"]["en"]
    assert "`kind: sop` YAML" in notes["sop/SOP-DUK-001.docx"]["en"]
    assert "tidak dibaca" in notes["sop/SOP-DUK-001.docx"]["id"]
