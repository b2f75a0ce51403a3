"""Resource limits for reading workspace files.

Defaults are sized so that a whole province (hundreds of thousands of processes, one file per
map) fits with a wide margin, while an alias bomb or a runaway generated file is stopped with a
message instead of exhausting memory. Each can be raised with an environment variable; the
message of a limit that is hit names its variable. docs/limits.md lists them all.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, fields

from .errors import ProbisUsageError
from .i18n import text


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 64 * 1024 * 1024
    max_depth: int = 64
    max_elements: int = 5_000_000  # scalars + mappings + sequences built from one file
    # elements that YAML aliases (`*name`) add beyond what is written out: a billion-laughs
    # file writes a few dozen elements that expand to billions, so this is checked on the
    # node graph before anything is built and fails in milliseconds
    max_alias_expansion: int = 100_000
    # documents one file may yield; YAML and JSON files hold exactly one (format v1), this
    # bounds what a reader plugin (a spreadsheet importer, say) may return for one file
    max_documents: int = 100_000
    # steps, and flows, of one cross-functional map (a BPMN file's flow nodes and sequence
    # flows): rules report per step, so a generated map of a million unconnected tasks would
    # take gigabytes of findings; real maps hold tens to hundreds
    max_steps: int = 20_000
    max_files: int = 200_000
    max_cache_bytes: int = 1024 * 1024 * 1024  # .probis-cache/results.json, checked before reading

    ENV = {
        "max_file_bytes": "PROBIS_MAX_FILE_BYTES",
        "max_depth": "PROBIS_MAX_DEPTH",
        "max_elements": "PROBIS_MAX_ELEMENTS",
        "max_alias_expansion": "PROBIS_MAX_ALIAS_EXPANSION",
        "max_documents": "PROBIS_MAX_DOCUMENTS",
        "max_steps": "PROBIS_MAX_STEPS",
        "max_files": "PROBIS_MAX_FILES",
        "max_cache_bytes": "PROBIS_MAX_CACHE_BYTES",
    }

    @classmethod
    def from_env(cls) -> Limits:
        values: dict[str, int] = {}
        known = {f.name for f in fields(cls)}
        for name, var in cls.ENV.items():
            if name not in known:
                continue
            value = env_whole_number(var)
            if value is not None:
                values[name] = value
        return cls(**values)


# the largest value any PROBIS_* number may take: far beyond any real need, small enough that
# every consumer (a timer, a byte count, a counter) handles it without overflowing
MAX_WHOLE = 2**53
MAX_SECONDS = 7 * 24 * 3600.0


def env_whole_number(var: str) -> int | None:
    """A positive whole number from ``var`` (``_`` may separate thousands), None when unset or
    empty; anything else is a usage error, so a typo never falls back to the default."""
    raw = os.environ.get(var, "").strip().replace("_", "")
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_WHOLE:
        raise ProbisUsageError(text(
            id=f"{var}={os.environ[var]!r}: harus bilangan bulat positif paling besar "
               f"{MAX_WHOLE} (misalnya 134217728)",
            en=f"{var}={os.environ[var]!r}: must be a positive whole number up to {MAX_WHOLE} "
               "(e.g. 134217728)"))
    return int(raw)


def env_seconds(var: str, default: float) -> float:
    """A finite, positive number of seconds (at most a week) from ``var``; ``default`` when
    unset or empty. nan, inf, 0, negative numbers and words are usage errors."""
    raw = os.environ.get(var, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= MAX_SECONDS):
        raise ProbisUsageError(text(
            id=f"{var}={os.environ[var]!r}: harus angka detik positif paling besar "
               f"{MAX_SECONDS:g} (misalnya 600)",
            en=f"{var}={os.environ[var]!r}: must be a positive number of seconds up to "
               f"{MAX_SECONDS:g} (e.g. 600)"))
    return value


def check_environment() -> None:
    """Validate every PROBIS_* setting up front, so a bad value is a usage error before any
    work starts instead of a failure (or a silent default) in the middle of an audit."""
    Limits.from_env()
    env_seconds("PROBIS_RULE_TIMEOUT", 600.0)
    env_seconds("PROBIS_RULESET_TIMEOUT", 600.0)
    _check_choice("PROBIS_DURABLE_WORKER", ("fork", "spawn"))
    _check_choice("PROBIS_PLUGIN_GUARD", ("thread", "alarm"))


def _check_choice(name: str, allowed: tuple[str, str]) -> None:
    """A usage error when the setting ``name`` is set to anything but one of ``allowed``."""
    if os.environ.get(name, "").strip().lower() not in ("", *allowed):
        value, (first, second) = os.environ[name], allowed
        raise ProbisUsageError(text(
            id=f"{name}={value!r}: harus `{first}` atau `{second}` (atau tidak diisi)",
            en=f"{name}={value!r}: must be `{first}` or `{second}` (or unset)"))
