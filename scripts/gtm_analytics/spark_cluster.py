"""A private, throw-away Spark standalone cluster with a Thrift (HiveServer2) server, for
the cross-engine test and for trying the `spark_thrift` target by hand.

One master, `workers` workers (one core and a little memory each) and the Thrift server,
submitted to the master as a Spark application (its executors run in the workers), all
on free ports of 127.0.0.1. Everything lives in a fresh temporary folder: logs, the
workers' scratch space, the warehouse (Parquet tables) and the Derby metastore (the
catalog). Started with the Java classes of the `pyspark` package (its `spark-class` and
`spark-submit`; it ships no start-master or start-thriftserver scripts); stopped, and the
folder deleted, on leaving the context, also after a failure.

    with throwaway_spark_cluster() as cluster:
        os.environ.update(cluster.env)   # GTM_SPARK_THRIFT_HOST / _PORT for profiles.yml
        ...                              # gtm load / gtm build --target spark_thrift

`python -m gtm_analytics.spark_cluster` starts one and waits (Ctrl-C stops it).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from gtm_analytics.errors import GtmError

THRIFT_CLASS = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"
MASTER_CLASS = "org.apache.spark.deploy.master.Master"
WORKER_CLASS = "org.apache.spark.deploy.worker.Worker"
# A short-lived JVM on small data: the quick (C1) JIT and a serial GC start fastest.
QUICK_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
# Demo-size data: planning and code generation cost more than the rows (as the `spark`
# session target). Not for a real cluster.
SMALL_DATA_CONF = {
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.adaptive.enabled": "false",
    "spark.sql.shuffle.partitions": "1",
    "spark.default.parallelism": "2",
}


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def spark_home() -> Path:
    """SPARK_HOME, else the installed `pyspark` package (it holds bin/ and jars/)."""
    configured = os.environ.get("SPARK_HOME")
    if configured:
        return Path(configured)
    try:
        import pyspark
    except ImportError as exc:
        raise GtmError("a local Spark cluster needs pyspark (or SPARK_HOME)") from exc
    return Path(pyspark.__file__).parent


@dataclass
class SparkCluster:
    """A running cluster: where its parts listen and the folder that holds it."""

    base: Path
    master_port: int
    master_ui_port: int
    thrift_port: int
    worker_ports: list[int] = field(default_factory=list)

    @property
    def master_url(self) -> str:
        return f"spark://127.0.0.1:{self.master_port}"

    @property
    def warehouse(self) -> Path:
        return self.base / "warehouse"

    @property
    def env(self) -> dict[str, str]:
        """The environment the profile's `spark_thrift` target reads."""
        return {
            "GTM_SPARK_THRIFT_HOST": "127.0.0.1",
            "GTM_SPARK_THRIFT_PORT": str(self.thrift_port),
        }

    def state(self) -> dict:
        """The master's view of the cluster (its web UI's JSON): workers, applications."""
        url = f"http://127.0.0.1:{self.master_ui_port}/json/"
        with urllib.request.urlopen(url, timeout=5) as response:
            return json.load(response)

    def describe(self) -> str:
        """Master, workers (address, cores in use, memory) and running applications."""
        state = self.state()
        lines = [f"spark master {state.get('url', self.master_url)} ({state.get('status')})"]
        for worker in state.get("workers", []):
            lines.append(
                f"  worker {worker['host']}:{worker['port']} {worker['state']}: "
                f"{worker['coresused']}/{worker['cores']} cores, "
                f"{worker['memoryused']}/{worker['memory']} MB used"
            )
        for app in state.get("activeapps", []):
            lines.append(
                f"  application {app['name']} ({app['id']}): {app['cores']} executor cores, "
                f"{app['memoryperslave']} MB per executor"
            )
        return "\n".join(lines)


def _wait_for(what: str, ready, deadline: float, processes: list, log: Path) -> None:
    """Poll `ready()` until true; GtmError with the log's end on timeout or a dead JVM."""
    while True:
        try:
            if ready():
                return
        except (OSError, ValueError):  # not listening yet, or a page still starting
            pass
        dead = [p for p in processes if p.poll() is not None]
        if dead or time.monotonic() > deadline:
            reason = "exited" if dead else "did not become ready in time"
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            raise GtmError(f"spark {what} {reason}; end of {log}:\n{tail}")
        time.sleep(0.5)


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the starting process dies (Linux only;
    `nice` and spark-class exec the JVM, which keeps the setting)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM the JVM's process group (spark-class execs java), then SIGKILL."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)
    except ProcessLookupError:
        pass


@contextmanager
def throwaway_spark_cluster(
    *,
    workers: int = 2,
    worker_memory: str = "512m",
    driver_memory: str = "2g",
    niceness: int = 0,
    catalog: str = "hive",
    small_data: bool = False,
    timeout_s: float = 180,
    extra_conf: dict[str, str] | None = None,
) -> Iterator[SparkCluster]:
    """Start a master, `workers` workers (one core, `worker_memory` each, also each
    executor's heap) and the Thrift server on free local ports; yield the cluster once the
    Thrift port accepts connections; stop all of it (also on failure) and delete its folder.

    `catalog`: `hive` (a Derby metastore in the cluster's folder, as a real cluster's
    metastore) or `in-memory` (the Thrift server's own memory: faster, forgotten when it
    stops). `small_data` adds SMALL_DATA_CONF (demo-size data only). `niceness` runs every
    JVM under `nice`; `timeout_s` bounds each readiness wait. Should this process die
    without leaving the context, the JVMs get SIGTERM from the kernel (parent-death
    signal), so none outlives it.
    """
    home = spark_home()
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise GtmError("Spark needs Java 17: `java` is not on PATH and JAVA_HOME is unset")
    base = Path(tempfile.mkdtemp(prefix="gtm_spark_"))
    logs = base / "logs"
    logs.mkdir()
    cluster = SparkCluster(
        base=base, master_port=free_port(), master_ui_port=free_port(), thrift_port=free_port()
    )
    env = {
        **os.environ,
        "SPARK_HOME": str(home),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "SPARK_LOCAL_DIRS": str(base / "local"),
        "SPARK_LOG_DIR": str(logs),
        "SPARK_DAEMON_MEMORY": "256m",
        "SPARK_DAEMON_JAVA_OPTS": QUICK_JVM,
        # No user's spark-defaults.conf or spark-env.sh.
        "SPARK_CONF_DIR": str(base / "conf"),
    }
    (base / "conf").mkdir()
    prefix = ["nice", "-n", str(niceness)] if niceness else []
    processes: list[subprocess.Popen] = []

    def start(
        name: str, args: list[str], extra_env: dict[str, str] | None = None
    ) -> tuple[subprocess.Popen, Path]:
        log = logs / f"{name}.log"
        with log.open("w") as handle:
            process = subprocess.Popen(
                [*prefix, *args],
                cwd=base,
                env={**env, **(extra_env or {})},
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group: stopped with everything it forks
                preexec_fn=_die_with_parent,
            )
        processes.append(process)
        return process, log

    deadline = lambda: time.monotonic() + timeout_s  # noqa: E731
    spark_class = str(home / "bin" / "spark-class")
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, base, True)
        # Stopped in reverse order: the Thrift server, the workers, the master.
        stack.callback(lambda: [_stop(p) for p in reversed(processes)])
        master, log = start(
            "master",
            [
                spark_class,
                MASTER_CLASS,
                "--host",
                "127.0.0.1",
                "--port",
                str(cluster.master_port),
                "--webui-port",
                str(cluster.master_ui_port),
            ],
        )
        _wait_for("master", lambda: _listening(cluster.master_ui_port), deadline(), [master], log)
        for number in range(1, workers + 1):
            port = free_port()
            cluster.worker_ports.append(port)
            work_dir = base / f"worker{number}"
            work_dir.mkdir()
            start(
                f"worker{number}",
                [
                    spark_class,
                    WORKER_CLASS,
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--webui-port",
                    str(free_port()),
                    "--cores",
                    "1",
                    "--memory",
                    worker_memory,
                    "--work-dir",
                    str(work_dir),
                    cluster.master_url,
                ],
            )

        def workers_alive() -> bool:
            alive = [w for w in cluster.state().get("workers", []) if w["state"] == "ALIVE"]
            return len(alive) == workers

        _wait_for("workers", workers_alive, deadline(), list(processes), logs / "worker1.log")
        metastore = f"jdbc:derby:;databaseName={base / 'metastore_db'};create=true"
        jvm_options = f"-Duser.timezone=UTC {QUICK_JVM}"
        conf = {
            "spark.master": cluster.master_url,
            "spark.app.name": "gtm-thrift-server",
            "spark.driver.memory": driver_memory,
            "spark.driver.host": "127.0.0.1",
            "spark.driver.bindAddress": "127.0.0.1",
            "spark.executor.memory": worker_memory,
            "spark.executor.cores": "1",
            "spark.cores.max": str(workers),
            "spark.sql.warehouse.dir": str(cluster.warehouse),
            "spark.sql.catalogImplementation": catalog,
            # With catalog hive: a Derby metastore in the cluster's folder.
            "spark.hadoop.javax.jdo.option.ConnectionURL": metastore,
            "spark.driver.extraJavaOptions": f"-Dderby.system.home={base} {jvm_options}",
            "spark.executor.extraJavaOptions": jvm_options,
            "spark.sql.session.timeZone": "UTC",
            "spark.ui.enabled": "false",
            # The driver keeps the plans of past queries for its UI even without one: a
            # dbt build runs thousands of statements; 1000 plans (the default) filled a
            # 1 GB heap (full GCs, minutes per model).
            "spark.sql.ui.retainedExecutions": "20",
            "spark.ui.retainedJobs": "50",
            "spark.ui.retainedStages": "50",
            "spark.sql.thriftserver.ui.retainedStatements": "20",
            "spark.sql.thriftserver.ui.retainedSessions": "20",
            "spark.hive.server2.thrift.bind.host": "127.0.0.1",
            "spark.hive.server2.thrift.port": str(cluster.thrift_port),
            **(SMALL_DATA_CONF if small_data else {}),
            **(extra_conf or {}),
        }
        args = [str(home / "bin" / "spark-submit"), "--class", THRIFT_CLASS]
        for key, value in conf.items():
            args += ["--conf", f"{key}={value}"]
        args += [
            "--hiveconf",
            f"hive.server2.thrift.port={cluster.thrift_port}",
            "--hiveconf",
            "hive.server2.thrift.bind.host=127.0.0.1",
            # dbt-spark opens a cursor per statement and closes only the last: the server
            # keeps every finished operation, its query plan included, until the session
            # ends (a 2 GB heap was full after 130 nodes of a build). Close operations
            # finished for 30 s, checked every 10 s.
            "--hiveconf",
            "hive.server2.idle.operation.timeout=30s",
            "--hiveconf",
            "hive.server2.session.check.interval=10s",
            # Per-session operation logs: in the cluster's folder, not /tmp/<user>.
            "--hiveconf",
            f"hive.server2.logging.operation.log.location={base / 'operation_logs'}",
            "spark-internal",
        ]
        # spark-submit sizes the Thrift server's JVM by SPARK_DAEMON_MEMORY, not
        # spark.driver.memory.
        thrift, log = start("thrift", args, {"SPARK_DAEMON_MEMORY": driver_memory})
        _wait_for(
            "thrift server",
            lambda: _listening(cluster.thrift_port),
            deadline(),
            [thrift, master],
            log,
        )
        yield cluster


def main() -> None:
    """Start a cluster, print how to reach it, wait until interrupted."""
    with throwaway_spark_cluster() as cluster:
        print(cluster.describe())
        print(f"thrift server: 127.0.0.1:{cluster.thrift_port}; export:")
        for key, value in cluster.env.items():
            print(f"  export {key}={value}")
        print("Ctrl-C stops the cluster and deletes its folder", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
