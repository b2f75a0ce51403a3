"""The optional ``laporan:`` section of probis.yaml (who signs the LHP): lenient forms, and
the JSON report carries it only when it is there."""

from __future__ import annotations

import pytest
from probis.engine.model import WorkspaceDoc
from probis.engine.render.lhp_model import build_model
from pydantic import ValidationError


def test_bare_names_and_unquoted_nip() -> None:
    doc = WorkspaceDoc.model_validate({"kind": "workspace", "laporan": {
        "tempat": "Metro", "tanggal": "2026-12-01", "tim": "Sri Wahyuni",
        "inspektur": {"nama": "Bambang", "nip": 196905121994031006}}})
    assert doc.laporan is not None
    assert [p.nama for p in doc.laporan.tim] == ["Sri Wahyuni"]
    assert doc.laporan.inspektur is not None and doc.laporan.inspektur.nip == "196905121994031006"
    assert WorkspaceDoc.model_validate({"kind": "workspace"}).laporan is None


def test_a_wrong_type_names_the_field() -> None:
    with pytest.raises(ValidationError) as err:
        WorkspaceDoc.model_validate({"kind": "workspace", "laporan": {"tanggal": "besok"}})
    assert "laporan" in str(err.value) and "tanggal" in str(err.value)


def test_signature_block_in_both_languages(report: dict) -> None:
    import copy

    r = copy.deepcopy(report)
    r["workspace"]["laporan"] = {"tempat": "Metro", "tanggal": "2026-12-01",
                                 "tim": [{"nama": "Sri", "jabatan": "Ketua Tim"}],
                                 "inspektur": {"nama": "Bambang", "nip": "1969"}}
    sig_id = build_model(r, "id").signature
    sig_en = build_model(r, "en").signature
    assert sig_id is not None and sig_id.place_date == "Metro, 1 Desember 2026"
    assert sig_en is not None and sig_en.place_date == "Metro, December 1, 2026"
    assert sig_id.inspektur is not None and sig_id.inspektur.jabatan == "Inspektur"
    assert "laporan" not in report["workspace"]  # the fixture workspace has none
