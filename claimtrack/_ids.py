"""Making and checking record ids: one rule for the tracker and the importers.

An id is text of 1 to ``MAX_ID`` characters (checked by
:func:`~claimtrack._model.clean_id`).  Ids made here are *slugs*: the first words of a
name or text, ASCII, lower-case, joined by ``-``; a record about another one gets that
record's id and a suffix (``<claim id>-e3``), the base cut so that the whole fits.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from ._model import MAX_ID, RECORD_TYPES, clean_id
from .errors import InvalidRecordError

__all__ = ["check_id", "free_id", "record_id", "slug", "suffixed"]


def slug(text: str, words: int = 6, limit: int = 48) -> str:
    """The first *words* words of *text*, ASCII, lower-case, joined by ``-``.

    Example:
        >>> slug("Ukraine will be involved in the peace negotiations.")
        'ukraine-will-be-involved-in-the'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    found = re.findall(r"[a-z0-9]+", ascii_text.lower())[:words]
    return "-".join(found)[:limit].strip("-")


def suffixed(base: str, suffix: str) -> str:
    """``base + suffix``, *base* cut so that the result is not longer than an id may be.

    Example:
        >>> suffixed("c", "-e1")
        'c-e1'
        >>> len(suffixed("x" * 300, "-e1"))
        200
    """
    return base[: MAX_ID - len(suffix)].rstrip() + suffix


def free_id(base: str, fallback: str, taken: Callable[[str], bool]) -> str:
    """*base* (or *fallback* if empty), cut to fit, with ``-2``, ``-3`` … until free.

    *taken* says whether an id is taken.

    Example:
        >>> free_id("trump", "speaker", {"trump", "trump-2"}.__contains__)
        'trump-3'
    """
    base = base or fallback
    candidate, n = base[:MAX_ID], 1
    while taken(candidate):
        n += 1
        candidate = suffixed(base, f"-{n}")
    return candidate


def check_id(value: Any, field: str = "id") -> str:
    """*value* as an id, or an InvalidRecordError naming *field*."""
    return clean_id(value, field)


def record_id(value: Any, name: str) -> str:
    """The id of a record, or the id given as text; else an InvalidRecordError naming *name*."""
    if isinstance(value, RECORD_TYPES):
        return value.id
    if isinstance(value, str):
        return value
    raise InvalidRecordError(name, value, "must be a record or a record id")
