"""The benchmarks still run: `python -m bench --quick` exits 0 and reports every benchmark with
numeric figures. This checks that they work, not how fast anything is."""
from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = {"moments", "share_path", "daily_fanout", "sending", "sweep", "startup", "storage",
              "apscheduler_jobstore", "stats_chart", "postgresql"}

# The APScheduler comparison needs SQLAlchemy, which comes with the `bench` extra.
pytest.importorskip("sqlalchemy", reason="install the bench extra: pip install -e '.[test,bench]'")


@pytest.mark.timeout(400)
def test_quick_benchmarks_run_and_report_every_figure():
    """Without --output a quick run writes bench/results-quick.json (git-ignored), never the committed
    bench/results.json of the last full run."""
    committed = ROOT / "bench" / "results.json"
    before = committed.read_bytes()
    output = ROOT / "bench" / "results-quick.json"
    output.unlink(missing_ok=True)
    done = subprocess.run([sys.executable, "-m", "bench", "--quick"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    assert committed.read_bytes() == before

    results = json.loads(output.read_text(encoding="utf-8"))
    assert results["quick"] is True
    for key in ("cpu", "cores", "python", "sqlite", "date"):
        assert results["machine"][key], key
    assert {"before", "after"} <= results["machine"]["reference_ms"].keys()
    assert all(ms > 0 for ms in results["machine"]["reference_ms"].values()), "the machine's speed, measured"
    assert set(results["benchmarks"]) == BENCHMARKS
    for name, report in results["benchmarks"].items():
        assert report["figures"], name
        for figure_name, figure in report["figures"].items():
            for stat in ("median", "min", "max"):
                value = figure[stat]
                assert isinstance(value, (int, float)) and math.isfinite(value), (name, figure_name, stat, value)
            assert figure["min"] <= figure["median"] <= figure["max"], (name, figure_name)


def test_a_quick_run_refuses_to_write_the_committed_figures():
    done = subprocess.run([sys.executable, "-m", "bench", "--quick", "--output", "bench/results.json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "latest full run" in done.stderr
