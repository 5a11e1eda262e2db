"""The real process: `python -m bot` as a subprocess against the emulator (see kindred_process.py),
stopped with SIGTERM or SIGINT as `docker stop`, `systemctl stop` and Ctrl-C do."""
from __future__ import annotations

import asyncio
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FakeClock
from bot.emulator import Emulator
from kindred_world import Kindred

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHUTDOWN_LIMIT = 10.0


class KindredProcess:
    """`python -m bot` in a subprocess, its log (stderr) in a file the test reads."""

    def __init__(self, tmp_path: Path, rest: str, gateway: str, **env: str) -> None:
        self.log_path = tmp_path / "kindred.log"
        self.database = tmp_path / "kindred.db"
        (tmp_path / "empty.env").write_text("")
        environ = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "KINDRED_"))}
        environ.update(DISCORD_TOKEN="test-token", KINDRED_DATABASE=str(self.database),
                       KINDRED_ENV_FILE=str(tmp_path / "empty.env"), **env)
        self._log = self.log_path.open("w")
        self.proc: asyncio.subprocess.Process | None = None
        self._argv = [sys.executable, str(HERE / "kindred_process.py"), rest, gateway, "run"]
        self._env, self._cwd = environ, tmp_path

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(*self._argv, env=self._env, cwd=self._cwd,
                                                         stdout=self._log, stderr=self._log)

    @property
    def log(self) -> str:
        return self.log_path.read_text()

    async def wait_log(self, words: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while words not in self.log:
            if self.proc.returncode is not None:
                raise AssertionError(f"Kindred exited ({self.proc.returncode}) before logging {words!r}:\n{self.log}")
            if time.monotonic() > deadline:
                raise AssertionError(f"no {words!r} in Kindred's log after {timeout} s:\n{self.log}")
            await asyncio.sleep(0.05)

    def health(self) -> tuple[int, str]:
        """`python -m bot health` for this process's database: (exit status, its line)."""
        done = subprocess.run([sys.executable, "-m", "bot", "health"], env=self._env, cwd=ROOT, capture_output=True,
                              text=True, timeout=60)
        return done.returncode, (done.stdout + done.stderr).strip()

    async def stop(self, sig: signal.Signals) -> tuple[int, float]:
        """Send `sig`; returns (exit status, seconds it took to exit)."""
        began = time.monotonic()
        self.proc.send_signal(sig)
        try:
            code = await asyncio.wait_for(self.proc.wait(), SHUTDOWN_LIMIT + 5)
        finally:
            if self.proc.returncode is None:
                self.proc.kill()
                await self.proc.wait()
            self._log.close()
        return code, time.monotonic() - began


def spawn(emu: Emulator, tmp_path: Path, **env: str) -> KindredProcess:
    return KindredProcess(tmp_path, emu.url + "/api/v10", emu.gateway.url, **env)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_a_signal_stops_kindred_cleanly_with_status_0(emu, tmp_path, sig):
    home = emu.add_guild("Home")
    home.add_text_channel("us")
    kindred = spawn(emu, tmp_path)
    await kindred.start()
    await kindred.wait_log("Kindred ")
    await kindred.wait_log(" started as Kindred")
    code, seconds = await kindred.stop(sig)
    assert code == 0, kindred.log
    assert seconds < SHUTDOWN_LIMIT
    assert f"Kindred stopped after {sig.name}" in kindred.log
    assert "Traceback" not in kindred.log
    assert kindred.database.exists()
    assert not Path(f"{kindred.database}-wal").exists(), "closing the database checkpoints the WAL away"
    assert not Path(f"{kindred.database}.health").exists()


async def test_the_log_at_info_is_quiet_and_names_version_database_and_servers(emu, tmp_path):
    emu.add_guild("Home")
    emu.add_guild("Work")
    kindred = spawn(emu, tmp_path)
    await kindred.start()
    await kindred.wait_log(" started as Kindred")
    await asyncio.sleep(6)  # more than one sweep (every 5 s)
    code, _ = await kindred.stop(signal.SIGTERM)
    assert code == 0
    lines = kindred.log.splitlines()
    [started] = [line for line in lines if " started as " in line]
    assert "2 servers" in started and str(kindred.database) in started
    assert not [line for line in lines if "apscheduler" in line or "PyNaCl" in line or "davey" in line], lines
    assert len(lines) <= 4, lines  # commands synced, started, stopped (and nothing per sweep)


async def test_json_logs_are_one_object_per_line(emu, tmp_path):
    import json

    emu.add_guild("Home")
    kindred = spawn(emu, tmp_path, KINDRED_LOG_FORMAT="json")
    await kindred.start()
    await kindred.wait_log(" started as Kindred")
    code, _ = await kindred.stop(signal.SIGTERM)
    assert code == 0
    entries = [json.loads(line) for line in kindred.log.splitlines()]
    assert {"time", "level", "logger", "message"} <= set(entries[0])
    assert any(e["message"].startswith("Kindred stopped after SIGTERM") for e in entries)


def _due_now_zone(now: datetime) -> str:
    """A zone where `now` is far from midnight, so a post due a minute ago is still today's."""
    return "UTC" if 1 <= now.hour <= 22 else "Asia/Tokyo"


async def test_sigterm_during_a_send_lets_it_finish_and_posts_once(emu, tmp_path):
    # Set up in-process, with the clock two minutes back, a post time that real time has just passed.
    now = datetime.now(timezone.utc)
    zone = _due_now_zone(now)
    world = Kindred(emu, tmp_path / "kindred.db", FakeClock(now - timedelta(minutes=2)))
    await world.start()
    local = (now - timedelta(minutes=1)).astimezone(ZoneInfo(zone))
    await world.setup(time=f"{local:%H:%M}", timezone=zone)
    await world.stop()
    assert world.prompts() == []

    # Discord makes the post wait 3 s (a 429): SIGTERM arrives while it waits.
    emu.fail("POST", r"/channels/\d+/messages$", 429, retry_after=3)
    kindred = spawn(emu, tmp_path)
    await kindred.start()
    await emu.wait_for(lambda: emu.requests_to("POST", r"/channels/\d+/messages$"), timeout=20, what="the post")
    code, seconds = await kindred.stop(signal.SIGTERM)
    assert code == 0, kindred.log
    assert seconds < SHUTDOWN_LIMIT, kindred.log
    assert len(world.prompts()) == 1, "the send in flight finished before the process exited"
    assert "Kindred stopped after SIGTERM" in kindred.log and "cut off" not in kindred.log
    assert not Path(f"{kindred.database}-wal").exists()
    conn = sqlite3.connect(kindred.database)
    try:
        done = conn.execute("SELECT status FROM jobs WHERE kind = 'daily' AND status != 'pending'").fetchall()
    finally:
        conn.close()
    assert done == [("sent",)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_unreachable_discord_gives_one_line_and_retries_until_it_answers(tmp_path):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    kindred = KindredProcess(tmp_path, base + "/api/v10", f"ws://127.0.0.1:{port}/gateway/")
    await kindred.start()
    await kindred.wait_log("trying again in 5 s")
    [line] = kindred.log.splitlines()
    assert "can't reach Discord" in line and f"127.0.0.1:{port}" in line and "Traceback" not in kindred.log
    assert kindred.health() == (1, "Kindred is running but not connected to Discord (it keeps retrying)")

    emu = Emulator(bot_name="Kindred")
    await emu.start(port=port)  # Discord is back
    try:
        emu.add_guild("Home")
        await kindred.wait_log(" started as Kindred", timeout=15)
        assert kindred.health() == (0, "Kindred is running and connected to Discord")
        code, _ = await kindred.stop(signal.SIGTERM)
    finally:
        await emu.stop()
    assert code == 0, kindred.log


async def test_sigterm_while_waiting_for_discord_exits_0(tmp_path):
    port = _free_port()
    kindred = KindredProcess(tmp_path, f"http://127.0.0.1:{port}/api/v10", f"ws://127.0.0.1:{port}/gateway/")
    await kindred.start()
    await kindred.wait_log("trying again in 5 s")
    code, seconds = await kindred.stop(signal.SIGTERM)
    assert (code, seconds < 3) == (0, True), kindred.log
    assert "Kindred stopped after SIGTERM" in kindred.log
    assert kindred.health()[1].startswith("no health file"), "a stopped Kindred leaves no health file behind"
