"""Every hook a probis plugin can implement. This module is the plugin API.

Plugins are Python packages that declare an entry point in the group ``probis`` and implement
some of these hooks with ``@probis.engine.hookimpl``. The built-in rule sets in ``plugins/``
are registered exactly like third-party ones. Registration hooks take a ``register`` callback
(the style of simonw/llm), so new optional arguments can be added to ``register`` without
breaking existing plugins.

docs/plugin-hooks.md documents each hook; a test fails when a hook below is missing there or
its signature differs.
"""

from __future__ import annotations

from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("probis")
hookimpl = pluggy.HookimplMarker("probis")


@hookspec
def probis_register_rules(register: Any) -> None:
    """Register the rules of a rule set.

    Call ``register(rule)`` once per rule, where ``rule`` is a ``DeclarativeRule`` (usually
    read from a rule file with ``probis.engine.rulefile.load_rule_dir``) or an instance of a
    ``PythonRule`` subclass. Rule ids must be unique across all plugins.
    """


@hookspec
def probis_register_document_kinds(register: Any) -> None:
    """Register new document kinds for workspace files.

    Call ``register(kind, model)`` where ``kind`` is the value of the ``kind`` field and
    ``model`` a pydantic model class (subclass ``probis.engine.model.Model`` to get line
    numbers). Loaded documents appear in ``workspace.extra[kind]``.
    """


@hookspec
def probis_register_fields(register: Any) -> None:
    """Declare the fields a plugin adds to documents, so they are not reported as unknown.

    Call ``register(kind, *paths)``: ``paths`` are dotted field paths without list indexes,
    e.g. ``register("peta-proses", "processes.risiko")``. A field that no model and no plugin
    declares is reported as a notice ("field `ownr` is not known — did you mean `owner`?").
    """


@hookspec
def probis_register_readers(register: Any) -> None:
    """Register readers for other file types (BPMN, spreadsheets).

    Call ``register(suffix, reader)``; ``reader(path, raw_bytes, limits)`` returns a list of
    documents (plain dicts with a ``kind``) or raises ``probis.engine.yamlload.ParseError``.
    """


@hookspec
def probis_register_profiles(register: Any) -> None:
    """Register named rule profiles that a workspace can ``extends``.

    Call ``register(name, rules)`` where ``rules`` maps rule ids to ``off``/``info``/
    ``warning``/``error``. Profiles ``recommended`` and ``strict`` are built in.
    """


@hookspec
def probis_facts(workspace: Any, as_of: Any) -> Any:
    """Return extra facts for rule files: an iterable of ``(fact, element_ref)`` pairs.

    Use this when a plugin brings its own document kind and wants rule files over it. Each
    fact is a flat dict with ``t`` (its kind); ``element_ref`` is an ``ElementRef``.
    """


@hookspec
def probis_report_sections(workspace: Any, result: Any) -> Any:
    """Return extra top-level report sections as a dict, e.g. ``{"coverage": {...}}``.

    Called once per audit after the rules ran; ``result`` is the ``AuditResult``.
    """


@hookspec
def probis_register_renderers(register: Any) -> None:
    """Register report formats for ``probis check --format NAME``.

    Call ``register(name, render)``; ``render(report: dict, lang: str, **kwargs) -> str``.
    Accept extra keyword arguments: ``section_renderer(name, section, format)`` is passed to
    render plugin sections, and the convention may grow.
    """


@hookspec
def probis_register_commands(cli: Any) -> None:
    """Add commands to the ``probis`` command line. ``cli`` is the click group."""


@hookspec(firstresult=True)
def probis_render_section(name: str, section: Any, format: str, lang: str) -> Any:
    """Render one of this plugin's report sections for a text format.

    ``format`` is ``terminal``, ``markdown`` or ``html``. Return a string, or None when the
    section is not yours or the format is not supported (the section is then left out of
    that format; it is always in the JSON report).
    """
