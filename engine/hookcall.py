"""Calling a hook one plugin at a time, the only way probis calls plugin hooks.

``pm.hook.NAME(**kwargs)`` would call every plugin in one go: the first one that raises ends
the call for all of them, and nobody can tell whose fault it was. Here each implementation
that pluggy knows (``get_hookimpls()``: functions marked ``@hookimpl`` only) is called on its
own, under ``call_guarded`` (engine/isolation.py), with only the arguments it declares
(``impl.argnames``, as pluggy passes them), and its result or failure is labelled with
``impl.plugin_name`` (the way simonw/llm calls ``register_tools``).

Implementations are called in the order their plugins were registered, which
``build_registry`` makes the order of entry-point names, so reports are byte-identical.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pluggy

from .isolation import Outcome, call_guarded, plugin_timeout


@dataclass(frozen=True)
class HookResult:
    """One plugin's call of a hook: its ``outcome`` (value or error) and who answered."""

    plugin: str
    hook: str
    outcome: Outcome


def implementations(pm: pluggy.PluginManager, hook_name: str) -> list[pluggy.HookImpl]:
    """The implementations of ``hook_name``, in the order ``call_each`` calls them."""
    caller: pluggy.HookCaller = getattr(pm.hook, hook_name)
    order = {name: i for i, (name, _) in enumerate(pm.list_name_plugin())}
    return sorted(caller.get_hookimpls(), key=lambda impl: order.get(impl.plugin_name, 0))


def call_each(pm: pluggy.PluginManager, hook_name: str,
              kwargs: Mapping[str, Any] | Callable[[str], Mapping[str, Any]], *,
              check: Callable[[Any, str], Any] | None = None,
              timeout: float | None = None,
              select: Callable[[pluggy.HookImpl], bool] | None = None) -> Iterator[HookResult]:
    """Call ``hook_name`` of every plugin, one plugin at a time, lazily (stop iterating to
    stop calling: ``firstresult`` hooks take the first answer they want).

    ``kwargs`` holds every argument of the hookspec (or makes them for a plugin name, e.g. a
    ``register`` callback that knows its plugin); each implementation receives the ones it
    names. ``check(value, plugin_name)``, when given, runs inside the same guarded call, so a
    result of the wrong shape is that plugin's failure; what it returns is ``outcome.value``.
    ``select(impl)``, when given, picks the implementations to call.
    """
    limit = plugin_timeout() if timeout is None else timeout
    for impl in implementations(pm, hook_name):
        if select is not None and not select(impl):
            continue
        given = kwargs(impl.plugin_name) if callable(kwargs) else kwargs
        missing = [name for name in impl.argnames if name not in given]
        if missing:  # pluggy checked argnames against the hookspec: the caller forgot one
            raise TypeError(f"{hook_name} called without {', '.join(missing)}")
        args = [given[name] for name in impl.argnames]

        def call(function: Callable[..., Any] = impl.function, args: list[Any] = args,
                 plugin: str = impl.plugin_name) -> Any:
            value = function(*args)
            return check(value, plugin) if check is not None else value

        outcome = call_guarded(call, limit, f"{impl.plugin_name}:{hook_name}")
        yield HookResult(impl.plugin_name, hook_name, outcome)
