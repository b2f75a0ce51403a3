"""The `sop` document kind: one SOP (SOP Administrasi Pemerintahan, PermenPANRB 35/2012).

The header holds the identity section of the SOP form; ``steps`` are the rows of its
flowchart, in order. Every field except ``kind`` and ``id`` may be missing so that a
half-written SOP still loads and the rules say what is missing (the core format's approach).
A process links to an SOP through its ``sop: [id, ...]`` list.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from probis.engine.model import Code, Model, TextList
from pydantic import BeforeValidator, Field


def _step_id(value: Any) -> Any:
    # SOP rows are numbered 1, 2, 3 on paper; a number is a fine step id (no trailing zeros
    # to lose, unlike process codes), so it is read as text instead of rejected.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


StepId = Annotated[str, BeforeValidator(_step_id, json_schema_input_type=str | int)]


class MutuBaku(Model):
    """Quality standard of one step: what it needs, how long it takes, what it yields."""

    requirements: TextList | None = None  # kelengkapan: documents or conditions needed
    time: str | None = None  # waktu, a duration such as 15m, 2h, 3d
    output: TextList | None = None


class SopStep(Model):
    id: StepId
    type: Literal["start", "end", "task", "decision"] = "task"  # start/end are terminators
    activity: str | None = None  # kegiatan
    executor: str | None = None  # pelaksana
    unit: Code | None = None  # SOTK id of the executor's unit (drafts take it from the lane)
    map_step: Code | None = None  # id of the cross-functional map step this row implements
    mutu_baku: MutuBaku | None = None
    ya: StepId | None = None  # a decision's "yes" branch (`yes:` would be read as true)
    tidak: StepId | None = None  # a decision's "no" branch
    note: str | None = None  # keterangan


class Sop(Model):
    kind: Literal["sop"]
    id: Code  # the id processes write in `sop: [...]`
    number: str | None = None  # nomor SOP
    name: str | None = None
    unit: Code | None = None  # SOTK id of the unit that owns the SOP
    process: Code | None = None  # the lowest-level process it implements (else via `sop:`)
    made: dt.date | None = None  # tanggal pembuatan
    revised: dt.date | None = None  # tanggal revisi, when revised
    effective: dt.date | None = None  # tanggal efektif
    approved_by: str | None = None  # disahkan oleh
    legal_basis: TextList | None = None  # dasar hukum
    executor_qualifications: TextList | None = None  # kualifikasi pelaksana
    related: TextList | None = None  # keterkaitan: ids of other SOPs
    equipment: TextList | None = None  # peralatan/perlengkapan
    warning: str | None = None  # peringatan
    records: TextList | None = None  # pencatatan dan pendataan
    steps: list[SopStep] = Field(default_factory=list)


IDENTITY_FIELDS = ("number", "name", "made", "effective", "approved_by")
SECTION_FIELDS = ("legal_basis", "executor_qualifications", "related", "equipment", "warning",
                  "records")
MUTU_FIELDS = ("requirements", "time", "output")


# a draft (`probis sop`) marks what it could not fill as "(diisi ...)"; that is not content
BLANK_MARK = "(diisi"


def written(value: Any) -> bool:
    """A header section counts as written when it has content; "-" (none) is content, a
    draft's "(diisi ...)" blank is not."""
    if value is None:
        return False
    if isinstance(value, list):
        return any(written(v) for v in value)
    if isinstance(value, str):
        return bool(value.strip()) and not value.strip().startswith(BLANK_MARK)
    return True
