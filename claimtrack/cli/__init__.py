"""The ``claimtrack`` command: keep a ledger from the shell.

Every command works on one ledger file, given by ``--db PATH`` (default: the
``CLAIMTRACK_DB`` environment variable, else ``claimtrack.db`` in the current folder).

Writing commands (``speaker add``, ``claim add``, ``evidence add``, ``rule``,
``retract``) print the id of the record they added, or the record itself with
``--json``.  Reading commands print a table, or with ``--json`` a JSON document whose
shape is documented in ``docs/cli.md`` and stays stable across releases.

Exit codes: ``0`` success; ``1`` a mistake in what was asked (an unknown id, a bad date,
a file that cannot be read), reported as one line on standard error, with nothing
written; ``2`` a usage error (an unknown option, a missing argument).

Example:
    >>> from claimtrack.cli import main
    >>> main(["--version"])  # doctest: +ELLIPSIS
    claimtrack ...
    0

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TextIO

from claimtrack._tracker import Tracker
from claimtrack.errors import ClaimtrackError, StoreError

from ._output import Session, one_line
from ._parser import DEFAULT_DB, build_parser

__all__ = ["main"]

Opener = Callable[[Path, bool], AbstractContextManager[Tracker]]
"""Opens the ledger at a path; the flag says whether the command writes to it."""


# -- opening the ledger ----------------------------------------------------------------


def _open_ledger(path: Path, writes: bool) -> AbstractContextManager[Tracker]:
    """Open the ledger file at *path* with :func:`claimtrack.open`.

    A reading command on a file that does not exist is an error rather than a reason to
    create an empty ledger.
    """
    if not writes and not path.exists():
        raise StoreError(
            f"{path}: no ledger here (give one with --db or CLAIMTRACK_DB, "
            "or start one with `claimtrack speaker add`)",
            path=str(path),
        )
    from claimtrack._open import open as open_ledger

    return open_ledger(path)


# -- running ---------------------------------------------------------------------------


def _db_path(args: argparse.Namespace) -> Path:
    given = args.db or os.environ.get("CLAIMTRACK_DB") or DEFAULT_DB
    return Path(given)


def _leaves(group: BaseExceptionGroup[ClaimtrackError]) -> Iterator[ClaimtrackError]:
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            yield from _leaves(exc)
        else:
            yield exc


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
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version, or a usage error (2)
        return stop.code if isinstance(stop.code, int) else 1
    try:
        with opener(_db_path(args), args.writes) as tracker:
            code: int = args.handler(Session(args, tracker, out, err))
            return code
    except ClaimtrackError as exc:
        err.write(f"claimtrack: error: {one_line(str(exc))}\n")
        return 1
    except ExceptionGroup as group:
        # An import reports every problem of a document at once; the command line
        # shows the first and how many there were, on one line.
        matched, rest = group.split(ClaimtrackError)
        if matched is None or rest is not None:
            raise
        leaves = list(_leaves(matched))
        more = f" (and {len(leaves) - 1} more problems)" if len(leaves) > 1 else ""
        err.write(f"claimtrack: error: {one_line(str(leaves[0]))}{more}\n")
        return 1
    except BrokenPipeError:
        raise
    except OSError as exc:
        err.write(f"claimtrack: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
        err.write("\n")
        return 1


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
    try:
        return _run(argv)
    except BrokenPipeError:
        # The reader went away (``claimtrack list claims | head``).  Point stdout at
        # devnull so that the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
