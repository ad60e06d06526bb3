"""The exceptions claimtrack raises.

Every error is a :class:`ClaimtrackError`, and where a builtin exception fits it is
that too, so ``except ValueError`` keeps working in code that does not know about
claimtrack.  Each error carries the facts it reports as attributes (``field``,
``value``, ``record_id``, ``path`` …) so programs need not parse messages, and every
error pickles (for multiprocessing and logging).

.. code-block:: text

    ClaimtrackError
     ├── InvalidRecordError (ValueError)   a field's value is not acceptable
     ├── UnknownRecordError (KeyError)     no record with that id
     ├── DuplicateRecordError              that id is taken
     ├── ImportFormatError (ValueError)    an imported document is malformed
     └── StoreError                        a ledger file cannot be used
          ├── CorruptStoreError            ... because its content is damaged
          └── SchemaVersionError           ... because it is of another format version

    StoreWarning (UserWarning)              a ledger file had damage that was skipped

Example:
    >>> import claimtrack as ct
    >>> try:
    ...     ct.PartialDate.parse("Smarch 31")
    ... except ct.errors.InvalidRecordError as e:
    ...     print(e.field, repr(e.value))
    date 'Smarch 31'

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ClaimtrackError",
    "CorruptStoreError",
    "DuplicateRecordError",
    "ImportFormatError",
    "InvalidRecordError",
    "SchemaVersionError",
    "StoreError",
    "StoreWarning",
    "UnknownRecordError",
]


def _short(value: Any, limit: int = 80) -> str:
    """Return ``repr(value)`` cut to *limit* characters, for messages."""
    try:
        text = repr(value)
    except ValueError:  # an int beyond the interpreter's digit limit for str()
        text = f"<an integer of {value.bit_length()} bits>" if isinstance(value, int) else "<?>"
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


class ClaimtrackError(Exception):
    """Base class of every error claimtrack raises.

    Subclasses keep the keyword arguments they were built with, so that they pickle
    and so that ``__reduce__`` can rebuild them.

    .. versionadded:: 0.1.0
    """

    _kwargs: dict[str, Any]

    def __init__(self, message: str = "", **kwargs: Any) -> None:
        super().__init__(message)
        self._kwargs = kwargs
        for name, val in kwargs.items():
            setattr(self, name, val)

    def __str__(self) -> str:
        # KeyError's str() would repr the message; every error here reads as prose.
        return str(self.args[0]) if self.args else ""

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuild without calling the subclass's __init__ (whose signatures differ).
        return (_rebuild, (type(self), str(self), self._kwargs))


def _rebuild(cls: type[ClaimtrackError], message: str, kwargs: dict[str, Any]) -> ClaimtrackError:
    err = cls.__new__(cls)
    ClaimtrackError.__init__(err, message, **kwargs)
    return err


class InvalidRecordError(ClaimtrackError, ValueError):
    """A field (or argument) was given a value it cannot take.

    Attributes:
        field: the name of the field or argument, e.g. ``"stated_on"``.
        value: the value that was refused.
        reason: why, in words.
        record_id: the id of the record being built, when known.

    Example:
        >>> err = InvalidRecordError("confidence", 1.5, "must lie in [0, 1]")
        >>> str(err)
        'confidence: 1.5 must lie in [0, 1]'

    .. versionadded:: 0.1.0
    """

    field: str
    value: Any
    reason: str
    record_id: str | None

    def __init__(
        self, field: str, value: Any, reason: str, *, record_id: str | None = None
    ) -> None:
        where = f" (record {record_id!r})" if record_id else ""
        super().__init__(
            f"{field}: {_short(value)} {reason}{where}",
            field=field,
            value=value,
            reason=reason,
            record_id=record_id,
        )


class UnknownRecordError(ClaimtrackError, KeyError):
    """No record has the id that was asked for.

    Attributes:
        record_id: the id that was looked up.
        kind: what kind of record was expected (``"claim"``, ``"speaker"`` …).

    Example:
        >>> str(UnknownRecordError("nobody", kind="speaker"))
        "no speaker with id 'nobody'"

    .. versionadded:: 0.1.0
    """

    record_id: str
    kind: str

    def __init__(self, record_id: str, *, kind: str = "record") -> None:
        super().__init__(f"no {kind} with id {record_id!r}", record_id=record_id, kind=kind)


class DuplicateRecordError(ClaimtrackError):
    """A record with that id is already in the tracker.

    Ids are unique across all records of a tracker (speakers, claims, evidence,
    rulings and retractions share one namespace).

    Attributes:
        record_id: the id that is taken.
        kind: the kind of the record that already holds it.

    Example:
        >>> str(DuplicateRecordError("trump", kind="speaker"))
        "id 'trump' is taken (by a speaker)"

    .. versionadded:: 0.1.0
    """

    record_id: str
    kind: str

    def __init__(self, record_id: str, *, kind: str = "record") -> None:
        super().__init__(f"id {record_id!r} is taken (by a {kind})", record_id=record_id, kind=kind)


class StoreError(ClaimtrackError):
    """A ledger file or database cannot be opened, read or written.

    Attributes:
        path: the file concerned, as a string (``None`` for an in-memory store).

    .. versionadded:: 0.1.0
    """

    path: str | None

    def __init__(self, message: str, *, path: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, path=path, **kwargs)


class CorruptStoreError(StoreError):
    """A ledger's content is damaged: a bad line, a bad row, not a database at all.

    Attributes:
        path: the file.
        line: the 1-based line (JSON Lines) or row id (SQLite) of the damage, if known.

    Example:
        >>> str(CorruptStoreError("not valid JSON", path="ledger.jsonl", line=7))
        'ledger.jsonl:7: not valid JSON'

    .. versionadded:: 0.1.0
    """

    line: int | None

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        where = path or "<store>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}", path=path, line=line)


class SchemaVersionError(StoreError):
    """A ledger (or a stored record) was written by a newer format than this version reads.

    Attributes:
        path: the file.
        found: the version found in it.
        supported: the newest version this claimtrack reads.

    Example:
        >>> str(SchemaVersionError(path="x.db", found=9, supported=1))
        'x.db: format version 9 is newer than this claimtrack reads (up to 1); upgrade claimtrack'

    .. versionadded:: 0.1.0
    """

    found: int
    supported: int

    def __init__(
        self, *, path: str | None = None, found: int, supported: int, line: int | None = None
    ) -> None:
        where = path or "<store>"
        if line is not None:
            where = f"{where}:{line}"
        message = (
            f"{where}: format version {found} is newer than this claimtrack reads "
            f"(up to {supported}); upgrade claimtrack"
        )
        super().__init__(message, path=path, found=found, supported=supported, line=line)


class StoreWarning(UserWarning):
    """A ledger file had damage that could be skipped safely, such as a torn last line.

    A JSON Lines file whose last append was cut off by a crash (never acknowledged to
    the writer) gives this warning when read; the file is left as it is until
    :func:`claimtrack.stores.repair` removes the unfinished write.

    .. versionadded:: 0.1.0
    """


class ImportFormatError(ClaimtrackError, ValueError):
    """An imported document (JSON-LD, CSV …) is not of the expected shape.

    Attributes:
        path: where in the document, as a JSON path (``$.itemReviewed.author.name``) or
            ``file:line`` for tabular input.
        reason: what is wrong there.

    Example:
        >>> str(ImportFormatError("$[3].itemReviewed.author", "is missing"))
        '$[3].itemReviewed.author: is missing'

    .. versionadded:: 0.1.0
    """

    path: str
    reason: str

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}", path=path, reason=reason)
