"""A throwaway PostgreSQL server for the tests and the benchmarks: initdb and pg_ctl in a temporary
folder, on a free loopback port, stopped (and its folder removed) at the end. Each test gets its own
database.

The binaries are found on PATH or under /usr/lib/postgresql/<version>/bin (Debian's postgresql
package; `.ci/run` installs it when initdb is missing). PostgreSQL refuses to run as root: as root,
the server runs as the `postgres` user the package creates."""
from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

USER = "kindred"


def find_bin_dir() -> Path:
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise RuntimeError("PostgreSQL's initdb was not found (PATH, /usr/lib/postgresql/*/bin). "
                           "Install it: apt-get install -y postgresql (as .ci/run does).")
    return Path(found[-1]).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    def __init__(self, durable: bool = False) -> None:
        self.durable = durable
        self.bin = find_bin_dir()
        self.folder = Path(tempfile.mkdtemp(prefix="kindred-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self._names = itertools.count(1)
        self._template = False
        self._as: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]

    def _tool(self, name: str, *args: str) -> None:
        result = subprocess.run([*self._as, str(self.bin / name), *args], capture_output=True, text=True, timeout=120)
        if result.returncode:
            raise RuntimeError(f"{name} failed ({result.returncode}): {result.stderr or result.stdout}")

    def start(self) -> "PostgresServer":
        self._tool("initdb", "-D", str(self.data), "-U", USER, "--auth=trust", "--encoding=UTF8", "--locale=C",
                   "--no-sync")
        # Tests: durability is not what they check, and no fsync keeps a database per test cheap.
        # Benchmarks (durable): fsync on, commits not waiting for it, like SQLite's WAL with
        # synchronous=NORMAL (a crash keeps the database whole, may lose the last commits).
        durability = "-c synchronous_commit=off" if self.durable else \
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 {durability} "
                   "-c max_connections=200")
        self._tool("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "-t", "60",
                   "start")
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    async def new_database(self, migrated: bool = True) -> str:
        """A fresh database, at Kindred's newest schema (copied from a template migrated once) or,
        with `migrated=False`, empty; returns its URL."""
        import asyncpg

        from bot.storage import Database

        conn = await asyncpg.connect(self.url())
        try:
            if migrated and not self._template:
                await conn.execute("CREATE DATABASE kindred_template")
                await (await Database.open(self.url("kindred_template"))).close()
                self._template = True
            name = f"test_{next(self._names)}"
            template = " TEMPLATE kindred_template" if migrated else ""
            await conn.execute(f"CREATE DATABASE {name}{template} STRATEGY FILE_COPY")
        finally:
            await conn.close()
        return self.url(name)

    async def drop_database(self, url: str) -> None:
        """Drop a test's database (each is a few megabytes on disk), whoever is still connected."""
        import asyncpg

        conn = await asyncpg.connect(self.url())
        try:
            await conn.execute(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")
        finally:
            await conn.close()

    def stop(self) -> None:
        try:
            self._tool("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
