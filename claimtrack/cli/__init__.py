"""The ``claimtrack`` command: keep a ledger from the shell.

Every command works on one ledger file, given by ``--db PATH`` (default: the
``CLAIMTRACK_DB`` environment variable, else ``claimtrack.db`` in the current folder).
A command that creates a new ledger file says so on standard error (``init`` creates
one on purpose); a reading command on a missing file is an error.

Writing commands (``speaker add``, ``claim add``, ``evidence add``, ``rule``,
``retract``) print the id of the record they added, or the record itself with
``--json``.  Reading commands print a table, or with ``--json`` a JSON document whose
shape is documented in ``docs/cli.md`` and stays stable across releases.

Exit codes: ``0`` success; ``1`` a mistake in what was asked (an unknown id, a bad date,
a file that cannot be read), reported as one line on standard error, with nothing
written; ``2`` a usage error (an unknown command or option, a missing argument, an
argument that is not valid UTF-8).

Example:
    >>> from claimtrack.cli import main
    >>> main(["--version"])  # doctest: +ELLIPSIS
    claimtrack ...
    0

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import argparse
import contextlib
import inspect
import os
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, TextIO

from claimtrack._tracker import Tracker
from claimtrack.errors import ClaimtrackError, StoreError, UnknownRecordError

from ._errors import CommandError, UsageError, describe, suggest
from ._output import Session, say
from ._parser import DEFAULT_DB, build_parser

__all__ = ["main"]

Opener = Callable[..., AbstractContextManager[Tracker]]
"""Opens the ledger: ``opener(path, writes, **options)``; *writes* says whether the
command writes to it, *options* are passed to :func:`claimtrack.open`
(``date_order=``)."""


# -- opening the ledger ----------------------------------------------------------------


def _open_ledger(path: Path, writes: bool, **options: Any) -> AbstractContextManager[Tracker]:
    """Open the ledger file at *path* with :func:`claimtrack.open`.

    A reading command on a file that does not exist is an error rather than a reason to
    create an empty ledger.
    """
    if not writes and not path.exists():
        raise StoreError(
            f"{path}: no ledger here (give one with --db or CLAIMTRACK_DB, "
            "or start one with `claimtrack init`)",
            path=str(path),
        )
    from claimtrack._open import open as open_ledger

    if "date_order" in options and "date_order" not in inspect.signature(open_ledger).parameters:
        # claimtrack.open takes date_order= from the dates work of issue 15 on; before
        # it, say so rather than fail inside the store.
        raise CommandError("--date-order: this claimtrack cannot read dates in a given order")
    return open_ledger(path, **options)


def _db_path(args: argparse.Namespace) -> Path:
    given = getattr(args, "init_path", None) or args.db or os.environ.get("CLAIMTRACK_DB")
    return Path(given or DEFAULT_DB)


def _date_order(args: argparse.Namespace) -> str | None:
    """``--date-order``, else ``CLAIMTRACK_DATE_ORDER``, as ``"DMY"``/``"MDY"`` or None."""
    given = args.date_order
    if given is None:
        env = os.environ.get("CLAIMTRACK_DATE_ORDER", "").strip()
        if not env:
            return None
        if env.upper() not in ("DMY", "MDY"):
            raise CommandError(f"CLAIMTRACK_DATE_ORDER: {env!r} must be DMY or MDY")
        given = env
    return str(given).upper()


def _sidecars(path: Path) -> list[Path]:
    """The ledger file and the files SQLite may keep beside it."""
    return [path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))]


def _remove_new_ledger(path: Path, before: set[Path]) -> None:
    """Remove the ledger file a failed command created (and its SQLite side files).

    Only files that did not exist before the command are removed, and the ledger only
    if it holds no record, so a ledger another process started meanwhile is kept.
    """
    if path in before or not path.exists():
        return
    with contextlib.suppress(Exception):
        from claimtrack._open import open as open_ledger

        with open_ledger(path) as tracker:
            if len(tracker):
                return
    for file in _sidecars(path):
        if file not in before:
            with contextlib.suppress(FileNotFoundError):
                file.unlink()


# -- running ---------------------------------------------------------------------------


def _leaves(group: BaseExceptionGroup[ClaimtrackError]) -> Iterator[ClaimtrackError]:
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            yield from _leaves(exc)
        else:
            yield exc


def _bad_argument(argv: Sequence[str]) -> str | None:
    """The message for the first argument that is not valid UTF-8, or None.

    Python decodes such bytes to lone surrogates (``surrogateescape``); they cannot be
    stored or printed, so they are refused before anything else happens.
    """
    for i, arg in enumerate(argv):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            after = f" (after {argv[i - 1]})" if i and argv[i - 1].startswith("-") else ""
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            return f"argument {i + 1}{after} is not valid UTF-8: {shown!r}"
    return None


def _os_error(exc: OSError) -> str:
    """An operating system error in words: the file, then what went wrong."""
    what = exc.strerror or "cannot be used"
    return f"{exc.filename}: {what}" if exc.filename else what


def _error(err: TextIO, message: str) -> int:
    say(err, f"claimtrack: error: {message}")
    return 1


def _run(
    argv: Sequence[str] | None = None,
    *,
    opener: Opener = _open_ledger,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command line *argv* and return the exit code (for tests and embedding).

    Args:
        argv: the arguments, without the program name; ``sys.argv[1:]`` by default.
        opener: opens the ledger at a path; tests pass one that hands out an in-memory
            tracker.
        stdout: where results go; ``sys.stdout`` by default.
        stderr: where error lines go; ``sys.stderr`` by default.

    Returns:
        ``0`` on success, ``1`` for a mistake in what was asked, ``2`` for a usage error.
    """
    out = sys.stdout if stdout is None else stdout
    err = sys.stderr if stderr is None else stderr
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    bad = _bad_argument(argv)
    if bad is not None:
        parser.print_usage(err)
        say(err, f"claimtrack: error: {bad}")
        return 2
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version, or a usage error (2)
        return stop.code if isinstance(stop.code, int) else 1
    flags = getattr(args, "flags", None)
    document = args.file if getattr(args, "command", None) == "import" else None
    path = _db_path(args)
    try:
        check = getattr(args, "check", None)
        if check is not None:
            check(args, path)
        options = {}
        order = _date_order(args)
        if order is not None:
            options["date_order"] = order
    except UsageError as exc:
        args.parser.print_usage(err)
        say(err, f"{args.parser.prog}: error: {exc}")
        return 2
    except CommandError as exc:
        return _error(err, str(exc))
    except ClaimtrackError as exc:
        return _error(err, describe(exc, flags, document=document))
    before = {f for f in _sidecars(path) if f.exists()}
    args.ledger, args.ledger_is_new = path, path not in before
    if getattr(args, "standalone", False):  # repair: works on the file, not a tracker
        try:
            code = int(args.handler(args, path, out, err))
        except (ClaimtrackError, CommandError) as exc:
            return _error(err, describe(exc, flags, document=document))
        except OSError as exc:
            return _error(err, _os_error(exc))
        return code
    code = 1
    try:
        with opener(path, args.writes, **options) as tracker:
            session = Session(args, tracker, out, err)
            try:
                code = int(args.handler(session))
            except UnknownRecordError as exc:
                return _error(err, describe(exc, flags, document=document) + suggest(tracker, exc))
            except UsageError as exc:
                args.parser.print_usage(err)
                say(err, f"{args.parser.prog}: error: {exc}")
                code = 2
                return code
        if path not in before and path.exists() and code == 0 and args.command != "init":
            session.note(f"started a new ledger at {path.resolve()}")
        return code
    except (ClaimtrackError, CommandError) as exc:
        return _error(err, describe(exc, flags, document=document))
    except ExceptionGroup as group:
        # An import reports every problem of a document at once; the command line
        # shows the first and how many there were, on one line.
        matched, rest = group.split(ClaimtrackError)
        if matched is None or rest is not None:
            raise
        leaves = list(_leaves(matched))
        more = f" (and {len(leaves) - 1} more problems)" if len(leaves) > 1 else ""
        return _error(err, describe(leaves[0], flags, document=document) + more)
    except BrokenPipeError:
        raise
    except OSError as exc:
        return _error(err, _os_error(exc))
    finally:
        if code != 0 and args.writes:
            _remove_new_ledger(path, before)


def _show_warning(message: Warning | str, *args: Any, **kwargs: Any) -> None:
    """Show a warning as one ``claimtrack: warning: …`` line, in the command's words."""
    say(sys.stderr, f"claimtrack: warning: {describe(Exception(str(message)))}")


def main(argv: Sequence[str] | None = None) -> int:
    """The entry point of the ``claimtrack`` console script and ``python -m claimtrack``.

    Args:
        argv: the arguments, without the program name; ``sys.argv[1:]`` by default.

    Returns:
        ``0`` on success, ``1`` for a mistake in what was asked (one line on standard
        error, nothing written), ``2`` for a usage error.

    Example:
        >>> main(["rule", "some-claim", "not-a-verdict", "--on", "2025"])  # doctest: +SKIP
        2

    .. versionadded:: 0.1.0
    """
    from claimtrack.errors import StoreWarning

    try:
        # The program (not the library) shows the library's warnings its own way: one
        # line, in the command line's words, without Python's source line.
        with warnings.catch_warnings():
            warnings.simplefilter("always", StoreWarning)
            warnings.showwarning = _show_warning
            return _run(argv)
    except BrokenPipeError:
        # The reader went away (``claimtrack list claims | head``).  Point stdout at
        # devnull so that the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
