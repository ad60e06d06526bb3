"""The PostgreSQL store: a ledger shared by a team on a database server.

``ct.open("postgresql://desk@db.example/claims")`` (or ``postgres://…``, or any libpq
connection string such as ``"host=/run/postgresql dbname=claims"``) opens one.  The
schema and its migrations are described in :mod:`claimtrack.stores._pgschema`; it needs
the ``postgresql`` extra (``pip install 'claimtrack[postgresql]'``, which brings
psycopg 3).

Many writers, one order.  Every append first updates the one-row counter
``ledger_head`` (``UPDATE ledger_head SET last = last + n RETURNING last``) and then
inserts its records with the ``seq`` values it reserved, in one transaction at READ
COMMITTED: a small append is a single statement (one round trip, so the counter's row
lock, which serialises appends, is held only while the server works), a large one a
``COPY`` in a transaction.  So ``seq`` is gap-free and records commit in ``seq`` order:
a reader that has read every record up to the committed head never misses nor repeats
one (an identity column read as ``seq > cursor`` misses rows that commit out of
order).  The records other writers committed before an append's numbers, not handed out
yet, are read and returned by it; its ``NOTIFY`` wakes followers
(:meth:`~claimtrack.stores.PostgreSQLStore.wait_for_new`).  ``synchronous_commit`` is
on: an append that has returned is durable.  The unique index on ``id`` decides between
two writers that choose the same id: the second gets a
:class:`~claimtrack.errors.DuplicateRecordError`.

Weighing counts (schema version 2).  Every append also keeps, in the same transaction,
each claim's weighing counts (table ``weights``: how many pieces of evidence it has of
each stance, strength and reliability, see ``claimtrack.stores._weights``) and the
last ``seq`` they take in (``ledger_head.weights_upto``), so that
:meth:`~claimtrack.Tracker.assess_all` weighs each claim from its counts instead of
reading a million rows of evidence (``PostgreSQLStore._weighing_counts()``, one
snapshot).  An append counts its records and reads the stored counts it adds to before
it takes the head's lock, and writes the merged counts in its one statement, which
checks under the lock that nothing it relied on changed (else the append is made again,
reading and merging under the lock: ``claimtrack.stores._pgweights``).  Rows
written by other programs are caught up on by the next append; triggers drop the
counts of claims whose rows anyone updates or deletes, and empty them on ``TRUNCATE``
(:mod:`claimtrack.stores._pgschema`).  A role may append without grants on
``weights``: its appends leave the counts behind, for the next append of a role that
may to catch up on.  A version 1 ledger is read and appended to as it is, without
counts, until :meth:`~claimtrack.stores.PostgreSQLStore.upgrade` (its owner) migrates it.

Faults.  A connection lost during an append is followed by a reconnection and a look
at whether the append's ids are stored: ids are the idempotency key, so the store tells
an append that committed (it returns normally) from one that did not (it is made again,
once).  A connection lost between calls is made again by the next call.  Passwords never
appear in messages or reprs.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from claimtrack._model import (
    KIND_NAMES,
    Claim,
    ClaimKind,
    Evidence,
    Forecast,
    Record,
    Retraction,
    Ruling,
    Speaker,
)
from claimtrack.errors import CorruptStoreError

from ._base import ClaimRecords
from ._pgschema import SELECT_COLUMNS
from ._pgweights import read
from ._pgwrite import PgWriting
from ._rows import COLUMNS, Memo
from ._weights import LedgerWeights

if TYPE_CHECKING:
    import datetime


__all__ = ["PostgreSQLStore"]

_ROW = SELECT_COLUMNS  # (seq, type, version, *COLUMNS)
_FETCH = 5_000  # rows fetched at a time by a streaming read
_CLAIM_BATCH = 1_000  # claims read at a time by each_claim()
_RETRACTIONS_BELOW = """
    WITH RECURSIVE below(seq, id) AS (
        SELECT seq, id FROM records WHERE type = 'retraction' AND target_id = ANY(%(ids)s)
        UNION
        SELECT x.seq, x.id FROM records x JOIN below b ON x.target_id = b.id
        WHERE x.type = 'retraction'
    )"""
_R_ROW = (
    ", ".join(f"r.{name}" for name in ("seq", "type", "version", "id"))
    + ", "
    + ", ".join(f'r."{name}"' for name in COLUMNS[1:])
)
# every retraction reaching a claim or a record about it, with the claim's seq, ordered
_RETRACTIONS_BY_CLAIM = f"""
    WITH RECURSIVE below(seq, id, root) AS (
        SELECT x.seq, x.id, coalesce(t.claim_id, t.id)
        FROM records x JOIN records t ON t.id = x.target_id
        WHERE x.type = 'retraction' AND t.type <> 'retraction' AND t.type <> 'speaker'
        UNION
        SELECT x.seq, x.id, b.root FROM records x JOIN below b ON x.target_id = b.id
        WHERE x.type = 'retraction'
    )
    SELECT c.seq, {_R_ROW}
    FROM below b JOIN records c ON c.id = b.root AND c.type = 'claim'
    JOIN records r ON r.seq = b.seq
    ORDER BY c.seq, r.seq"""


class PostgreSQLStore(PgWriting):
    """Keeps records in a PostgreSQL database, in one schema per ledger.

    Args:
        dsn: a libpq connection string or URI (``postgresql://user@host/dbname``,
            ``postgres://…``, ``"host=… dbname=…"``).
        schema: the PostgreSQL schema holding the ledger, created on first use.  Without
            it, the first schema of the connection's ``search_path`` (set one with
            ``?options=-csearch_path%3Dname`` in the URI), usually ``public``.
        connect_timeout: seconds to wait for the server when connecting.

    Raises:
        StoreError: the server cannot be reached (naming the host and the cause, never
            the password), or psycopg is missing.
        CorruptStoreError: the schema holds tables, but not a claimtrack ledger.
        SchemaVersionError: the ledger was written by a newer claimtrack.

    Example:
        >>> store = PostgreSQLStore("postgresql://desk@db.example/claims", schema="riyadh")
        ... # doctest: +SKIP
        >>> with ct.Tracker(store) as tracker:  # doctest: +SKIP
        ...     _ = tracker.add_speaker("Donald Trump", id="trump")

        No server there: one line naming where, and why, without the password.

        >>> try:
        ...     PostgreSQLStore("host=/nowhere dbname=claims user=desk password=s3cret")
        ... except ct.errors.StoreError as error:
        ...     print(error)  # doctest: +ELLIPSIS
        PostgreSQL at desk@/nowhere/claims: cannot connect: ...

    .. versionadded:: 0.2.0
    """

    # -- streaming ----------------------------------------------------------------------

    def _stream(self, query: str, params: Any = None) -> Iterator[Record]:
        """The records of a query returning full rows, fetched a chunk at a time."""
        with self._snapshot() as conn, conn.cursor(name="claimtrack_stream") as cursor:
            cursor.execute(query, params)
            memo = Memo()  # shared by the chunks of one stream
            while rows := cursor.fetchmany(_FETCH):
                yield from self._decode(rows, memo)

    # -- what arrived --------------------------------------------------------------------

    def load(self) -> Iterator[Record]:
        """Yield every record, in order, and hand them out (for a tracker that loads all)."""
        self._cursor = 0
        return self._hand_out(self._stream_after(0))

    def _hand_out(self, records: Iterator[tuple[int, list[Record]]]) -> Iterator[Record]:
        for last, chunk in records:
            yield from chunk
            self._cursor = max(self._cursor, last)

    def _stream_after(self, after: int) -> Iterator[tuple[int, list[Record]]]:
        with self._snapshot() as conn:
            head = conn.execute("SELECT last FROM ledger_head").fetchone()[0]  # type: ignore[index]
            with conn.cursor(name="claimtrack_load") as cursor:
                cursor.execute(
                    f"SELECT {_ROW} FROM records WHERE seq > %s AND seq <= %s ORDER BY seq",
                    [after, head],
                )
                while rows := cursor.fetchmany(_FETCH):
                    yield rows[-1][0], self._decode(rows)

    def read_new(self) -> Iterator[Record]:
        """Records other writers committed since records were last handed out, in order.

        One indexed query up to the committed head: cheap when nothing changed.
        """
        rows = self._query(
            f"SELECT {_ROW} FROM records WHERE seq > %s"
            " AND seq <= (SELECT last FROM ledger_head) ORDER BY seq",
            [self._cursor],
        )
        if not rows:
            return iter(())
        records = self._decode(rows)
        self._cursor = rows[-1][0]
        return iter(records)

    @property
    def readonly(self) -> bool:
        """Whether the connection's role may not add records (no ``INSERT`` on the ledger).

        The server decides on every write; this asks it what the role was granted
        (``has_table_privilege``), so that a dashboard's read-only role is told apart.

        .. versionadded:: 0.2.0
        """
        rows = self._query("SELECT has_table_privilege('records', 'INSERT')")
        return not rows[0][0]

    def head(self) -> int:
        """The ``seq`` of the last committed record (0 for an empty ledger)."""
        return int(self._query("SELECT last FROM ledger_head")[0][0])

    def wait_for_new(self, timeout: float | None = None, *, poll: float = 0.2) -> bool:
        """Wait until another writer commits a record this store has not handed out.

        Listens for the ledger's notifications on a connection of its own (in
        autocommit, as LISTEN needs), and also looks at the head every *poll* seconds,
        so a notification lost with a connection costs at most *poll*.

        Args:
            timeout: seconds to wait at most; ``None`` waits as long as it takes.
            poll: seconds between looks at the head.

        Returns:
            Whether there are new records to read (:meth:`read_new`).
        """
        pg = self._pg
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            if self._listener is None or self._listener.closed or self._listener.broken:
                self._listener = self._connect()
                listen = self._pg.sql.SQL("LISTEN {}").format(
                    self._pg.sql.Identifier(self._channel)
                )
                self._listener.execute(listen)
            if self.head() > self._cursor:
                return True
            wait = poll if deadline is None else min(poll, deadline - time.monotonic())
            if wait <= 0:
                return False
            try:
                for _ in self._listener.notifies(timeout=wait, stop_after=1):
                    break
            except pg.OperationalError:
                self._listener.close()
                time.sleep(min(wait, poll))

    def follow(self, *, timeout: float | None = None, poll: float = 0.2) -> Iterator[Record]:
        """Yield records as other writers commit them.

        Args:
            timeout: stop once no record has come for this many seconds; ``None``
                follows for ever.
            poll: seconds between looks at the head besides notifications.

        Yields:
            Each new record once, in ``seq`` order.
        """
        while True:
            new = list(self.read_new())
            yield from new
            if not new and not self.wait_for_new(timeout, poll=poll):
                return

    # -- queries -------------------------------------------------------------------------

    def get(self, record_id: str) -> Record | None:
        """The record with this id, or ``None``."""
        rows = self._query(f"SELECT {_ROW} FROM records WHERE id = %s", [record_id])
        return self._decode(rows)[0] if rows else None

    def claim_of(self, record_id: str) -> str | None:
        """The id of the claim *record_id* bears on, through retractions; ``None`` if none."""
        rows = self._query(
            """WITH RECURSIVE up(id, type, claim_id, target_id) AS (
                    SELECT id, type, claim_id, target_id FROM records WHERE id = %s
                    UNION
                    SELECT r.id, r.type, r.claim_id, r.target_id FROM records r
                    JOIN up ON r.id = up.target_id WHERE up.type = 'retraction'
                )
                SELECT CASE type WHEN 'claim' THEN id ELSE claim_id END FROM up
                WHERE type <> 'retraction' LIMIT 1""",
            [record_id],
        )
        return rows[0][0] if rows else None

    def claim_records(self, claim_id: str) -> ClaimRecords | None:
        """Everything bearing on one claim, each kind in seq order; ``None`` if no claim."""
        rows = self._query(
            f"""WITH RECURSIVE base AS (
                    SELECT seq, id FROM records WHERE id = %(id)s AND type = 'claim'
                    UNION ALL SELECT seq, id FROM records WHERE claim_id = %(id)s
                ), below(seq, id) AS (
                    SELECT x.seq, x.id FROM records x
                    WHERE x.type = 'retraction' AND x.target_id IN (SELECT id FROM base)
                    UNION
                    SELECT x.seq, x.id FROM records x JOIN below b ON x.target_id = b.id
                    WHERE x.type = 'retraction'
                )
                SELECT {_ROW} FROM records
                WHERE seq IN (SELECT seq FROM base UNION SELECT seq FROM below)
                ORDER BY seq""",
            {"id": claim_id},
        )
        if not rows or rows[0][1] != "claim":
            return None
        records = self._decode(rows)
        self._check_retractions(records, [row[0] for row in rows])
        return _claim_records(records)

    def _check_retractions(self, records: Sequence[Record], seqs: Sequence[int]) -> None:
        """A retraction must come after its target: anything else is a damaged ledger."""
        at = {record.id: seq for record, seq in zip(records, seqs, strict=True)}
        for record, seq in zip(records, seqs, strict=True):
            if type(record) is Retraction and at.get(record.target_id, 0) >= seq:
                raise CorruptStoreError(
                    f"retraction {record.id!r} does not come after its target"
                    f" {record.target_id!r} (a retraction cycle)",
                    path=self._where,
                    line=seq,
                )

    def retractions_of(self, record_id: str) -> tuple[Retraction, ...]:
        """Every retraction below *record_id*, transitively, in seq order."""
        rows = self._query(
            _RETRACTIONS_BELOW + f" SELECT {_ROW} FROM records WHERE seq IN"
            " (SELECT seq FROM below) OR id = %(id)s ORDER BY seq",
            {"ids": [record_id], "id": record_id},
        )
        records = self._decode(rows)
        self._check_retractions(records, [row[0] for row in rows])
        return tuple(r for r in records if type(r) is Retraction and r.id != record_id)

    def _claims_where(
        self,
        speaker_id: str | None,
        topic: str | None,
        kind: ClaimKind | None,
        stated_from: datetime.date | None,
        stated_until: datetime.date | None,
    ) -> tuple[str, dict[str, Any]]:
        """The WHERE condition (and its parameters) of claims matching every filter."""
        where = ["type = 'claim'"]
        params: dict[str, Any] = {}
        if speaker_id is not None:
            where.append("speaker_id = %(speaker)s")
            params["speaker"] = speaker_id
        if topic is not None:
            where.append("topics::jsonb @> %(topic)s::jsonb")
            params["topic"] = self._pg.types.json.Jsonb([topic])
        if kind is not None:
            where.append("kind = %(kind)s")
            params["kind"] = ClaimKind(kind).value
        if stated_from is not None:
            where.append("stated_end >= %(from)s")
            params["from"] = stated_from
        if stated_until is not None:
            where.append("stated_end <= %(until)s")
            params["until"] = stated_until
        return " AND ".join(where), params

    def claims(
        self,
        *,
        speaker_id: str | None = None,
        topic: str | None = None,
        kind: ClaimKind | None = None,
        stated_from: datetime.date | None = None,
        stated_until: datetime.date | None = None,
    ) -> Iterator[Claim]:
        """Claims matching every filter, retracted ones included, in seq order.

        *topic* matches a stored topic exactly; *stated_from* and *stated_until*
        compare against ``stated_on.end``, inclusive.
        """
        where, params = self._claims_where(speaker_id, topic, kind, stated_from, stated_until)
        query = f"SELECT {_ROW} FROM records WHERE {where} ORDER BY seq"
        return self._typed(self._stream(query, params), Claim)

    @staticmethod
    def _typed(records: Iterable[Record], cls: Any) -> Iterator[Any]:
        return (record for record in records if type(record) is cls)

    def _weighing_counts(self) -> LedgerWeights | None:
        """Every claim, the weighing counts of those whose counts are current, the rulings.

        Read in one snapshot (a read-only REPEATABLE READ transaction).  ``None`` when
        the ledger keeps no counts that can be trusted: schema version 1, the triggers
        that drop the counts of edited claims are gone or disabled, ``weights_upto`` is
        NULL, or the role may not read ``weights`` (see
        :mod:`claimtrack.stores._weights`).  For :meth:`~claimtrack.Tracker.assess_all`.
        """
        with self._snapshot() as conn:
            return read(conn, self._where)

    def forecasts(
        self, *, speaker_id: str | None = None, claim_id: str | None = None
    ) -> Iterator[Forecast]:
        """The forecasts by *speaker_id* and of *claim_id*, retracted ones included.

        In seq order, streamed (over the ``(claim_id, seq)``, ``(speaker_id, seq)`` or
        ``(type, seq)`` index).
        """
        where = ["type = 'forecast'"]
        params: dict[str, Any] = {}
        if claim_id is not None:
            where.append("claim_id = %(claim)s")
            params["claim"] = claim_id
        if speaker_id is not None:
            where.append("speaker_id = %(speaker)s")
            params["speaker"] = speaker_id
        query = f"SELECT {_ROW} FROM records WHERE {' AND '.join(where)} ORDER BY seq"
        return self._typed(self._stream(query, params), Forecast)

    def speakers(self) -> Iterator[Speaker]:
        """Every speaker, in seq order."""
        rows = self._query(f"SELECT {_ROW} FROM records WHERE type = 'speaker' ORDER BY seq")
        return self._typed(self._decode(rows), Speaker)

    def counts(self) -> dict[str, int]:
        """Records per type name, every type present (0 included)."""
        counts = dict.fromkeys(KIND_NAMES.values(), 0)
        counts.update(self._query("SELECT type, count(*) FROM records GROUP BY type"))
        return counts

    def records(self) -> Iterator[Record]:
        """Every record in seq order, streamed through a server-side cursor."""
        return self._stream(f"SELECT {_ROW} FROM records ORDER BY seq")

    def each_claim(
        self,
        *,
        speaker_id: str | None = None,
        topic: str | None = None,
        kind: ClaimKind | None = None,
        stated_from: datetime.date | None = None,
        stated_until: datetime.date | None = None,
    ) -> Iterator[ClaimRecords]:
        """:class:`ClaimRecords` of every claim matching the filters (as :meth:`claims`).

        In claim seq order, streamed in one snapshot: claims are read a thousand at a
        time with their records (over the ``(claim_id, seq)`` index), and the
        retractions reaching them come from one server-side cursor ordered by the
        claim they reach.
        """
        where, params = self._claims_where(speaker_id, topic, kind, stated_from, stated_until)
        batch = f"SELECT {_ROW} FROM records WHERE {where} AND seq > %(after)s"
        batch += f" ORDER BY seq LIMIT {_CLAIM_BATCH}"
        memo = Memo()
        with self._snapshot() as conn, conn.cursor(name="claimtrack_retractions") as retractions:
            retractions.execute(_RETRACTIONS_BY_CLAIM)
            pending: list[tuple[Any, ...]] = []
            exhausted = False
            after = 0
            while True:
                claims = conn.execute(batch, {**params, "after": after}).fetchall()
                if not claims:
                    return
                after = claims[-1][0]
                rows = conn.execute(
                    f"SELECT {_ROW} FROM records WHERE claim_id = ANY(%s) ORDER BY seq",
                    [[row[3] for row in claims]],
                ).fetchall()
                while not exhausted and (not pending or pending[-1][0] <= after):
                    more = retractions.fetchmany(_FETCH)
                    exhausted = len(more) < _FETCH
                    pending += more
                mine = [row for row in pending if row[0] <= after]
                pending = [row for row in pending if row[0] > after]
                yield from self._group(claims, rows, mine, memo)

    def _group(
        self,
        claims: Sequence[tuple[Any, ...]],
        rows: Sequence[tuple[Any, ...]],
        retractions: Sequence[tuple[Any, ...]],
        memo: Memo,
    ) -> Iterator[ClaimRecords]:
        by_claim: dict[str, list[Record]] = {}
        for record in self._decode(rows, memo):
            by_claim.setdefault(record.claim_id, []).append(record)  # type: ignore[union-attr]
        retracted: dict[int, list[tuple[Any, ...]]] = {}
        for row in retractions:
            retracted.setdefault(row[0], []).append(row[1:])
        for claim, row in zip(self._decode(claims, memo), claims, strict=True):
            found = [claim, *by_claim.get(claim.id, ())]
            if row[0] in retracted:
                found += self._decode(retracted[row[0]], memo)
            yield _claim_records(found)

    def search(self, words: str, *, limit: int = 20) -> list[tuple[Record, float]]:
        """Claims and evidence whose text matches *words*, best first, with a score.

        Full-text search with ``to_tsvector``/``plainto_tsquery`` in the ``simple``
        configuration (no stemming, any language), ranked by ``ts_rank``.
        """
        rows = self._query(
            f"""SELECT ts_rank(to_tsvector('simple', text), q) AS rank, {_ROW}
                FROM records, plainto_tsquery('simple', %(words)s) q
                WHERE type IN ('claim', 'evidence') AND to_tsvector('simple', text) @@ q
                ORDER BY rank DESC, seq LIMIT %(limit)s""",
            {"words": words, "limit": limit},
        )
        records = self._decode([row[1:] for row in rows])
        return [(record, float(row[0])) for record, row in zip(records, rows, strict=True)]

    def __enter__(self) -> PostgreSQLStore:
        return self


def _claim_records(records: Sequence[Record]) -> ClaimRecords:
    """Sort one claim's records (in seq order) into a :class:`ClaimRecords`."""
    claim = records[0]
    assert type(claim) is Claim
    rest = records[1:]
    return ClaimRecords(
        claim=claim,
        evidence=tuple(r for r in rest if type(r) is Evidence),
        rulings=tuple(r for r in rest if type(r) is Ruling),
        forecasts=tuple(r for r in rest if type(r) is Forecast),
        retractions=tuple(r for r in rest if type(r) is Retraction),
    )
