"""Delegations of authority (``kind: pelimpahan``, PATEN) in OVL001: a covered pair is info and
names its instrument; an uncovered, expired or not-yet-in-force one stays a warning whose fix
names delegation; a bad delegation is an input error naming file, line and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from overlap_ws import build, pelimpahan
from probis.engine.runner import audit
from testkit import AS_OF, ROOT, run_cli

BASIS = "Peraturan Wali Kota Uji Nomor 4 Tahun 2019"


@pytest.fixture(autouse=True)
def _only_overlap(only_plugins) -> None:
    only_plugins("overlap")


def kk_finding(result):
    [f] = [f for f in result.findings if f.rule == "OVL001"]
    assert (f.ref.element, f.evidence["other"]["process"]) == ("PB.04.01", "PB.14.01")
    return f


def ovl001_weights(result) -> tuple[int, int]:
    cell = result.scores.by_rule["OVL001"]
    return cell.weight_applicable, cell.weight_failed


def test_without_delegation_data_the_overlap_is_a_warning_whose_fix_names_delegation(
        tmp_path: Path) -> None:
    result = audit(build(tmp_path / "ws"), as_of=AS_OF)
    f = kk_finding(result)
    assert f.severity == "warning" and "delegation" not in f.evidence
    assert "Permendagri 4/2010" in f.fix["id"] and "pelimpahan" in f.fix["id"]
    assert "Permendagri 4/2010" in f.fix["en"] and "delegation" in f.fix["en"]
    assert ovl001_weights(result) == (4 * 3, 3)  # four processes, one failed warning check


def test_delegation_in_force_makes_the_finding_info_naming_its_basis(tmp_path: Path) -> None:
    result = audit(build(tmp_path / "ws", {"pelimpahan.yaml": pelimpahan()}), as_of=AS_OF)
    assert result.input_errors == []
    f = kk_finding(result)
    assert f.severity == "info"
    for lang in ("id", "en"):
        assert BASIS in f.message[lang] and "2019-03-01" in f.message[lang]
        assert "PB.14.01" in f.message[lang]  # still the whole pair for the auditor
        assert BASIS in f.basis[lang] and "Permendagri 4/2010" in f.basis[lang]
        assert "PermenPANRB 19/2018" in f.basis[lang]
    assert "Dicakup pelimpahan" in f.message["id"] and "Covered by the delegation" in \
        f.message["en"]
    assert "Tidak perlu tindakan" in f.fix["id"] and "No action" in f.fix["en"]
    d = f.evidence["delegation"]
    assert d["basis"].startswith(BASIS) and d["file"] == "pelimpahan.yaml" and d["line"]
    assert d["from"] == "disdukcapil" and d["to"] == ["kec-a"]
    assert d["services"] == ["Kartu Keluarga"] and d["effective"] == "2019-03-01"
    # the process's check now weighs as an info check: 3 warnings passed + 1 info failed
    assert ovl001_weights(result) == (3 * 3 + 1, 1)


@pytest.mark.parametrize("delegation", [
    "effective: 2019-03-01\nuntil: 2026-11-27",  # expired the day before the audit
    "effective: 2026-11-29",  # in force from the day after
], ids=["expired", "not-yet-in-force"])
def test_delegation_not_in_force_on_the_audit_date_leaves_the_warning(
        tmp_path: Path, delegation: str) -> None:
    effective = re.search(r"effective: (\S+)", delegation).group(1)
    until = re.search(r"until: (\S+)", delegation)
    doc = pelimpahan(effective, until.group(1) if until else None)
    result = audit(build(tmp_path / "ws", {"pelimpahan.yaml": doc}), as_of=AS_OF)
    assert result.input_errors == []
    f = kk_finding(result)
    assert f.severity == "warning" and "delegation" not in f.evidence
    assert f.evidence["delegation_not_in_force"]["basis"].startswith(BASIS)
    assert "tidak berlaku pada 2026-11-28" in f.fix["id"]
    assert "not in force on 2026-11-28" in f.fix["en"]
    assert "Permendagri 4/2010" in f.fix["en"]  # the general fix is kept after the note
    assert ovl001_weights(result) == (4 * 3, 3)


@pytest.mark.parametrize("to,services,covered", [
    ("to_type: kecamatan", "[Kartu Keluarga]", True),  # every kecamatan by SOTK type
    ("to: [kec-a.pem]", "[Kartu Keluarga]", True),  # a sub-unit: its OPD receives
    ("to: [kec-b]", "[Kartu Keluarga]", False),  # another kecamatan
    ("to: [kec-a]", "[Akta Kelahiran]", False),  # another service
    ("to: [kec-a]", "[Pelayanan Penerbitan KK]", True),  # KK = kartu keluarga (kamus)
], ids=["to-type", "sub-unit", "other-kecamatan", "other-service", "abbreviation"])
def test_what_a_delegation_covers(tmp_path: Path, to: str, services: str,
                                  covered: bool) -> None:
    doc = pelimpahan(to=to).replace("[Kartu Keluarga]", services)
    result = audit(build(tmp_path / "ws", {"pelimpahan.yaml": doc}), as_of=AS_OF)
    assert result.input_errors == []
    assert kk_finding(result).severity == ("info" if covered else "warning")


def test_delegation_by_process_code(tmp_path: Path) -> None:
    doc = pelimpahan().replace("services: [Kartu Keluarga]", "processes: [PB.14.01]")
    doc = doc.replace('number: "4"', "number: 4")  # a bare whole number is its text
    result = audit(build(tmp_path / "ws", {"pelimpahan.yaml": doc}), as_of=AS_OF)
    assert result.input_errors == [] and kk_finding(result).severity == "info"


@pytest.mark.parametrize("change,field,line", [
    (("from: disdukcapil", "from: dinas-x"), "delegations[0].from", 9),
    (("to: [kec-a]", "to: [kec-a, kec-z]"), "delegations[0].to[1]", 9),
    (("to: [kec-a]", "to_type: kelurahan"), "delegations[0].to_type", 9),
    (("services: [Kartu Keluarga]", "processes: [PB.99.01]"), "delegations[0].processes[0]",
     9),
    (("services: [Kartu Keluarga]", "services: [Pelayanan Administrasi]"),
     "delegations[0].services[0]", 9),
    (("effective: 2019-03-01", "effective: 2019-02-30"), None, 7),  # the YAML reader's check
    (("effective: 2019-03-01", "effective: Maret 2019"), "effective", None),
    (("effective: 2019-03-01", "effective: 2019-03-01\nuntil: 2018-01-01"), None, None),
    (("  year: 2019\n", ""), "legal_basis.year", None),
    (("    services: [Kartu Keluarga]\n", ""), "delegations[0]", 9),
], ids=["unknown-from", "unknown-to", "unknown-type", "unknown-process", "generic-service",
        "impossible-date", "not-a-date", "until-before-effective", "no-year", "no-services"])
def test_bad_delegation_is_an_input_error(tmp_path: Path, change: tuple[str, str],
                                          field: str | None, line: int | None) -> None:
    doc = pelimpahan()
    assert change[0] in doc
    result = audit(build(tmp_path / "ws", {"pelimpahan.yaml": doc.replace(*change)}),
                   as_of=AS_OF)
    errors = [e for e in result.input_errors if e.file == "pelimpahan.yaml"]
    assert len(errors) == 1, result.input_errors
    [e] = errors
    if field is not None:
        assert e.field is not None and e.field.startswith(field), e
    if line is not None:
        assert e.line == line
    assert e.line is not None
    # never silently applied: the overlap stays a warning
    assert kk_finding(result).severity == "warning"


def test_bad_delegation_exit_code_and_message(tmp_path: Path) -> None:
    doc = pelimpahan().replace("from: disdukcapil", "from: dinas-x")
    ws = build(tmp_path / "ws", {"pelimpahan.yaml": doc})
    code, out, err = run_cli("check", str(ws), "--as-of", AS_OF.isoformat(), "--lang", "en",
                             env={"PROBIS_LOAD_PLUGINS": "overlap"})
    assert code == 2 and "Traceback" not in out + err
    assert "pelimpahan.yaml:9" in out + err and "delegations[0].from" in out + err
    assert "dinas-x" in out + err


def test_format_extensions_example_loads_and_covers(tmp_path: Path) -> None:
    page = (ROOT / "docs" / "format-extensions.md").read_text(encoding="utf-8")
    [example] = [b for b in re.findall(r"```yaml\n(.*?)```", page, flags=re.S)
                 if re.search(r"^kind: pelimpahan$", b, flags=re.M)]
    # docs/format.md, the format's home, shows the same example
    assert example in (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    result = audit(build(tmp_path / "ws", {"pelimpahan.yaml": example}), as_of=AS_OF)
    assert result.input_errors == []
    f = kk_finding(result)
    assert f.severity == "info"
    assert "Peraturan Wali Kota Contoh Nomor 18 Tahun 2025" in f.message["en"]
