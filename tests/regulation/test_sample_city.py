"""The sample city shows at least one finding of every REG and FLW rule (DEFECTS.md lists the
planted defects), reproducibly with --as-of 2026-11-28."""

from __future__ import annotations

from collections import Counter

from probis.engine.report import build_report
from probis.engine.runner import audit
from testkit import AS_OF, SAMPLE_CITY

REGULATION_IDS = [f"REG{i:03d}" for i in range(1, 14)] + [f"FLW{i:03d}" for i in range(1, 7)]


def test_sample_city_shows_every_regulation_rule(only_plugins) -> None:
    only_plugins("regulation")
    report = build_report(audit(SAMPLE_CITY, as_of=AS_OF))
    assert report["input_errors"] == [] and report["engine_findings"] == []
    counts = Counter(f["rule"] for f in report["findings"])
    missing = [rid for rid in REGULATION_IDS if counts[rid] == 0]
    assert not missing, f"no finding of {missing} in the sample city"
    # every planted regulation defect is named in DEFECTS.md
    defects = (SAMPLE_CITY / "DEFECTS.md").read_text(encoding="utf-8")
    assert all(rid in defects for rid in REGULATION_IDS)
