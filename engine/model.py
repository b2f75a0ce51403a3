"""Pydantic models of the input format, version 1 (../shared/format.md, docs/format.md).

Loading is lenient where the format is lenient: only the fields that give a document its
identity and shape are required (a map's code, level and processes; a process's code; a step's
id and type; a unit's id). Everything else may be missing, and the rule that needs it reports
it, so a forgotten field never hides a map from the audit. Unknown extra fields are kept.

Every model carries ``line`` (from the YAML loader's ``__line__``), so findings can point at a
line. Codes must be text: a code that YAML read as a number (``1.10``) is an input error that
says to quote it, because converting it back would silently drop the trailing zero.
"""

# (no `from __future__ import annotations`: pydantic would compile and evaluate every
# annotation string of these 29 models at start-up; docs/design-notes.md, "i24-startup2")
import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from .pydanticplugins import install as _install_plugin_lookup

# before pydantic builds a validator: its plugins found without importlib.metadata
_install_plugin_lookup()


def _code_text(value: Any) -> Any:
    if value.__class__ is str:  # nearly every code: answered before the checks below
        return value
    if isinstance(value, bool):
        raise ValueError("must be text, not true/false")
    if isinstance(value, int | float):
        raise ValueError(
            f"YAML read {value!r} as a number; write codes in quotes, for example \"{value}\""
        )
    return value


Code = Annotated[str, BeforeValidator(_code_text)]


def _text_list(value: Any) -> Any:
    """Accept a single string where a list of strings is expected (people write it that way)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v if v.__class__ is str  # the usual item, without the checks
                else str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v
                for v in value]
    return value


# the JSON Schema (engine/schema.py) says what is accepted: one text or a list
TextList = Annotated[list[str], BeforeValidator(_text_list, json_schema_input_type=str | list[str])]
CodeList = Annotated[list[Code], BeforeValidator(lambda v: [v] if isinstance(v, str) else v,
                                                 json_schema_input_type=str | list[str])]


def _choice(allowed: tuple[str, ...], aliases: dict[str, str] | None = None,
            strict: bool = True) -> Any:
    """An enumerated value matched case-insensitively (``Final``, ``INTI``, ``Sekretariat
    Daerah``); an unknown one is an error that lists the allowed values (``strict``) or is
    kept as written for a rule to judge."""
    table = {v: v for v in allowed}
    table.update(aliases or {})

    def check(value: Any) -> Any:
        if value is None or not isinstance(value, str):
            return value
        key = " ".join(value.split()).lower()
        for candidate in (key, key.replace(" ", "-"), key.replace("_", "-")):
            if candidate in table:
                return table[candidate]
        if not strict:
            return value
        raise ValueError(f"`{value}` is not one of: {', '.join(allowed)}")

    # the JSON Schema (engine/schema.py) offers the values as written here, lower case
    offered = Literal[tuple(dict.fromkeys((*allowed, *table)))] if strict else str  # type: ignore[valid-type]
    return BeforeValidator(check, json_schema_input_type=offered)


STATUSES = ("draft", "final")
CATEGORIES = ("inti", "manajemen", "pendukung")
# format.md lists the usual types; satuan (Satpol PP), kantor, rsud and upt occur in real SOTKs
UNIT_TYPES = ("sekretariat-daerah", "sekretariat-dprd", "inspektorat", "dinas", "badan",
              "kecamatan", "kelurahan", "bagian", "bidang", "sekretariat", "subbagian", "seksi",
              "uptd", "upt", "satuan", "kantor", "rsud")
Status = Annotated[str, _choice(STATUSES, {"draf": "draft", "rancangan": "draft"})]
# an unknown category stays a REG001 finding (the rule that judges categories), not an error
Category = Annotated[str, _choice(CATEGORIES, strict=False)]
UnitTypeName = Annotated[str, _choice(UNIT_TYPES, {
    "setda": "sekretariat-daerah", "sekretariat daerah": "sekretariat-daerah",
    "setwan": "sekretariat-dprd", "sekretariat dprd": "sekretariat-dprd",
    "sub-bagian": "subbagian", "sub bagian": "subbagian", "satpol-pp": "satuan"})]


class Model(BaseModel):
    # defer_build: a model's validator is built when first used, not at import (start-up)
    model_config = ConfigDict(extra="allow", populate_by_name=True, frozen=False,
                              defer_build=True)

    line: int | None = Field(default=None, alias="__line__", exclude=True)


# --- workspace manifest ---------------------------------------------------------------


def _severity_setting(value: Any) -> Any:
    # YAML 1.1 reads a bare `off` as false; the format writes `REG012: off`.
    if value is False:
        return "off"
    return value.strip().lower() if isinstance(value, str) else value


SeveritySetting = Annotated[
    Literal["off", "info", "warning", "error"], BeforeValidator(_severity_setting)
]


class Profile(Model):
    extends: TextList = Field(default_factory=lambda: ["recommended"])
    rules: dict[str, SeveritySetting] = Field(default_factory=dict)
    # probis extension: per-rule options, e.g. {OVL001: {threshold: 0.8}}
    options: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @field_validator("rules", "options", mode="before")
    @classmethod
    def _drop_line(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: v for k, v in value.items() if k != "__line__"}
        return value


class Pemeriksa(Model):
    """One member of the examining team or the signing Inspektur (``laporan:`` section)."""

    nama: str | None = None
    nip: str | None = None
    jabatan: str | None = None  # e.g. "Ketua Tim", "Auditor Ahli Muda"

    @model_validator(mode="before")
    @classmethod
    def _name_only(cls, value: Any) -> Any:
        # `- Sri Wahyuni` (a bare name) is as good as `- nama: Sri Wahyuni`
        return {"nama": value} if isinstance(value, str) else value

    @field_validator("nip", mode="before")
    @classmethod
    def _nip_text(cls, value: Any) -> Any:
        # an 18-digit NIP written without quotes arrives as a YAML integer
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _one_or_many(value: Any) -> Any:
    if value is None:
        return []
    return [value] if isinstance(value, str | dict) else value


class Laporan(Model):
    """Optional ``laporan:`` section of probis.yaml: who signs the audit report (LHP)."""

    tempat: str | None = None  # place of signing, e.g. "Metro"
    tanggal: dt.date | None = None  # date of signing; the audit date when absent
    nomor: str | None = None  # the LHP's number, when the Inspektorat has given one
    # the JSON Schema says what is accepted: a bare name as well as a mapping (Pemeriksa),
    # one member or a list of them
    tim: Annotated[list[Pemeriksa], BeforeValidator(
        _one_or_many, json_schema_input_type=list[str | Pemeriksa] | str | Pemeriksa | None)] \
        = Field(default_factory=list)
    inspektur: Annotated[Pemeriksa | None, BeforeValidator(
        lambda value: value, json_schema_input_type=str | Pemeriksa | None)] = None


class WorkspaceDoc(Model):
    kind: Literal["workspace"]
    instansi: str | None = None
    sotk: str | None = None
    rpjmd: str | None = None
    renstra: str | None = None
    maps: str | None = None
    waivers: str | None = None
    profile: Profile = Field(default_factory=Profile)
    # probis extension (docs/format-extensions.md): document kinds that plugins provide,
    # kind -> distribution, e.g. {sop: probis-plugin-sop}. Documents of a declared kind that
    # no loaded plugin knows are skipped with a notice instead of being input errors.
    plugins: dict[str, str] = Field(default_factory=dict)
    # who signs the audit report (docs/format.md, "laporan"); optional
    laporan: Laporan | None = None

    @field_validator("plugins", mode="before")
    @classmethod
    def _plugins_mapping(cls, value: Any) -> Any:
        if value is None:
            return {}
        if isinstance(value, dict):
            return {k: v for k, v in value.items() if k != "__line__"}
        return value


# --- sotk --------------------------------------------------------------------------------

class Unit(Model):
    id: Code
    name: str | None = None
    type: UnitTypeName | None = None
    parent: Code | None = None
    urusan: TextList = Field(default_factory=list)
    functions: TextList = Field(default_factory=list)


class SotkChange(Model):
    op: Literal["rename", "merge", "split", "abolish", "create", "move"]
    from_: Code | CodeList | None = Field(default=None, alias="from")
    to: Code | CodeList | None = None
    unit: Code | None = None
    parent: Code | None = None


class Sotk(Model):
    kind: Literal["sotk"]
    id: Code
    instansi: str | None = None
    effective: dt.date | None = None
    legal_basis: str | None = None
    previous: Code | None = None
    units: list[Unit] = Field(default_factory=list)
    changes: list[SotkChange] = Field(default_factory=list)


# --- plans ---------------------------------------------------------------------------------


class Indicator(Model):
    id: Code
    text: str | None = None
    satuan: str | None = None
    baseline: float | str | None = None
    target: dict[int, float | str | None] = Field(default_factory=dict)

    @field_validator("target", mode="before")
    @classmethod
    def _drop_line(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: v for k, v in value.items() if k != "__line__"}
        return value


class Misi(Model):
    id: Code
    text: str | None = None


class Tujuan(Model):
    id: Code
    misi: Code | None = None
    text: str | None = None
    indikator: list[Indicator] = Field(default_factory=list)


class Sasaran(Model):
    id: Code
    tujuan: Code | None = None
    text: str | None = None
    indikator: list[Indicator] = Field(default_factory=list)


class Period(Model):
    start: int
    end: int


class Rpjmd(Model):
    kind: Literal["rpjmd"]
    id: Code
    period: Period | None = None
    visi: str | None = None
    misi: list[Misi] = Field(default_factory=list)
    tujuan: list[Tujuan] = Field(default_factory=list)
    sasaran: list[Sasaran] = Field(default_factory=list)


class RenstraTujuan(Model):
    id: Code
    text: str | None = None
    supports: CodeList = Field(default_factory=list)
    indikator: list[Indicator] = Field(default_factory=list)


class RenstraSasaran(Model):
    id: Code
    tujuan: Code | None = None
    text: str | None = None
    supports: CodeList = Field(default_factory=list)
    indikator: list[Indicator] = Field(default_factory=list)


class SubKegiatan(Model):
    code: Code
    name: str | None = None


class Kegiatan(Model):
    code: Code
    name: str | None = None
    subkegiatan: list[SubKegiatan] = Field(default_factory=list)


class Program(Model):
    code: Code
    name: str | None = None
    sasaran: CodeList = Field(default_factory=list)
    kegiatan: list[Kegiatan] = Field(default_factory=list)


class Renstra(Model):
    kind: Literal["renstra"]
    id: Code
    unit: Code | None = None
    rpjmd: Code | None = None
    tujuan: list[RenstraTujuan] = Field(default_factory=list)
    sasaran: list[RenstraSasaran] = Field(default_factory=list)
    programs: list[Program] = Field(default_factory=list)


# --- process maps -------------------------------------------------------------------------


class Adoption(Model):
    instrument: str | None = None
    number: Code | None = None
    date: dt.date | None = None
    signatory: str | None = None


class Process(Model):
    code: Code
    name: str | None = None
    category: Category | None = None
    # exactly one owner is the rule (REG007); a list is loaded so the rule can report it
    owner: Code | CodeList | None = None
    participants: CodeList = Field(default_factory=list)
    suppliers: TextList = Field(default_factory=list)
    inputs: TextList = Field(default_factory=list)
    outputs: TextList = Field(default_factory=list)
    customers: TextList = Field(default_factory=list)
    supports: CodeList = Field(default_factory=list)
    # `indikator` as in the plans; the old spelling `indicators` is read with a deprecation
    # notice (DEPRECATED_FIELDS)
    indicators: CodeList = Field(default_factory=list,
                                 validation_alias=AliasChoices("indikator", "indicators"))
    subkegiatan: CodeList = Field(default_factory=list)
    sop: CodeList = Field(default_factory=list)
    next: CodeList = Field(default_factory=list)

    @property
    def owners(self) -> list[str]:
        if self.owner is None:
            return []
        return [self.owner] if isinstance(self.owner, str) else list(self.owner)


class ProcessMap(Model):
    kind: Literal["peta-proses"]
    code: Code
    title: str | None = None
    level: int
    parent: Code | None = None
    unit: Code | None = None
    status: Status | None = None
    adopted: Adoption | None = None
    last_evaluated: dt.date | None = None
    processes: list[Process]


class Lane(Model):
    id: Code
    name: str | None = None
    unit: Code | None = None
    external: bool = False


class Step(Model):
    id: Code
    lane: Code | None = None
    type: Literal["start", "end", "task", "decision"]
    name: str | None = None
    time: str | int | None = None
    output: str | None = None


class Flow(Model):
    from_: Code = Field(alias="from")
    to: Code
    label: str | int | None = None


class CrossFunctionalMap(Model):
    kind: Literal["peta-lintas-fungsi"]
    process: Code
    unit: Code | None = None
    lanes: list[Lane] = Field(default_factory=list)
    steps: list[Step] = Field(default_factory=list)
    flows: list[Flow] = Field(default_factory=list)


# --- waivers -------------------------------------------------------------------------------


_BLANK_ENDS = re.compile(r"^[\s\u200b-\u200d\u2060\ufeff]+|[\s\u200b-\u200d\u2060\ufeff]+$")


def _visible(value: Any) -> Any:
    """Text without the spaces and invisible characters at its ends: a waiver whose reason or
    approver is only blanks ("   ", a zero-width space) is as empty as one left out."""
    return _BLANK_ENDS.sub("", value) if isinstance(value, str) else value


VisibleText = Annotated[str, BeforeValidator(_visible), Field(min_length=1)]


class Waiver(Model):
    rule: str
    element: Code
    reason: VisibleText
    approved_by: VisibleText
    expires: dt.date


class WaiversDoc(Model):
    kind: Literal["waivers"]
    waivers: list[Waiver] = Field(default_factory=list)


# old spellings still read, with a notice naming the new one: kind -> {old path: new name}
# (paths without list indexes, as engine/lenient.py's unknown_fields names them)
DEPRECATED_FIELDS: dict[str, dict[str, str]] = {
    "peta-proses": {"processes.indicators": "indikator"},
}

CORE_KINDS: dict[str, type[Model]] = {
    "workspace": WorkspaceDoc,
    "sotk": Sotk,
    "rpjmd": Rpjmd,
    "renstra": Renstra,
    "peta-proses": ProcessMap,
    "peta-lintas-fungsi": CrossFunctionalMap,
    "waivers": WaiversDoc,
}
