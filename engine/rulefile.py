"""Reading rule files: rule metadata plus durable-rules conditions, as data.

A rule file (``rules/<rule set>/<ID>.yaml``) holds one rule. Its ``cases`` are the failing
conditions over one fact of kind ``applies_to``; each case has its own bilingual message,
whose ``{placeholders}`` are filled from the fact. The fact fields available for each kind
are listed in docs/facts.md (generated from engine/facts.py and the plugins' declarations).

A file that cannot be read as a rule is returned by ``load_rule_paths`` as a ``BrokenRuleFile``
instead of raising: ``register()`` in ``probis_register_rules`` accepts it and records an
ENG001 finding for that one rule, so the plugin's other rules still run. Whether the fact kind
and fields a rule names exist is checked when the registry is built (engine/factkinds.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .conditions import ConditionError, normalize
from .i18n import Text, text
from .limits import Limits
from .packagefiles import package_files
from .rule import Case, DeclarativeRule, RuleInfo
from .yamlload import LINE_KEY, ParseError, parse_bytes

REQUIRED_TEXTS = ("title", "checks", "basis", "rationale", "fix")


class RuleFileError(ValueError):
    """What is wrong with one rule file, in both languages (``str()`` is the English)."""

    def __init__(self, source: str, problem: Text | str) -> None:
        self.problem = problem if isinstance(problem, dict) else text(problem, problem)
        super().__init__(f"{source}: {self.problem['en']}")
        self.source = source


@dataclass(frozen=True)
class BrokenRuleFile:
    """A rule file that could not be read as a rule; ``register()`` turns it into an ENG001
    finding naming ``source`` and ``rule_id`` (the file's ``id``, else its file name)."""

    source: str
    rule_id: str
    problem: Text | str  # both languages (a plain string: the same text in both)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != LINE_KEY}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _bilingual(data: dict[str, Any], key: str, source: str) -> dict[str, str]:
    value = data.get(key)
    if not isinstance(value, dict) or not value.get("id") or not value.get("en"):
        raise RuleFileError(source, text(
            f"`{key}` memerlukan `id` (bahasa Indonesia) dan `en` (bahasa Inggris)",
            f"`{key}` needs both `id` (Indonesian) and `en` (English)"))
    return {"id": str(value["id"]).strip(), "en": str(value["en"]).strip()}


def parse_rule(data: dict[str, Any], source: str) -> DeclarativeRule:
    data = _plain(data)
    for key in ("id", "rule_set", "severity", "applies_to", "cases"):
        if key not in data:
            raise RuleFileError(source, text(f"`{key}` tidak ada", f"missing `{key}`"))
    if data["severity"] not in ("error", "warning", "info"):
        raise RuleFileError(source, text("`severity` harus error, warning atau info",
                                         "`severity` must be error, warning or info"))
    texts = {key: _bilingual(data, key, source) for key in REQUIRED_TEXTS}
    info = RuleInfo(
        id=str(data["id"]),
        rule_set=str(data["rule_set"]),
        severity=data["severity"],
        applies_to=str(data["applies_to"]),
        example_fail=str(data.get("example_fail", "")).rstrip(),
        example_pass=str(data.get("example_pass", "")).rstrip(),
        options=dict(data.get("options") or {}),
        source=source,
        **texts,
    )
    try:
        applies_if = normalize(data["applies_if"], "applies_if") if data.get("applies_if") else None
        cases = []
        for i, case in enumerate(data["cases"]):
            if not isinstance(case, dict) or "when" not in case:
                raise RuleFileError(source, text(f"cases[{i}] memerlukan `when` dan `message`",
                                                 f"cases[{i}] needs `when` and `message`"))
            cases.append(
                Case(
                    when=normalize(case["when"], f"cases[{i}].when"),
                    message=_bilingual(case, "message", f"{source} cases[{i}]"),
                )
            )
        severity_if = tuple(
            (normalize(item["when"], f"severity_if[{i}]"), item["severity"])
            for i, item in enumerate(data.get("severity_if") or [])
        )
    except ConditionError as exc:
        raise RuleFileError(source, exc.message) from None
    if not cases:
        raise RuleFileError(source, text("`cases` kosong", "`cases` is empty"))
    return DeclarativeRule(info=info, applies_if=applies_if, cases=tuple(cases),
                           severity_if=severity_if)


def load_rule_file(path: Path | Any, source: str | None = None) -> DeclarativeRule:
    name = source or str(path)
    try:
        data = parse_bytes(path.read_bytes(), str(path.name), Limits())
    except ParseError as exc:
        raise RuleFileError(name, text(f"baris {exc.line}: {exc.message['id']}",
                                       f"line {exc.line}: {exc.message['en']}")) from None
    if not isinstance(data, dict):
        raise RuleFileError(name, text("berkas aturan berisi satu mapping",
                                       "a rule file holds one mapping"))
    return parse_rule(data, name)


def load_rule_dir(rule_set: str) -> list[DeclarativeRule | BrokenRuleFile]:
    """Every rule file shipped in ``probis.rules/<rule_set>/``, sorted by file name."""
    folder = package_files("probis.rules").joinpath(rule_set)
    return load_rule_paths(
        sorted((p for p in folder.iterdir() if p.name.endswith((".yaml", ".yml"))),
               key=lambda p: p.name),
        prefix=f"rules/{rule_set}/",
    )


def load_rule_paths(paths: Iterable[Any], prefix: str = ""
                    ) -> list[DeclarativeRule | BrokenRuleFile]:
    """The rule of each file, or a ``BrokenRuleFile`` for a file that is not a valid rule
    (pass both to ``register()``: one bad file costs only its own rule)."""
    out: list[DeclarativeRule | BrokenRuleFile] = []
    for path in paths:
        source = prefix + path.name
        try:
            out.append(load_rule_file(path, source=source))
        except RuleFileError as exc:
            out.append(BrokenRuleFile(source, _rule_id_of(path), exc.problem))
    return out


def _rule_id_of(path: Any) -> str:
    """The ``id`` a broken rule file declares, when it can be read; else its file name."""
    try:
        data = parse_bytes(path.read_bytes(), str(path.name), Limits())
    except (ParseError, OSError):
        data = None
    if isinstance(data, dict) and isinstance(data.get("id"), str | int) and data["id"] != "":
        return str(data["id"])
    return str(path.name).rsplit(".", 1)[0]
