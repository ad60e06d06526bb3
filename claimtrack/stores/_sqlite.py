"""The SQLite store: the default for ledger files (``ct.open("riyadh.db")``).

It answers every query of the :class:`~claimtrack.stores.Store` protocol with SQL over
indexes, so opening a ledger reads nothing but its schema version, and a question
about one claim reads that claim's rows.

The file format (schema version 4, the older versions a file may have, and how each
is read and migrated) is described in :mod:`claimtrack.stores._schema`.

Rows are only ever inserted.  The ``UNIQUE`` constraint on ``id`` makes two processes
that add the same id at the same time fail cleanly: the second gets a
:class:`~claimtrack.errors.DuplicateRecordError`.

Read-only: with ``readonly=True``, or when the process cannot write the file, the
database is opened with SQLite's ``mode=ro``; when the folder cannot be written either
(WAL needs its ``-wal`` and ``-shm`` files there) and no ``-wal`` file is waiting to be
applied, with ``immutable=1``, which reads the file as a snapshot (reopen to see
later changes).  Every write is then a :class:`~claimtrack.errors.StoreError` naming the
file and the cause, as is a write that SQLite refuses (a full disk, a file that became
read-only, a lock held past the timeout); the transaction is rolled back, so every
acknowledged record stays.

Durability and concurrency: the connection runs with ``isolation_level=None`` (no
implicit transactions), the journal in WAL mode, ``synchronous=FULL`` and a busy
timeout; every append is one explicit ``BEGIN IMMEDIATE ... COMMIT``, so an append that
has returned is on disk, a crash leaves either all of an append or none of it, and
concurrent writers queue instead of losing updates.  Every query is one statement
(one snapshot); whether another process committed since the store last looked is
``PRAGMA data_version``, a read of the connection's own state.

Migration path: see :mod:`claimtrack.stores._schema`.

A database newer than ``SCHEMA_VERSION`` raises
:class:`~claimtrack.errors.SchemaVersionError` and is not touched; a SQLite database
that is not a ledger, or a file that is not SQLite at all, raises
:class:`~claimtrack.errors.CorruptStoreError` and is not touched either.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import itertools
import os
import sqlite3
from collections.abc import Iterator, Sequence
from operator import itemgetter
from typing import Any

from claimtrack._codec import loads_many
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
from claimtrack.errors import (
    CorruptStoreError,
    InvalidRecordError,
    StoreError,
)

from ._base import ClaimRecords, type_counts
from ._index import LedgerIndex, tokens
from ._rows import Memo, decode_rows, from_evidence_rows
from ._schema import (
    _FULL,
    _FULL_QUALIFIED,
    _SELECT_AFTER,
    _SELECT_V1,
    SCHEMA_VERSION,
    SELECT_EVIDENCE_OF,
    SELECT_OTHERS_OF,
    duplicate,
    insert,
    weights_upto,
)
from ._sqlite_file import SQLiteFile, _write_error
from ._weights import TRIGGERS, LedgerWeights

__all__ = ["SCHEMA_VERSION", "SQLiteStore"]

_CHUNK = 10_000
_CLAIMS_AT_ONCE = 500
# the claims the weighing counts are not used for: those a retraction reaches, and those
# with a row after the counts' last seq (see claimtrack.stores._weights)
_RETRACTED_CLAIMS = "SELECT DISTINCT claim_key FROM records WHERE type = 'retraction'"
_CLAIMS_AFTER = "SELECT DISTINCT claim_key FROM records WHERE seq > ?"
_RULINGS = f"SELECT claim_key, {_FULL} FROM records WHERE type = 'ruling' ORDER BY seq"


def _claim_records(claim: Claim, records: Sequence[Record]) -> ClaimRecords:
    """The ClaimRecords of a claim and the records bearing on it, in seq order."""
    if all(type(r) is Evidence for r in records):
        return ClaimRecords(claim, tuple(records))  # type: ignore[arg-type]
    by_type: dict[str, list[Record]] = {}
    for record in records:
        by_type.setdefault(KIND_NAMES[type(record)], []).append(record)
    return ClaimRecords(
        claim,
        tuple(by_type.get("evidence", ())),  # type: ignore[arg-type]
        tuple(by_type.get("ruling", ())),  # type: ignore[arg-type]
        tuple(by_type.get("forecast", ())),  # type: ignore[arg-type]
        tuple(by_type.get("retraction", ())),  # type: ignore[arg-type]
    )


_KIND = itemgetter(0)


class SQLiteStore(SQLiteFile):
    """Keeps records in a SQLite database file, and answers queries with SQL.

    Args:
        path: the database file; created (with the schema) if it does not exist.
        timeout: how long, in seconds, to wait for another writer to finish.
        readonly: open the file for reading only; it must exist.  A file the process
            cannot write is opened this way without being asked (see the module).

    Raises:
        CorruptStoreError: the file is not a SQLite database, or not a ledger.
        SchemaVersionError: the file was written by a newer claimtrack.
        StoreError: the file cannot be opened (with *readonly*: it does not exist).

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "riyadh.db")
        >>> with ct.Tracker(SQLiteStore(path)) as tracker:
        ...     _ = tracker.add_speaker("Donald Trump", id="trump")
        >>> with ct.Tracker(SQLiteStore(path)) as again:
        ...     again.speaker("trump").name
        'Donald Trump'

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       Schema version 4; answers the queries of the :class:`~claimtrack.stores.Store`
       protocol from the file, and keeps per-claim weighing counts for
       :meth:`~claimtrack.Tracker.assess_all`.
    """

    def __init__(
        self, path: str | os.PathLike[str], *, timeout: float = 30.0, readonly: bool = False
    ) -> None:
        self._path = os.fspath(path)
        self._cursor = 0  # the seq of the last row handed out
        self._version = SCHEMA_VERSION  # the layout of the file, read on opening
        self._unhanded: list[Record] = []  # read (by a failed append), not handed out
        self._legacy: LedgerIndex | None = None  # an older file, read into memory
        self._seen = -1  # PRAGMA data_version when the store last looked
        self._counts: dict[str, int] | None = None
        self._timeout = timeout
        self._readonly: str | None = None  # why writes are refused, if they are
        if readonly:
            self._readonly = "the ledger was opened read-only"
        elif os.path.exists(self._path) and not os.access(self._path, os.W_OK):
            self._readonly = "the file is read-only"
        if self._readonly is not None and not os.path.isfile(self._path):
            raise StoreError(
                f"{self._path}: cannot open read-only: the file does not exist", path=self._path
            )
        self._conn = self._connect("mode=ro" if self._readonly else None)
        try:
            self._open(timeout)
            self._start()
        except BaseException:
            self._conn.close()
            raise

    def _start(self) -> None:
        """Note where the file ends; read an older file whole (see the module docstring)."""
        self._check_version()
        self._seen = self._data_version()
        self._legacy = None
        self._cursor = self._last() if self._version >= 3 else 0

    def _old(self) -> LedgerIndex | None:
        """An older file's in-memory index, read whole on first use; ``None`` for v3."""
        if self._version >= 3:
            return None
        if self._legacy is None:
            index = LedgerIndex(self._path)
            cursor = 0
            for record, seq in self._after(0):
                index.add(record, seq)
                cursor = seq
            self._legacy, self._cursor = index, cursor
        return self._legacy

    # -- reading -----------------------------------------------------------------------

    def _data_version(self) -> int:
        try:
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.ProgrammingError:  # every query looks here first
            raise StoreError(f"{self._path}: the ledger is closed", path=self._path) from None

    def _last(self) -> int:
        return int(self._conn.execute("SELECT coalesce(max(seq), 0) FROM records").fetchone()[0])

    def _query(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        try:
            return self._conn.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as exc:
            raise CorruptStoreError(f"cannot read records: {exc}", path=self._path) from None

    def _decode(self, rows: Sequence[Sequence[Any]], memo: Memo | None = None) -> list[Record]:
        return decode_rows(rows, path=self._path, memo=memo)

    def _after(self, seq: int, upto: int | None = None) -> Iterator[tuple[Record, int]]:
        """Every record after *seq* (up to *upto*), with its seq, a chunk of rows at a time.

        Each chunk is one statement, so no snapshot is held between chunks; *upto*
        (the last seq when a read began) makes a long read end where it began.
        """
        memo = Memo()
        while upto is None or seq < upto:
            if self._version >= 2:
                rows = self._query(_SELECT_AFTER, (seq, _CHUNK))
                if not rows:
                    return
                if upto is not None and rows[-1][0] > upto:
                    rows = [row for row in rows if row[0] <= upto]
                records = self._decode(rows, memo)
            else:
                rows = self._query(_SELECT_V1, (seq, _CHUNK))
                if upto is not None:
                    rows = [row for row in rows if row[0] <= upto]
                if not rows:
                    return
                for line, data in rows:
                    if type(data) is not str:
                        raise CorruptStoreError(
                            f"row data is not text: {data!r:.80}", path=self._path, line=line
                        )
                records = loads_many(
                    [r[1] for r in rows], path=self._path, lines=[r[0] for r in rows]
                )
            yield from zip(records, (row[0] for row in rows), strict=True)
            seq = rows[-1][0]

    def _fresh(self) -> None:
        """Take in what other writers committed since the store last looked.

        Cheap when nothing changed: ``PRAGMA data_version``.  An older file's
        in-memory index takes in the new records (kept, to be handed out by
        :meth:`read_new`); a version 3 file answers from the file itself.
        """
        now = self._data_version()
        if now == self._seen:
            return
        self._seen = now
        self._counts = None
        version = self._version
        self._check_version()
        if version < 3 <= self._version:  # upgraded by another process
            self._legacy = None
        if self._legacy is not None:
            self._take(self._cursor)

    def _take(self, seq: int) -> list[Record]:
        """The records after *seq* (new to this store), kept to be handed out."""
        found = []
        for record, at in self._after(seq):
            if self._legacy is not None:
                self._legacy.add(record, at)
            found.append(record)
            self._cursor = at
        self._unhanded.extend(found)
        return found

    def read_new(self) -> Iterator[Record]:
        """Yield the records other writers appended since this store last handed any out.

        Raises:
            CorruptStoreError: a new row cannot be read as a record (naming its seq).
        """
        self._fresh()
        if self._old() is None and self._last() > self._cursor:
            self._take(self._cursor)
        found, self._unhanded = self._unhanded, []
        return iter(found)

    def get(self, record_id: str) -> Record | None:
        """The record with this id, or ``None``."""
        self._fresh()
        if (index := self._old()) is not None:
            return index.by_id.get(record_id)
        rows = self._query(f"SELECT {_FULL} FROM records WHERE id = ?", (record_id,))
        return self._decode(rows)[0] if rows else None

    def claim_of(self, record_id: str) -> str | None:
        """The id of the claim *record_id* bears on, through retractions; ``None`` if none."""
        self._fresh()
        if (index := self._old()) is not None:
            return index.claim_of(record_id)
        rows = self._query("SELECT claim_key FROM records WHERE id = ?", (record_id,))
        return rows[0][0] if rows else None

    def _grouped(self, rows: Sequence[Sequence[Any]], memo: Memo) -> ClaimRecords | None:
        """The ClaimRecords of one claim's rows (seq order), ``None`` if no claim."""
        records = self._decode(rows, memo)
        if not records or not isinstance(records[0], Claim):
            return None
        return _claim_records(records[0], records[1:])

    def claim_records(self, claim_id: str) -> ClaimRecords | None:
        """Everything bearing on the claim: one range of an index; ``None`` if no claim."""
        self._fresh()
        if (index := self._old()) is not None:
            return index.claim_records(claim_id)
        rows = self._query(
            f"SELECT {_FULL} FROM records WHERE claim_key = ? ORDER BY seq", (claim_id,)
        )
        if not rows or rows[0][3] != claim_id:
            return None
        return self._grouped(rows, Memo())

    def retractions_of(self, record_id: str) -> tuple[Retraction, ...]:
        """Every retraction below *record_id*, transitively, in seq order."""
        self._fresh()
        if (index := self._old()) is not None:
            return index.retractions_of(record_id)
        if not self._query("SELECT 1 FROM records WHERE target_id = ? LIMIT 1", (record_id,)):
            return ()  # (most records: nothing retracts them)
        claim_id = self.claim_of(record_id)
        if claim_id is None:
            return ()
        rows = self._query(
            f"SELECT {_FULL} FROM records WHERE claim_key = ? AND type = 'retraction' ORDER BY seq",
            (claim_id,),
        )
        reached, found = {record_id}, []
        for retraction in self._decode(rows):
            assert isinstance(retraction, Retraction)
            if retraction.target_id in reached:
                reached.add(retraction.id)
                found.append(retraction)
        return tuple(found)

    def _claims_sql(
        self, speaker_id: str | None, topic: str | None, kind: ClaimKind | None
    ) -> tuple[str, list[Any]]:
        # with a speaker or a topic, their index; else the (type, seq) index
        where, args = ["type = 'claim'", "seq > ?"], []
        if speaker_id is not None or topic is not None:
            where[0] = "+type = 'claim'"
        if speaker_id is not None:
            where.append("speaker_id = ?")
            args.append(speaker_id)
        if topic is not None:
            where.append("seq IN (SELECT seq FROM topics WHERE topic = ?)")
            args.append(topic)
        if kind is not None:
            where.append("kind = ?")
            args.append(kind.value)
        return f"SELECT {_FULL} FROM records WHERE {' AND '.join(where)} ORDER BY seq", args

    def _claims_chunks(
        self,
        speaker_id: str | None,
        topic: str | None,
        kind: ClaimKind | None,
        stated_from: _dt.date | None,
        stated_until: _dt.date | None,
        size: int,
    ) -> Iterator[list[Claim]]:
        sql, args = self._claims_sql(speaker_id, topic, kind)
        sql += " LIMIT ?"
        seq, memo = 0, Memo()
        while True:
            rows = self._query(sql, (seq, *args, size))
            if not rows:
                return
            seq = rows[-1][0]
            claims = [
                c
                for c in self._decode(rows, memo)
                if isinstance(c, Claim)
                and (stated_from is None or c.stated_on.end >= stated_from)
                and (stated_until is None or c.stated_on.end <= stated_until)
            ]
            if claims:
                yield claims

    def claims(
        self,
        *,
        speaker_id: str | None = None,
        topic: str | None = None,
        kind: ClaimKind | None = None,
        stated_from: _dt.date | None = None,
        stated_until: _dt.date | None = None,
    ) -> Iterator[Claim]:
        """Claims matching every filter, retracted ones included, in seq order."""
        self._fresh()
        if (index := self._old()) is not None:
            return iter(
                index.select_claims(
                    speaker_id=speaker_id,
                    topic=topic,
                    kind=kind,
                    stated_from=stated_from,
                    stated_until=stated_until,
                )
            )
        chunks = self._claims_chunks(speaker_id, topic, kind, stated_from, stated_until, _CHUNK)
        return itertools.chain.from_iterable(chunks)

    def each_claim(
        self,
        *,
        speaker_id: str | None = None,
        topic: str | None = None,
        kind: ClaimKind | None = None,
        stated_from: _dt.date | None = None,
        stated_until: _dt.date | None = None,
    ) -> Iterator[ClaimRecords]:
        """The records of every claim matching the filters, claim by claim, in seq order.

        Claims are read some hundreds at a time, with all their records, so memory is
        bounded by one such group.
        """
        self._fresh()
        if (index := self._old()) is not None:
            return index.each_claim(
                index.select_claims(
                    speaker_id=speaker_id,
                    topic=topic,
                    kind=kind,
                    stated_from=stated_from,
                    stated_until=stated_until,
                )
            )
        return self._each_claim(speaker_id, topic, kind, stated_from, stated_until)

    def _each_claim(
        self,
        speaker_id: str | None,
        topic: str | None,
        kind: ClaimKind | None,
        stated_from: _dt.date | None,
        stated_until: _dt.date | None,
    ) -> Iterator[ClaimRecords]:
        memo = Memo()
        path = self._path
        for claims in self._claims_chunks(
            speaker_id, topic, kind, stated_from, stated_until, _CLAIMS_AT_ONCE
        ):
            marks = ", ".join("?" * len(claims))
            ids = [c.id for c in claims]
            narrow = self._query(SELECT_EVIDENCE_OF.format(marks=marks), ids)
            evidence = from_evidence_rows([row[1:] for row in narrow], path=path, memo=memo)
            found: dict[str, list[tuple[int, Record]]] = {}
            for row, record in zip(narrow, evidence, strict=True):
                found.setdefault(row[0], []).append((row[1], record))
            wide = self._query(SELECT_OTHERS_OF.format(marks=marks), ids)
            if wide:
                others = self._decode([row[1:] for row in wide], memo)
                for row, record in zip(wide, others, strict=True):
                    found.setdefault(row[0], []).append((row[1], record))
            for claim in claims:
                pairs = found.get(claim.id, [])
                pairs.sort(key=_KIND)  # (in seq order already, as a rule: cheap)
                yield _claim_records(claim, [record for _, record in pairs])

    def _weighing_counts(self) -> LedgerWeights | None:
        """Every claim, the weighing counts of those whose counts are current, the rulings.

        Read in one snapshot (one read transaction).  ``None`` when the file keeps no
        counts that can be trusted: an older schema, or the triggers that drop the
        counts of edited claims are gone (see :mod:`claimtrack.stores._weights`).
        For :meth:`~claimtrack.Tracker.assess_all`.
        """
        self._fresh()
        if self._version < 4:
            return None
        conn = self._conn
        try:
            conn.execute("BEGIN")
        except sqlite3.Error as exc:
            raise CorruptStoreError(f"cannot read records: {exc}", path=self._path) from None
        try:
            marks = ", ".join("?" * len(TRIGGERS))
            found = self._query(
                f"SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})",
                TRIGGERS,
            )
            upto = weights_upto(conn)
            if found[0][0] != len(TRIGGERS) or upto is None:
                return None
            claims = [c for chunk in self._claims_chunks(None, None, None, None, None, _CHUNK)
                      for c in chunk]  # fmt: skip
            counts: dict[str, object] = dict(self._query("SELECT claim_key, counts FROM weights"))
            for sql, args in (_RETRACTED_CLAIMS, ()), (_CLAIMS_AFTER, (upto,)):
                for (key,) in self._query(sql, args):
                    counts.pop(key, None)
            rows = self._query(_RULINGS)
            rulings: dict[str, list[Ruling]] = {}
            for row, ruling in zip(rows, self._decode([row[1:] for row in rows]), strict=True):
                if isinstance(ruling, Ruling):
                    rulings.setdefault(row[0], []).append(ruling)
            return LedgerWeights(claims, counts, rulings)
        finally:
            conn.execute("COMMIT")

    def forecasts(
        self, *, speaker_id: str | None = None, claim_id: str | None = None
    ) -> Iterator[Forecast]:
        """The forecasts by *speaker_id* and of *claim_id*, retracted ones included.

        In seq order, read a chunk of rows at a time: the claim's range of the
        ``claim_key`` index, else the speaker's range of the ``speaker_id`` index, else
        the forecasts' range of the ``type`` index.
        """
        self._fresh()
        if (index := self._old()) is not None:
            return iter(index.select_forecasts(speaker_id, claim_id))
        where, args = ["type = 'forecast'", "seq > ?"], []
        if claim_id is not None:
            where[0] = "+type = 'forecast'"
            where.append("claim_key = ?")
            args.append(claim_id)
        if speaker_id is not None:
            where[0] = "+type = 'forecast'"
            where.append("speaker_id = ?")
            args.append(speaker_id)
        sql = f"SELECT {_FULL} FROM records WHERE {' AND '.join(where)} ORDER BY seq LIMIT ?"
        return self._forecast_chunks(sql, args)

    def _forecast_chunks(self, sql: str, args: list[Any]) -> Iterator[Forecast]:
        seq, memo = 0, Memo()
        while True:
            rows = self._query(sql, (seq, *args, _CHUNK))
            if not rows:
                return
            seq = rows[-1][0]
            for record in self._decode(rows, memo):
                assert isinstance(record, Forecast)
                yield record

    def speakers(self) -> Iterator[Speaker]:
        """Every speaker, in seq order."""
        self._fresh()
        if (index := self._old()) is not None:
            return iter(list(index.speakers.values()))
        rows = self._query(f"SELECT {_FULL} FROM records WHERE type = 'speaker' ORDER BY seq")
        return iter([s for s in self._decode(rows) if isinstance(s, Speaker)])

    def counts(self) -> dict[str, int]:
        """Records per type name, 0 included (kept until the file changes)."""
        self._fresh()
        if (index := self._old()) is not None:
            return dict(index.counts)
        if self._counts is None:
            found = type_counts()
            for kind, n in self._query("SELECT type, count(*) FROM records GROUP BY type"):
                found[kind] = n
            self._counts = found
        return dict(self._counts)

    def records(self) -> Iterator[Record]:
        """Every record, in seq order, read a chunk of rows at a time.

        Raises:
            CorruptStoreError: a row cannot be read as a record (naming its ``seq``).
            SchemaVersionError: a row was written by a newer claimtrack.
        """
        self._fresh()
        if (index := self._old()) is not None:
            return iter(list(index.by_id.values()))
        return (record for record, _ in self._after(0, self._last()))

    load = records  # the name before 0.2.0

    def search(self, words: str, *, limit: int = 20) -> list[tuple[Record, float]]:
        """Claims and evidence holding every word of *words*, best first.

        With FTS5: ranked by ``bm25`` (the score is its negation: higher is better).
        Without it (or on an older file): every word as a case-insensitive ``LIKE``,
        each result scoring 1.0, in seq order.
        """
        self._fresh()
        if (index := self._old()) is not None:
            return index.search(words, limit=limit)
        wanted = list(dict.fromkeys(tokens(words)))
        if not wanted or limit <= 0:
            return []
        has_fts = self._query("SELECT count(*) FROM sqlite_master WHERE name = 'records_text'")[0][
            0
        ]
        if has_fts:
            match = " ".join('"' + w.replace('"', '""') + '"' for w in wanted)
            rows = self._query(
                f"SELECT bm25(records_text), {_FULL_QUALIFIED}"
                " FROM records_text JOIN records ON records.seq = records_text.rowid"
                " WHERE records_text MATCH ? ORDER BY bm25(records_text), records.seq LIMIT ?",
                (match, limit),
            )
            records = self._decode([row[1:] for row in rows])
            return [(r, -float(row[0])) for r, row in zip(records, rows, strict=True)]
        likes = " AND ".join("text LIKE ? ESCAPE '\\'" for _ in wanted)
        patterns = [
            "%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            for w in wanted
        ]
        rows = self._query(
            f"SELECT {_FULL} FROM records WHERE type IN ('claim', 'evidence') AND {likes}"
            " ORDER BY seq LIMIT ?",
            (*patterns, limit),
        )
        return [(r, 1.0) for r in self._decode(rows)]

    # -- writing -----------------------------------------------------------------------

    def append(self, records: Sequence[Record]) -> Sequence[Record]:
        """Insert *records* in one ``BEGIN IMMEDIATE ... COMMIT`` transaction.

        Returns:
            The records other writers appended since this store last handed any out.

        Raises:
            DuplicateRecordError: an id is taken (also by another writer).  The other
                writers' records read meanwhile are handed out by the next
                :meth:`read_new`.
            InvalidRecordError: a record holds text SQLite cannot store.
            CorruptStoreError: a row written by another writer cannot be read.
            StoreError: the store is read-only, or SQLite refused the write (a full
                disk, a lock held past the timeout ...); nothing was written.
        """
        if not records:
            return ()
        if self._readonly is not None:
            raise StoreError(f"{self._path}: cannot write: {self._readonly}", path=self._path)
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _write_error(self._path, exc) from exc
        try:
            version = self._version
            self._check_version()
            if version < 3 <= self._version:  # upgraded by another process
                self._legacy = None
            self._old()
            self._take(self._cursor)  # kept even if this append fails
            before = self._cursor
            insert(
                self._conn,
                self._version,
                records,
                before,
                lambda seq: (record for record, _ in self._after(seq, before)),
            )
            last = self._last()
            conn.execute("COMMIT")
        except sqlite3.IntegrityError:
            conn.execute("ROLLBACK")
            raise duplicate(self._conn, self._path, records) from None
        except UnicodeEncodeError as exc:
            conn.execute("ROLLBACK")
            raise InvalidRecordError("text", exc.object, "contains a lone surrogate") from None
        except sqlite3.OperationalError as exc:  # a full disk, a read-only file ...
            if conn.in_transaction:  # SQLite may have rolled back already
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise _write_error(self._path, exc) from None
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        self._cursor = last
        self._counts = None
        if self._legacy is not None:
            for record in records:
                self._legacy.add(record, None)
        others, self._unhanded = self._unhanded, []
        return others

    # -- lifetime ----------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<SQLiteStore {self._path!r}>"
