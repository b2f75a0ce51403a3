"""Findings come back from forked rule runs pickled: every field survives, shared parts stay
shared (OVL001's findings of one process share its ElementRef), copies behave as before."""

from __future__ import annotations

import copy
import dataclasses
import pickle

from probis.engine.findings import ElementRef, Finding


def _finding(ref: ElementRef, waiver: dict | None = None) -> Finding:
    # every field away from its default, so a field left out of the pickled state shows
    return Finding("OVL001", "overlap", "warning", ref,
                   {"id": "Proses ganda", "en": "Duplicate process"},
                   {"id": "PermenPANRB 19/2018", "en": "PermenPANRB 19/2018"},
                   {"id": "Gabungkan", "en": "Merge"},
                   {"score": 0.91, "matched_words": ["izin", "usaha"]}, waiver)


def test_every_field_survives_pickling_and_shared_parts_stay_shared() -> None:
    ref = ElementRef("PB.01.02", "process", "peta/dinkes/PB.01.yaml", 12, "PB.01", "dinkes")
    findings = [_finding(ref), _finding(ref, {"reason": "disetujui", "until": "2027-01-01"})]
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(findings, protocol=protocol))
        assert back == findings
        assert [dataclasses.astuple(f) for f in back] == [dataclasses.astuple(f) for f in findings]
        assert all(type(f) is Finding and type(f.ref) is ElementRef for f in back)
        assert back[0].ref is back[1].ref
        assert back[0].fingerprint == findings[0].fingerprint
        assert back[1].to_dict() == findings[1].to_dict()


def test_a_reference_with_defaults_survives_and_stays_frozen() -> None:
    ref = pickle.loads(pickle.dumps(ElementRef("dinkes", "unit")))
    assert ref == ElementRef("dinkes", "unit") and ref.file is None and ref.line is None
    try:
        ref.line = 3  # type: ignore[misc]
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("ElementRef must stay frozen")


def test_copies_are_shallow_and_deep_as_before() -> None:
    f = _finding(ElementRef("PB.01", "map", "peta/a.yaml", 1, "PB.01", "dinkes"))
    shallow, deep = copy.copy(f), copy.deepcopy(f)
    assert shallow == f == deep and shallow is not f
    assert shallow.evidence is f.evidence and deep.evidence is not f.evidence
    shallow.severity = "info"
    assert f.severity == "warning"


@dataclasses.dataclass(slots=True)
class _RankedFinding(Finding):
    rank: int = 0


def test_a_subclass_with_more_fields_keeps_them() -> None:
    f = _RankedFinding("OVL001", "overlap", "info", ElementRef("PB.01", "map"),
                       {"id": "a", "en": "a"}, {"id": "b", "en": "b"}, {"id": "c", "en": "c"},
                       rank=3)
    back = pickle.loads(pickle.dumps(f))
    assert type(back) is _RankedFinding and back.rank == 3 and back == f
