"""Delegations of authority (pelimpahan sebagian kewenangan) as data: ``kind: pelimpahan``.

A Bupati/Wali Kota may delegate part of a dinas's services to the camat (PATEN, Permendagri
4/2010) or to another unit, by a Perbup/Perwali. The kecamatan's process then legally does the
same work as the dinas's: OVL001 still shows the pair, but at severity info and naming the
instrument, instead of as a warning the auditor must waive by hand.

- ``DelegationDoc``: the document shape, checked at load time (dates, required fields).
- ``delegations``: the documents of a workspace checked against it (unknown unit, unit type,
  process code, a service name with no distinguishing word): each problem an input error
  naming file, line and field, once per workspace.
- ``covering``: the delegation in force on a date that covers a pair of processes.
"""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from probis.engine.errors import InputError
from probis.engine.i18n import Text, text
from probis.engine.model import Code, CodeList, Model, TextList
from probis.engine.workspace import ProcessEntry, Workspace
from pydantic import Field, field_validator, model_validator

if TYPE_CHECKING:  # the normaliser is built by kamus when a delegation is matched
    from .normalize import Normalizer

KIND = "pelimpahan"

#: The regulation that makes a kecamatan's delegated service lawful.
PATEN = "Permendagri 4/2010 (PATEN)"


class LegalBasis(Model):
    """The instrument that delegates: ``Peraturan Bupati`` ``4`` of ``2019``."""

    instrument: str = Field(min_length=1)
    number: Code  # "4", "100/KEP/2024"; a bare whole number is read as its text
    year: int = Field(ge=1945, le=2100)
    title: str | None = None
    date: dt.date | None = None  # tanggal penetapan, optional

    @field_validator("number", mode="before")
    @classmethod
    def _whole_number(cls, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)  # no digits lost, unlike 1.10
        return value

    def cite(self) -> str:
        out = f"{self.instrument} Nomor {self.number} Tahun {self.year}"
        return f"{out} tentang {self.title}" if self.title else out


class Delegation(Model):
    """One delegation: the delegating unit, who receives it, and which services."""

    from_: Code = Field(alias="from")
    to: CodeList = Field(default_factory=list)
    to_type: str | None = None  # every unit of this SOTK type (e.g. kecamatan)
    services: TextList = Field(default_factory=list)
    processes: CodeList = Field(default_factory=list)

    @model_validator(mode="after")
    def _shape(self) -> Delegation:
        if not self.to and not self.to_type:
            raise ValueError("sebut unit penerima di `to` atau jenisnya di `to_type` / name "
                             "the receiving units in `to` or their SOTK type in `to_type`")
        if not self.services and not self.processes:
            raise ValueError("sebut layanan (`services`) atau kode proses (`processes`) yang "
                             "dilimpahkan / name the delegated `services` or `processes`")
        return self


class DelegationDoc(Model):
    """``kind: pelimpahan``: one instrument and the delegations it makes."""

    kind: str
    legal_basis: LegalBasis
    effective: dt.date  # berlaku sejak
    until: dt.date | None = None  # berlaku sampai, optional
    delegations: list[Delegation] = Field(min_length=1)

    @field_validator("effective", "until", mode="before")
    @classmethod
    def _not_datetime(cls, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.date()
        return value

    @model_validator(mode="after")
    def _order(self) -> DelegationDoc:
        if self.until is not None and self.until < self.effective:
            raise ValueError(f"`until` ({self.until}) sebelum `effective` ({self.effective}) / "
                             f"`until` ({self.until}) is before `effective` ({self.effective})")
        return self


@dataclass(frozen=True)
class Grant:
    """One checked delegation, ready to match pairs against."""

    file: str
    line: int | None
    basis: str
    effective: dt.date
    until: dt.date | None
    opd_from: str
    opd_to: frozenset[str]
    to_type: str | None
    services: tuple[tuple[str, frozenset[str]], ...]  # (as written, canonical tokens)
    processes: frozenset[str]

    def in_force(self, on: dt.date) -> bool:
        return self.effective <= on and (self.until is None or on <= self.until)

    def describe(self, ws: Workspace) -> dict[str, Any]:
        return {
            "basis": self.basis, "file": self.file, "line": self.line,
            "effective": self.effective.isoformat(),
            "until": self.until.isoformat() if self.until else None,
            "from": self.opd_from, "from_name": ws.unit_name(self.opd_from),
            "to": sorted(self.opd_to), "to_type": self.to_type,
            "services": [s for s, _ in self.services], "processes": sorted(self.processes),
        }


# id(workspace) -> (weak reference, stamp of its units, grants): checked once per workspace, so
# the input errors are added once however many callers (OVL001, `probis overlap`) ask.
_CHECKED: dict[int, tuple[weakref.ref[Workspace], tuple[int, int], list[Grant]]] = {}


def delegations(ws: Workspace, normalizer: Normalizer) -> list[Grant]:
    """The workspace's delegations, checked against its SOTK and maps; each problem is added
    to ``ws.input_errors`` (once) and its delegation left out, never silently ignored."""
    key = id(ws)
    stamp = (id(ws.units), len(ws.units))
    hit = _CHECKED.get(key)
    if hit is not None and hit[0]() is ws and hit[1] == stamp:
        return hit[2]
    grants: list[Grant] = []
    for doc in sorted(ws.extra.get(KIND, []), key=lambda d: d.file):
        grants.extend(_check(ws, doc.file, doc.model, normalizer))
    _CHECKED[key] = (weakref.ref(ws, lambda _ref, key=key: _CHECKED.pop(key, None)), stamp,
                     grants)
    return grants


def _error(ws: Workspace, file: str, line: int | None, field: str, message: Text) -> None:
    ws.input_errors.append(InputError(file, line, field, message, code="pelimpahan"))


def _check(ws: Workspace, file: str, doc: DelegationDoc, normalizer: Normalizer) -> list[Grant]:
    out: list[Grant] = []
    types = {u.type for u in ws.units.values() if u.type}
    weak = normalizer.weak_tokens
    for i, d in enumerate(doc.delegations):
        where = f"delegations[{i}]"
        line = d.line or doc.line
        ok = True
        for field, unit in [("from", d.from_)] + [(f"to[{j}]", u) for j, u in enumerate(d.to)]:
            if unit not in ws.units:
                ok = False
                _error(ws, file, line, f"{where}.{field}", text(
                    f"unit `{unit}` tidak ada di SOTK yang berlaku; tulis id unit dari SOTK",
                    f"unit `{unit}` is not in the SOTK in force; write a unit id of the SOTK"))
        if d.to_type is not None and d.to_type not in types:
            ok = False
            known = ", ".join(sorted(types)) or "-"
            _error(ws, file, line, f"{where}.to_type", text(
                f"tidak ada unit berjenis `{d.to_type}` di SOTK yang berlaku (jenis yang ada: "
                f"{known})",
                f"no unit of type `{d.to_type}` in the SOTK in force (types present: {known})"))
        for j, code in enumerate(d.processes):
            if code not in ws.processes_by_code:
                ok = False
                _error(ws, file, line, f"{where}.processes[{j}]", text(
                    f"kode proses `{code}` tidak ada di peta mana pun",
                    f"process code `{code}` is in no process map"))
        services = []
        for j, name in enumerate(d.services):
            tokens = normalizer.normalize(name).tokens
            tokens = (tokens - weak) or tokens
            if not tokens:
                ok = False
                _error(ws, file, line, f"{where}.services[{j}]", text(
                    f"nama layanan `{name}` hanya berisi kata umum; sebut layanannya "
                    "(misalnya `Surat Keterangan Domisili`) atau kode prosesnya",
                    f"service name `{name}` holds only generic words; name the service "
                    "(e.g. `Surat Keterangan Domisili`) or its process code"))
            services.append((name, tokens))
        if not ok:
            continue
        out.append(Grant(
            file=file, line=line, basis=doc.legal_basis.cite(), effective=doc.effective,
            until=doc.until, opd_from=ws.opd_of(d.from_) or d.from_,
            opd_to=frozenset(ws.opd_of(u) or u for u in d.to), to_type=d.to_type,
            services=tuple(services), processes=frozenset(d.processes),
        ))
    return out


def _names_service(grant: Grant, entry: ProcessEntry, normalizer: Normalizer) -> bool:
    if entry.process.code in grant.processes:
        return True
    if not grant.services:
        return False
    norm = normalizer.normalize
    fields = [norm(entry.process.name or "").tokens]
    fields += [norm(output).tokens for output in entry.process.outputs]
    return any(tokens <= words for _, tokens in grant.services for words in fields)


def covering(ws: Workspace, grants: list[Grant], a: ProcessEntry, b: ProcessEntry,
             on: dt.date, normalizer: Normalizer) -> tuple[Grant | None, Grant | None]:
    """(the grant in force on ``on`` that covers the pair, else a grant that would cover it
    on another date). A grant covers a pair when one side's OPD delegates and the other
    side's OPD receives (by id or SOTK type), and a delegated service or process code names
    either process."""
    opd_a, opd_b = ws.process_unit(a), ws.process_unit(b)
    other_date: Grant | None = None
    for grant in grants:
        for giver, taker in ((opd_a, opd_b), (opd_b, opd_a)):
            if giver != grant.opd_from or taker is None:
                continue
            unit = ws.units.get(taker)
            if taker not in grant.opd_to and not (
                    grant.to_type is not None and unit is not None
                    and unit.type == grant.to_type):
                continue
            if not (_names_service(grant, a, normalizer) or _names_service(grant, b, normalizer)):
                continue
            if grant.in_force(on):
                return grant, None
            other_date = other_date or grant
    return None, other_date
