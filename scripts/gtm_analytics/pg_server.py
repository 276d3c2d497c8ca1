"""A private, throw-away PostgreSQL server for the cross-engine test and `gtm bench`.

`initdb` on a fresh folder, `pg_ctl start` on a free local port with its socket in that
folder, one database; stopped and deleted afterwards. As root, the server runs as the
`postgres` user, because initdb refuses root. The server binaries are found in
GTM_PG_BINDIR, else Debian's /usr/lib/postgresql/<version>/bin, else on PATH.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from gtm_analytics.errors import GtmError

USER = "gtm"
DATABASE = "gtm"


@dataclass(frozen=True)
class PostgresServer:
    """A running server: where it listens and the folder that holds it."""

    port: int
    base: Path
    bindir: Path

    @property
    def env(self) -> dict[str, str]:
        """The environment the profile's `postgres` target reads."""
        return {
            "GTM_PG_HOST": "127.0.0.1",
            "GTM_PG_PORT": str(self.port),
            "GTM_PG_USER": USER,
            "GTM_PG_DBNAME": DATABASE,
        }

    @property
    def postmaster_pid(self) -> int | None:
        """The server's main process (its backends are its children)."""
        try:
            return int((self.base / "data" / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def version(self) -> str:
        """`postgres --version` of the binaries in use."""
        completed = subprocess.run(
            [str(self.bindir / "postgres"), "--version"], capture_output=True, text=True
        )
        return completed.stdout.strip()


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bindir() -> Path:
    """The folder with initdb and pg_ctl; GtmError when there is none."""
    candidates = [os.environ.get("GTM_PG_BINDIR", "")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    found = shutil.which("initdb")
    candidates.append(str(Path(found).parent) if found else "")
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    raise GtmError("PostgreSQL server binaries (initdb, pg_ctl) not found; set GTM_PG_BINDIR")


@contextmanager
def throwaway_postgres(settings: dict[str, str] | None = None) -> Iterator[PostgresServer]:
    """Start a private server (extra `-c` settings in `settings`), yield it, then stop it
    and delete its folder."""
    bindir = postgres_bindir()
    # Not under a folder of mode 700 such as pytest's tmp: the server may run as postgres.
    base = Path(tempfile.mkdtemp(prefix="gtm_pg_"))
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root
        shutil.chown(base, user="postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    data, port = base / "data", free_port()

    def pg(*args: str) -> None:
        completed = subprocess.run(
            [*as_postgres, *args], capture_output=True, text=True, timeout=120
        )
        if completed.returncode != 0:
            raise GtmError(f"{Path(args[0]).name} failed: {completed.stderr.strip()[-2000:]}")

    try:
        pg(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", USER, "-E", "UTF8")
        # A throw-away server: no fsync.
        options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
        for name, value in (settings or {}).items():
            options += f" -c {name}={value}"
        pg(
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(base / "log"),
            "-w",
            "start",
        )
        try:
            pg(str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", USER, DATABASE)
            yield PostgresServer(port=port, base=base, bindir=bindir)
        finally:
            subprocess.run(
                [*as_postgres, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                capture_output=True,
                timeout=120,
            )
    finally:
        shutil.rmtree(base, ignore_errors=True)
