"""A PostgreSQL server of the test's own, made with initdb and run with pg_ctl on a free
port, so a test may stop and start it (never the shared server on 5432).

The server runs as the ``postgres`` system user when the tests run as root (PostgreSQL
refuses to run as root), through ``runuser``. Outside CI the test skips when the binaries
or the user are missing; in CI it fails.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.conftest import IN_CI
from tests.reliability.live import free_port

BINARIES = "/usr/lib/postgresql/*/bin"


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"a throwaway PostgreSQL server is required in CI: {reason}")
    pytest.skip(f"throwaway PostgreSQL server unavailable: {reason}")


def _binaries() -> Path:
    found = sorted(glob.glob(BINARIES), key=lambda p: int(Path(p).parent.name))
    if found and (Path(found[-1]) / "pg_ctl").exists():
        return Path(found[-1])
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).parent
    _unavailable(f"no initdb and pg_ctl under {BINARIES} or on PATH")
    raise AssertionError  # unreachable


class ThrowawayPostgres:
    """initdb in a new folder; ``start``, ``stop`` (immediate: as if the server died) and
    ``remove``; ``url`` of its ``postgres`` database."""

    def __init__(self) -> None:
        self.bin = _binaries()
        self.prefix: list[str] = []
        self.folder = Path(tempfile.mkdtemp(prefix="talentboard-pg-"))
        self.data = self.folder / "data"
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                _unavailable("running as root and there is no 'postgres' user to run it as")
            runuser = shutil.which("runuser")
            if runuser is None:
                _unavailable("running as root and there is no runuser")
            self.prefix = [str(runuser), "-u", "postgres", "--"]
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def _run(self, program: str, *args: str) -> None:
        command = [*self.prefix, str(self.bin / program), *args]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed: {done.stdout}{done.stderr}")

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c max_connections=40"
        )
        log = str(self.folder / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
