"""The side of the durable-rules bridge that runs in the worker process.

Kept apart from engine/durable_bridge.py so that a worker process imports only this module
and durable-rules (not the rule model and everything it pulls in): the worker starts inside
the first audit's evaluation, and every import it spares shortens that wait. The facts about
durable-rules that shape this code are in durable_bridge's docstring.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from typing import Any

Match = tuple[int, int, int]  # (rule index, case index, fact number)
SENTINEL_RULE = "probis_sentinel"
SENTINEL_KIND = "__probis_sentinel__"

_hosts: dict[str, Any] = {}
_run_counter = 0
_lock = threading.Lock()


class _Incomplete(RuntimeError):
    """durable-rules abandoned an action or delivered one left over from an earlier run."""


def _evaluate(payload: str, facts: list[dict[str, Any]], as_events: bool = False) -> list[Match]:
    """Runs wherever durable-rules is allowed to run (normally the worker process).

    A run that the engine leaves incomplete is retried once on a fresh Host (the cached one
    is dropped with whatever it still held); a second failure is an error, never a silent
    partial result.
    """
    try:
        return _evaluate_once(payload, facts, as_events)
    except _Incomplete:
        return _evaluate_once(payload, facts, as_events)


def _evaluate_once(payload: str, facts: list[dict[str, Any]], as_events: bool) -> list[Match]:
    import durable.engine as durable_engine
    import durable_rules_engine

    global _run_counter
    with _lock:
        _run_counter += 1
        sid = f"run{os.getpid()}_{_run_counter}"
        name = "probis_" + hashlib.sha256(payload.encode()).hexdigest()[:16]
        matches: list[Match] = []

        host = _hosts.get(name)
        if host is None:

            class _Host(durable_engine.Host):
                def _run(self) -> None:  # no background dispatch threads: we drain ourselves
                    return None

                def get_action(self, action_name: str) -> Any:
                    if action_name == SENTINEL_RULE:
                        return lambda c: None
                    rule_index, case_index = (int(x) for x in action_name.split(":"))

                    def action(c: Any) -> None:
                        _current[0].append((rule_index, case_index, int(c.m["n"])))

                    return action

            host = _Host()
            host.register_rulesets({name: json.loads(payload)})  # it mutates: pass a fresh copy
            _hosts[name] = host

        _current[0] = matches
        stamped = [dict(fact, sid=sid) for fact in facts]
        sentinel = {"t": SENTINEL_KIND, "n": -1, "sid": sid}
        try:
            if as_events:
                host.assert_fact(name, sentinel)
                host.post_batch(name, stamped)
            else:
                host.assert_facts(name, [*stamped, sentinel])
        except durable_engine.MessageNotHandledException:
            pass  # facts that no rule matched; the others were asserted
        ruleset = host.get_ruleset(name)
        errors: list[Any] = []
        while True:
            pending = durable_rules_engine.start_action(ruleset._handle)
            if not pending:
                break
            ruleset._flush_actions(
                json.loads(pending[0]), {"message": json.loads(pending[1])}, pending[2],
                lambda error, state: errors.append(error) if error else None,
            )
        host.delete_state(name, sid)
        _current[0] = []
    known = {fact["n"] for fact in facts}
    stray = [m for m in matches if m[2] not in known]
    if errors or stray:
        # an abandoned action, or an action left over from an earlier run: this run's
        # matches cannot be trusted to be complete, nor can the host's remaining state
        _hosts.pop(name, None)
        raise _Incomplete(f"durable-rules left the run incomplete ({len(errors)} action "
                           f"errors, {len(stray)} stray matches; first error: "
                           f"{errors[0] if errors else '-'})")
    return sorted(set(matches))


_current: list[list[Match]] = [[]]
