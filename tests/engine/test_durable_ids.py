"""durable-rules never takes two facts of a session for one (engine/durable_worker.py
``message_ids``): the engine files a session's messages under a 32-bit hash of their id and
compares only that hash, and without an id of ours it derives one from the content."""

from __future__ import annotations

import contextlib
import json
import os

import pytest
from probis.engine import durable_worker
from probis.engine.durable_worker import SENTINEL_KIND, SENTINEL_RULE, fnv1a_32, message_ids

_BODY = {"r0_0": {"all": [{"m": {"t": "x"}}], "run": "0:0"},
         SENTINEL_RULE: {"all": [{"m": {"t": SENTINEL_KIND}}], "run": SENTINEL_RULE}}
_PAYLOAD = json.dumps(_BODY, sort_keys=True)


def _colliding_numbers(sid: str) -> tuple[int, int]:
    """Two numbers ``a``, ``b`` whose facts ``{"t": "x", "n": a/b, "sid": sid}`` durable-rules
    2.0.28 files under one hash when they come without an id: it derives the id as FNV-1a-64
    over the properties sorted by their names' FNV-1a-32 (here sid, n, t: name hash, then
    the value's text), printed as ``$%020llu``, and files it under that text's FNV-1a-32
    (``calculateId``, ``storeMessage`` in src/rules/state.c). A birthday search: about
    80,000 facts for a 32-bit collision."""
    p64, m64, p32, m32 = 1099511628211, (1 << 64) - 1, 16777619, 0xFFFFFFFF
    prefix = ((14695981039346656037 ^ fnv1a_32("sid")) * p64) & m64
    for byte in sid.encode():
        prefix = ((prefix ^ byte) * p64) & m64
    prefix = ((prefix ^ fnv1a_32("n")) * p64) & m64
    t_name, dollar = fnv1a_32("t"), ((0x811C9DC5 ^ ord("$")) * p32) & m32
    seen: dict[int, int] = {}
    n = 0
    while True:
        h = prefix
        for byte in str(n).encode():
            h = ((h ^ byte) * p64) & m64
        h = ((((h ^ t_name) * p64) & m64 ^ ord("x")) * p64) & m64
        k = dollar
        for byte in b"%020d" % h:
            k = ((k ^ byte) * p32) & m32
        if k in seen:
            return seen[k], n
        seen[k] = n
        n += 1


def test_facts_the_engine_would_confuse_are_all_matched() -> None:
    # the session id the worker gives the next run in this process (as the old code did)
    sid = f"run{os.getpid()}_{durable_worker._run_counter + 1}"
    a, b = _colliding_numbers(sid)
    facts = [{"t": "x", "n": a}, {"t": "x", "n": b},
             {"t": "y", "n": b + 1}]  # unmatched last: the engine then reports no refusal
    # in-process: without ids of our own one of the two was dropped, silently
    assert durable_worker._evaluate(_PAYLOAD, facts) == [(0, 0, a), (0, 0, b)]


def test_message_ids_are_told_apart() -> None:
    ids = message_ids(6000)
    assert ids[:3] == [0, 1, 2] and len(set(ids)) == 6000
    assert len({fnv1a_32(str(i)) for i in ids}) == 6000
    assert message_ids(10) == ids[:10]


def test_the_engine_files_messages_by_the_hash_of_their_id() -> None:
    """Pins what message_ids relies on: "40189" and "797186" hash alike, and the engine keeps
    only one of two facts given those ids (if an upgrade changes that, this says so)."""
    import durable.engine as durable_engine
    import durable_rules_engine

    assert fnv1a_32("40189") == fnv1a_32("797186")
    seen: list[int] = []

    class _Host(durable_engine.Host):
        def _run(self) -> None:
            return None

        def get_action(self, action_name: str):  # noqa: ANN201
            return lambda c: seen.append(c.m["n"])

    host = _Host()
    host.register_rulesets({"ids_pin": {"r": {"all": [{"m": {"t": "x"}}], "run": "a"}}})
    facts = [{"t": "x", "n": 1, "id": 40189, "sid": "s"},
             {"t": "x", "n": 2, "id": 797186, "sid": "s"},
             {"t": "y", "n": 3, "id": 5, "sid": "s"}]
    # the unmatched last fact hides the refusal of the second
    with contextlib.suppress(durable_engine.MessageNotHandledException):
        host.assert_facts("ids_pin", facts)
    ruleset = host.get_ruleset("ids_pin")
    while pending := durable_rules_engine.start_action(ruleset._handle):
        ruleset._flush_actions(json.loads(pending[0]), {"message": json.loads(pending[1])},
                               pending[2], lambda error, state: None)
    host.delete_state("ids_pin", "s")
    assert seen == [1]


def test_a_sid_whose_state_message_would_take_a_facts_place_is_skipped(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine files its state message ``sid-<sid>`` in the same table as the facts: a sid
    whose one hashes like a fact's id would drop that fact (seen with sid "q63813384" and id
    4099). Here the next sid is made to look like one."""
    message_ids(10)
    nxt = f"run{os.getpid()}_{durable_worker._run_counter + 1}"
    monkeypatch.setattr(durable_worker, "_id_hashes",
                        durable_worker._id_hashes | {fnv1a_32(f"sid-{nxt}")})
    sid = durable_worker._new_sid()
    assert sid != nxt and sid.startswith(f"run{os.getpid()}_")
    assert fnv1a_32(f"sid-{sid}") not in durable_worker._id_hashes


def test_an_id_whose_hash_is_taken_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    # as if the list had grown to 797,185 (and 40189 were in it): 797186 hashes like 40189
    monkeypatch.setattr(durable_worker, "_ids", [797185])
    monkeypatch.setattr(durable_worker, "_id_hashes", {fnv1a_32("797185"), fnv1a_32("40189")})
    assert message_ids(3) == [797185, 797187, 797188]
