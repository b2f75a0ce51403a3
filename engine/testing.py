"""Test helpers for plugin authors: audit a workspace with a plugin that is not installed, and
assert its findings.

    import datetime as dt
    import my_plugin
    from probis.engine.testing import assert_finding, assert_no_finding, audit_workspace

    def test_step_without_executor(tmp_path):
        result = audit_workspace({"probis.yaml": "kind: workspace\\n...", "sop/a.yaml": "..."},
                                 plugins=[my_plugin], as_of=dt.date(2026, 11, 28),
                                 folder=tmp_path)
        assert_finding(result, rule="SOP003", element="SOP-01#s2", severity="error")

The plugin (a module object or an import path such as ``"my_plugin"``) is found as an installed
one is, through an entry point of group ``probis``: for the time ``plugin_registry`` builds the
registry, a temporary ``*.dist-info`` naming it is put on ``sys.path``. Nothing is installed and
the plugin's hooks, rule files and metadata run exactly as in production. By default only the
given plugins load (not probis's built-in rule sets), so other rules' findings stay out of the
way; ``builtins=True`` adds them. A plugin that fails to load is an ``AssertionError`` with the
failure, never a quiet run without its rules.

Plain functions, no pytest dependency: use them from pytest, unittest or a script.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from types import ModuleType

from .findings import Finding
from .plugins import ENTRY_POINT_GROUP, Registry, build_registry
from .runner import AuditResult, audit

__all__ = [
    "assert_finding",
    "assert_no_finding",
    "audit_workspace",
    "builtin_plugin_names",
    "matching",
    "plugin_registry",
    "write_workspace",
]

Plugin = ModuleType | str
Plugins = Mapping[str, Plugin] | Sequence[Plugin]
LOAD_ENV = "PROBIS_LOAD_PLUGINS"


def builtin_plugin_names() -> list[str]:
    """The entry-point names of probis's own rule sets (those of the ``probis`` distribution)."""
    return sorted(ep.name for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)
                  if ep.dist is not None and ep.dist.name == "probis")


def _named(plugins: Plugins) -> dict[str, str]:
    """plugin name -> import path. A module's name is the last part of its import path."""
    items = plugins.items() if isinstance(plugins, Mapping) else (
        ((p if isinstance(p, str) else p.__name__).rsplit(".", 1)[-1], p) for p in plugins)
    out: dict[str, str] = {}
    for name, plugin in items:
        if isinstance(plugin, ModuleType) and sys.modules.get(plugin.__name__) is not plugin:
            # a module built in the test, not imported: make its import path resolve to it
            sys.modules[plugin.__name__] = plugin
        out[name] = plugin if isinstance(plugin, str) else plugin.__name__
    return out


@contextmanager
def _entry_points(named: Mapping[str, str]) -> Iterator[None]:
    """A temporary distribution declaring ``named`` as entry points, first on sys.path."""
    with tempfile.TemporaryDirectory(prefix="probis-testing-") as site:
        info = Path(site) / "probis_testing_plugins-0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            "Metadata-Version: 2.1\nName: probis-testing-plugins\nVersion: 0\n", encoding="utf-8")
        lines = [f"{name} = {target}" for name, target in named.items()]
        (info / "entry_points.txt").write_text(
            f"[{ENTRY_POINT_GROUP}]\n" + "\n".join(lines) + "\n", encoding="utf-8")
        sys.path.insert(0, site)
        try:
            yield
        finally:
            sys.path.remove(site)


@contextmanager
def _only(names: Iterable[str]) -> Iterator[None]:
    saved = os.environ.get(LOAD_ENV)
    os.environ[LOAD_ENV] = ",".join(names)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(LOAD_ENV, None)
        else:
            os.environ[LOAD_ENV] = saved


def plugin_registry(plugins: Plugins = (), *, builtins: bool | Iterable[str] = False,
                    strict: bool = True) -> Registry:
    """The registry ``audit`` runs with: ``plugins`` (modules or import paths; a mapping gives
    their entry-point names) plus, with ``builtins``, probis's rule sets (all, or those named).
    ``strict``: a plugin that failed to load or whose hook raised is an AssertionError."""
    named = _named(plugins)
    chosen = (builtin_plugin_names() if builtins is True
              else [] if builtins is False else list(builtins))
    clash = sorted(set(named) & set(chosen))
    if clash:
        raise ValueError(f"plugin names {clash} are also built-in rule sets: name them otherwise")
    with _entry_points(named), _only([*named, *chosen]):
        registry = build_registry()
    loaded = {p.name for p in registry.plugins}
    problems = [f"{f.plugin}: {f.stage}: {f.error}" for f in registry.failures]
    problems += [f"{name}: not loaded" for name in [*named, *chosen]
                 if name not in loaded and not any(f.plugin == name for f in registry.failures)]
    if strict and problems:
        raise AssertionError("plugins did not load cleanly:\n  " + "\n  ".join(problems))
    return registry


def write_workspace(files: Mapping[str, str], folder: str | Path) -> Path:
    """Write an in-memory workspace (relative path -> file text) into ``folder``."""
    root = Path(folder)
    for rel, body in files.items():
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            raise ValueError(f"workspace paths are relative and stay inside it: {rel!r}")
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
    return root


def audit_workspace(workspace: str | Path | Mapping[str, str], plugins: Plugins = (), *,
                    as_of: dt.date | str, builtins: bool | Iterable[str] = False,
                    folder: str | Path | None = None,
                    registry: Registry | None = None) -> AuditResult:
    """Audit a workspace folder, or an in-memory one (relative path -> YAML text, written to
    ``folder`` or a temporary folder), with ``plugins`` (see ``plugin_registry``). ``as_of`` is
    required: a test must not depend on today's date. Pass ``registry`` to reuse one."""
    as_of = dt.date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    registry = registry or plugin_registry(plugins, builtins=builtins)
    if not isinstance(workspace, Mapping):
        return audit(workspace, as_of=as_of, registry=registry)
    if folder is not None:
        return audit(write_workspace(workspace, folder), as_of=as_of, registry=registry)
    with tempfile.TemporaryDirectory(prefix="probis-workspace-") as tmp:
        return audit(write_workspace(workspace, tmp), as_of=as_of, registry=registry)


def matching(result: AuditResult, *, rule: str | None = None, element: str | None = None,
             severity: str | None = None, file: str | None = None, line: int | None = None,
             message: str | None = None) -> list[Finding]:
    """The active findings that match every criterion given (``message``: a part of the
    English or Indonesian message)."""
    return [f for f in result.findings
            if (rule is None or f.rule == rule)
            and (element is None or f.ref.element == element)
            and (severity is None or f.severity == severity)
            and (file is None or f.ref.file == file)
            and (line is None or f.ref.line == line)
            and (message is None or any(message in m for m in f.message.values()))]


def _describe(result: AuditResult) -> str:
    lines = [f"  {f.rule} {f.severity} {f.ref.element} ({f.ref.file}:{f.ref.line}): "
             f"{f.message.get('en', '')}" for f in result.findings] or ["  (no findings)"]
    lines += [f"  input error {e.file}:{e.line} {e.field or ''}: {e.message.get('en', '')}"
              for e in result.input_errors]
    lines += [f"  engine {f.rule}: {f.message.get('en', '')}" for f in result.engine_findings]
    return "\n".join(lines)


def _criteria(**given: object) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in given.items() if v is not None) or "any"


def _ran_cleanly(result: AuditResult, what: str) -> None:
    # a rule that crashed or a file that did not load also yields "no finding": say so
    if result.engine_findings or result.input_errors:
        raise AssertionError(f"{what}, but the audit did not run cleanly:\n{_describe(result)}")


def assert_finding(result: AuditResult, *, rule: str, element: str | None = None,
                   severity: str | None = None, file: str | None = None,
                   line: int | None = None, message: str | None = None,
                   count: int | None = None) -> Finding:
    """Assert that a finding matches (exactly ``count`` of them, when given); returns the
    first. On failure the message lists every finding, input error and engine failure."""
    found = matching(result, rule=rule, element=element, severity=severity, file=file,
                     line=line, message=message)
    wanted = _criteria(rule=rule, element=element, severity=severity, file=file, line=line,
                       message=message)
    if not found or (count is not None and len(found) != count):
        how_many = f"{count} findings" if count is not None else "a finding"
        raise AssertionError(f"expected {how_many} with {wanted}, got {len(found)}; the audit "
                             f"found:\n{_describe(result)}")
    return found[0]


def assert_no_finding(result: AuditResult, *, rule: str | None = None,
                      element: str | None = None, severity: str | None = None,
                      file: str | None = None, applicable: bool = True) -> None:
    """Assert that no finding matches, and that the audit ran cleanly (no input error, no
    plugin or rule failure), so "no finding" means the rules ran and passed. With ``rule``,
    the rule must be registered and (unless ``applicable=False``) have applied to something."""
    wanted = _criteria(rule=rule, element=element, severity=severity, file=file)
    _ran_cleanly(result, f"expected no finding with {wanted}")
    if rule is not None and rule not in result.registry.rules:
        raise AssertionError(f"rule {rule} is not registered by the plugins loaded "
                             f"({', '.join(p.name for p in result.registry.plugins) or 'none'})")
    if rule is not None and applicable and not any(
            key[0] == rule and n for key, n in result.applicable.items()):
        raise AssertionError(f"rule {rule} applied to nothing in this workspace: its passing "
                             "says nothing (pass applicable=False if that is the point)")
    found = matching(result, rule=rule, element=element, severity=severity, file=file)
    if found:
        raise AssertionError(f"expected no finding with {wanted}, got {len(found)}:\n"
                             f"{_describe(result)}")
