"""The CSV layout: one file per kind of record, a column per field of the codec's dict.

Also the cells a spreadsheet would run as formulas, and how they are neutralised.
"""

from __future__ import annotations

import json
import re
import typing
from typing import Any, Literal

import attrs

from claimtrack import _model
from claimtrack._codec import to_dict
from claimtrack._model import (
    Claim,
    Evidence,
    Forecast,
    Record,
    Retraction,
    Ruling,
    Source,
    Speaker,
)
from claimtrack.errors import InvalidRecordError

Kind = Literal["speakers", "claims", "evidence", "rulings", "forecasts", "retractions"]
_KINDS: dict[str, type[Record]] = {
    "speakers": Speaker,
    "claims": Claim,
    "evidence": Evidence,
    "rulings": Ruling,
    "forecasts": Forecast,  # before retractions, which may retract a forecast
    "retractions": Retraction,
}
_ASSESSMENT_COLUMNS = (
    "claim_id",
    "speaker_id",
    "verdict",
    "computed_verdict",
    "probability",
    "log_odds",
    "as_of",
    "due_passed",
    "ruling_id",
    "evidence_counted",
)
_SOURCE_KEYS = tuple(a.name for a in attrs.fields(Source))


# -- the layout ------------------------------------------------------------------------


def _hints(cls: type[Any]) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(_model))


def _shape(hint: Any) -> str:
    """What a field's cell holds: 'bool', 'float', 'list', 'source' or 'text'."""
    args = set(typing.get_args(hint)) - {type(None)}
    base = typing.get_origin(hint)
    if hint is bool:
        return "bool"
    if hint is float or args == {float}:
        return "float"
    if base in (tuple, frozenset) or hint is tuple:
        return "list"
    if args == {Source}:
        return "source"
    return "text"


RETRACTED = "retracted"
"""The last column of every per-kind file: ``true`` for a record retracted when written."""


def _layout(cls: type[Record]) -> dict[str, str]:
    """Column name -> cell shape, in the codec's key order."""
    hints = _hints(cls)
    layout: dict[str, str] = {}
    for fld in attrs.fields(cls):
        shape = _shape(hints[fld.name])
        if shape == "source":
            source_hints = _hints(Source)
            for key in _SOURCE_KEYS:
                layout[f"{fld.name}.{key}"] = _shape(source_hints[key])
        else:
            layout[fld.name] = shape
    # Not a field of the record: whether it was retracted when the file was written.
    layout[RETRACTED] = "bool"
    return layout


_LAYOUTS = {kind: _layout(cls) for kind, cls in _KINDS.items()}


def _kind(what: Any, *, assessments: bool = False) -> str:
    allowed = [*_KINDS, "assessments"] if assessments else list(_KINDS)
    if what not in allowed:
        raise InvalidRecordError("what", what, f"must be one of: {', '.join(allowed)}")
    return str(what)


def columns(what: str) -> tuple[str, ...]:
    """The columns of a file of *what*, in order.

    Args:
        what: ``"speakers"``, ``"claims"``, ``"evidence"``, ``"rulings"``,
            ``"retractions"``, ``"forecasts"`` or ``"assessments"``.

    Raises:
        InvalidRecordError: *what* is none of those.

    Example:
        >>> from claimtrack.interop.tabular import columns
        >>> columns("speakers")
        ('id', 'name', 'roles', 'organization', 'same_as', 'recorded_at', 'retracted')

    .. versionadded:: 0.1.0
    """
    kind = _kind(what, assessments=True)
    if kind == "assessments":
        return _ASSESSMENT_COLUMNS
    return tuple(_LAYOUTS[kind])


CSV_FILES: dict[str, str] = {kind: f"{kind}.csv" for kind in _KINDS}
# documented where it is public: claimtrack.interop.tabular


def _flatten(record: Record, retracted: bool = False) -> dict[str, Any]:
    """The record's codec dict, flattened to one value per column."""
    data = to_dict(record)
    del data["type"], data["version"]
    data[RETRACTED] = retracted
    row: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict) or (value is None and f"{key}.title" in _source_columns()):
            for sub in _SOURCE_KEYS:
                row[f"{key}.{sub}"] = None if value is None else value[sub]
        else:
            row[key] = value
    return row


def _source_columns() -> frozenset[str]:
    return frozenset(c for layout in _LAYOUTS.values() for c in layout if "." in c)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    return str(value)


# A cell a spreadsheet would run: OWASP's list of formula triggers.
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\Z")


def _runnable(text: str) -> bool:
    """Whether *text*, or *text* without its leading apostrophes, starts a formula."""
    if not text or text[0] not in (*_TRIGGERS, "'"):
        return False
    bare = text.lstrip("'")
    return bool(bare) and bare[0] in _TRIGGERS and not _NUMBER.match(bare)


def neutralize(text: str) -> str:
    """*text*, with a ``'`` in front if a spreadsheet would run it as a formula.

    A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
    prefixed (as OWASP advises); so is one that only its leading apostrophes keep from
    starting so, so that :func:`restore` gives back exactly what was written.  Plain
    numbers (``-0.5``) are left alone: a spreadsheet reads them as numbers.
    """
    return "'" + text if _runnable(text) else text


def restore(text: str) -> str:
    """The cell as it was before :func:`neutralize`."""
    return text[1:] if text.startswith("'") and _runnable(text[1:]) else text
