"""--lang id|en: every rule is documented in both languages, every label exists in both, and a
report in one language carries no heading of the other."""

from __future__ import annotations

import re
import string
from html.parser import HTMLParser

import pytest
from probis.engine.engine_rules import ENGINE_RULES
from probis.engine.plugins import build_registry
from probis.engine.progress import STAGES
from probis.engine.render import markdown as md_module
from probis.engine.render.common import LABELS
from probis.engine.render.html import render_html
from probis.engine.render.terminal import LABELS as TERMINAL_LABELS
from probis.engine.rule import DeclarativeRule, PythonRule

DOC_FIELDS = ("title", "checks", "basis", "rationale", "fix")


def _names(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _same_placeholders(id_template: str, en_template: str) -> bool:
    """Equal placeholder names, where ``x_id`` / ``x_en`` are one value given per language.

    A fact field that merely ends in ``_id`` (``lane_id``) is the same name in both templates.
    """
    id_names, en_names = _names(id_template), _names(en_template)
    paired = {n[:-3] for n in id_names if n.endswith("_id") and n[:-3] + "_en" in en_names}
    return ({n for n in id_names if n[:-3] not in paired or not n.endswith("_id")}
            == {n for n in en_names if n[:-3] not in paired or not n.endswith("_en")})


def _bilingual_ok(value: object) -> bool:
    return (isinstance(value, dict) and bool(str(value.get("id", "")).strip())
            and bool(str(value.get("en", "")).strip()))


def _all_rules(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("PROBIS_LOAD_PLUGINS", raising=False)
    registry = build_registry()
    assert not registry.failures, registry.failures
    return list(registry.rules.values())


def test_every_rule_is_documented_in_both_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = _all_rules(monkeypatch)
    assert rules
    problems = []
    for info in [r.info for r in rules] + list(ENGINE_RULES.values()):
        for name in DOC_FIELDS:
            if not _bilingual_ok(getattr(info, name)):
                problems.append(f"{info.id}.{name}")
    assert not problems, f"missing Indonesian or English text: {problems}"


def test_every_rule_message_exists_in_both_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    problems = []
    for rule in _all_rules(monkeypatch):
        messages: list[tuple[str, object]] = []
        if isinstance(rule, DeclarativeRule):
            messages = [(f"cases[{i}]", c.message) for i, c in enumerate(rule.cases)]
        elif isinstance(rule, PythonRule):
            # a Python rule's message templates are bilingual dicts on the class
            for cls in type(rule).__mro__:
                messages += [(k, v) for k, v in vars(cls).items()
                             if isinstance(v, dict) and set(v) & {"id", "en"}]
        for where, msg in messages:
            if not _bilingual_ok(msg):
                problems.append(f"{rule.info.id} {where}: missing a language")
            elif not _same_placeholders(msg["id"], msg["en"]):
                problems.append(f"{rule.info.id} {where}: placeholders differ between id and en")
    assert not problems, problems


@pytest.mark.parametrize("table", [LABELS, TERMINAL_LABELS, STAGES])
def test_label_tables_have_both_languages(table: dict) -> None:
    assert set(table) == {"id", "en"}

    def keys(d: dict, prefix: str = "") -> set[str]:
        out = set()
        for k, v in d.items():
            out |= keys(v, f"{prefix}{k}.") if isinstance(v, dict) else {prefix + k}
        return out

    assert keys(table["id"]) == keys(table["en"])


class _Headings(HTMLParser):
    TAGS = {"h1", "h2", "h3", "th", "label", "option", "title"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data):
        if self.stack and self.stack[-1] in self.TAGS and data.strip():
            self.texts.append(data.strip())


def _starts(text: str, label: str) -> bool:
    """``text`` is the label, or begins with it as a whole word ("Elemen" is not "Element")."""
    return text == label or re.match(re.escape(label) + r"\b", text) is not None


def _only_in(lang: str) -> set[str]:
    other = "en" if lang == "id" else "id"

    def flat(d: dict) -> set[str]:
        out = set()
        for v in d.values():
            out |= flat(v) if isinstance(v, dict) else {v}
        return out

    return flat(LABELS[lang]) - flat(LABELS[other])


@pytest.mark.parametrize("lang", ["id", "en"])
def test_html_headings_are_all_in_the_chosen_language(report: dict, lang: str) -> None:
    other = "en" if lang == "id" else "id"
    parser = _Headings()
    parser.feed(render_html(report, lang=lang))
    foreign = _only_in(other)
    leaks = [t for t in parser.texts if any(_starts(t, x) for x in foreign)]
    assert not leaks, leaks
    assert any(t.startswith(LABELS[lang]["findings"]) for t in parser.texts)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_markdown_headings_are_all_in_the_chosen_language(report: dict, lang: str) -> None:
    other = "en" if lang == "id" else "id"
    text = md_module.render_markdown(report, lang=lang)
    heads = re.findall(r"^#+ (.*)$", text, flags=re.M)
    heads += [c.strip() for line in re.findall(r"^(\|.*\|)\n\|---", text, flags=re.M)
              for c in line.strip("|").split("|")]
    foreign = _only_in(other)
    leaks = [h for h in heads if any(_starts(h, x) for x in foreign)]
    assert not leaks, leaks
