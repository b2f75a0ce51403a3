"""Every hook a probis plugin can implement. This module is the plugin API.

Plugins are Python packages that declare an entry point in the group ``probis`` and implement
some of these hooks with ``@probis.engine.hookimpl``. The built-in rule sets in ``plugins/``
are registered exactly like third-party ones. Registration hooks take a ``register`` callback
(the style of simonw/llm), so new optional arguments can be added to ``register`` without
breaking existing plugins. probis calls each plugin's implementation on its own with only the
arguments it declares (engine/hookcall.py); the types below are for readers and type checkers
(imported under ``TYPE_CHECKING``, as pytest's hookspec.py does).

docs/plugin-hooks.md documents each hook; a test fails when a hook below is missing there or
its signature differs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:  # only for the annotations: a plugin importing hookimpl loads none of these
    import datetime
    from collections.abc import Callable, Iterable, Mapping

    import click
    from pydantic import BaseModel

    from .factkinds import FactKindRegister
    from .facts import Fact
    from .findings import ElementRef
    from .loader import Reader
    from .render import Renderer
    from .rule import DeclarativeRule, PythonRule
    from .runner import AuditResult
    from .workspace import Workspace

hookspec = pluggy.HookspecMarker("probis")
hookimpl = pluggy.HookimplMarker("probis")


@hookspec
def probis_register_rules(register: Callable[[DeclarativeRule | PythonRule], None]) -> None:
    """Register the rules of a rule set.

    :param register: call ``register(rule)`` once per rule, where ``rule`` is a
        ``DeclarativeRule`` (usually read from a rule file with
        ``probis.engine.rulefile.load_rule_dir``) or an instance of a ``PythonRule`` subclass.
        Rule ids must be unique across all plugins.
    """


@hookspec
def probis_register_document_kinds(register: Callable[[str, type[BaseModel]], None]) -> None:
    """Register new document kinds for workspace files.

    :param register: call ``register(kind, model)`` where ``kind`` is the value of the
        ``kind`` field and ``model`` a pydantic model class (subclass
        ``probis.engine.model.Model`` to get line numbers). Loaded documents appear in
        ``workspace.extra[kind]``. A kind must not be a core kind or another plugin's.
    """


@hookspec
def probis_register_fields(register: Callable[..., None]) -> None:
    """Declare the fields a plugin adds to documents, so they are not reported as unknown.

    A field that no model and no plugin declares is reported as a notice ("field `ownr` is
    not known — did you mean `owner`?").

    :param register: call ``register(kind, *paths)``; ``paths`` are dotted field paths without
        list indexes, e.g. ``register("peta-proses", "processes.risiko")``.
    """


@hookspec
def probis_register_readers(register: Callable[[str, Reader], None]) -> None:
    """Register readers for other file types (BPMN, spreadsheets).

    :param register: call ``register(suffix, reader)``; ``reader(path, raw_bytes, limits)``
        returns a list of documents (plain dicts with a ``kind``) or raises
        ``probis.engine.yamlload.ParseError``. A suffix has one reader.
    """


@hookspec
def probis_register_profiles(register: Callable[[str, Mapping[str, str]], None]) -> None:
    """Register named rule profiles that a workspace can ``extends``.

    :param register: call ``register(name, rules)`` where ``rules`` maps rule ids to
        ``off``/``info``/``warning``/``error``. Profiles ``recommended`` and ``strict`` are
        built in.
    """


@hookspec
def probis_register_fact_kinds(register: FactKindRegister) -> None:
    """Declare the fact kinds this plugin's ``probis_facts`` adds, with their fields.

    Call ``register(kind, fields, description="")`` once per kind. ``fields`` maps each field
    name to ``(type, description)``, ``type`` one of ``text``, ``integer``, ``number``,
    ``boolean``. A kind name is unique across plugins and the core kinds (engine/facts.py).
    Rule files are checked against the declarations when the registry is built (an unknown
    ``applies_to`` kind or field refuses that rule with ENG001), ``probis_facts`` may only
    yield declared kinds and fields, and docs/facts.md is generated from them.

    :param register: ``register(kind, fields, description="")``, one call per fact kind.
    """


@hookspec
def probis_facts(workspace: Workspace,
                 as_of: datetime.date) -> Iterable[tuple[Fact, ElementRef]] | None:
    """Return extra facts for rule files: an iterable of ``(fact, element_ref)`` pairs.

    Use this when a plugin brings its own document kind and wants rule files over it. Each
    fact is a flat dict with ``t`` (its kind); ``element_ref`` is an ``ElementRef``.

    :param workspace: the loaded workspace.
    :param as_of: the audit date.
    """


@hookspec
def probis_report_sections(workspace: Workspace, as_of: datetime.date,
                           result: AuditResult) -> dict[str, Any] | None:
    """Return extra top-level report sections as a dict, e.g. ``{"coverage": {...}}``.

    Called once per audit after the rules ran. An implementation that does not name
    ``result`` depends on the workspace and the audit date alone: probis may call it while
    the rules run, in a forked process (its value must then pickle); its sections take the
    same place in the report either way.

    :param workspace: the loaded workspace.
    :param as_of: the audit date.
    :param result: the audit's findings, scores and settings.
    """


@hookspec
def probis_register_renderers(register: Callable[[str, Renderer], None]) -> None:
    """Register report formats for ``probis check --format NAME``.

    :param register: call ``register(name, render)``;
        ``render(report: dict, lang: str, **kwargs) -> str``. Accept extra keyword arguments:
        ``section_renderer(name, section, format)`` is passed to render plugin sections, and
        the convention may grow. A name must not be a built-in format or another plugin's.
    """


@hookspec
def probis_register_commands(cli: click.Group) -> None:
    """Add commands to the ``probis`` command line.

    :param cli: the ``probis`` click group; a command name must not be taken already.
    """


@hookspec(firstresult=True)
def probis_render_section(name: str, section: Any, format: str, lang: str) -> str | None:
    """Render one of this plugin's report sections for a text format.

    Return a string, or None when the section is not yours or the format is not supported
    (the section is then left out of that format; it is always in the JSON report).

    :param name: the section's key in the report.
    :param section: its value, as the plugin's ``probis_report_sections`` returned it (any
        JSON value).
    :param format: ``terminal``, ``markdown`` or ``html``.
    :param lang: ``id`` or ``en``.
    """
