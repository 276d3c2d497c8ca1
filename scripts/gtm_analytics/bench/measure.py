"""Measuring one child process: wall clock, CPU seconds and peak memory of its tree.

A measured child is `python -m gtm_analytics.bench --child SPEC` (see `jobs`): it does one
thing and writes what it saw to a result file. This module starts it, polls the memory
of its process tree from /proc while it runs (plus a server's tree, for PostgreSQL), and
returns a `Run`:

* wall-clock time from start to exit;
* CPU seconds (user + system) of the child and everything it waited for (`os.wait4`),
  plus the CPU seconds a server's processes used meanwhile;
* peak resident memory of the child's process tree (RSS, polled), or the kernel's own
  peak of its largest single process when polling missed a higher one; a server's
  processes count with their proportional memory (PSS, so that shared buffers count
  once);
* optionally the peak size of DuckDB's spill folders (`*.tmp`) in a directory.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# What the child runs: the package's __main__, which hands SPEC to jobs.child_main.
CHILD_MODULE = "gtm_analytics.bench"


# --------------------------------------------------------------------------- /proc


def _proc_stat(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name (which may hold spaces)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def _children() -> dict[int, list[int]]:
    """Parent pid -> child pids, for every process now."""
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            fields = _proc_stat(int(entry.name))
            if fields is not None:
                tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def _descendants(root: int, tree: Mapping[int, list[int]]) -> list[int]:
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(tree.get(pid, []))
    return found


def _rss_bytes(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def _pss_bytes(pid: int) -> int:
    """Proportional set size: pages shared by N processes count 1/N in each (PostgreSQL's
    shared buffers are mapped by every backend)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return _rss_bytes(pid)


def tree_cpu_seconds(root: int) -> float:
    """CPU seconds (user + system) of a process, its live descendants and every child
    they have reaped."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in _descendants(root, _children()):
        fields = _proc_stat(pid)
        if fields is not None:
            total += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return total / ticks


def dir_bytes(path: Path) -> int:
    """Total size of the files under a folder (0 when it is gone)."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.stat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total


class TreeSampler(threading.Thread):
    """Polls the memory of process trees (RSS for the measured child's, PSS for a
    server's) and, optionally, the size of the spill folders in a directory."""

    def __init__(
        self,
        rss_roots: Sequence[int],
        pss_roots: Sequence[int] = (),
        spill_dir: Path | None = None,
        interval_s: float = 0.2,
    ) -> None:
        super().__init__(daemon=True)
        self.rss_roots, self.pss_roots = list(rss_roots), list(pss_roots)
        self.spill_dir, self.interval_s = spill_dir, interval_s
        self.peak_bytes = 0
        self.peak_spill_bytes = 0
        self._stop_event = threading.Event()

    def sample(self) -> None:
        tree = _children()
        total = sum(_rss_bytes(pid) for root in self.rss_roots for pid in _descendants(root, tree))
        total += sum(_pss_bytes(pid) for root in self.pss_roots for pid in _descendants(root, tree))
        self.peak_bytes = max(self.peak_bytes, total)
        if self.spill_dir is not None and self.spill_dir.is_dir():
            # DuckDB spills into <database file>.tmp beside the database.
            spill = sum(dir_bytes(path) for path in self.spill_dir.glob("*.tmp") if path.is_dir())
            self.peak_spill_bytes = max(self.peak_spill_bytes, spill)

    def run(self) -> None:
        while not self._stop_event.wait(self.interval_s):
            self.sample()

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


# --------------------------------------------------------------------------- one child run


@dataclass
class Run:
    """One measured child process.

    `result` is what the child wrote (see `jobs.child_main`), to which the runner adds
    `breakdown` (numbers merged into the run's JSON) and, for builds, `layers` and
    `node_seconds` (dbt's per-node execution times)."""

    ok: bool
    wall_s: float
    cpu_s: float
    peak_rss_bytes: int
    load_1m: float
    result: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    spill_bytes: int | None = None

    def as_json(self) -> dict[str, Any]:
        data = {
            "ok": self.ok,
            "wall_s": round(self.wall_s, 3),
            "cpu_s": round(self.cpu_s, 3),
            "peak_rss_bytes": self.peak_rss_bytes,
            "load_1m_at_start": round(self.load_1m, 2),
        }
        if self.spill_bytes is not None:
            data["peak_spill_bytes"] = self.spill_bytes
        if self.error:
            data["error"] = self.error
        data.update(self.result.get("breakdown", {}))
        for key in ("layers", "node_seconds"):
            if key in self.result:
                data[key] = self.result[key]
        return data


def _child_env(extra: Mapping[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    # The children import this package from the same place as this process.
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(__file__).resolve().parents[2]), env.get("PYTHONPATH", "")]
    ).rstrip(os.pathsep)
    return env


def measure(
    spec: Mapping[str, Any],
    *,
    work: Path,
    log: Path,
    env: Mapping[str, str] | None = None,
    server_pid: int | None = None,
    spill_dir: Path | None = None,
    timeout_s: float | None = None,
) -> Run:
    """Run one child (`spec["kind"]` names its job in `jobs.JOBS`) and measure it.

    The child's output goes to `log`; its result to `log` with suffix .result.json. A run
    fails (ok false, `error` set) when the child exits non-zero or reports no success."""
    result_file = log.with_suffix(".result.json")
    result_file.unlink(missing_ok=True)
    full_spec = {**spec, "result_file": str(result_file)}
    command = [sys.executable, "-m", CHILD_MODULE, "--child", json.dumps(full_spec)]
    server_cpu_before = tree_cpu_seconds(server_pid) if server_pid else 0.0
    load_1m = os.getloadavg()[0]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as handle:
        started = time.monotonic()
        # Its own session, so that a timeout ends the whole tree it started.
        process = subprocess.Popen(
            command,
            cwd=work,
            env=_child_env(env or {}),
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        sampler = TreeSampler(
            [process.pid], [server_pid] if server_pid else [], spill_dir=spill_dir
        )
        sampler.start()
        timer = None
        if timeout_s:
            timer = threading.Timer(timeout_s, os.killpg, (process.pid, signal.SIGKILL))
            timer.start()
        try:
            _pid, status, usage = os.wait4(process.pid, 0)
        except BaseException:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise
        finally:
            if timer is not None:
                timer.cancel()
        wall = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop()
    cpu = usage.ru_utime + usage.ru_stime
    if server_pid:
        cpu += max(0.0, tree_cpu_seconds(server_pid) - server_cpu_before)
    peak = max(sampler.peak_bytes, usage.ru_maxrss * 1024)
    result: dict[str, Any] = {}
    if result_file.exists():
        result = json.loads(result_file.read_text())
    error = None
    if process.returncode != 0 or not result.get("ok"):
        tail = log.read_text(errors="replace")[-3000:]
        error = result.get("error") or f"exit code {process.returncode}: {tail}"
    return Run(
        ok=error is None,
        wall_s=wall,
        cpu_s=cpu,
        peak_rss_bytes=peak,
        load_1m=load_1m,
        result=result,
        error=error,
        spill_bytes=sampler.peak_spill_bytes if spill_dir is not None else None,
    )
