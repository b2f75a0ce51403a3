"""Fixtures of the report tests (helpers import as ``reports.conftest``).

A workspace with active, waived and expired-waiver findings, audited once per session with
the built-in regulation plugin only, so the counts are known.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ._shared import AS_OF, ROOT, SAMPLE_CITY, run_cli  # noqa: F401 - re-exported to the tests

# A second map with planted defects. The name of PB.04.03.01 carries markup and quotes so the
# renderers' escaping is exercised by real findings.
DEFECT_MAP = """\
kind: peta-proses
code: PB.04.03
title: Pelayanan Pencatatan Sipil
level: 2
parent: PB.04
unit: disdukcapil
status: draft
processes:
  - code: PB.04.03.01
    name: "Akta <script>alert('x')</script> & \\"Lahir\\""
    owner: disdukcapil.dafduk
    outputs: [Akta Kelahiran]
    customers: [Masyarakat]
  - code: PB.04.03.02
    name: Akta Kematian
    category: inti
    owner: disdukcapil.dafduk
  - code: PB.04.03.03
    name: Legalisasi Dokumen
    category: pendukung
    owner: dinas-hantu
    outputs: [Dokumen terlegalisasi]
    customers: [Masyarakat]
"""

WAIVERS = """\
kind: waivers
waivers:
  - rule: REG005
    element: PB.04.03.02
    reason: "Sedang direvisi <b>bersama</b> Bagian Organisasi"
    approved_by: Inspektorat
    expires: 2027-12-31
  - rule: REG008
    element: PB.04.03.03
    reason: Menunggu Perwali perubahan SOTK
    approved_by: Bagian Organisasi
    expires: 2026-01-31
"""

PLUGINS = "regulation"


def write_report_workspace(root: Path) -> Path:
    from format_examples import write_example_workspace

    ws = write_example_workspace(root)
    (ws / "peta" / "disdukcapil" / "PB.04.03.yaml").write_text(DEFECT_MAP, encoding="utf-8")
    (ws / "waivers.yaml").write_text(WAIVERS, encoding="utf-8")
    # a profile override makes REG001 a warning, so the findings have two severities
    manifest = ws / "probis.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "    OVL001: error", "    OVL001: error\n    REG001: warning"), encoding="utf-8")
    return ws


def build(path: Path, plugins: str | None = PLUGINS) -> dict[str, Any]:
    from probis.engine.report import build_report
    from probis.engine.runner import audit

    with pytest.MonkeyPatch.context() as mp:
        if plugins is not None:
            mp.setenv("PROBIS_LOAD_PLUGINS", plugins)
        return build_report(audit(path, as_of=AS_OF))


@pytest.fixture(scope="session")
def report_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report_workspace(tmp_path_factory.mktemp("reports") / "kota-contoh")


@pytest.fixture(scope="session")
def report(report_workspace: Path) -> dict[str, Any]:
    return build(report_workspace)


@pytest.fixture(scope="session")
def city(report_workspace: Path) -> Path:
    """The sample city when it is in the repository, else the planted-defect workspace."""
    return SAMPLE_CITY if SAMPLE_CITY.is_dir() else report_workspace
