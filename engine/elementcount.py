"""The element limit (``PROBIS_MAX_ELEMENTS``) held before a YAML or JSON file is parsed.

Composing a YAML node tree or decoding JSON costs about a hundred bytes per element, so a
64 MiB file of ``[1,1,1,…]`` would take gigabytes before the builder's count could refuse it.
Here the raw bytes are looked at first, in two steps:

- an upper bound on the elements, from counts of the characters that every element needs one
  of (``bytes.count`` runs in C at gigabytes a second; a file shorter than ``limit / 2`` bytes
  needs no count at all). It proves nearly every real file within the limit;
- only when the bound is over the limit, an exact count that keeps nothing: YAML node events
  from libyaml's event parser, stopped at the limit; JSON values from the text with its
  strings taken out.

Why the YAML bound holds: every node but the root is an item of a sequence or the key or the
value of a mapping pair. A block sequence item follows a ``-``, a flow sequence item the ``[``
or a ``,``; a block mapping pair has its ``:`` or ``?``, a flow mapping pair follows the ``{``
or a ``,`` (or has its own ``:`` or ``?``, as a single pair in a flow sequence). So
``nodes <= 1 + 2 * (':' + '?' + ',' + '{') + '-' + '['``, whatever else the file holds (the
characters also counted inside text only raise the bound). Aliases count once here; what
they add is bounded on the node graph (``PROBIS_MAX_ALIAS_EXPANSION``).
"""

from __future__ import annotations

import re
from typing import Any

from .yamlimport import yaml

_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent,
                yaml.AliasEvent)


def yaml_bound(raw: bytes, limit: int) -> int:
    """An upper bound on the YAML nodes in ``raw`` (exact enough to decide against ``limit``:
    a file too short to exceed it is not counted)."""
    if 2 * len(raw) + 1 <= limit:
        return 2 * len(raw) + 1
    pairs = raw.count(b":") + raw.count(b"?") + raw.count(b",") + raw.count(b"{")
    return 1 + 2 * pairs + raw.count(b"-") + raw.count(b"[")


def yaml_line_past(content: str, limit: int, loader_class: Any) -> int | None:
    """The 1-based line of the first node past ``limit`` (counted in document order, as the
    builder counts them), or None when the file holds at most ``limit`` nodes. Streams
    libyaml's events and keeps none; syntax errors raise as when composing."""
    loader = loader_class(content)
    try:
        count = 0
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, _NODE_EVENTS):
                count += 1
                if count > limit:
                    return int(event.start_mark.line) + 1
        return None
    finally:
        loader.dispose()


# a JSON string once its escapes are taken out: from a quote to the next (replaced by a
# 0, so that `["a"]` is not mistaken for an empty array)
_JSON_STRING = re.compile(rb'"[^"]*"')
_JSON_CHUNK = 1 << 18  # bytes of text looked at at once: what re.sub builds stays small
_WHITESPACE = b" \t\r\n"


def json_bound(raw: bytes, limit: int) -> int:
    """An upper bound on the JSON values in ``raw``: every value but the root follows a ``[``,
    a ``{`` or a ``,``."""
    if len(raw) + 1 <= limit:
        return len(raw) + 1
    return 1 + raw.count(b",") + raw.count(b"[") + raw.count(b"{")


def json_count(raw: bytes) -> int:
    """The values of a valid JSON text (what the loader's shape check counts; keys are not
    values), without decoding it: outside its strings, every value but the root follows a
    ``,`` or the ``[`` or ``{`` of an array or object that is not empty. Escapes are taken out
    first (``\\\\`` then ``\\"``), so quotes alternate between opening and closing a string;
    the text is then read a few MB at a time, each piece ending outside a string."""
    text = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    count, start, last = 1, 0, b""
    while start < len(text):
        end = min(len(text), start + _JSON_CHUNK)
        if text.count(b'"', start, end) % 2:  # the piece would end inside a string
            close = text.find(b'"', end)
            end = len(text) if close < 0 else close + 1
        bare = _JSON_STRING.sub(b"0", text[start:end]).translate(None, _WHITESPACE)
        count += (bare.count(b",") + bare.count(b"[") + bare.count(b"{")
                  - bare.count(b"[]") - bare.count(b"{}"))
        if bare and last + bare[:1] in (b"[]", b"{}"):  # an empty one across two pieces
            count -= 1
        last = bare[-1:] or last
        start = end
    return count
