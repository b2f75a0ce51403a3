"""The overlap plugin end to end: OVL001–OVL004 on small workspaces and on the sample city."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from probis.engine.runner import audit
from testkit import AS_OF, SAMPLE_CITY, run_cli

SOTK = """\
kind: sotk
id: sotk-uji
units:
  - {id: disdukcapil, name: Dinas Dukcapil, type: dinas}
  - {id: disdukcapil.dafduk, name: Bidang Dafduk, type: bidang, parent: disdukcapil}
  - {id: diskominfo, name: Dinas Kominfo, type: dinas}
  - {id: dpmptsp, name: DPMPTSP, type: dinas}
  - {id: dputr, name: Dinas PUTR, type: dinas}
  - {id: kec-a, name: Kecamatan A, type: kecamatan}
  - {id: kec-b, name: Kecamatan B, type: kecamatan}
  - id: setda.prokopim
    name: Bagian Prokopim
    type: bagian
    functions: [Pengelolaan layanan informasi publik dan dokumentasi]
  - id: diskominfo.ikp
    name: Bidang IKP
    type: bidang
    parent: diskominfo
    functions: [Pengelolaan informasi publik serta dokumentasi]
  - id: diskominfo.aptika
    name: Bidang Aptika
    type: bidang
    parent: diskominfo
    functions: [Pengembangan aplikasi dan infrastruktur jaringan]
"""


def proc(code: str, name: str, owner: str, *, category: str = "inti", outputs: str = "[]",
         customers: str = "[Masyarakat]", sub: str = "[]") -> str:
    return (f"  - code: {code}\n    name: {name}\n    category: {category}\n    owner: {owner}\n"
            f"    outputs: {outputs}\n    customers: {customers}\n    subkegiatan: {sub}\n")


def peta(code: str, unit: str, level: int, *processes: str, parent: str | None = None) -> str:
    head = f"kind: peta-proses\ncode: {code}\nlevel: {level}\nunit: {unit}\n"
    if parent:
        head += f"parent: {parent}\n"
    return head + "processes:\n" + "".join(processes)


def workspace(tmp_path: Path, maps: dict[str, str], *, profile: str = "{extends: [recommended]}",
              extra: dict[str, str] | None = None) -> Path:
    root = tmp_path / "ws"
    (root / "sotk").mkdir(parents=True)
    (root / "peta").mkdir()
    (root / "probis.yaml").write_text(
        f"kind: workspace\nsotk: sotk/sotk.yaml\nmaps: peta/\nprofile: {profile}\n",
        encoding="utf-8")
    (root / "sotk" / "sotk.yaml").write_text(SOTK, encoding="utf-8")
    for name, body in maps.items():
        (root / "peta" / name).write_text(body, encoding="utf-8")
    for name, body in (extra or {}).items():
        (root / name).write_text(textwrap.dedent(body), encoding="utf-8")
    return root


def ovl(result, rule: str) -> list:
    return [f for f in result.findings if f.rule == rule]


@pytest.fixture(autouse=True)
def _only_overlap(only_plugins) -> None:
    only_plugins("overlap")


def test_cross_opd_overlap_found_with_evidence(tmp_path: Path) -> None:
    ws = workspace(tmp_path, {
        "a.yaml": peta("PB.04", "disdukcapil", 0, proc(
            "PB.04.01", "Penerbitan KTP-el", "disdukcapil.dafduk", outputs="[KTP-el]")),
        "b.yaml": peta("PB.10", "diskominfo", 0, proc(
            "PB.10.01", "Pencetakan Kartu Tanda Penduduk Elektronik", "diskominfo",
            outputs="[Kartu Tanda Penduduk Elektronik]", customers="[Warga]")),
    })
    result = audit(ws, as_of=AS_OF)
    [f] = ovl(result, "OVL001")
    assert f.ref.element == "PB.04.01" and f.ref.unit == "disdukcapil"
    for lang in ("id", "en"):
        msg = f.message[lang]
        assert "PB.04.01" in msg and "PB.10.01" in msg and "disdukcapil" in msg
        assert "diskominfo" in msg and "1.00" in msg
        assert "kartu tanda penduduk elektronik" in msg and "KTP-el" in msg
    ev = f.evidence
    assert ev["process"]["owner"] == "disdukcapil" and ev["other"]["owner"] == "diskominfo"
    assert ev["other"]["process"] == "PB.10.01" and ev["score"] == pytest.approx(1.0)
    assert "kartu tanda penduduk elektronik" in ev["matched_words"]
    assert set(ev["matched_outputs"]) == {"KTP-el", "Kartu Tanda Penduduk Elektronik"}
    # one applicable check per process considered, the failing one included
    counts = {k[0]: n for k, n in result.applicable.items() if k[0] == "OVL001"}
    assert sum(n for k, n in result.applicable.items() if k[0] == "OVL001") == 2, counts


def test_support_processes_and_generic_words_are_not_overlaps(tmp_path: Path) -> None:
    ws = workspace(tmp_path, {
        "a.yaml": peta("PB.04", "disdukcapil", 0,
                       proc("PB.04.01", "Pengelolaan Administrasi Kepegawaian", "disdukcapil",
                            category="manajemen", outputs="[Data kepegawaian mutakhir]"),
                       proc("PB.04.02", "Pelayanan Administrasi Pindah Datang Penduduk",
                            "disdukcapil")),
        "b.yaml": peta("PB.10", "diskominfo", 0,
                       proc("PB.10.01", "Pengelolaan Administrasi Kepegawaian", "diskominfo",
                            category="manajemen", outputs="[Data kepegawaian mutakhir]"),
                       proc("PB.10.02", "Pelayanan Administrasi Umum", "diskominfo")),
    })
    assert ovl(audit(ws, as_of=AS_OF), "OVL001") == []


TERRITORIAL = "[7.01.02.2.01.0001]"


def test_kecamatan_each_serve_their_own_area(tmp_path: Path) -> None:
    same = "Pelayanan Surat Keterangan Ahli Waris"
    ws = workspace(tmp_path, {
        "a.yaml": peta("PB.14", "kec-a", 0, proc("PB.14.01", same, "kec-a", sub=TERRITORIAL)),
        "b.yaml": peta("PB.15", "kec-b", 0, proc("PB.15.01", same, "kec-b", sub=TERRITORIAL)),
        # ... but a kecamatan and a dinas doing the same service do overlap
        "c.yaml": peta("PB.04", "disdukcapil", 0, proc("PB.04.01", same, "disdukcapil")),
    })
    result = audit(ws, as_of=AS_OF)
    pairs = {(f.ref.element, f.evidence["other"]["process"]) for f in ovl(result, "OVL001")}
    assert pairs == {("PB.04.01", "PB.14.01"), ("PB.04.01", "PB.15.01")}
    assert ovl(result, "OVL002") == []  # territorial 7.xx code


def test_ovl002_exempts_support_program_and_territorial_codes(tmp_path: Path) -> None:
    ws = workspace(tmp_path, {
        "a.yaml": peta("PB.09", "dpmptsp", 0,
                       proc("PB.09.01", "Penerbitan PBG", "dpmptsp", sub="[2.18.04.2.01.0001]"),
                       proc("PB.09.02", "Pengelolaan Keuangan", "dpmptsp", category="pendukung",
                            sub="[2.18.01.2.02.0001]")),
        "b.yaml": peta("PB.08", "dputr", 0,
                       proc("PB.08.01", "Rekomendasi Teknis Bangunan", "dputr",
                            sub="[2.18.04.2.01.0001, 1.03.05.2.01.0001]"),
                       proc("PB.08.02", "Pengelolaan Keuangan", "dputr", category="pendukung",
                            sub="[2.18.01.2.02.0001]")),
    })
    result = audit(ws, as_of=AS_OF)
    [f] = ovl(result, "OVL002")
    assert f.ref.element == "2.18.04.2.01.0001" and f.ref.kind == "subkegiatan"
    assert f.ref.file == "peta/b.yaml"  # PB.08.01 is the lowest-coded claimant
    assert [o["opd"] for o in f.evidence["opds"]] == ["dpmptsp", "dputr"]
    assert "PB.08.01" in f.message["en"] and "PB.09.01" in f.message["id"]
    # one check per non-exempt code: 2.18.04.2.01.0001 and 1.03.05.2.01.0001
    assert sum(n for k, n in result.applicable.items() if k[0] == "OVL002") == 2


def test_ovl003_near_identical_unit_functions(tmp_path: Path) -> None:
    ws = workspace(tmp_path, {"a.yaml": peta("PB.04", "disdukcapil", 0,
                                             proc("PB.04.01", "Penerbitan KK", "disdukcapil"))})
    [f] = ovl(audit(ws, as_of=AS_OF), "OVL003")
    assert f.ref.element == "diskominfo.ikp" and f.evidence["other"]["id"] == "setda.prokopim"
    assert f.evidence["score"] >= 0.8 and "informasi" in f.evidence["matched_words"]
    assert "setda.prokopim" in f.message["en"] and "diskominfo.ikp" in f.message["id"]


def test_ovl004_duplicates_within_one_opd_but_not_parent_and_child(tmp_path: Path) -> None:
    ws = workspace(tmp_path, {
        "l0.yaml": peta("PB.06", "disdukcapil", 0,
                        proc("PB.06.01", "Penerbitan Kartu Keluarga", "disdukcapil"),
                        proc("PB.06.02", "Pencatatan Sipil", "disdukcapil")),
        # details PB.06.01: its processes share words with their parent by design
        "l1.yaml": peta("PB.06.01", "disdukcapil", 1,
                        proc("PB.06.01.01", "Penerbitan Kartu Keluarga Baru", "disdukcapil"),
                        parent="PB.06"),
        "l1b.yaml": peta("PB.06.02", "disdukcapil", 1,
                         proc("PB.06.02.01", "Pembuatan KK", "disdukcapil"), parent="PB.06"),
    })
    result = audit(ws, as_of=AS_OF)
    pairs = {(f.ref.element, f.evidence["other"]["process"]) for f in ovl(result, "OVL004")}
    assert pairs == {("PB.06.01", "PB.06.02.01")}
    assert ovl(result, "OVL001") == []


def test_threshold_is_a_profile_option(tmp_path: Path) -> None:
    maps = {
        "a.yaml": peta("PB.04", "disdukcapil", 0, proc(
            "PB.04.01", "Penerbitan Kartu Tanda Penduduk Elektronik", "disdukcapil",
            outputs="[KTP elektronik]")),
        "b.yaml": peta("PB.10", "diskominfo", 0, proc(
            "PB.10.01", "Pelayanan Perekaman dan Penerbitan KTP-el", "diskominfo",
            outputs="[KTP-el]")),
    }
    assert len(ovl(audit(workspace(tmp_path / "1", maps), as_of=AS_OF), "OVL001")) == 1
    strict = workspace(tmp_path / "2", maps, profile="{options: {OVL001: {threshold: 0.95}}}")
    assert ovl(audit(strict, as_of=AS_OF), "OVL001") == []
    bad = workspace(tmp_path / "3", maps, profile="{options: {OVL001: {threshold: 2}}}")
    code, out, err = run_cli("check", str(bad), "--as-of", AS_OF.isoformat(),
                           env={"PROBIS_LOAD_PLUGINS": "overlap"})
    assert code == 2 and "profile.options.OVL001.threshold" in out + err
    assert "Traceback" not in out + err


KAMUS = """\
kind: kamus
singkatan:
  SiKoPi: sistem informasi koperasi dan usaha
sinonim:
  - [penatausahaan, pembukuan]
"""


def test_workspace_kamus_extends_the_lexicon(tmp_path: Path) -> None:
    maps = {
        "a.yaml": peta("PB.13", "dpmptsp", 0,
                       proc("PB.13.01", "Pemeliharaan SiKoPi", "dpmptsp"),
                       proc("PB.13.02", "Penatausahaan Retribusi Pasar", "dpmptsp")),
        "b.yaml": peta("PB.10", "diskominfo", 0,
                       proc("PB.10.01", "Pemeliharaan Sistem Informasi Koperasi dan Usaha",
                            "diskominfo"),
                       proc("PB.10.02", "Pembukuan Retribusi Pasar", "diskominfo")),
    }
    plain = audit(workspace(tmp_path / "1", maps), as_of=AS_OF)
    assert ovl(plain, "OVL001") == []
    extended = audit(workspace(tmp_path / "2", maps, extra={"kamus.yaml": KAMUS}), as_of=AS_OF)
    assert {f.ref.element for f in ovl(extended, "OVL001")} == {"PB.10.01", "PB.10.02"}
    bad = workspace(tmp_path / "3", maps, extra={"kamus.yaml": "kind: kamus\nsinonim: [[satu]]\n"})
    assert any(e.file == "kamus.yaml" for e in audit(bad, as_of=AS_OF).input_errors)


def test_sample_city_exact_overlap_findings(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    code, _, err = run_cli("check", str(SAMPLE_CITY), "--as-of", AS_OF.isoformat(),
                           "--format", "json", "--output", str(out),
                           env={"PROBIS_LOAD_PLUGINS": "overlap"})
    assert code in (0, 1), err
    report = json.loads(out.read_text(encoding="utf-8"))

    def found(section: str) -> set[tuple[str, str, str]]:
        return {(f["rule"], f["element"], (f["evidence"].get("other") or {}).get("process")
                 or (f["evidence"].get("other") or {}).get("id") or "")
                for f in report[section] if f["rule"].startswith("OVL")}

    assert found("findings") == {
        ("OVL001", "PB.08.02.02", "PB.09.01.02"),
        ("OVL001", "PB.09.02", "PB.13.01.01"),
        ("OVL002", "2.18.04.2.01.0001", ""),
        ("OVL003", "diskominfo.ikp", "setda.prokopim"),
        ("OVL004", "PB.06.01.02", "PB.06.02.04"),
    }
    assert found("waived") == {("OVL001", "PB.04.02.02", "PB.15.02")}
    pbg = next(f for f in report["findings"] if f["element"] == "PB.08.02.02")
    assert pbg["evidence"]["matched_words"] == ["persetujuan bangunan gedung"]
    assert pbg["evidence"]["score"] >= 0.95


def test_ovl003_one_shared_function_among_others(tmp_path: Path) -> None:
    sotk = SOTK + """\
  - id: dpmptsp.perizinan
    name: Bidang Perizinan
    type: bidang
    parent: dpmptsp
    functions: [Penerbitan izin reklame, Pelayanan informasi perizinan, Pengawasan perizinan]
  - id: dputr.tataruang
    name: Bidang Tata Ruang
    type: bidang
    parent: dputr
    functions: [Penyusunan rencana detail tata ruang, Penerbitan ijin reklame]
"""
    root = workspace(tmp_path, {"a.yaml": peta("PB.04", "disdukcapil", 0,
                                               proc("PB.04.01", "Penerbitan KK", "disdukcapil"))})
    (root / "sotk" / "sotk.yaml").write_text(sotk, encoding="utf-8")
    found = {(f.ref.element, f.evidence["other"]["id"]): f
             for f in ovl(audit(root, as_of=AS_OF), "OVL003")}
    # all functions together are far apart; the one function both units have (izin/ijin) is not
    f = found[("dpmptsp.perizinan", "dputr.tataruang")]
    assert "reklame" in f.evidence["matched_words"]
    assert f.evidence["urusan"] == {"unit": [], "other": [], "shared": []}
