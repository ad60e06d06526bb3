"""Test configuration: Hypothesis profiles, and a small shared ledger (``riyadh``).

``default`` is quick, for local runs; ``ci`` is thorough and is chosen by ``.ci/run``
through ``HYPOTHESIS_PROFILE=ci``.  No test depends on wall-clock speed, so deadlines
are off in both.
"""

from __future__ import annotations

import datetime as _dt
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "default",
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    max_examples=300,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def riyadh() -> Any:
    """A small ledger after the Riyadh talks of 18 February 2025, on a fixed clock.

    Three speakers; claims with and without stated confidences; evidence on both sides,
    one piece retracted; an editorial ruling.  Used by the CLI, report and plot tests.
    """
    import claimtrack as ct

    clock = iter(
        _dt.datetime(2025, 4, 1, tzinfo=_dt.UTC) + _dt.timedelta(minutes=i) for i in range(10_000)
    )
    t = ct.Tracker(clock=lambda: next(clock))
    article = ct.Source(
        title="U.S.-Russia Talks in Riyadh", publisher="JadeTimes", published="2025-02-18"
    )
    t.add_speaker(
        "Donald Trump",
        id="trump",
        roles=[ct.Role("President of the United States", start="2025-01-20")],
    )
    t.add_speaker("Volodymyr Zelenskyy", id="zelenskyy")
    t.add_speaker("Sergey Lavrov", id="lavrov")
    t.add_claim(
        "trump", "Ukraine will be involved in the peace negotiations.", id="trump-involved",
        quote="will be involved", kind="assurance", stated_on="2025-02-18", source=article,
        due="2025-12-31", topics={"ukraine"}, confidence=0.9,
    )  # fmt: skip
    t.add_evidence(
        "trump-involved", "Ukraine was not invited to the Riyadh meeting.", stance="refutes",
        strength="moderate", observed_on="2025-02-18", source=article,
    )  # fmt: skip
    t.add_evidence(
        "trump-involved", "US and Ukrainian delegations met in Jeddah.", stance="supports",
        strength="strong", observed_on="2025-03-11",
    )  # fmt: skip
    t.add_evidence(
        "trump-involved", "A misreported meeting.", stance="supports", strength="strong",
        observed_on="2025-03-12", id="bad-evidence",
    )  # fmt: skip
    t.retract("bad-evidence", reason="misreported")
    t.rule("trump-involved", "held", on="2025-03-11", rationale="Jeddah talks", by="desk")
    t.add_claim(
        "zelenskyy", "Ukraine will not accept any agreement made without it.", id="zel-accept",
        kind="commitment", stated_on="2025-02-18", topics={"ukraine"}, confidence=0.7,
    )  # fmt: skip
    t.add_evidence(
        "zel-accept", "Kyiv rejected the Riyadh outcome.", stance="supports",
        strength="conclusive", observed_on="2025-02-20",
    )  # fmt: skip
    t.add_claim(
        "lavrov", "The talks will focus on restoring US-Russia relations.", id="lavrov-focus",
        kind="prediction", stated_on="2025-02-18", due="2025-02-28", confidence=0.6,
    )  # fmt: skip
    t.add_evidence(
        "lavrov-focus", "The talks covered Ukraine at length.", stance="refutes",
        strength="conclusive", observed_on="2025-02-19",
    )  # fmt: skip
    return t


# -- PostgreSQL (issue 16): a throwaway server for the whole session ----------------------
# Uses CLAIMTRACK_TEST_PG (a connection string) when set; otherwise starts a cluster in a
# temporary folder with Debian's binaries (`pg_config --bindir`), the socket in that
# folder and no TCP port, fsync off (tests only).  Skipped only when PostgreSQL is absent
# and CI is unset: in CI a missing server fails the tests that need it.


class PgServer:
    """A PostgreSQL cluster in a temporary folder, run as the ``postgres`` user if root."""

    def __init__(self, bindir: str) -> None:
        import pwd
        import tempfile

        self.bindir = bindir
        self.folder = tempfile.mkdtemp(prefix="claimtrack-pg-")  # under /tmp: reachable
        self.data = os.path.join(self.folder, "data")
        self.as_root = os.geteuid() == 0
        if self.as_root:
            os.chown(self.folder, pwd.getpwnam("postgres").pw_uid, -1)
        self._run("initdb", "-N", "-A", "trust", "-U", "postgres", "-E", "UTF8", "-D", self.data)
        self.start()
        self.dsn = f"host={self.folder} user=postgres dbname=postgres"

    def _run(self, tool: str, *args: str) -> None:
        import subprocess

        command = [os.path.join(self.bindir, tool), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = f"-c listen_addresses='' -c unix_socket_directories={self.folder} -c fsync=off"
        log = os.path.join(self.folder, "log")
        self._run("pg_ctl", "-D", self.data, "-l", log, "-o", options, "-w", "start")

    def stop(self, mode: str = "immediate") -> None:
        """Stop the server (``immediate``: as a crash would)."""
        self._run("pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def remove(self) -> None:
        import shutil

        try:
            self.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def _pg_bindir() -> str | None:
    import glob
    import shutil
    import subprocess

    if pg_config := shutil.which("pg_config"):
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        if out.returncode == 0 and os.path.exists(os.path.join(out.stdout.strip(), "initdb")):
            return out.stdout.strip()
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


@pytest.fixture(scope="session")
def pg_server() -> Any:
    """The session's :class:`PgServer`, or ``None`` when CLAIMTRACK_TEST_PG is used."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("psycopg is missing: install claimtrack[postgresql]")
        pytest.skip("psycopg is not installed")
    if os.environ.get("CLAIMTRACK_TEST_PG"):
        yield None
        return
    bindir = _pg_bindir()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed (CI installs it: see .ci/run)")
        pytest.skip("PostgreSQL is not installed and CLAIMTRACK_TEST_PG is unset")
    server = PgServer(bindir)
    try:
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="session")
def pg_dsn(pg_server: Any) -> str:
    """A connection string to a database the tests may use freely."""
    return pg_server.dsn if pg_server is not None else os.environ["CLAIMTRACK_TEST_PG"]


@pytest.fixture
def pg_schema(pg_dsn: str) -> Any:
    """A fresh PostgreSQL schema name for one test (dropped afterwards)."""
    import uuid

    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    yield name
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')  # type: ignore[arg-type]


@pytest.fixture
def pg_ledger(pg_dsn: str, pg_schema: str) -> str:
    """A connection string for ``ct.open`` to a fresh ledger (its own schema)."""
    return f"{pg_dsn} options='-csearch_path={pg_schema}'"
