"""How the ``claimtrack`` command words its errors: flags, not API fields; suggestions.

The library's errors name the API's fields (``stated_on``) and show values as Python
sees them (``PartialDate('2025-01-01')``).  On the command line the same error names
the flag the user typed (``--stated-on``), shows the value as it was typed, says which
forms would work, and for an unknown id suggests the near ones.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from typing import Any

from claimtrack._dates import PartialDate
from claimtrack._tracker import Tracker
from claimtrack.errors import ImportFormatError, InvalidRecordError, UnknownRecordError

__all__ = ["CommandError", "UsageError", "close_matches", "describe", "did_you_mean", "suggest"]


class CommandError(Exception):
    """A mistake in what was asked, found by the command line itself (exit 1)."""


class UsageError(Exception):
    """A mistake in how the command was called (exit 2, with the usage line)."""


# The API field -> the flag (or argument) a user types, for every command.  A command
# may override entries (``speaker add``: ``name`` is its NAME argument).
FLAGS: Mapping[str, str] = {
    "stated_on": "--stated-on",
    "observed_on": "--observed",
    "on": "--on",
    "due": "--due",
    "within": "--due",
    "as_of": "--as-of",
    "known_at": "--known-at",
    "since": "--since",
    "until": "--until",
    "confidence": "--confidence",
    "reliability": "--reliability",
    "url": "--url",
    "published": "--published",
    "title": "--source-title",
    "publisher": "--publisher",
    "author": "--author",
    "quote": "--quote",
    "topic": "--topic",
    "topics": "--topic",
    "kind": "--kind",
    "strength": "--strength",
    "stance": "the stance flag",
    "id": "--id",
    "reason": "--reason",
    "rationale": "--rationale",
    "min_resolved": "--min-resolved",
    "format": "--format",
    "date_order": "--date-order",
    "path": "--db",
    "same_as": "--same-as",
    "start": "--role",
    "end": "--role",
    "roles": "--role",
    "text": "TEXT",
    "name": "NAME",
}

DATE_FORMS = "a date such as 2025-02-18, '18 February 2025', 'Feb 2025' or 2025"
"""What a date flag accepts, in words, for error messages."""

DUE_FORMS = (
    f"{DATE_FORMS}, or a deadline after --stated-on: +100d, +2w, +3m, +1y, 'within 3 months'"
)

_DATE_FLAGS = frozenset(
    {"--stated-on", "--observed", "--on", "--as-of", "--since", "--until", "--published"}
)

# Fields named inside a reason ("is before stated_on"): only the unmistakable ones.
_FIELD_IN_TEXT = re.compile(r"\b(stated_on|observed_on|as_of|known_at|min_resolved)\b")

# The API's keyword arguments named in a reason ("pass allow_future=True"), as flags.
_KEYWORDS = (
    (re.compile(r"\ballow_future\s*=\s*True\b"), "--allow-future"),
    (re.compile(r"\ballow_future\b"), "--allow-future"),
    (re.compile(r"\bdate_order\s*=\s*([\"']?)(DMY|MDY)\1"), r"--date-order \2"),
    (re.compile(r"\bdate_order\b"), "--date-order"),
)


def _shown(value: Any) -> str:
    """*value* as the user typed it: quoted text, never a Python repr of an object."""
    if isinstance(value, PartialDate):
        value = str(value)
    if isinstance(value, str):
        text = value if len(value) <= 80 else value[:77] + "..."
        return repr(text)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


# Internal names inside the library's messages, and what the command line says instead.
_INTERNAL = (
    ("(ImportLimits.max_items)", "(raise the limit with --max-items)"),
    ("(ImportLimits.max_bytes)", "(raise the limit with --max-bytes)"),
    ("(ImportLimits.max_depth)", "(a limit of claimtrack's importers)"),
    ("(ImportLimits.max_string)", "(a limit of claimtrack's importers)"),
    ("call claimtrack.stores.repair(path)", "run `claimtrack repair`"),
    ("claimtrack.stores.repair(path)", "`claimtrack repair`"),
)


def _plain(message: str) -> str:
    for internal, words in _INTERNAL:
        message = message.replace(internal, words)
    for pattern, flag in _KEYWORDS:
        message = pattern.sub(flag, message)
    return " ".join(message.split())


def describe(
    exc: BaseException, flags: Mapping[str, str] | None = None, *, document: str | None = None
) -> str:
    """The one-line message for *exc*, in the command line's words.

    Example:
        >>> from claimtrack.errors import InvalidRecordError
        >>> describe(InvalidRecordError("due", PartialDate.parse("2025-01-01"),
        ...                             "is before stated_on"))
        "--due: '2025-01-01' is before --stated-on"
    """
    names = {**FLAGS, **(flags or {})}
    if isinstance(exc, InvalidRecordError):
        flag = names.get(exc.field, exc.field)
        reason = _FIELD_IN_TEXT.sub(lambda m: names.get(m.group(), m.group()), exc.reason)
        if exc.value is None:
            message = f"{flag} {reason}"
        else:
            message = f"{flag}: {_shown(exc.value)} {reason}"
        if flag == "--due" and "not a date" in reason:
            message += f"; give {DUE_FORMS}"
        elif flag in _DATE_FLAGS and "not a date" in reason:
            message += f"; give {DATE_FORMS}"
        if exc.record_id:
            message += f" (record {exc.record_id!r})"
        return _plain(message)
    message = str(exc)
    if document is not None and isinstance(exc, ImportFormatError):
        # "$: ..." is the whole document: name the file instead; a place inside it
        # ("$[3].author") is kept after the file's name.
        message = (
            f"{document}: {message[3:]}" if message.startswith("$: ") else f"{document}: {message}"
        )
    return _plain(message)


def close_matches(word: str, choices: Iterable[str]) -> list[str]:
    """Up to three of *choices* close to *word*; one equal but for case comes first.

    Example:
        >>> close_matches("Trump", ["trump", "lavrov"])
        ['trump']
    """
    folded: dict[str, str] = {}
    for choice in choices:
        folded.setdefault(choice.casefold(), choice)
    key = word.casefold()
    found = [folded[key]] if key in folded else []
    for match in difflib.get_close_matches(key, list(folded), n=3, cutoff=0.6):
        if folded[match] not in found:
            found.append(folded[match])
    return found[:3]


def did_you_mean(
    word: str, choices: Iterable[str], *, labels: Mapping[str, str] | None = None
) -> str:
    """``"; did you mean 'x'?"`` for the choices close to *word*, or ``""``.

    *labels* shows more about a choice (a speaker's name beside their id).

    Example:
        >>> did_you_mean("asses", ["assess", "record", "report"])
        "; did you mean 'assess'?"
    """
    return _hint(close_matches(word, choices), labels)


def _hint(found: list[str], labels: Mapping[str, str] | None = None) -> str:
    if not found:
        return ""
    shown = [f"{c!r} ({labels[c]})" if labels and labels.get(c, c) != c else repr(c) for c in found]
    return "; did you mean " + " or ".join(shown) + "?"


_MAX_SUGGEST = 20_000
"""Past this many records, only near spellings of the id itself are tried.

Reading every id of a big ledger to compare them takes seconds (100,000 claims: about
five); an error should come back at once.
"""


def _variants(word: str) -> list[str]:
    """Spellings of *word* a user may have meant: case, spaces and underscores."""
    base = word.strip()
    forms = [base, base.lower(), "-".join(base.lower().replace("_", " ").split())]
    return [f for f in dict.fromkeys(forms) if f and f != word]


def _known(tracker: Tracker, record_id: str) -> bool:
    try:
        tracker.get(record_id)
    except UnknownRecordError:
        return False
    return True


def suggest(tracker: Tracker, exc: UnknownRecordError) -> str:
    """Suggestions for the unknown id of *exc*, from the ledger; ``""`` if none.

    For a speaker, their ids and their names are searched ("Donald Trump" where the id
    ``trump`` belongs).  On a ledger of more than 20,000 records, claims and other
    records are not all compared: only the id in another case or with hyphens for
    spaces is looked up.
    """
    word = str(exc.record_id)
    if exc.kind == "speaker":
        speakers = tracker.speakers()
        labels = {s.id: s.name for s in speakers}
        found = close_matches(word, labels)
        if not found:
            by_name: dict[str, str] = {}
            for s in speakers:
                by_name.setdefault(s.name, s.id)
            found = list(dict.fromkeys(by_name[n] for n in close_matches(word, by_name)))
        return _hint(found, labels)
    if len(tracker) > _MAX_SUGGEST:
        return _hint([v for v in _variants(word) if _known(tracker, v)])
    if exc.kind == "claim":
        return did_you_mean(word, [c.id for c in tracker.claims(include_retracted=True)])
    return did_you_mean(word, [r.id for r in tracker.records()])
