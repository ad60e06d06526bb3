"""Writing to a PostgreSQL ledger: appends, their weighing counts, and lost connections.

Part of :mod:`claimtrack.stores._postgresql` (split off to keep modules small), where
the rules are told (many writers, one order; weighing counts; faults): the base class
:class:`PgWriting` holds ``append`` and what it needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from claimtrack._model import KIND_NAMES, Record
from claimtrack.errors import DuplicateRecordError, InvalidRecordError, StoreError

from ._pgconn import PgConnections
from ._pgschema import COPY, SELECT_COLUMNS, append_statement
from ._pgweights import CHANGED, Pending
from ._rows import COLUMNS, KIND_COLUMNS, Memo, _widen, decode_rows, to_values_many

if TYPE_CHECKING:
    import psycopg

__all__ = ["PgWriting"]

_ROW = SELECT_COLUMNS  # (seq, type, version, *COLUMNS)
# a COPY row (seq, type, version, *COLUMNS) from (seq, *to_values(record), None), by type
_COPY_ROW = {
    kind: itemgetter(
        0, 1, 2, *(3 + keys.index(name) if name in keys else 3 + len(keys) for name in COLUMNS)
    )
    for kind, keys in KIND_COLUMNS.items()
}
_COPY_FROM = 64  # appends of this many records or more go through COPY


class PgWriting(PgConnections):
    """Appends to one PostgreSQL ledger (see :mod:`claimtrack.stores._postgresql`)."""

    # -- decoding ------------------------------------------------------------------------

    def _decode(self, rows: Sequence[Sequence[Any]], memo: Memo | None = None) -> list[Record]:
        """The records of full rows ``(seq, type, version, *COLUMNS)``, in order."""
        return decode_rows(rows, path=self._where, memo=memo)

    # -- writing -------------------------------------------------------------------------

    def append(self, records: Sequence[Record]) -> Sequence[Record]:
        """Insert *records* in one transaction, after the other writers' ones.

        Returns:
            The records other writers appended since this store last handed records
            out, in order (they precede *records*).

        Raises:
            DuplicateRecordError: one of the ids is stored already (also by another
                writer), or appears twice in *records*.
            InvalidRecordError: a record holds text PostgreSQL cannot store.
            StoreError: the server cannot be reached, or refuses the write (naming the
                cause: a read-only role gets "permission denied").
        """
        if not records:
            return ()
        pg = self._pg
        try:
            others, last = self._append_once(records)
        except pg.errors.UniqueViolation:
            raise self._duplicate(records) from None
        except UnicodeEncodeError as exc:
            raise InvalidRecordError("text", exc.object, "contains a lone surrogate") from None
        except pg.OperationalError as exc:
            if not (self._conn.closed or self._conn.broken):
                raise self._error("cannot write", exc) from None
            others, last = self._after_lost_connection(records, exc)
        except pg.Error as exc:
            raise self._error("cannot write", exc) from None
        self._cursor = last
        return others

    def _append_once(self, records: Sequence[Record]) -> tuple[list[Record], int]:
        """One append's transaction: move the head, insert, then read the others' records.

        A small append is one statement, which takes the head's row lock, inserts and
        notifies; with the weighing counts (schema version 2) it is followed, in the
        same transaction, by their update (:func:`~claimtrack.stores._pgweights.fold`).
        The head's row lock, which serialises appends, is held until the commit.  The
        other writers' records before it were committed before it took the lock, and
        are read after.  A large append goes through ``COPY`` in a transaction.
        """
        conn = self._live()
        n = len(records)
        if n >= _COPY_FROM:
            return self._append_copy(conn, records)
        rows = [_widen(values) for values in to_values_many(records, Memo())]
        params: list[Any] = [n]
        for k, row in enumerate(rows, 1):
            params += (k, *row)
        params.append(self._channel)
        if not self._counting:
            # one statement, so its own transaction (autocommit, READ COMMITTED): the
            # head's row lock is held only while the server runs it and commits
            last = conn.execute(append_statement(n), params).fetchone()[0]  # type: ignore[index]
            return self._others(conn, last - n), last  # committed before this one: no lock
        pending = Pending(records)  # counted before the lock is taken
        if self._fast:
            merged = pending.merged(conn)  # (the stored counts it adds to: read before)
            if merged is not None:
                last = self._append_fast(conn, n, params, merged)
                if last is not None:
                    return self._others(conn, last - n), last
        # one pipeline: the statement, then the read of the stored counts it needs (after
        # the lock: a new snapshot at READ COMMITTED); then the counts written and COMMIT
        with conn.pipeline(), conn.transaction():
            appended = conn.execute(append_statement(n, counted=True), params)
            asked = pending.ask(conn)
            found = appended.fetchone()
            last = found[0]  # type: ignore[index]
            pending.finish(conn, last, found[1], asked, self._where, copy=False)  # type: ignore[index]
        return self._others(conn, last - n), last

    def _append_fast(
        self, conn: psycopg.Connection[Any], n: int, params: list[Any], merged: list[Any]
    ) -> int | None:
        """The append as one statement with its counts, merged before the lock was taken.

        Returns the new head, or ``None`` if the statement found that the counts it
        relied on changed while it waited for the lock (it stored nothing then: see
        :func:`~claimtrack.stores._pgschema.append_statement`).
        """
        pg = self._pg
        *rows, channel = params
        try:
            found = conn.execute(
                append_statement(n, counts=True), [*rows, *merged[:3], channel, merged[3]]
            ).fetchone()
        except pg.errors.UndefinedFunction:  # (the schema lost the function: not this way)
            self._fast = False
            return None
        except pg.Error as exc:
            if exc.sqlstate == CHANGED:
                return None
            raise
        return int(found[0])  # type: ignore[index]

    def _append_copy(
        self, conn: psycopg.Connection[Any], records: Sequence[Record]
    ) -> tuple[list[Record], int]:
        """A large append: ``COPY`` in a transaction holding the head's row lock.

        The records are counted first (before the lock), and encoded as they are
        written: the server, which takes longer over each row (its indexes) than this
        process, is kept busy meanwhile.
        """
        n = len(records)
        counting = self._counting
        pending = Pending(records) if counting else None
        with conn.transaction():
            found = conn.execute(
                "UPDATE ledger_head SET last = last + %s RETURNING last"
                + (", weights_upto" if counting else ""),
                [n],
            ).fetchone()
            last = found[0]  # type: ignore[index]
            first = last - n + 1
            others = self._others(conn, first - 1)
            with conn.cursor() as cursor, cursor.copy(COPY) as copy:
                write = copy.write_row
                # (one memo for the whole append: a source, a day, a second encoded once)
                for seq, row in enumerate(to_values_many(records, Memo()), first):
                    write(_COPY_ROW[row[0]]((seq, *row, None)))
            if pending is not None:
                pending.finish(conn, last, found[1], pending.ask(conn), self._where)  # type: ignore[index]
            conn.execute("SELECT pg_notify(%s, %s)", [self._channel, str(last)])
        return others, last

    def _others(self, conn: psycopg.Connection[Any], upto: int) -> list[Record]:
        """The records in (cursor, *upto*]: committed by others, not yet handed out."""
        if upto <= self._cursor:
            return []
        rows = conn.execute(
            f"SELECT {_ROW} FROM records WHERE seq > %s AND seq <= %s ORDER BY seq",
            [self._cursor, upto],
        ).fetchall()
        return self._decode(rows)

    def _after_lost_connection(
        self, records: Sequence[Record], exc: BaseException
    ) -> tuple[list[Record], int]:
        """Tell whether an append whose connection was lost committed, and finish it.

        The ids are the idempotency key: if every one of them is stored, in a run of
        ``seq`` of this append's length, the append committed; if none is, it did not,
        and it is made once more.
        """
        pg = self._pg
        ids = [record.id for record in records]
        try:
            conn = self._live()
            found = conn.execute(
                "SELECT seq, id FROM records WHERE id = ANY(%s) ORDER BY seq", [ids]
            ).fetchall()
            if not found:
                return self._append_once(records)
            seqs = [seq for seq, _ in found]
            if [rid for _, rid in found] == ids and seqs[-1] - seqs[0] == len(ids) - 1:
                return self._others(conn, seqs[0] - 1), seqs[-1]
        except pg.errors.UniqueViolation:
            raise self._duplicate(records) from None
        except (pg.Error, StoreError):
            raise self._error(
                "lost the connection during an append, and cannot tell whether it was"
                " stored; once the server is back, retry with the same ids (an id already"
                " stored is then a DuplicateRecordError)",
                exc,
            ) from None
        raise self._duplicate(records)

    def _duplicate(self, records: Sequence[Record]) -> StoreError | DuplicateRecordError:
        ids = [record.id for record in records]
        found = self._query(
            "SELECT id, type FROM records WHERE id = ANY(%s) ORDER BY seq LIMIT 1", [ids]
        )
        if found:
            return DuplicateRecordError(found[0][0], kind=found[0][1])
        seen: set[str] = set()
        for record in records:
            if record.id in seen:
                return DuplicateRecordError(record.id, kind=KIND_NAMES[type(record)])
            seen.add(record.id)
        return StoreError(f"PostgreSQL at {self._where}: a constraint failed", path=self._where)
