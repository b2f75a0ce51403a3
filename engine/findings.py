"""Findings, element references and severities: what rules produce and reports consume."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal, SupportsIndex

from .i18n import Text

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_RANK: dict[str, int] = {"info": 1, "warning": 2, "error": 3}
_sha1 = hashlib.sha1


@dataclass(frozen=True, slots=True)
class ElementRef:
    """The element a check concerns, with where it lives and whom it is scored against.

    ``map`` is the code of the process map the element belongs to (None for plan or SOTK
    elements); ``unit`` is the OPD (top-level unit) the element is scored against.
    """

    element: str
    kind: str  # process | map | lf-map | step | lane | flow | unit | sasaran | indicator | ...
    file: str | None = None
    line: int | None = None
    map: str | None = None
    unit: str | None = None

    def __reduce_ex__(self, protocol: SupportsIndex) -> str | tuple[Any, ...]:
        # pickled by its fields: the dataclass's __getstate__/__setstate__ are Python calls
        # per object, costly for the tens of thousands of findings forked rules send back
        if type(self) is not ElementRef:  # a subclass may have more fields: the usual way
            return object.__reduce_ex__(self, protocol)
        return ElementRef, (self.element, self.kind, self.file, self.line, self.map, self.unit)


@dataclass(slots=True)
class Finding:
    rule: str
    rule_set: str
    severity: Severity
    ref: ElementRef
    message: Text
    basis: Text
    fix: Text
    evidence: dict[str, Any] = field(default_factory=dict)
    waiver: dict[str, Any] | None = None

    def __reduce_ex__(self, protocol: SupportsIndex) -> str | tuple[Any, ...]:
        # as ElementRef's: one constructor call per finding when unpickled
        if type(self) is not Finding:
            return object.__reduce_ex__(self, protocol)
        return Finding, (self.rule, self.rule_set, self.severity, self.ref, self.message,
                         self.basis, self.fix, self.evidence, self.waiver)

    @property
    def fingerprint(self) -> str:
        """Stable id of the finding across runs (for baselines and SARIF)."""
        ref = self.ref
        return _sha1(f"{self.rule}\x1f{ref.kind}\x1f{ref.element}\x1f{ref.file or ''}\x1f"
                     f"{self.message['en']}".encode()).digest()[:8].hex()  # = hexdigest()[:16]

    def sort_key(self) -> tuple[Any, ...]:
        return (
            self.ref.file or "",
            self.ref.line or 0,
            self.rule,
            self.ref.element,
            self.message["en"],
        )

    def to_dict(self, copy_texts: bool = True) -> dict[str, Any]:
        """The finding as the report writes it. ``copy_texts=False`` shares the message, basis
        and fix dicts instead of copying them (build_report: the report only replaces them)."""
        out: dict[str, Any]
        if not copy_texts:
            ref = self.ref
            out = {"rule": self.rule, "rule_set": self.rule_set, "severity": self.severity,
                   "file": ref.file, "line": ref.line, "element": ref.element,
                   "element_type": ref.kind, "map": ref.map, "unit": ref.unit,
                   "message": self.message, "basis": self.basis, "fix": self.fix,
                   "evidence": self.evidence, "fingerprint": self.fingerprint}
            if self.waiver is not None:
                out["waiver"] = self.waiver
            return out
        out = {
            "rule": self.rule,
            "rule_set": self.rule_set,
            "severity": self.severity,
            "file": self.ref.file,
            "line": self.ref.line,
            "element": self.ref.element,
            "element_type": self.ref.kind,
            "map": self.ref.map,
            "unit": self.ref.unit,
            "message": dict(self.message),
            "basis": dict(self.basis),
            "fix": dict(self.fix),
            "evidence": self.evidence,
            "fingerprint": self.fingerprint,
        }
        if self.waiver is not None:
            out["waiver"] = self.waiver
        return out

