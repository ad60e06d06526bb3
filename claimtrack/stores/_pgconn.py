"""Connections of the PostgreSQL store: making, losing and making them again; the schema.

Part of :mod:`claimtrack.stores._postgresql` (split off to keep modules small): the
base class :class:`PgConnections` holds the main connection (appends and short reads,
autocommit with explicit transactions at READ COMMITTED), spare connections for
streaming reads (each a read-only REPEATABLE READ snapshot, so a half-read stream never
holds up an append), and the listening connection of ``follow()``.  It opens the ledger's
schema, creating or migrating it (see :mod:`claimtrack.stores._pgschema`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from claimtrack.errors import CorruptStoreError, SchemaVersionError, StoreError

from ._pgschema import MIGRATIONS, SCHEMA_VERSION, describe, redact
from ._pgweights import counting

if TYPE_CHECKING:
    import psycopg

__all__ = ["PgConnections"]


def _one(conn: psycopg.Connection[Any], query: str, params: Any = None) -> Any:
    """The first value of the first row a query returns (``None`` for no row)."""
    row = conn.execute(query, params).fetchone()
    return None if row is None else row[0]


def _psycopg() -> Any:
    """The psycopg module, or a StoreError naming the extra that brings it."""
    try:
        import psycopg
    except ImportError:
        raise StoreError(
            "a PostgreSQL ledger needs psycopg 3: pip install 'claimtrack[postgresql]'"
        ) from None
    return psycopg


class PgConnections:
    """The connections and the schema of one PostgreSQL ledger (see the module docstring)."""

    def __init__(self, dsn: str, *, schema: str | None = None, connect_timeout: float = 10) -> None:
        self._pg = _psycopg()
        from psycopg.conninfo import conninfo_to_dict

        try:
            params = conninfo_to_dict(dsn)
        except self._pg.Error:
            # (not the text of the error: it may quote the password)
            raise StoreError("not a PostgreSQL connection string libpq can read") from None
        self._secrets = [str(params.get("password") or "")]
        self._where = describe(params)
        self._dsn = dsn
        self._connect_options: dict[str, Any] = {}
        if "connect_timeout" not in params:
            self._connect_options["connect_timeout"] = max(1, round(connect_timeout))
        self._schema = schema
        self._cursor = 0  # the seq of the last record handed out
        self._version = 0
        self._counting = False  # whether appends keep the weighing counts (version 2 on)
        self._fast = True  # whether a small append may try its counts in its one statement
        self._spares: list[psycopg.Connection[Any]] = []
        self._listener: psycopg.Connection[Any] | None = None
        self._conn = self._connect()
        try:
            self._open()
        except BaseException:
            self.close()
            raise

    # -- connections ---------------------------------------------------------------------

    def _error(self, doing: str, exc: BaseException) -> StoreError:
        cause = redact(
            str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc), self._secrets
        )
        return StoreError(f"PostgreSQL at {self._where}: {doing}: {cause}", path=self._where)

    def _connect(self, *, listen: bool = False) -> psycopg.Connection[Any]:
        pg = self._pg
        try:
            conn = pg.connect(self._dsn, autocommit=True, **self._connect_options)
        except pg.Error as exc:
            raise self._error("cannot connect", exc) from None
        try:
            conn.isolation_level = pg.IsolationLevel.READ_COMMITTED
            # durable commits, and READ COMMITTED for single statements too, whatever
            # the server's defaults; the ledger's schema first in the search path
            conn.execute(
                "SELECT set_config('synchronous_commit', 'on', false),"
                " set_config('default_transaction_isolation', 'read committed', false),"
                " set_config('search_path', coalesce(quote_ident(%s),"
                " current_setting('search_path')), false)",
                [self._schema],
            )
        except pg.Error as exc:
            conn.close()
            raise self._error("cannot connect", exc) from None
        return conn  # type: ignore[no-any-return]  # (psycopg is imported lazily)

    def _live(self) -> psycopg.Connection[Any]:
        """The main connection, made again if it was lost."""
        if self._conn.closed or self._conn.broken:
            self._conn.close()
            self._conn = self._connect()
        return self._conn

    def _query(self, query: str, params: Any = None) -> list[tuple[Any, ...]]:
        """Run a read on the main connection; a connection lost since is made again once."""
        pg = self._pg
        for attempt in (1, 2):
            conn = self._live()
            try:
                return conn.execute(query, params).fetchall()
            except pg.OperationalError as exc:
                if attempt == 2 or not (conn.closed or conn.broken):
                    raise self._error("cannot read", exc) from None
            except pg.Error as exc:
                raise self._error("cannot read", exc) from None
        raise AssertionError("unreachable")  # pragma: no cover

    @contextlib.contextmanager
    def _snapshot(self) -> Iterator[psycopg.Connection[Any]]:
        """A spare connection in a read-only REPEATABLE READ transaction (one snapshot).

        Streaming reads use it, so that the main connection stays free for appends
        while a stream is half read.
        """
        pg = self._pg
        conn = self._spares.pop() if self._spares else self._connect()
        with contextlib.ExitStack() as stack:
            for attempt in (1, 2):  # a spare lost with a restarted server is made again
                try:
                    if conn.closed or conn.broken:
                        conn.close()
                        conn = self._connect()
                    conn.isolation_level = pg.IsolationLevel.REPEATABLE_READ
                    conn.read_only = True
                    stack.enter_context(conn.transaction())
                    break
                except pg.OperationalError as exc:
                    conn.close()
                    if attempt == 2:
                        raise self._error("cannot read", exc) from None
            ok = False
            try:
                with stack.pop_all():
                    yield conn
                ok = True
            except pg.Error as exc:
                raise self._error("cannot read", exc) from None
            finally:
                if ok and not conn.closed and len(self._spares) < 2:
                    self._spares.append(conn)
                else:
                    conn.close()

    # -- the schema ----------------------------------------------------------------------

    def _open(self) -> None:
        pg = self._pg
        conn = self._conn
        try:
            if self._schema is None:
                found = conn.execute("SELECT current_schema()").fetchone()
                self._schema = found[0] if found and found[0] else self._first_in_search_path()
                conn.execute(
                    "SELECT set_config('search_path', quote_ident(%s), false)", [self._schema]
                )
            version = self._read_version(conn)
            if version > SCHEMA_VERSION:
                raise SchemaVersionError(path=self._where, found=version, supported=SCHEMA_VERSION)
            self._version = version
            if version == 0:
                self._migrate(upto=0)  # an empty schema gets the newest layout
            self._counting = self._version >= 2 and counting(conn)
            self._channel = f"claimtrack_{self._schema}"[:63]
            # what is there already is not "new": read_new() hands out what comes after
            self._cursor = int(_one(conn, "SELECT last FROM ledger_head"))
        except pg.Error as exc:
            raise self._error("cannot open the ledger", exc) from None

    def _first_in_search_path(self) -> str:
        path = str(_one(self._conn, "SHOW search_path"))
        for name in path.split(","):
            name = name.strip()
            if name and name != '"$user"':
                return name[1:-1].replace('""', '"') if name.startswith('"') else name
        raise StoreError(f"PostgreSQL at {self._where}: no schema in search_path", path=self._where)

    def _read_version(self, conn: psycopg.Connection[Any]) -> int:
        """The schema version of the ledger; 0 for an empty (or missing) schema."""
        schema = self._schema
        found = _one(conn, "SELECT to_regclass(quote_ident(%s) || '.claimtrack_schema')", [schema])
        if found is None:
            tables = conn.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = %s", [schema]
            ).fetchone()[0]  # type: ignore[index]
            if tables:
                raise CorruptStoreError(
                    f"schema {schema!r} holds tables, but not a claimtrack ledger",
                    path=self._where,
                )
            return 0
        row = conn.execute("SELECT version FROM claimtrack_schema").fetchone()
        if row is None:
            raise CorruptStoreError("claimtrack_schema holds no version", path=self._where)
        return int(row[0])

    def _migrate(self, upto: int) -> None:
        """Run the migrations from every version up to *upto*, one transaction each."""
        from psycopg import sql

        conn = self._conn
        while True:
            with conn.transaction():
                conn.execute(
                    "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"claimtrack:{self._schema}"]
                )
                exists = conn.execute(
                    "SELECT 1 FROM pg_namespace WHERE nspname = %s", [self._schema]
                ).fetchone()
                if exists is None:
                    conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(self.schema)))
                version = self._read_version(conn)  # perhaps migrated by another process
                if version > upto or version >= SCHEMA_VERSION:
                    self._version = version
                    return
                target, migrate = MIGRATIONS[version]
                migrate(conn, self._where)
                if version == 0:
                    conn.execute("INSERT INTO claimtrack_schema (version) VALUES (%s)", [target])
                else:
                    conn.execute("UPDATE claimtrack_schema SET version = %s", [target])

    def upgrade(self) -> int:
        """Migrate the ledger to the newest schema version, one transaction each step.

        Returns:
            The schema version the ledger had before.

        .. versionadded:: 0.2.0
        """
        before = self._version
        try:
            self._migrate(upto=SCHEMA_VERSION)
            self._counting = self._version >= 2 and counting(self._live())
        except self._pg.Error as exc:
            raise self._error("cannot upgrade", exc) from None
        return before

    @property
    def schema_version(self) -> int:
        """The schema version of the ledger when it was opened or last upgraded."""
        return self._version

    @property
    def schema(self) -> str:
        """The PostgreSQL schema holding the ledger."""
        assert self._schema is not None
        return self._schema

    @property
    def where(self) -> str:
        """Where the ledger is, ``user@host:port/dbname``, without the password."""
        return self._where

    # -- lifetime ------------------------------------------------------------------------

    def close(self) -> None:
        """Close every connection."""
        for conn in [self._conn, self._listener, *self._spares]:
            if conn is not None:
                conn.close()
        self._spares.clear()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._where} schema={self._schema!r}>"
