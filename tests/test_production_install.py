"""The production install, as the Dockerfile, `make run` and the systemd unit do it: Kindred and its
run-time dependencies only. The file checks run everywhere. The `install` test runs the
Dockerfile's own install command in a fresh virtual environment and checks what it gives; it
downloads packages, so the suite (no network beyond loopback) leaves it out: run it with
`.venv/bin/python -m pytest -m install tests/test_production_install.py`, or build the image."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def _run_lines(text: str) -> list[str]:
    return [m.group(1).strip() for m in re.finditer(r"^RUN (.+?)(?<!\\)$", text, re.M | re.S)]


def test_the_dockerfile_runs_kindred_as_a_non_root_user_with_its_database_on_a_volume():
    assert re.search(r"^FROM python:3\.1[1-9]-slim", DOCKERFILE, re.M)
    assert re.search(r"^USER kindred$", DOCKERFILE, re.M)
    assert 'VOLUME ["/data"]' in DOCKERFILE and "KINDRED_DATABASE=/data/kindred.db" in DOCKERFILE
    assert re.search(r'^HEALTHCHECK .*CMD \["python", "-m", "bot", "health"\]$', DOCKERFILE, re.M)
    assert re.search(r'^CMD \["python", "-m", "bot", "run"\]$', DOCKERFILE, re.M), "exec form: Python gets SIGTERM"
    for copied in re.findall(r"^COPY (\S+)", DOCKERFILE, re.M):
        assert (ROOT / copied).exists(), f"the Dockerfile copies {copied}, which doesn't exist"


def test_make_run_installs_what_the_dockerfile_installs():
    [install] = [line for line in _run_lines(DOCKERFILE) if line.startswith("pip install")]
    makefile = (ROOT / "Makefile").read_text()
    run_recipe = re.search(r"^\$\(RUN_STAMP\):.*?(?=^\S)", makefile, re.M | re.S).group(0)
    assert f"$(RUN_PY) -m {install}" in run_recipe.replace("--quiet ", "")
    assert re.search(r"^run: \$\(RUN_STAMP\)$", makefile, re.M)
    assert "[test" not in run_recipe


@pytest.mark.install
@pytest.mark.timeout(600)
def test_the_production_install_has_no_test_or_bench_extras_and_runs(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    [install] = [line for line in _run_lines(DOCKERFILE) if line.startswith("pip install")]
    done = subprocess.run([str(python), "-m", *install.split()], cwd=ROOT, capture_output=True, text=True, timeout=500)
    assert done.returncode == 0, done.stderr[-3000:]

    def missing(module: str) -> bool:
        probe = f"import importlib.util, sys; sys.exit(importlib.util.find_spec({module!r}) is None)"
        return subprocess.run([str(python), "-c", probe], cwd=tmp_path).returncode == 1

    assert missing("pytest") and missing("pytest_asyncio") and missing("sqlalchemy")
    assert not missing("discord") and not missing("apscheduler")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "KINDRED_"))}
    (tmp_path / "empty.env").write_text("")
    env.update(KINDRED_ENV_FILE=str(tmp_path / "empty.env"), KINDRED_DATABASE=str(tmp_path / "kindred.db"))
    version = subprocess.run([str(python), "-m", "bot", "--version"], cwd=tmp_path, env=env, capture_output=True,
                             text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("Kindred 0."), version.stderr
    # From any folder, as the health check runs: the package and its question bank are found.
    bank = subprocess.run([str(python), "-c", "from bot import questions; print(len(questions.load_bank()))"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert bank.returncode == 0 and int(bank.stdout) >= 200, bank.stderr
    health = subprocess.run([str(python), "-m", "bot", "health"], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=60)
    assert health.returncode == 1 and "isn't running" in health.stderr
    no_token = subprocess.run([str(python), "-m", "bot", "run"], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=60)
    assert no_token.returncode == 2 and "DISCORD_TOKEN" in no_token.stderr


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_the_systemd_unit_is_valid(tmp_path):
    unit = (ROOT / "deploy" / "kindred.service").read_text()
    assert "ExecStart=/opt/kindred/.venv-run/bin/python -m bot run" in unit
    assert "RestartPreventExitStatus=2" in unit and "KillSignal=SIGTERM" in unit
    # Verified with ExecStart pointing at a Python that exists here.
    local = tmp_path / "kindred.service"
    local.write_text(unit.replace("/opt/kindred/.venv-run/bin/python", sys.executable))
    checked = subprocess.run(["systemd-analyze", "verify", str(local)], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0 and not checked.stderr.strip(), checked.stderr


def test_compose_keeps_the_database_on_its_volume_and_forwards_signals():
    compose = (ROOT / "compose.yaml").read_text()
    assert re.search(r"^\s+build: \.$", compose, re.M)
    assert "KINDRED_DATABASE: /data/kindred.db" in compose and "kindred-data:/data" in compose
    assert "init: true" in compose and "restart: unless-stopped" in compose
