"""What the numbers depend on: the machine, its cores and the package versions."""

from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Any

from gtm_analytics.processes import usable_cores

PACKAGES = (
    "gtm-analytics",
    "dbt-core",
    "dbt-duckdb",
    "duckdb",
    "dbt-postgres",
    "pandas",
    "pyarrow",
    "numpy",
    "psycopg2-binary",
    "psycopg2",
)


def pinned_duckdb_threads() -> int | None:
    """DuckDB starts a thread per core of the machine, even when this process may use
    fewer (taskset): the thread count to give DuckDB then, else None (DuckDB's default)."""
    usable = usable_cores()
    return usable if usable < (os.cpu_count() or 1) else None


def package_versions() -> dict[str, str]:
    """Installed versions of the packages a measurement depends on."""
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            continue
    return found


def machine_info() -> dict[str, Any]:
    """Cores, memory, CPU model, operating system, versions."""
    cpu_model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) * 1024
    except OSError:
        pass
    os_name = platform.platform()
    try:
        fields = dict(
            line.split("=", 1)
            for line in Path("/etc/os-release").read_text().splitlines()
            if "=" in line
        )
        os_name = fields.get("PRETTY_NAME", os_name).strip('"') + f" ({platform.release()})"
    except OSError:
        pass
    return {
        "hostname": platform.node(),
        "cpu_model": cpu_model,
        "cores": os.cpu_count(),
        "usable_cores": usable_cores(),
        "memory_bytes": memory,
        "os": os_name,
        "python": platform.python_version(),
        "versions": package_versions(),
    }
