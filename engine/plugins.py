"""The plugin manager: discovers plugins through entry points and collects what they register.

``PROBIS_LOAD_PLUGINS`` restricts which plugins load: a comma-separated list of entry-point
names (``regulation,alignment``); set it to an empty string to load none. Tests use it to be
deterministic; auditors use it to trust only what they list.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pluggy

from . import entrypoints, hookspecs
from .errors import ProbisUsageError
from .factkinds import FactKind, check_rule, core_kinds, declare
from .hookcall import call_each
from .i18n import Text, text
from .isolation import call_guarded, plugin_timeout
from .limits import check_environment
from .rule import DeclarativeRule, PythonRule, RuleInfo, applies_kinds
from .rulefile import BrokenRuleFile

ENTRY_POINT_GROUP = "probis"


@dataclass
class PluginInfo:
    name: str
    module: str
    distribution: str | None
    version: str | None
    hooks: list[str] = field(default_factory=list)
    rule_ids: list[str] = field(default_factory=list)


@dataclass
class PluginFailure:
    """A plugin that could not be loaded or whose hook raised: becomes an ENG finding."""

    plugin: str
    stage: str
    error: str
    rule: str | None = None  # a rule refused at load (stage "rule file"): its id and file
    source: str | None = None
    error_id: str | None = None  # ``error`` in Indonesian, where probis wrote it

    def error_in(self, lang: str) -> str:
        """``error`` in ``lang`` (a plugin's own exception text is as it was raised)."""
        return self.error_id if lang == "id" and self.error_id else self.error


@dataclass
class Registry:
    pm: pluggy.PluginManager
    plugins: list[PluginInfo] = field(default_factory=list)
    rules: dict[str, DeclarativeRule | PythonRule] = field(default_factory=dict)
    rule_plugin: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, Any] = field(default_factory=dict)
    readers: dict[str, Any] = field(default_factory=dict)
    profiles: dict[str, dict[str, str]] = field(default_factory=dict)
    renderers: dict[str, Callable[..., str]] = field(default_factory=dict)
    fields: dict[str, set[str]] = field(default_factory=dict)
    failures: list[PluginFailure] = field(default_factory=list)
    # fact kinds rule files may name: the core ones (engine/facts.py) and the plugins'
    fact_kinds: dict[str, FactKind] = field(default_factory=core_kinds)
    # rules refused at load (broken file, unknown fact kind or field), by rule id
    rejected: dict[str, PluginFailure] = field(default_factory=dict)

    def info(self, rule_id: str) -> RuleInfo:
        return self.rules[rule_id].info

    def plugin_of(self, rule_id: str) -> str:
        return self.rule_plugin.get(rule_id, "?")

    def rules_needing(self, plugin: str,
                      rules: Iterable[DeclarativeRule | PythonRule] | None = None) -> list[str]:
        """Ids of the rule files (of ``rules``, default all) over fact kinds ``plugin``
        declares: what cannot run without that plugin's facts."""
        kinds = {k for k, decl in self.fact_kinds.items() if decl.plugin == plugin}
        pool = self.rules.values() if rules is None else rules
        return sorted(r.info.id for r in pool if isinstance(r, DeclarativeRule)
                      and kinds.intersection(applies_kinds(r.info)))


def _allowed() -> set[str] | None:
    raw = os.environ.get("PROBIS_LOAD_PLUGINS")
    if raw is None:
        return None
    return {name.strip() for name in raw.split(",") if name.strip()}


def _check_allowed(allowed: set[str] | None, installed: set[str]) -> None:
    """An allow-list naming a plugin that is not installed would audit without its rules and
    look clean: a usage error naming it and what is installed."""
    missing = sorted((allowed or set()) - installed)
    if missing:
        names = ", ".join(f"`{name}`" for name in missing)
        have = ", ".join(sorted(installed)) or "-"
        raise ProbisUsageError(text(
            id=f"PROBIS_LOAD_PLUGINS menyebut plugin yang tidak terpasang: {names}. "
               f"Terpasang: {have}",
            en=f"PROBIS_LOAD_PLUGINS names plugins that are not installed: {names}. "
               f"Installed: {have}"))


BUILTIN_PREFIX = "probis.plugins."  # the modules of the rule sets probis ships


def build_registry() -> Registry:
    check_environment()
    pm = pluggy.PluginManager("probis")
    pm.add_hookspecs(hookspecs)
    registry = Registry(pm=pm)
    allowed = _allowed()
    seen: set[str] = set()
    dists: dict[str, tuple[str | None, str | None]] = {}
    # probis's own rule sets first, then the others by name: a plugin can never take over a
    # built-in rule id by sorting before it (the second to register an id is refused)
    entry_points = sorted(entrypoints.entry_points(ENTRY_POINT_GROUP),
                          key=lambda e: (not e.value.startswith(BUILTIN_PREFIX), e.name))
    _check_allowed(allowed, {ep.name for ep in entry_points})
    for ep in entry_points:
        if ep.name in seen or (allowed is not None and ep.name not in allowed):
            continue
        seen.add(ep.name)
        distribution, version = _distribution(getattr(ep, "dist", None), dists)
        info = PluginInfo(name=ep.name, module=ep.value, distribution=distribution,
                          version=version)
        # guarded: an import that raises (even SystemExit) or hangs must not take the run down
        loaded = call_guarded(ep.load, plugin_timeout(), f"{ep.name}:load")
        if not loaded.ok:
            registry.failures.append(PluginFailure(ep.name, "load", str(loaded.error)))
            continue
        module = loaded.value
        try:
            pm.register(module, name=ep.name)
        except Exception as exc:  # a broken plugin must not take the run down
            registry.failures.append(PluginFailure(ep.name, "load", f"{type(exc).__name__}: {exc}"))
            continue
        refused = _refusal(pm, module)
        if refused is not None:
            pm.unregister(module, name=ep.name)
            registry.failures.append(PluginFailure(ep.name, "load", refused))
            continue
        info.hooks = sorted(
            h.name for h in pm.get_hookcallers(module) or [] if h.name.startswith("probis_")
        )
        registry.plugins.append(info)
    _collect(registry)
    return registry


def _distribution(dist: Any, known: dict[str, tuple[str | None, str | None]]
                  ) -> tuple[str | None, str | None]:
    """Name and version of an entry point's distribution, read once per distribution
    (engine/entrypoints.py reads them from the METADATA headers)."""
    if dist is None:
        return None, None
    key = str(getattr(dist, "_path", id(dist)))
    if key not in known:
        known[key] = entrypoints.name_and_version(dist)
    return known[key]


def active_registry() -> Registry:
    """The registry of the running ``probis`` command, built once per run (``cli.main`` builds
    it to add plugin commands and hands it to every command); outside a command, a new one.
    Commands, including plugins' own, get their registry here instead of building another."""
    import click

    ctx = click.get_current_context(silent=True)
    registry = ctx.find_object(Registry) if ctx is not None else None
    if registry is None and ctx is not None and REGISTRY_KEY in ctx.meta:
        registry = ctx.meta[REGISTRY_KEY]()  # the command line builds it on first use
    return registry if registry is not None else build_registry()


REGISTRY_KEY = "probis.registry"  # engine/cli.py keeps this run's registry factory there


def _refusal(pm: pluggy.PluginManager, module: object) -> str | None:
    """Why a just-registered plugin cannot be used, or None: a hook name no hookspec declares
    (pluggy's own ``check_pending`` text, plus the hook it most likely meant), or a wrapper,
    which cannot be called one plugin at a time."""
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        unknown = [h.name for h in pm.get_hookcallers(module) or [] if not h.has_spec()]
        specs = [name for name in dir(hookspecs) if name.startswith("probis_")]
        near = difflib.get_close_matches(unknown[0], specs, n=1) if unknown else []
        hint = f"; did you mean {near[0]}?" if near else ""
        return f"{type(exc).__name__}: {exc}{hint} (hooks: docs/plugin-hooks.md)"
    for caller in pm.get_hookcallers(module) or []:
        for impl in caller.get_hookimpls():
            if impl.plugin is module and (impl.wrapper or impl.hookwrapper):
                return (f"{caller.name} is a hook wrapper; probis calls each plugin's hooks "
                        "on their own and takes no wrappers")
    return None


def _call_each(registry: Registry, hook_name: str, make_register: Callable[[str], Any]) -> None:
    """Call one registration hook per plugin (``hookcall.call_each``) with the ``register``
    that ``make_register`` makes for that plugin, so what it registers and any failure are
    attributed to it."""
    for result in call_each(registry.pm, hook_name,
                            lambda plugin: {"register": make_register(plugin)}):
        if not result.outcome.ok:
            registry.failures.append(PluginFailure(result.plugin, hook_name,
                                                   str(result.outcome.error)))


def _collect(registry: Registry) -> None:
    by_name = {p.name: p for p in registry.plugins}

    def rules_register(plugin: str) -> Callable[[Any], None]:
        def register(rule: Any) -> None:
            if isinstance(rule, BrokenRuleFile):
                _reject(registry, plugin, rule.rule_id, rule.source, rule.problem)
                return
            if not isinstance(rule, DeclarativeRule | PythonRule) or not isinstance(
                getattr(rule, "info", None), RuleInfo
            ):
                raise TypeError(f"register() expects a DeclarativeRule or PythonRule, got {rule!r}")
            rule_id = rule.info.id
            if rule_id in registry.rules:
                # this rule alone is refused: raising would drop every rule the plugin
                # registers after it
                owner = registry.rule_plugin[rule_id]
                registry.failures.append(PluginFailure(
                    plugin, "probis_register_rules",
                    f"rule id {rule_id} of plugin `{plugin}` is already registered by plugin "
                    f"`{owner}`; give the rule an id of its own (ids are unique across plugins)",
                    rule_id, rule.info.source,
                    error_id=f"id aturan {rule_id} dari plugin `{plugin}` sudah didaftarkan oleh "
                             f"plugin `{owner}`; beri aturan ini id sendiri (id unik di antara "
                             "semua plugin)"))
                return
            registry.rules[rule_id] = rule
            registry.rule_plugin[rule_id] = plugin
            by_name[plugin].rule_ids.append(rule_id)

        return register

    def unique(what: str, target: dict[str, Any],
               builtin: Iterable[str]) -> Callable[[str], Callable[[str, Any], None]]:
        """A ``register(key, value)`` maker that refuses a key someone already has."""
        owners = dict.fromkeys(builtin, "")

        def make(plugin: str) -> Callable[[str, Any], None]:
            def register(key: str, value: Any) -> None:
                if key in owners:
                    who = f"plugin `{owners[key]}`" if owners[key] else "probis itself"
                    raise ValueError(f"{what} `{key}` of plugin `{plugin}` is already "
                                     f"registered by {who}")
                owners[key] = plugin
                target[key] = value
            return register
        return make

    def kinds_register(plugin: str) -> Callable[..., None]:
        def register(kind: Any, fields: Any, description: Any = "") -> None:
            declared = declare(kind, fields, plugin, description)
            if kind in registry.fact_kinds:
                owner = registry.fact_kinds[kind].plugin
                raise ValueError(f"fact kind {kind} is already declared by "
                                 f"{f'plugin {owner}' if owner else 'the core facts'}")
            registry.fact_kinds[kind] = declared
        return register

    from .loader import LoaderConfig
    from .model import CORE_KINDS
    from .render import BUILTIN_RENDERERS

    # fact kinds first: the rule files of every plugin are checked against all of them
    _call_each(registry, "probis_register_fact_kinds", kinds_register)
    _call_each(registry, "probis_register_rules", rules_register)
    _check_rule_files(registry)
    _call_each(registry, "probis_register_document_kinds",
               unique("document kind", registry.kinds, CORE_KINDS))
    _call_each(registry, "probis_register_readers",
               unique("reader for", registry.readers, LoaderConfig().readers))
    _call_each(registry, "probis_register_profiles",
               unique("profile", registry.profiles, ("recommended", "strict")))
    _call_each(registry, "probis_register_renderers",
               unique("renderer", registry.renderers, BUILTIN_RENDERERS))

    def fields_register(plugin: str) -> Callable[..., None]:
        def register(kind: str, *paths: str) -> None:
            registry.fields.setdefault(kind, set()).update(paths)
        return register

    _call_each(registry, "probis_register_fields", fields_register)
    for info in registry.plugins:
        info.rule_ids.sort()
    registry.rules = dict(sorted(registry.rules.items()))


def _check_rule_files(registry: Registry) -> None:
    """Refuse each rule file whose fact kind or fields are not declared (one rule, not its
    plugin): loaded, it would never fire."""
    for rule_id, rule in list(registry.rules.items()):
        if not isinstance(rule, DeclarativeRule):
            continue
        problems = check_rule(rule, registry.fact_kinds)
        if problems:
            plugin = registry.rule_plugin.pop(rule_id)
            del registry.rules[rule_id]
            for info in registry.plugins:
                if info.name == plugin:
                    info.rule_ids.remove(rule_id)
            _reject(registry, plugin, rule_id, rule.info.source or "(no file)",
                    text("; ".join(p["id"] for p in problems),
                         "; ".join(p["en"] for p in problems)))


def _reject(registry: Registry, plugin: str, rule_id: str, source: str,
            problem: Text | str) -> None:
    both = problem if isinstance(problem, dict) else text(problem, problem)
    failure = PluginFailure(plugin, "rule file", f"{source}: {both['en']}", rule_id, source,
                            error_id=f"{source}: {both['id']}")
    registry.failures.append(failure)
    registry.rejected.setdefault(rule_id, failure)


def failure_message(failure: PluginFailure) -> dict[str, str]:
    if failure.rule is not None:
        return text(
            f"aturan {failure.rule} dari plugin `{failure.plugin}` tidak dimuat: "
            f"{failure.error_in('id')}. Aturan plugin lain dan aturan lain plugin ini tetap "
            "berjalan",
            f"rule {failure.rule} of plugin `{failure.plugin}` was not loaded: "
            f"{failure.error}. The other rules of this and other plugins still run",
        )
    return text(
        f"plugin `{failure.plugin}` gagal pada tahap {failure.stage}: {failure.error_in('id')}. "
        "Temuan plugin lain tetap berlaku",
        f"plugin `{failure.plugin}` failed at {failure.stage}: {failure.error}. "
        "Other plugins' findings stand",
    )
