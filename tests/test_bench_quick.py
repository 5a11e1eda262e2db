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
BENCHMARKS = {"moments", "share_path", "daily_fanout", "sweep", "startup", "storage", "apscheduler_jobstore",
              "stats_chart"}

# The APScheduler comparison needs SQLAlchemy, which comes with the `bench` extra.
pytest.importorskip("sqlalchemy", reason="install the bench extra: pip install -e '.[test,bench]'")


def test_quick_benchmarks_run_and_report_every_figure(tmp_path):
    output = tmp_path / "results.json"
    done = subprocess.run([sys.executable, "-m", "bench", "--quick", "--output", str(output)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]

    results = json.loads(output.read_text(encoding="utf-8"))
    assert results["quick"] is True
    for key in ("cpu", "cores", "python", "sqlite", "date"):
        assert results["machine"][key], key
    assert set(results["benchmarks"]) == BENCHMARKS
    for name, report in results["benchmarks"].items():
        assert report["figures"], name
        for figure_name, figure in report["figures"].items():
            for stat in ("median", "min", "max"):
                value = figure[stat]
                assert isinstance(value, (int, float)) and math.isfinite(value), (name, figure_name, stat, value)
            assert figure["min"] <= figure["median"] <= figure["max"], (name, figure_name)
