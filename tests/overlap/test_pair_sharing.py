"""Finding-heavy workspaces (issue 24): OVL001's pairs of one process share that process's
evidence side and reference, one rule's findings share its basis and fix, and the report
written from them is the same as from copies."""

from __future__ import annotations

from pathlib import Path

import pytest
from probis.engine.i18n import format_text
from probis.engine.render.json_format import render_json
from probis.engine.report import build_report
from probis.engine.runner import audit
from probis.plugins.overlap import pairs
from test_plugin import peta, proc, workspace
from testkit import AS_OF


@pytest.fixture(autouse=True)
def _only_overlap(only_plugins) -> None:
    only_plugins("overlap")


def _three_opds(tmp_path: Path) -> Path:
    """The same permit process in three OPDs: three pairs, each process in two of them."""
    def one(code: str, unit: str, owner: str) -> str:
        return peta(code, unit, 0, proc(f"{code}.01", "Penerbitan Persetujuan Bangunan Gedung",
                                        owner, outputs="[Dokumen PBG]"))
    return workspace(tmp_path, {"a.yaml": one("PB.01", "dpmptsp", "dpmptsp"),
                                "b.yaml": one("PB.02", "dputr", "dputr"),
                                "c.yaml": one("PB.03", "diskominfo", "diskominfo")})


def test_pairs_of_one_process_share_its_side(tmp_path: Path) -> None:
    result = audit(_three_opds(tmp_path), as_of=AS_OF)
    found = [f for f in result.findings if f.rule == "OVL001"]
    assert len(found) == 3
    first = [f for f in found if f.ref.element == "PB.01.01"]
    assert len(first) == 2  # the lower code carries the finding
    assert first[0].evidence["process"] is first[1].evidence["process"]
    assert first[0].ref is first[1].ref
    sides = {id(f.evidence[k]) for f in found for k in ("process", "other")}
    assert len(sides) == 3  # one side per process, not one per finding and role
    assert len({id(f.basis) for f in found}) == 1 and len({id(f.fix) for f in found}) == 1


def test_report_equal_to_the_one_from_copies(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    root = _three_opds(tmp_path)
    shared = render_json(build_report(audit(root, as_of=AS_OF)))
    report_pair = pairs.report_pair

    def copying(*args, sides=None, **kwargs) -> None:  # noqa: ANN001, ANN003 - a pass-through
        report_pair(*args, **kwargs)

    monkeypatch.setattr("probis.plugins.overlap.ovl001.report_pair", copying)
    copied = build_report(audit(root, as_of=AS_OF))
    assert sum(f["rule"] == "OVL001" for f in copied["findings"]) == 3
    assert render_json(copied) == shared


def test_finding_dict_without_copies_equals_the_copy(tmp_path: Path) -> None:
    result = audit(_three_opds(tmp_path), as_of=AS_OF)
    for f in result.findings:
        shared, copied = f.to_dict(copy_texts=False), f.to_dict()
        assert shared == copied and list(shared) == list(copied)
        assert shared["message"] is f.message and copied["message"] is not f.message


def test_message_from_parts_is_the_template_filled() -> None:
    values = {"a": "PB.01.01", "a_name": "Izin {x} \"Reklame\"", "a_owner": None,
              "b": "PB.02.01", "b_name": "Izin Reklame }{", "b_owner": "dputr",
              "score": "0.91", "threshold": "0.80", "s_name": "1.00", "s_out": "0.50",
              "s_cust": "1.00", "words": "izin, reklame", "outputs": "-"}
    for lang, parts in zip(("id", "en"), pairs._PARTS, strict=True):
        assert "".join(part.format_map(values) for part in parts) == (
            pairs.MESSAGE[lang].format_map(values))
        assert "{b}" not in parts[0] and "{score}" not in parts[1] and "{a}" not in parts[2]


def test_finding_message_says_what_its_evidence_says(tmp_path: Path) -> None:
    result = audit(_three_opds(tmp_path), as_of=AS_OF)
    found = [f for f in result.findings if f.rule == "OVL001"]
    for f in found:
        e = f.evidence
        a, b = e["process"], e["other"]
        values = {"a": a["process"], "a_name": a["name"], "a_owner": a["owner"],
                  "b": b["process"], "b_name": b["name"], "b_owner": b["owner"],
                  "score": f"{e['score']:.2f}", "threshold": f"{e['threshold']:.2f}",
                  "s_name": f"{e['name_similarity']:.2f}",
                  "s_out": f"{e['output_similarity']:.2f}",
                  "s_cust": f"{e['customer_similarity']:.2f}",
                  "words": ", ".join(e["matched_words"]) or "-",
                  "outputs": ", ".join(e["matched_outputs"]) or "-"}
        assert f.message == format_text(pairs.MESSAGE, values)
    # the three pairs scored alike: one list of matched words and outputs for all three
    assert len({id(f.evidence["matched_words"]) for f in found}) == 1
    assert len({id(f.evidence["matched_outputs"]) for f in found}) == 1
