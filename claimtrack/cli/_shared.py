"""``claimtrack copy`` and ``claimtrack follow``: commands for shared ledgers (issue 16)."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from claimtrack._copy import copy
from claimtrack.stores._pgschema import shown

from ._output import Session, clip, record_json

__all__ = ["add_commands", "cmd_copy", "cmd_follow"]


def cmd_copy(args: argparse.Namespace, ledger: Any, out: TextIO, err: TextIO) -> int:
    """``claimtrack copy SRC DST``: every record of SRC into the empty ledger DST.

    A command of its own (``standalone``): it opens SRC and DST, not the ``--db`` ledger.
    """
    del ledger, err
    n = copy(args.src, args.dst)
    if args.json:
        json.dump({"copied": n, "from": shown(args.src), "to": shown(args.dst)}, out)
        out.write("\n")
    else:
        out.write(f"copied {n} records\n")
    return 0


def cmd_follow(s: Session) -> int:
    """``claimtrack follow``: print the records other writers commit, as they come."""
    try:
        for record in s.tracker.follow(timeout=s.args.timeout, poll=s.args.poll):
            if s.args.json:
                s.out.write(json.dumps(record_json(s.tracker, record), ensure_ascii=False))
            else:
                kind = type(record).__name__.lower()
                text = getattr(record, "text", None) or getattr(record, "name", None) or ""
                s.out.write(f"{kind}\t{record.id}\t{clip(str(text), 80)}")
            s.out.write("\n")
            s.out.flush()
    except KeyboardInterrupt:  # Ctrl-C ends following: not an error
        pass
    return 0


def add_commands(commands: Any, leaf: dict[str, Any]) -> None:
    """Add ``copy`` and ``follow`` to the sub-command parsers."""
    p = commands.add_parser(
        "copy",
        help="copy a whole ledger into a new, empty one (SQLite, JSON Lines, PostgreSQL)",
        **leaf,
    )
    p.add_argument("src", metavar="SRC", help="the ledger to read: a file or a PostgreSQL URI")
    p.add_argument("dst", metavar="DST", help="the empty ledger to fill (created if missing)")
    p.add_argument("--json", action="store_true", help="print JSON: {copied, from, to}")
    p.set_defaults(handler=cmd_copy, standalone=True, writes=False)
    p = commands.add_parser(
        "follow", help="print the records other writers add, as they come", **leaf
    )
    p.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="stop once nothing has come for this long (default: follow until interrupted)",
    )
    p.add_argument("--poll", type=float, default=0.2, metavar="SECONDS", help=argparse.SUPPRESS)
    p.add_argument("--json", action="store_true", help="print each record as one JSON line")
    p.set_defaults(handler=cmd_follow, writes=False)
