"""Resource limits for reading workspace files.

Defaults are sized so that a whole province (hundreds of thousands of processes, one file per
map) fits with a wide margin, while an alias bomb or a runaway generated file is stopped with a
message instead of exhausting memory. Each can be raised with an environment variable; the
message of a limit that is hit names its variable. docs/limits.md lists them all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

from .errors import ProbisUsageError


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
    max_files: int = 200_000
    max_cache_bytes: int = 1024 * 1024 * 1024  # .probis-cache/results.json, checked before reading

    ENV = {
        "max_file_bytes": "PROBIS_MAX_FILE_BYTES",
        "max_depth": "PROBIS_MAX_DEPTH",
        "max_elements": "PROBIS_MAX_ELEMENTS",
        "max_alias_expansion": "PROBIS_MAX_ALIAS_EXPANSION",
        "max_documents": "PROBIS_MAX_DOCUMENTS",
        "max_files": "PROBIS_MAX_FILES",
        "max_cache_bytes": "PROBIS_MAX_CACHE_BYTES",
    }

    @classmethod
    def from_env(cls) -> Limits:
        values: dict[str, int] = {}
        known = {f.name for f in fields(cls)}
        for name, var in cls.ENV.items():
            raw = os.environ.get(var, "").strip().replace("_", "")
            if not raw or name not in known:
                continue
            if not raw.isdigit() or int(raw) < 1:
                # a typo must not silently fall back to the default
                raise ProbisUsageError(
                    f"{var}={os.environ[var]!r}: harus bilangan bulat positif / "
                    "must be a positive whole number (e.g. 134217728)")
            values[name] = int(raw)
        return cls(**values)
