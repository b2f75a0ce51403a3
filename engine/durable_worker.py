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
import time
from typing import Any

Match = tuple[int, int, int]  # (rule index, case index, fact number)
SENTINEL_RULE = "probis_sentinel"
SENTINEL_KIND = "__probis_sentinel__"

_hosts: dict[str, Any] = {}  # the latest run's host per ruleset (each run makes its own)
_run_counter = 0
_lock = threading.Lock()


class _Incomplete(RuntimeError):
    """durable-rules abandoned an action or delivered one left over from an earlier run."""


def warm_up() -> None:
    """Import durable-rules in the worker ahead of the first ruleset (durable_bridge.prestart)."""
    import durable.engine  # noqa: F401
    import durable_rules_engine  # noqa: F401


def _evaluate(payload: str, facts: list[dict[str, Any]], as_events: bool = False) -> list[Match]:
    """Runs wherever durable-rules is allowed to run (normally the worker process).

    Facts go in sessions of at most ``SESSION_FACTS``, each on a fresh Host: a rule file
    matches one fact at a time, so the union of the sessions' matches is the run's. Sessions
    of 5,000 keep the worker's memory small (figures: docs/design-notes.md). They were first
    made because a large session refused facts as "already observed": the engine's own
    message ids collided, which the ids ``message_ids`` gives now rule out in a session of
    any size. Events (trigger rules) stay one stream.

    A session that the engine leaves incomplete (an abandoned action, an action of another
    session, or a fact reported as already observed) is tried again with a new session id,
    up to ``_ATTEMPTS`` times in all; then it is an error, never a silent partial result.
    """
    if as_events or len(facts) <= SESSION_FACTS:
        return _attempts(payload, facts, as_events)
    matches: list[Match] = []
    for start in range(0, len(facts), SESSION_FACTS):
        matches += _attempts(payload, facts[start:start + SESSION_FACTS], False)
    return sorted(set(matches))


def _evaluate_stamped(payload: str, facts: list[dict[str, Any]],
                      as_events: bool = False) -> tuple[list[Match], float]:
    """``_evaluate`` and when it finished on the machine's monotonic clock (the same in
    every process): an answer that comes after the time limit is a timeout even when the
    caller, busy meanwhile, only looks at it later."""
    matches = _evaluate(payload, facts, as_events)
    return matches, time.monotonic()


def _attempts(payload: str, facts: list[dict[str, Any]], as_events: bool) -> list[Match]:
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            return _evaluate_once(payload, facts, as_events)
        except _Incomplete:
            if attempt == _ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


_ATTEMPTS = 3
SESSION_FACTS = 5000


def _evaluate_once(payload: str, facts: list[dict[str, Any]], as_events: bool) -> list[Match]:
    import durable.engine as durable_engine
    import durable_rules_engine

    with _lock:
        ids = message_ids(len(facts) + 1)  # the sentinel's is the last
        sid = _new_sid()
        name = "probis_" + hashlib.sha256(payload.encode()).hexdigest()[:16]
        matches: list[Match] = []

        # A fresh host for every run: a host that served an earlier run may still hold that
        # run's states, and start_action hands out pending actions of any state of the host
        # (measured: matches of one run delivered in the next, intermittently). The old host
        # is dropped, not deleted (deleting a ruleset with state is untested ground in the C
        # engine); registering a ruleset costs milliseconds.

        class _Host(durable_engine.Host):
            def _run(self) -> None:  # no background dispatch threads: we drain ourselves
                return None

            def get_action(self, action_name: str) -> Any:
                if action_name == SENTINEL_RULE:
                    return lambda c: None
                rule_index, case_index = (int(x) for x in action_name.split(":"))

                def action(c: Any) -> None:
                    # an action of another run's state is not this run's result: -1 makes
                    # it a stray match below, and the run is retried on a fresh host
                    fact = int(c.m["n"]) if c.m["sid"] == sid else -1
                    _current[0].append((rule_index, case_index, fact))

                return action

        host = _Host()
        host.register_rulesets({name: json.loads(payload)})  # it mutates: pass a fresh copy
        _hosts[name] = host

        _current[0] = matches
        # our own ids: without one the engine derives it from the content, and two facts
        # whose derived ids hash alike are one message to it (see ``message_ids``)
        stamped = [dict(fact, sid=sid, id=i) for fact, i in zip(facts, ids, strict=False)]
        sentinel = {"t": SENTINEL_KIND, "n": -1, "sid": sid, "id": ids[len(facts)]}
        try:
            if as_events:
                host.assert_fact(name, sentinel)
                host.post_batch(name, stamped)
            else:
                host.assert_facts(name, [*stamped, sentinel])
        except durable_engine.MessageNotHandledException:
            pass  # facts that no rule matched; the others were asserted
        except durable_engine.MessageObservedException as exc:
            # each fact of a run differs from the others (its number `n`): the engine
            # mistook one for another, and what it asserted after that is unknown
            _current[0] = []
            raise _Incomplete(f"durable-rules reported a fact as already observed: "
                              f"{str(exc)[:200]}") from None
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
        # an abandoned action, or an action of another run's session: this run's matches
        # cannot be trusted to be complete (the next attempt makes its own host)
        raise _Incomplete(f"durable-rules left the run incomplete ({len(errors)} action "
                           f"errors, {len(stray)} stray matches; first error: "
                           f"{errors[0] if errors else '-'})")
    return sorted(set(matches))


_current: list[list[Match]] = [[]]


def fnv1a_32(text: str) -> int:
    """The hash under which durable-rules 2.0.28 files a message of a session (``fnv1Hash32``
    over its id's text, in src/rules/state.c)."""
    h = 0x811C9DC5
    for byte in text.encode():
        h = ((h ^ byte) * 16777619) & 0xFFFFFFFF
    return h


_ids: list[int] = []  # message_ids' list so far, and the hashes of its ids
_id_hashes: set[int] = set()
_ids_lock = threading.Lock()


def message_ids(count: int) -> list[int]:
    """``count`` message ids that durable-rules tells apart within one session.

    The engine keeps a session's messages in a table keyed by the 32-bit FNV-1a hash of the
    message id and compares only that hash (``storeMessage``/``GET_FIRST``): a second message
    whose id hashes like a stored one is refused as "already observed". Left to itself it
    takes as id a hash of the content, so two different facts collided at random (the sid
    is part of the content), about once in 2**33 / k**2 sessions of k matching facts; and in
    a batch the refusal is reported only when no later fact goes unmatched
    (``handleMessages`` keeps the last result), so the fact and its findings were dropped
    silently. Ids 0, 1, 2, ... have distinct hashes up to 797,185; any id whose hash is
    taken is skipped, so the list is right for any length.
    """
    with _ids_lock:
        candidate = _ids[-1] + 1 if _ids else 0
        while len(_ids) < count:
            h = fnv1a_32(str(candidate))
            if h not in _id_hashes:
                _ids.append(candidate)
                _id_hashes.add(h)
            candidate += 1
        return _ids[:count]



def _new_sid() -> str:
    """A session id not used before in this process, whose state message (durable-rules
    files it in the same table, with the id ``sid-<sid>``) cannot be taken for a fact."""
    global _run_counter
    while True:
        _run_counter += 1
        sid = f"run{os.getpid()}_{_run_counter}"
        if fnv1a_32(f"sid-{sid}") not in _id_hashes:
            return sid
