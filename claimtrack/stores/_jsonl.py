r"""The JSON Lines store: a human-readable, diffable log (``ct.open("riyadh.jsonl")``).

File format: UTF-8 text, one record per line, each line the record's JSON object as
:mod:`claimtrack._codec` writes it (``type`` and ``version`` first), ending in ``\n``.
An append of several records at once (``Tracker.add_many``) is preceded by one marker
line, ``{"type":"batch","version":1,"count":N}``, followed by its *N* record lines:
a reader keeps the *N* records only if all of them are there, so a bulk import is all
or nothing even across a crash.

Durability and concurrency: each append is one ``write()`` of all its lines, then
``fsync``, under an exclusive advisory lock (``fcntl.flock``); readers take a shared
lock only to learn how far the file goes.  So an append that has returned is on disk,
and several processes can append to one file without losing anything.  Before writing,
an append reads what other processes added since it last looked and refuses an id they
already used (:class:`~claimtrack.errors.DuplicateRecordError`).

Damage: a last line without its ``\n`` (or a batch missing records at the end of the
file) is the mark of a crash in the middle of an append that was never acknowledged.
It is reported with a :class:`~claimtrack.errors.StoreWarning` and skipped; the file is
left as it is, and appending to it is refused, until
:func:`claimtrack.stores.repair` cuts it off.  Any other bad line raises a
:class:`~claimtrack.errors.CorruptStoreError` naming the file and the line; nothing is
ever rewritten on opening.
"""

from __future__ import annotations

import fcntl
import json
import os
import warnings
from collections.abc import Iterator, Sequence
from typing import Any, Final

from claimtrack._codec import MAX_LINE_BYTES, dumps, loads
from claimtrack._model import KIND_NAMES, Record
from claimtrack.errors import (
    CorruptStoreError,
    DuplicateRecordError,
    InvalidRecordError,
    StoreError,
    StoreWarning,
)

from ._base import without_gc

__all__ = ["JSONLinesStore"]

_BATCH_PREFIX: Final = b'{"type":"batch"'
_CHUNK: Final = 1 << 20


class _TornWriteError(Exception):
    """The end of the file holds an unfinished append (internal signal)."""

    def __init__(self, line: int, size: int) -> None:
        super().__init__(line, size)
        self.line = line
        self.size = size


class JSONLinesStore:
    """Keeps records in a JSON Lines file, one record per line.

    Args:
        path: the file; created empty if it does not exist.

    Raises:
        StoreError: the file cannot be opened.

    Example:
        >>> import os, pathlib, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "riyadh.jsonl")
        >>> with ct.Tracker(JSONLinesStore(path)) as tracker:
        ...     _ = tracker.add_speaker("Donald Trump", id="trump")
        >>> print(pathlib.Path(path).read_text(encoding="utf-8"), end="")
        {"type":"speaker","version":1,"id":"trump","name":"Donald Trump",...}

    .. versionadded:: 0.1.0
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._path = os.fspath(path)
        try:
            self._fd = os.open(
                self._path, os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o666
            )
        except OSError as exc:
            raise StoreError(f"{self._path}: cannot open: {exc}", path=self._path) from exc
        self._offset = 0  # bytes handed out so far
        self._line = 0  # lines handed out so far
        self._warned: int | None = None

    @property
    def path(self) -> str:
        """The file."""
        return self._path

    # -- reading -----------------------------------------------------------------------

    def _size(self) -> int:
        fcntl.flock(self._fd, fcntl.LOCK_SH)
        try:
            return os.fstat(self._fd).st_size
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def _lines(self, start: int, line: int, end: int) -> Iterator[tuple[bytes, bool]]:
        """Yield ``(line, complete)`` for the bytes from *start* to *end*."""
        pos, buf = start, b""
        while pos < end:
            chunk = os.pread(self._fd, min(_CHUNK, end - pos), pos)
            if not chunk:
                break
            pos += len(chunk)
            buf += chunk
            parts = buf.split(b"\n")
            buf = parts.pop()
            line += len(parts)
            yield from ((p, True) for p in parts)
            if len(buf) > MAX_LINE_BYTES:
                raise CorruptStoreError(
                    f"line longer than {MAX_LINE_BYTES} bytes", path=self._path, line=line + 1
                )
        if buf:
            yield buf, False

    def _batch_count(self, raw: bytes, line: int) -> int:
        try:
            head = json.loads(raw)
        except ValueError:
            head = None
        if (
            type(head) is not dict
            or sorted(head) != ["count", "type", "version"]
            or head["version"] != 1
            or type(head["count"]) is not int
            or head["count"] < 2
        ):
            raise CorruptStoreError(f"bad batch marker {raw[:80]!r}", path=self._path, line=line)
        return int(head["count"])

    def _read(self, end: int, ids: set[str] | None = None) -> Iterator[Record]:
        """Yield the records from the cursor up to *end*, advancing the cursor.

        Raises:
            _TornWriteError: the file ends in an unfinished append (the cursor stops before it).
        """
        path = self._path
        lines = self._lines(self._offset, self._line, end)
        pos, line = self._offset, self._line
        for raw, complete in lines:
            if not complete:
                raise _TornWriteError(line + 1, len(raw))
            line += 1
            pos += len(raw) + 1
            if raw.startswith(_BATCH_PREFIX):
                first = line
                count = self._batch_count(raw, line)
                unit: list[Record] = []
                for raw_item, complete_item in lines:
                    if not complete_item:
                        break
                    line += 1
                    pos += len(raw_item) + 1
                    unit.append(loads(raw_item, path=path, line=line))
                    if len(unit) == count:
                        break
                if len(unit) < count:
                    raise _TornWriteError(first, pos - self._offset)
            else:
                unit = [loads(raw, path=path, line=line)]
            if ids is not None:
                for n, record in enumerate(unit, start=line - len(unit) + 1):
                    if record.id in ids:
                        raise CorruptStoreError(
                            f"id {record.id!r} appears twice", path=path, line=n
                        )
                    ids.add(record.id)
            yield from unit
            self._offset, self._line = pos, line

    def _warn_torn(self, torn: _TornWriteError) -> None:
        if self._warned != self._offset:
            self._warned = self._offset
            warnings.warn(
                f"{self._path}:{torn.line}: skipping an unfinished write at the end of the "
                f"file ({torn.size} bytes, never acknowledged); "
                "claimtrack.stores.repair(path) removes it",
                StoreWarning,
                stacklevel=4,
            )

    def _records(self, end: int, ids: set[str] | None) -> Iterator[Record]:
        try:
            yield from self._read(end, ids)
        except _TornWriteError as torn:
            self._warn_torn(torn)

    def load(self) -> Iterator[Record]:
        """Yield every record in the file, in order.

        Raises:
            CorruptStoreError: a line (other than an unfinished last one) is not a
                record, or an id appears twice; names the line.
            SchemaVersionError: a record was written by a newer claimtrack.
        """
        self._offset = self._line = 0
        return without_gc(self._records(self._size(), set()))

    def read_new(self) -> Iterator[Record]:
        """Yield the records other writers appended since this store last read."""
        return without_gc(self._records(self._size(), None))

    # -- writing -----------------------------------------------------------------------

    def append(self, records: Sequence[Record]) -> Sequence[Record]:
        """Append *records* with one ``write`` and ``fsync`` under an exclusive lock.

        Returns:
            The records other writers appended since this store last read.

        Raises:
            DuplicateRecordError: another writer stored one of the ids first.
            StoreError: the file ends in an unfinished write (call
                :func:`~claimtrack.stores.repair`), or cannot be written.
            CorruptStoreError: a line another writer added cannot be read.
        """
        if not records:
            return ()
        lines = [dumps(r) for r in records]
        if len(lines) > 1:
            lines.insert(0, f'{{"type":"batch","version":1,"count":{len(lines)}}}')
        try:
            data = ("\n".join(lines) + "\n").encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InvalidRecordError("text", exc.object, "contains a lone surrogate") from None
        fd = self._fd
        fcntl.flock(fd, fcntl.LOCK_EX)
        start = self._offset, self._line
        try:
            size = os.fstat(fd).st_size
            try:
                others = list(self._read(size))
            except _TornWriteError as torn:
                raise StoreError(
                    f"{self._path}:{torn.line}: the file ends in an unfinished write; "
                    "call claimtrack.stores.repair(path) before appending",
                    path=self._path,
                ) from None
            taken = {r.id: r for r in others}
            for record in records:
                if record.id in taken:
                    raise DuplicateRecordError(record.id, kind=KIND_NAMES[type(taken[record.id])])
            self._write(data, size)
        except BaseException:
            self._offset, self._line = start
            raise
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
        self._offset = size + len(data)
        self._line += len(lines)
        return others

    def _write(self, data: bytes, size: int) -> None:
        written = 0
        try:
            while written < len(data):
                written += os.write(self._fd, data[written:])
            os.fsync(self._fd)
        except BaseException as exc:
            # leave no partial append behind (a crash can; repair() handles that)
            os.ftruncate(self._fd, size)
            if isinstance(exc, OSError):
                raise StoreError(f"{self._path}: cannot write: {exc}", path=self._path) from exc
            raise

    def _repair(self) -> int:
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            size = os.fstat(self._fd).st_size
            self._offset = self._line = 0
            try:
                for _ in self._read(size, set()):
                    pass
            except _TornWriteError:
                os.ftruncate(self._fd, self._offset)
                os.fsync(self._fd)
                return size - self._offset
            return 0
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    # -- lifetime ----------------------------------------------------------------------

    def close(self) -> None:
        """Close the file."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> JSONLinesStore:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<JSONLinesStore {self._path!r}>"

    def backup(self, path: str | os.PathLike[str]) -> None:
        """Copy the log to *path* under its lock, so no append lands half-way.

        The file is read under a shared lock (appends take an exclusive one) into a new
        file beside *path*, which is ``fsync``-ed and then replaces *path*: a failed
        backup leaves *path* as it was.

        Raises:
            StoreError: the copy cannot be made (the message names *path*).

        Example:
            >>> import os, tempfile, claimtrack as ct
            >>> folder = tempfile.mkdtemp()
            >>> with ct.open(os.path.join(folder, "a.jsonl")) as t:
            ...     _ = t.add_speaker("Donald Trump", id="trump")
            ...     t.store.backup(os.path.join(folder, "copy.jsonl"))
            >>> with ct.open(os.path.join(folder, "copy.jsonl")) as copy:
            ...     [s.id for s in copy.speakers()]
            ['trump']
        """
        target = os.fspath(path)
        folder = os.path.dirname(target) or "."
        tmp = os.path.join(folder, f".{os.path.basename(target)}.{os.getpid()}.backup")
        try:
            out = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
            try:
                fcntl.flock(self._fd, fcntl.LOCK_SH)
                try:
                    size, pos = os.fstat(self._fd).st_size, 0
                    while pos < size:
                        chunk = os.pread(self._fd, min(_CHUNK, size - pos), pos)
                        if not chunk:
                            break
                        os.write(out, chunk)
                        pos += len(chunk)
                finally:
                    fcntl.flock(self._fd, fcntl.LOCK_UN)
                os.fsync(out)
            finally:
                os.close(out)
            os.replace(tmp, target)
        except OSError as exc:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise StoreError(f"{target}: cannot write the backup: {exc}", path=target) from exc
