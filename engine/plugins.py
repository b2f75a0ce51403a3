"""The plugin manager: discovers plugins through entry points and collects what they register.

``PROBIS_LOAD_PLUGINS`` restricts which plugins load: a comma-separated list of entry-point
names (``regulation,alignment``); set it to an empty string to load none. Tests use it to be
deterministic; auditors use it to trust only what they list.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import pluggy

from . import hookspecs
from .i18n import text
from .isolation import call_guarded, plugin_timeout
from .rule import DeclarativeRule, PythonRule, RuleInfo

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

    def info(self, rule_id: str) -> RuleInfo:
        return self.rules[rule_id].info

    def plugin_of(self, rule_id: str) -> str:
        return self.rule_plugin.get(rule_id, "?")


def _allowed() -> set[str] | None:
    raw = os.environ.get("PROBIS_LOAD_PLUGINS")
    if raw is None:
        return None
    return {name.strip() for name in raw.split(",") if name.strip()}


def build_registry() -> Registry:
    pm = pluggy.PluginManager("probis")
    pm.add_hookspecs(hookspecs)
    registry = Registry(pm=pm)
    allowed = _allowed()
    seen: set[str] = set()
    entry_points = sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)
    for ep in entry_points:
        if ep.name in seen or (allowed is not None and ep.name not in allowed):
            continue
        seen.add(ep.name)
        dist = getattr(ep, "dist", None)
        info = PluginInfo(
            name=ep.name,
            module=ep.value,
            distribution=dist.name if dist else None,
            version=dist.version if dist else None,
        )
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
        info.hooks = sorted(
            h.name for h in pm.get_hookcallers(module) or [] if h.name.startswith("probis_")
        )
        registry.plugins.append(info)
    _collect(registry)
    return registry


def _call_each(registry: Registry, hook_name: str, make_register: Callable[[str], Any]) -> None:
    """Call one registration hook per plugin, so a failure is attributed to its plugin."""
    for info in registry.plugins:
        plugin = registry.pm.get_plugin(info.name)
        impl = getattr(plugin, hook_name, None)
        if impl is None:
            continue
        register = make_register(info.name)
        outcome = call_guarded(lambda impl=impl, register=register: impl(register),
                               plugin_timeout(), f"{info.name}:{hook_name}")
        if not outcome.ok:
            registry.failures.append(PluginFailure(info.name, hook_name, str(outcome.error)))


def _collect(registry: Registry) -> None:
    by_name = {p.name: p for p in registry.plugins}

    def rules_register(plugin: str) -> Callable[[Any], None]:
        def register(rule: Any) -> None:
            if not isinstance(rule, DeclarativeRule | PythonRule) or not isinstance(
                getattr(rule, "info", None), RuleInfo
            ):
                raise TypeError(f"register() expects a DeclarativeRule or PythonRule, got {rule!r}")
            rule_id = rule.info.id
            if rule_id in registry.rules:
                raise ValueError(
                    f"rule id {rule_id} is already registered by plugin "
                    f"{registry.rule_plugin[rule_id]}"
                )
            registry.rules[rule_id] = rule
            registry.rule_plugin[rule_id] = plugin
            by_name[plugin].rule_ids.append(rule_id)

        return register

    def simple(target: dict[str, Any]) -> Callable[[str], Callable[[str, Any], None]]:
        def make(plugin: str) -> Callable[[str, Any], None]:
            def register(key: str, value: Any) -> None:
                target[key] = value
            return register
        return make

    _call_each(registry, "probis_register_rules", rules_register)
    _call_each(registry, "probis_register_document_kinds", simple(registry.kinds))
    _call_each(registry, "probis_register_readers", simple(registry.readers))
    _call_each(registry, "probis_register_profiles", simple(registry.profiles))
    _call_each(registry, "probis_register_renderers", simple(registry.renderers))

    def fields_register(plugin: str) -> Callable[..., None]:
        def register(kind: str, *paths: str) -> None:
            registry.fields.setdefault(kind, set()).update(paths)
        return register

    _call_each(registry, "probis_register_fields", fields_register)
    for info in registry.plugins:
        info.rule_ids.sort()
    registry.rules = dict(sorted(registry.rules.items()))


def failure_message(failure: PluginFailure) -> dict[str, str]:
    return text(
        f"plugin `{failure.plugin}` gagal pada tahap {failure.stage}: {failure.error}. "
        "Temuan plugin lain tetap berlaku",
        f"plugin `{failure.plugin}` failed at {failure.stage}: {failure.error}. "
        "Other plugins' findings stand",
    )
