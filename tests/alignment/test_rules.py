"""ALN001–ALN006 on small hand-written workspaces: one valid base, one change per test."""

from __future__ import annotations

from pathlib import Path

from .workspace import BASE, aln, make_workspace, replace, run

OLD_RPJMD = """\
kind: rpjmd
id: rpjmd-2021-2026
period: {start: 2021, end: 2026}
visi: Kota Uji lama
misi: [{id: M1, text: Misi lama}]
tujuan: [{id: T1.1, misi: M1}]
sasaran: [{id: S2.1.1, tujuan: T1.1}]
"""


def test_base_workspace_is_aligned(tmp_path: Path) -> None:
    result = run(make_workspace(tmp_path))
    assert result.input_errors == []
    assert aln(result) == []
    # every rule applied to something, so the clean result is not vacuous
    applied = {key[0] for key in result.applicable}
    assert applied == {"ALN001", "ALN002", "ALN003", "ALN004", "ALN005", "ALN006"}


def test_sasaran_served_only_through_renstra_is_served(tmp_path: Path) -> None:
    result = run(make_workspace(tmp_path))
    cov = result.sections["coverage"]
    s211 = cov["misi"][1]["tujuan"][0]["sasaran"][0]
    assert s211["id"] == "S2.1.1" and s211["served"] is True
    assert s211["direct"] == []
    assert s211["via_renstra"] == [{"process": "PB.01.01", "name": "Penerbitan Kartu Keluarga",
                                    "unit": "disdukcapil", "via": "DUK.S1"}]


# --- ALN001 -----------------------------------------------------------------------------

def test_aln001_core_process_without_supports(tmp_path: Path) -> None:
    final_map = replace("peta/PB.01.yaml", "    supports: [DUK.S1]\n", "")
    draft_map = replace("peta/PB.02.yaml", "    supports: [S1.1.1]\n", "")
    result = run(make_workspace(tmp_path, {"peta/PB.01.yaml": final_map,
                                           "peta/PB.02.yaml": draft_map}))
    found = {f.ref.element: f for f in aln(result, "ALN001")}
    assert set(found) == {"PB.01.01", "PB.02.01"}
    assert found["PB.01.01"].severity == "error"  # final map
    assert found["PB.02.01"].severity == "warning"  # draft map
    assert found["PB.02.01"].message["en"] == (
        "Core process PB.02.01 (Pelayanan Imunisasi) supports no RPJMD or Renstra sasaran")
    # PB.01.02 is pendukung and has no supports: not applicable, no finding
    assert "PB.01.02" not in found


# --- ALN002 -----------------------------------------------------------------------------

def test_aln002_dangling_references_are_reported_on_their_holder(tmp_path: Path) -> None:
    maps = replace("peta/PB.02.yaml", "supports: [S1.1.1]\n    indicators: [IKU.1]",
                   "supports: [S1.1.2]\n    indicators: [IKU.9]")
    renstra = replace("renstra/disdukcapil.yaml", "supports: [T2.1]", "supports: [T9.1]")
    rpjmd = replace("rpjmd-2025-2029.yaml", "    tujuan: T2.1\n", "    tujuan: T2.2\n")
    result = run(make_workspace(tmp_path, {"peta/PB.02.yaml": maps,
                                           "renstra/disdukcapil.yaml": renstra,
                                           "rpjmd-2025-2029.yaml": rpjmd}))
    found = {(f.ref.kind, f.ref.element): f for f in aln(result, "ALN002")}
    assert set(found) == {("process", "PB.02.01"), ("tujuan", "DUK.T1"), ("sasaran", "S2.1.1")}
    process = found[("process", "PB.02.01")]
    assert process.evidence["dangling"] == {"supports": ["S1.1.2"], "indicators": ["IKU.9"]}
    assert "S1.1.2 (perhaps S1.1.1?)" in process.message["en"]
    assert found[("tujuan", "DUK.T1")].ref.file == "renstra/disdukcapil.yaml"
    assert found[("tujuan", "DUK.T1")].ref.unit == "disdukcapil"
    assert found[("sasaran", "S2.1.1")].evidence["dangling"] == {"tujuan": ["T2.2"]}


def test_aln002_renstra_sasaran_supports_unknown_rpjmd_sasaran(tmp_path: Path) -> None:
    renstra = replace("renstra/disdukcapil.yaml", "supports: [S2.1.1]", "supports: [S2.1.1, S7]")
    result = run(make_workspace(tmp_path, {"renstra/disdukcapil.yaml": renstra}))
    [finding] = aln(result, "ALN002")
    assert (finding.ref.kind, finding.ref.element) == ("sasaran", "DUK.S1")
    assert finding.evidence["dangling"] == {"supports": ["S7"]}


# --- ALN003 -----------------------------------------------------------------------------

def test_aln003_unserved_rpjmd_and_renstra_sasaran(tmp_path: Path) -> None:
    # PB.02.01 moves from S1.1.1 to S2.1.1, PB.01.01 from DUK.S1 to S2.1.1:
    # S1.1.1 and DUK.S1 lose every process
    pb01 = replace("peta/PB.01.yaml", "supports: [DUK.S1]", "supports: [S2.1.1]")
    pb02 = replace("peta/PB.02.yaml", "supports: [S1.1.1]", "supports: [S2.1.1]")
    renstra = replace("renstra/disdukcapil.yaml", "supports: [S2.1.1]",
                      "supports: [S2.1.1, S1.1.1]")
    result = run(make_workspace(tmp_path, {"peta/PB.01.yaml": pb01, "peta/PB.02.yaml": pb02,
                                           "renstra/disdukcapil.yaml": renstra}))
    found = {f.ref.element: f for f in aln(result, "ALN003")}
    assert set(found) == {"S1.1.1", "DUK.S1"}
    rpjmd = found["S1.1.1"]
    assert rpjmd.message["en"] == (
        "RPJMD sasaran S1.1.1 (Meningkatnya cakupan imunisasi) under tujuan T1.1 and misi M1 is "
        "served by no process; Renstra that mention it: disdukcapil")
    assert rpjmd.evidence["renstra_sasaran"] == ["DUK.S1"]
    assert found["DUK.S1"].ref.unit == "disdukcapil"
    assert "served by no process" in found["DUK.S1"].message["en"]


# --- ALN004 -----------------------------------------------------------------------------

def test_aln004_indicator_without_satuan_or_final_year_target(tmp_path: Path) -> None:
    rpjmd = replace("rpjmd-2025-2029.yaml", "satuan: persen, target: {2025: 90, 2029: 95}",
                    "target: {2025: 90, 2029: 95}")
    rpjmd = rpjmd.replace("target: {2029: 99}", "target: {2025: 97}")
    result = run(make_workspace(tmp_path, {"rpjmd-2025-2029.yaml": rpjmd}))
    found = {f.ref.element: f.message["en"] for f in aln(result, "ALN004")}
    assert found == {
        "IKU.1": "Indicator IKU.1 (Cakupan imunisasi dasar) has no satuan (unit of measure)",
        "IKU.2": "Indicator IKU.2 (Persentase penduduk ber-KTP-el) has no target for the final "
                 "year 2029",
    }


def test_aln004_renstra_indicator_without_both(tmp_path: Path) -> None:
    renstra = replace("renstra/disdukcapil.yaml", "satuan: persen, target: {2029: 60}",
                      "target: {2028: 55}")
    result = run(make_workspace(tmp_path, {"renstra/disdukcapil.yaml": renstra}))
    [finding] = aln(result, "ALN004")
    assert finding.ref.element == "DUK.S1.I1" and finding.ref.unit == "disdukcapil"
    assert "no satuan and no target for the final year 2029" in finding.message["en"]


# --- ALN005 -----------------------------------------------------------------------------

def test_aln005_renstra_points_at_old_rpjmd(tmp_path: Path) -> None:
    renstra = replace("renstra/disdukcapil.yaml", "rpjmd: rpjmd-2025-2029",
                      "rpjmd: rpjmd-2021-2026")
    result = run(make_workspace(tmp_path, {"renstra/disdukcapil.yaml": renstra,
                                           "lama/rpjmd-2021-2026.yaml": OLD_RPJMD}))
    assert result.input_errors == []
    [finding] = aln(result, "ALN005")
    assert (finding.ref.kind, finding.ref.element) == ("renstra", "renstra-disdukcapil-2025-2029")
    assert finding.severity == "error"
    assert finding.message["en"] == (
        "Renstra renstra-disdukcapil-2025-2029 (disdukcapil) points at RPJMD rpjmd-2021-2026, "
        "not at the RPJMD in force rpjmd-2025-2029")
    # the stale Renstra's links do not serve the RPJMD in force: S2.1.1 loses its only server
    assert [f.ref.element for f in aln(result, "ALN003")] == ["S2.1.1"]
    # its links are judged against the old RPJMD it names, where they exist: no ALN002 (T2.1
    # is not in the old plan, so the tujuan link is the one broken reference)
    assert [(f.ref.element, f.evidence["dangling"]) for f in aln(result, "ALN002")] == [
        ("DUK.T1", {"supports": ["T2.1"]})]
    # the final year of its indicators follows the RPJMD it names (2026): no 2026 target
    assert [f.ref.element for f in aln(result, "ALN004")] == ["DUK.S1.I1"]


def test_aln005_renstra_sasaran_without_supports(tmp_path: Path) -> None:
    renstra = replace("renstra/disdukcapil.yaml", "    supports: [S2.1.1]\n", "")
    result = run(make_workspace(tmp_path, {"renstra/disdukcapil.yaml": renstra}))
    [finding] = aln(result, "ALN005")
    assert (finding.ref.kind, finding.ref.element) == ("sasaran", "DUK.S1")
    assert "supports no RPJMD sasaran" in finding.message["en"]


# --- ALN006 -----------------------------------------------------------------------------

def test_aln006_malformed_and_foreign_subkegiatan(tmp_path: Path) -> None:
    pb01 = replace("peta/PB.01.yaml", 'subkegiatan: ["2.12.02.2.01.0001"]',
                   'subkegiatan: ["2.12.02.2.01.0001", "2.12.2.2.1.1", "2.12.02.2.02.0003"]')
    pb02 = replace("peta/PB.02.yaml", "indicators: [IKU.1]",
                   'indicators: [IKU.1]\n    subkegiatan: ["1.02.02.2.02.0001"]')
    result = run(make_workspace(tmp_path, {"peta/PB.01.yaml": pb01, "peta/PB.02.yaml": pb02}))
    found = {f.ref.element: f for f in aln(result, "ALN006")}
    assert set(found) == {"PB.01.01", "PB.02.01"}
    assert found["PB.01.01"].evidence["malformed"] == ["2.12.2.2.1.1"]
    assert found["PB.01.01"].evidence["not_in_renstra"] == ["2.12.02.2.02.0003"]
    # dinkes has no Renstra in this workspace: the code cannot be matched
    assert found["PB.02.01"].evidence["no_renstra"] == ["1.02.02.2.02.0001"]
    assert "dinkes has no Renstra" in found["PB.02.01"].message["en"]



def test_aln002_leaves_sasaran_of_an_older_rpjmd_to_str003(tmp_path: Path) -> None:
    old = OLD_RPJMD.replace("sasaran: [{id: S2.1.1, tujuan: T1.1}]",
                            "sasaran: [{id: S2.1.1, tujuan: T1.1}, {id: S9.9.9, tujuan: T1.1}]")
    pb02 = replace("peta/PB.02.yaml", "supports: [S1.1.1]", "supports: [S1.1.1, S9.9.9, S8]")
    result = run(make_workspace(tmp_path, {"lama/rpjmd-2021-2026.yaml": old,
                                           "peta/PB.02.yaml": pb02}))
    [finding] = aln(result, "ALN002")
    # S9.9.9 is a plan change (the old RPJMD has it), S8 exists nowhere
    assert finding.evidence["dangling"] == {"supports": ["S8"]}


SETDA_SOTK = BASE["sotk.yaml"] + """\
  - {id: setda, name: Sekretariat Daerah, type: sekretariat-daerah, parent: null}
  - {id: setda.hukum, name: Bagian Hukum, type: bagian, parent: setda}
"""
SETDA_RENSTRA = """\
kind: renstra
id: renstra-setda-2025-2029
unit: setda
rpjmd: rpjmd-2025-2029
sasaran: [{id: SETDA.S1, supports: [S2.1.1]}]
programs:
  - code: "4.01.02"
    sasaran: [SETDA.S1]
    kegiatan:
      - code: "4.01.02.2.03"
        subkegiatan: [{code: "4.01.02.2.03.0001"}]
"""
SETDA_MAP = """\
kind: peta-proses
code: PB.03
level: 0
unit: setda
processes:
  - {code: PB.03.01, category: inti, owner: setda.hukum, supports: [SETDA.S1],
     subkegiatan: ["4.01.02.2.03.0001"]}
  - {code: PB.03.02, category: manajemen, owner: setda.hukum, subkegiatan: ["4.01.02.2.03.0002"]}
"""


def test_aln006_bagian_uses_the_renstra_of_the_unit_above(tmp_path: Path) -> None:
    result = run(make_workspace(tmp_path, {"sotk.yaml": SETDA_SOTK,
                                           "renstra/setda.yaml": SETDA_RENSTRA,
                                           "peta/PB.03.yaml": SETDA_MAP}))
    assert result.input_errors == []
    # a Bagian is scored as its own unit, but its programs are in the Setda Renstra
    [finding] = aln(result, "ALN006")
    assert finding.ref.element == "PB.03.02" and finding.ref.unit == "setda.hukum"
    assert finding.evidence["not_in_renstra"] == ["4.01.02.2.03.0002"]
    assert finding.evidence["opd"] == "setda"
