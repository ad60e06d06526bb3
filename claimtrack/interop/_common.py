"""What every importer shares: limits on untrusted input, safe JSON reading, reports.

Imported documents come from the web.  Nothing in them is executed or fetched, and
every document is checked against :class:`ImportLimits` before any record is built:

- its size in bytes, *before* it is parsed (a file is never read past the limit);
- the depth of nesting of its arrays and objects;
- the length of every string in it (keys too);
- the number of items (reviews, rows) it holds, and the number of values (nodes) in
  it: counted on the text *before* it is parsed, so that a document of millions of
  tiny values (``[0,0,0,…]``) is refused in a fraction of a second and without
  building it.

Problems are collected up to 1,000 (``MAX_PROBLEMS``); past that they are only counted.

JSON is parsed with duplicate keys refused (``{"a": 1, "a": 2}`` is ambiguous, and two
readers may disagree on which one wins) and without ``NaN`` / ``Infinity`` (not JSON).
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any, Literal, TypeAlias

import attrs
from attrs import field, frozen

from claimtrack._model import KIND_NAMES, MAX_TEXT, Record
from claimtrack.errors import ImportFormatError, InvalidRecordError

__all__ = [
    "ImportLimits",
    "ImportReport",
    "ImportSource",
    "Note",
    "OnError",
    "Skipped",
    "UnknownRating",
]

OnError: TypeAlias = Literal["raise", "skip"]
"""What an importer does with an item it cannot import: ``"raise"`` (the default: the
import is all or nothing, every problem raised at once) or ``"skip"`` (import every
item that can be imported, each item all or nothing, and list the others in the
report's ``skipped``).

.. versionadded:: 0.2.0"""

MAX_PROBLEMS = 1000
"""The most problems an import lists; past that it counts them (``unlisted``)."""

ImportSource: TypeAlias = (
    str | bytes | os.PathLike[str] | IO[str] | IO[bytes] | Mapping[str, Any] | list[Any]
)
"""What an importer reads: JSON text (``str`` / ``bytes``), a path (``pathlib.Path``),
an open file, or an already parsed document (a ``dict`` or a ``list``).

.. versionadded:: 0.1.0"""


def _positive(name: str) -> Any:
    def check(_: Any, __: attrs.Attribute[int], value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidRecordError(name, value, "must be a positive integer")

    return check


@frozen
class ImportLimits:
    """How much an importer accepts from one untrusted document.

    Each limit is refused with an :class:`~claimtrack.errors.ImportFormatError`
    naming the limit, before any record is built; the size limit is checked before
    the document is even parsed.

    Args:
        max_bytes: the largest document, in bytes (UTF-8). Default 16 MiB.
        max_depth: the deepest nesting of arrays and objects. Default 32.
        max_string: the longest string (a value or a key), in characters.
            Default 20 000, the longest text a record field takes.
        max_items: the most items (reviews or rows) in one document. Default 10 000.
        max_nodes: the most values (objects, arrays, strings, numbers …) in one
            document, counted before it is parsed. Default 1 000 000 (a document of
            10 000 reviews holds about 400 000).

    Example:
        >>> from claimtrack.interop import ImportLimits
        >>> ImportLimits(max_items=100).max_depth
        32

    .. versionadded:: 0.1.0
    """

    max_bytes: int = field(default=16 * 1024 * 1024, kw_only=True, validator=_positive("max_bytes"))
    max_depth: int = field(default=32, kw_only=True, validator=_positive("max_depth"))
    max_string: int = field(default=MAX_TEXT, kw_only=True, validator=_positive("max_string"))
    max_items: int = field(default=10_000, kw_only=True, validator=_positive("max_items"))
    max_nodes: int = field(default=1_000_000, kw_only=True, validator=_positive("max_nodes"))


DEFAULT_LIMITS = ImportLimits()


@frozen
class Skipped:
    """An item of an imported document that was passed over, and why.

    Attributes:
        path: where it is in the document (``$.dataFeedElement[2]``, ``claims.csv:7``).
        reason: why it was not imported.

    .. versionadded:: 0.1.0
    """

    path: str
    reason: str


@frozen
class Note:
    """Something an import read leniently, or kept, that you may want to check.

    An optional field of the wrong type ignored, a claim given to the unattributed
    speaker, text given as an array, a claim date taken from elsewhere, a promise's
    status kept, a node that is not a review passed over.

    Attributes:
        path: where it is in the document.
        message: what was done.

    .. versionadded:: 0.2.0
    """

    path: str
    message: str


@frozen
class UnknownRating:
    """A rating the rating table does not know; its claim was imported without a ruling.

    Attributes:
        path: where the rating is (``$[3].reviewRating.alternateName``).
        rating: the rating as written.
        claim_id: the id of the claim imported without a ruling.

    .. versionadded:: 0.1.0
    """

    path: str
    rating: str
    claim_id: str


def _records(value: Iterable[Record]) -> tuple[Record, ...]:
    return tuple(value)


def _skipped(value: Iterable[Skipped]) -> tuple[Skipped, ...]:
    return tuple(value)


def _unknown(value: Iterable[UnknownRating]) -> tuple[UnknownRating, ...]:
    return tuple(value)


def _notes(value: Iterable[Note]) -> tuple[Note, ...]:
    return tuple(value)


@frozen
class ImportReport:
    """What an import did: the records it added, what it skipped and what it did not know.

    Attributes:
        records: the records added, in order (stamped with ``recorded_at`` when added
            to a tracker; unstamped from the ``from_*`` functions, which add nothing).
        skipped: items passed over, each with its path and the reason.
        unknown_ratings: ratings not in the rating table; those claims were imported
            without a ruling.
        notes: what was read leniently or kept (see :class:`Note`).
        reader: which reader read the document (``"ClaimReview JSON-LD"``,
            ``"HTML page"``, ``"Google Fact Check Tools API"``, ``"CSV"`` …).
        unlisted: how many more problems (skipped items) or notes there were than
            are listed (at most 1,000 of each are).

    Example:
        >>> import claimtrack as ct
        >>> from claimtrack.interop import ImportReport
        >>> report = ImportReport(records=(ct.Speaker("s", "Sergey Lavrov"),))
        >>> report.counts
        {'speaker': 1}

    .. versionadded:: 0.1.0
    """

    records: tuple[Record, ...] = field(default=(), kw_only=True, converter=_records)
    skipped: tuple[Skipped, ...] = field(default=(), kw_only=True, converter=_skipped)
    unknown_ratings: tuple[UnknownRating, ...] = field(default=(), kw_only=True, converter=_unknown)
    notes: tuple[Note, ...] = field(default=(), kw_only=True, converter=_notes)
    reader: str | None = field(default=None, kw_only=True)
    unlisted: int = field(default=0, kw_only=True)

    @property
    def counts(self) -> dict[str, int]:
        """How many records of each kind were added (``{"speaker": 2, "claim": 5, …}``)."""
        counts: dict[str, int] = {}
        for record in self.records:
            kind = KIND_NAMES[type(record)]
            counts[kind] = counts.get(kind, 0) + 1
        return counts


# -- paths ----------------------------------------------------------------------------

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def child(path: str, key: str | int) -> str:
    """The JSON path of *key* inside *path*: ``$.a``, ``$[3]``, ``$['@graph']``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if _NAME.match(key):
        return f"{path}.{key}"
    escaped = key.replace("\\", "\\\\").replace("'", "\\'")
    return f"{path}['{escaped}']"


def group(
    message: str, errors: Sequence[ImportFormatError], unlisted: int = 0
) -> ExceptionGroup[ImportFormatError]:
    """An ``ExceptionGroup`` of import errors, its message counting them."""
    n = len(errors)
    text = f"{message}: {n} problem{'s' if n != 1 else ''}"
    if unlisted:
        text += f" listed, and {unlisted} more not listed"
    return ExceptionGroup(text, list(errors))


class Problems:
    """Problems collected up to :data:`MAX_PROBLEMS`, the rest only counted."""

    def __init__(self, cap: int = MAX_PROBLEMS) -> None:
        self.cap = cap
        self.listed: list[ImportFormatError] = []
        self.unlisted = 0

    def add(self, error: ImportFormatError) -> None:
        if len(self.listed) < self.cap:
            self.listed.append(error)
        else:
            self.unlisted += 1

    def __len__(self) -> int:
        return len(self.listed) + self.unlisted

    def raise_if_any(self, message: str = "the document cannot be imported") -> None:
        if self.listed:
            raise group(message, self.listed, self.unlisted)


def fail(path: str, reason: str) -> ExceptionGroup[ImportFormatError]:
    """A group holding one import error, for problems of the whole document."""
    return group("the document cannot be imported", [ImportFormatError(path, reason)])


# -- reading untrusted bytes -----------------------------------------------------------


def read_bounded(source: Any, limits: ImportLimits, *, name: str = "$") -> str:
    """Read *source* (text, bytes, a path or an open file) as text, within the size limit.

    A file is never read past ``max_bytes + 1`` bytes, and a path's size is checked
    before it is opened.
    """
    limit = limits.max_bytes
    data: str | bytes
    if isinstance(source, os.PathLike):
        try:
            size = os.stat(source).st_size
            if size > limit:
                raise _too_big(name, size, limit)
            with open(source, "rb") as handle:
                data = handle.read(limit + 1)
        except OSError as exc:
            raise fail(name, f"cannot be read: {exc}") from None
    elif isinstance(source, str | bytes | bytearray):
        data = bytes(source) if isinstance(source, bytearray) else source
    elif hasattr(source, "read"):
        data = source.read(limit + 1)
        if not isinstance(data, str | bytes):
            raise fail(name, "the file gave neither text nor bytes")
    else:
        raise InvalidRecordError(
            "source", source, "must be JSON text, bytes, a path, an open file or a document"
        )
    if isinstance(data, str):
        # A character takes 1 to 4 bytes; only encode when the length says it might be over.
        size = len(data) if len(data) * 4 <= limit else len(data.encode("utf-8", "surrogatepass"))
        if size > limit:
            raise _too_big(name, size, limit, exact=not hasattr(source, "read"))
        return data
    if len(data) > limit:
        raise _too_big(name, len(data), limit, exact=not hasattr(source, "read"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(name, f"is not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _too_big(
    name: str, size: int, limit: int, *, exact: bool = True
) -> ExceptionGroup[ImportFormatError]:
    shown = f"{size} bytes" if exact else f"more than {limit} bytes"
    return fail(name, f"is {shown}, over the limit of {limit} bytes (ImportLimits.max_bytes)")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


class _DuplicateKeyError(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')


def count_nodes(text: str, *, lines: bool = False, limit: int = 0) -> int:
    """An upper bound on the number of values in JSON *text*, without parsing it.

    With the strings' contents set aside, every value but the first follows a comma or
    opens an array or object (JSON Lines: or starts a line).  A count that is within
    *limit* before setting the strings aside is returned as it is.
    """
    rough = text.count(",") + text.count("[") + text.count("{") + 1
    if lines:
        rough += text.count("\n")
    if rough <= limit or '"' not in text:
        return rough  # within the limit even counting what is inside strings
    bare = _STRING.sub("", text)
    n = bare.count(",") + bare.count("[") + bare.count("{") + 1
    return n + bare.count("\n") if lines else n


def check_nodes(text: str, limits: ImportLimits, path: str = "$", *, lines: bool = False) -> None:
    """Refuse JSON text holding more values than ``max_nodes``, before parsing it."""
    n = count_nodes(text, lines=lines, limit=limits.max_nodes)
    if n > limits.max_nodes:
        raise fail(
            path,
            f"holds up to {n} values, over the limit of {limits.max_nodes} "
            "(ImportLimits.max_nodes); refused before parsing",
        )


def parse_json(text: str, *, path: str = "$") -> Any:
    """Parse one JSON value strictly: no duplicate keys, no ``NaN`` / ``Infinity``."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except _DuplicateKeyError as exc:
        raise fail(path, f"has a duplicate key {exc.key!r} in an object") from None
    except RecursionError:
        raise fail(path, "is nested too deeply (ImportLimits.max_depth)") from None
    except json.JSONDecodeError as exc:
        raise fail(
            path, f"is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except ValueError as exc:
        raise fail(path, f"is not valid JSON: {exc}") from None


def parse_json_lines(text: str) -> list[Any]:
    """Parse JSON Lines: one value per line; blank lines are ignored but counted.

    The value on line *n* is at path ``$[n-1]``, so error paths name the line.
    """
    values: list[Any] = []
    for n, line in enumerate(io.StringIO(text)):
        if line.strip():
            values.append(parse_json(line, path=f"$[{n}]"))
        else:
            values.append(None)
    return values


def limit_problems(
    document: Any, limits: ImportLimits, path: str = "$"
) -> tuple[list[ImportFormatError], int]:
    """Walk a parsed document for nesting deeper than, or strings longer than, the limits.

    Returns the problems (at most :data:`MAX_PROBLEMS`, each with its path) and how
    many more there were.  The walk does not descend past the depth limit, and stops
    counting values past ``max_nodes`` (a problem of the whole document).  Paths are
    only worked out for the problems.
    """
    if _within_limits(document, limits):
        return [], 0
    problems = Problems()
    # (value, depth, parent entry, key): the path is rebuilt from the parents on demand
    entry_type = tuple[Any, int, Any, "str | int | None"]
    stack: list[entry_type] = [(document, 0, None, None)]
    nodes = 0
    max_string, max_depth, max_nodes = limits.max_string, limits.max_depth, limits.max_nodes

    def where(entry: entry_type) -> str:
        keys: list[str | int] = []
        while entry[2] is not None:
            keys.append(entry[3])  # type: ignore[arg-type]
            entry = entry[2]
        out = path
        for key in reversed(keys):
            out = child(out, key)
        return out

    while stack:
        entry = stack.pop()
        value, depth = entry[0], entry[1]
        nodes += 1
        if nodes > max_nodes:
            return [
                ImportFormatError(
                    path,
                    f"holds more than {max_nodes} values (ImportLimits.max_nodes)",
                )
            ], 0
        if isinstance(value, str):
            if len(value) > max_string:
                problems.add(_long(where(entry), len(value), limits))
            continue
        if not isinstance(value, dict | list):
            continue
        if depth >= max_depth:
            problems.add(
                ImportFormatError(
                    where(entry), f"is nested deeper than {max_depth} (ImportLimits.max_depth)"
                )
            )
            continue
        if isinstance(value, dict):
            for key, item in reversed(value.items()):
                if len(key) > max_string:
                    problems.add(_long(f"{where(entry)} (a key)", len(key), limits))
                    continue
                stack.append((item, depth + 1, entry, key))
        else:
            stack.extend((value[i], depth + 1, entry, i) for i in range(len(value) - 1, -1, -1))
    return problems.listed, problems.unlisted


def _within_limits(document: Any, limits: ImportLimits) -> bool:
    """A quick walk without paths: whether *document* is within the limits."""
    max_string, max_depth, budget = limits.max_string, limits.max_depth, limits.max_nodes
    if isinstance(document, str):
        return len(document) <= max_string
    if not isinstance(document, dict | list):
        return True
    stack: list[tuple[Any, int]] = [(document, 0)]
    budget -= 1
    while stack:
        node, depth = stack.pop()
        if depth >= max_depth:
            return False
        if isinstance(node, dict):
            for key in node:
                if len(key) > max_string:
                    return False
            values: Any = node.values()
        else:
            values = node
        budget -= len(values)
        if budget < 0:
            return False
        for value in values:
            if isinstance(value, str):
                if len(value) > max_string:
                    return False
            elif isinstance(value, dict | list):
                stack.append((value, depth + 1))
    return True


def check_limits(document: Any, limits: ImportLimits, path: str = "$") -> None:
    """Refuse a parsed document over the depth, string or node limits, all problems at once."""
    errors, unlisted = limit_problems(document, limits, path)
    if errors:
        raise group("the document is over the import limits", errors, unlisted)


def _long(where: str, n: int, limits: ImportLimits) -> ImportFormatError:
    return ImportFormatError(
        where,
        f"is a string of {n} characters, over the limit of {limits.max_string} "
        "(ImportLimits.max_string)",
    )


def check_count(n: int, limits: ImportLimits, path: str = "$", what: str = "items") -> None:
    """Refuse a document holding more than ``max_items`` items."""
    if n > limits.max_items:
        raise fail(
            path, f"holds {n} {what}, over the limit of {limits.max_items} (ImportLimits.max_items)"
        )


def is_document(source: Any) -> bool:
    """Whether *source* is an already parsed document rather than something to read."""
    return isinstance(source, Mapping | list | tuple)
