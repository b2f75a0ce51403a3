"""Resource limits for reading workspace files.

Defaults are sized so that a whole province (hundreds of thousands of processes, one file per
map) fits with a wide margin, while an alias bomb or a runaway generated file is stopped with a
message instead of exhausting memory. Each can be raised with an environment variable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 64 * 1024 * 1024
    max_depth: int = 64
    max_elements: int = 5_000_000  # scalars + mappings + sequences built from one file
    max_documents: int = 1  # format v1: one document per file
    max_files: int = 200_000

    ENV = {
        "max_file_bytes": "PROBIS_MAX_FILE_BYTES",
        "max_depth": "PROBIS_MAX_DEPTH",
        "max_elements": "PROBIS_MAX_ELEMENTS",
        "max_files": "PROBIS_MAX_FILES",
    }

    @classmethod
    def from_env(cls) -> Limits:
        values: dict[str, int] = {}
        for name, var in cls.ENV.items():
            raw = os.environ.get(var)
            if raw and raw.isdigit():
                values[name] = int(raw)
        return cls(**values)
