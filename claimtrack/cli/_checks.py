"""Checks a command's arguments pass before the ledger is opened.

A check raises :class:`~._errors.UsageError` (exit 2: the command was called wrongly,
a required option is missing) or :class:`~._errors.CommandError` (exit 1: what was
asked cannot be done, e.g. writing a report over the ledger itself).  Nothing is opened,
created or written before the checks pass.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ._errors import CommandError, UsageError

__all__ = ["check_export", "check_import", "check_output", "check_report", "not_the_ledger"]


def _ledger_files(ledger: Path) -> list[str]:
    real = os.path.realpath(ledger)
    return [real, *(real + suffix for suffix in ("-wal", "-shm", "-journal"))]


def not_the_ledger(target: str | os.PathLike[str], ledger: Path, *, flag: str = "") -> None:
    """Refuse *target* if it is the ledger file (or a SQLite file beside it).

    The paths are compared after resolving links (``os.path.realpath``), and by
    ``os.path.samefile`` when both exist, so a hard link or another spelling of the
    ledger's path is caught too.

    Raises:
        CommandError: *target* resolves to the ledger.

    Example:
        >>> not_the_ledger("out.md", Path("ledger.db"))
        >>> not_the_ledger("./ledger.db", Path("ledger.db"))
        Traceback (most recent call last):
        ...
        claimtrack.cli._errors.CommandError: ./ledger.db: that is the ledger itself; ...
    """
    where = f"{flag} " if flag else ""
    same = os.path.realpath(target) in _ledger_files(ledger)
    if not same and os.path.exists(target) and ledger.exists():
        try:
            same = os.path.samefile(target, ledger)
        except OSError:
            same = False
    if same:
        raise CommandError(
            f"{where}{os.fspath(target)}: that is the ledger itself; "
            "writing there would destroy it, so give another file"
        )


def check_output(args: argparse.Namespace, ledger: Path) -> None:
    """A command writing ``-o FILE`` (or a ``PATH`` argument) must not write the ledger."""
    target = getattr(args, "output", None) or args.file
    not_the_ledger(target, ledger)


_REPORT_SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}


def check_report(args: argparse.Namespace, ledger: Path) -> None:
    """``report``: not onto the ledger, and ``--format`` agreeing with the file's suffix."""
    not_the_ledger(args.output, ledger)
    implied = _REPORT_SUFFIXES.get(Path(args.output).suffix.lower())
    if args.format and implied and args.format != implied:
        raise UsageError(
            f"--format {args.format} does not match the file name {args.output!r} "
            f"(a {implied} file); leave --format out or change the name"
        )


def check_export(args: argparse.Namespace, ledger: Path) -> None:
    """``export``: the options each format requires, and not onto the ledger."""
    if args.format == "claimreview" and not args.reviewer:
        raise UsageError(
            "the following argument is required for ClaimReview: --reviewer "
            "(the reviewing organisation's name)"
        )
    if args.format == "csv" and not args.what:
        raise UsageError(
            "the following argument is required for CSV: --what (speakers, claims, "
            "evidence, rulings, retractions or assessments)"
        )
    if getattr(args, "file", None) is not None:  # (`export --all DIR` writes a folder)
        not_the_ledger(args.file, ledger)


def check_import(args: argparse.Namespace, ledger: Path) -> None:
    """``import``: ``--what`` for CSV, sane limits, and a file that is there to read.

    Checking the file first means a mistyped name creates no ledger.
    """
    if args.format == "csv" and not args.what:
        raise UsageError(
            "the following argument is required for CSV: --what (speakers, claims, "
            "evidence, rulings or retractions)"
        )
    for flag, value in (("--max-items", args.max_items), ("--max-bytes", args.max_bytes)):
        if value is not None and value < 1:
            raise UsageError(f"{flag}: {value} must be a positive number")
    path = Path(args.file)
    if not path.exists():
        raise CommandError(f"{args.file}: no such file")
    if path.is_dir():
        raise CommandError(f"{args.file}: is a folder, not a file")
    if not os.access(path, os.R_OK):
        raise CommandError(f"{args.file}: cannot be read (permission denied)")
