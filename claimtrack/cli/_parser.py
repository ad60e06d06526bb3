"""The argument parser of the ``claimtrack`` command."""

from __future__ import annotations

import argparse
import re
from typing import Any, NoReturn

from claimtrack import __version__
from claimtrack._model import ClaimKind, Stance, Strength, Verdict

from ._checks import check_export, check_import, check_output, check_report
from ._commands import (
    cmd_assess,
    cmd_claim_add,
    cmd_evidence_add,
    cmd_history,
    cmd_init,
    cmd_leaderboard,
    cmd_list_claims,
    cmd_list_evidence,
    cmd_list_speakers,
    cmd_record,
    cmd_retract,
    cmd_rule,
    cmd_search,
    cmd_speaker_add,
)
from ._errors import close_matches
from ._files import cmd_backup, cmd_export, cmd_import, cmd_plot, cmd_repair, cmd_report
from ._forecasts import FORECAST_RANKINGS, cmd_forecast_add
from ._shared import add_commands as add_shared_commands

DEFAULT_DB = "claimtrack.db"
"""The ledger used when neither ``--db`` nor ``CLAIMTRACK_DB`` names one."""


class _Parser(argparse.ArgumentParser):
    """argparse, suggesting the near choice for a misspelt command or value.

    Each parser that runs a command (one that sets ``handler``) also stores itself as
    the ``parser`` default, so that a later usage error shows that command's usage.
    """

    def set_defaults(self, **kwargs: Any) -> None:
        if "handler" in kwargs:
            kwargs.setdefault("parser", self)
        super().set_defaults(**kwargs)

    def error(self, message: str) -> NoReturn:
        found = re.search(r"invalid choice: '(.*?)' \(choose from (.*)\)$", message)
        if found:
            word, listed = found.groups()
            choices = re.findall(r"'([^']*)'", listed)
            near = close_matches(word, choices)
            if near:
                head = message[: found.start()]
                shown = " or ".join(repr(c) for c in near)
                message = f"{head}invalid choice: {word!r}; did you mean {shown}?"
        super().error(message)


def words(text: str) -> str:
    """A verdict's or a kind's words as its value: ``"Partly held"`` -> ``"partly_held"``.

    Spaces, hyphens and underscores are all one, and case does not matter, so a value can
    be typed as the tables show it.

    Example:
        >>> words("partly-held"), words(" Partly  held "), words("hit rate")
        ('partly_held', 'partly_held', 'hit_rate')
    """
    return "_".join(text.replace("-", " ").replace("_", " ").lower().split())


def _add_claim_filters(parser: argparse.ArgumentParser, *, speakers: bool = False) -> None:
    """``--speaker --topic --kind --verdict --since --until``: which claims to take."""
    group = parser.add_argument_group("which claims")
    if speakers:
        group.add_argument("--speaker", action="append", help="only this speaker; repeatable")
    else:
        group.add_argument("--speaker", help="only this speaker's claims (id or name)")
    group.add_argument("--topic", help="only claims with this topic")
    group.add_argument(
        "--kind", type=words, choices=_values(ClaimKind), help="only claims of this kind"
    )
    group.add_argument(
        "--verdict", type=words, choices=_values(Verdict), help="only claims with this verdict"
    )
    group.add_argument("--since", metavar="DATE", help="only claims stated on or after DATE")
    group.add_argument("--until", metavar="DATE", help="only claims stated on or before DATE")


def _add_source_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("source (where it was said or reported)")
    group.add_argument("--source-title", metavar="TITLE", help="headline or document title")
    group.add_argument("--publisher", help="who published it")
    group.add_argument("--author", help="who wrote it")
    group.add_argument("--published", metavar="DATE", help="when it was published")
    group.add_argument("--url", help="an absolute URL")
    group.add_argument(
        "--reliability",
        type=float,
        metavar="P",
        help="how far to trust the source, in [0, 1] (default 1)",
    )


def _list_claims_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--include-retracted", action="store_true", help="also retracted claims")
    _add_claim_filters(p)
    _add_common(p, json_help="print JSON: {format, claims: [...]}")
    p.set_defaults(handler=cmd_list_claims, writes=False)


def _list_evidence_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("claim", help="the claim's id")
    _add_common(p, json_help="print JSON: {format, claim_id, evidence: [...]}")
    p.set_defaults(handler=cmd_list_evidence, writes=False)


def _add_plot_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="the chart to write (.png or .svg)"
    )
    p.add_argument("--as-of", metavar="DATE", help="judge on what had happened by DATE")
    p.set_defaults(handler=cmd_plot, writes=False, json=False, check=check_output)


def _add_allow_future(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--allow-future",
        action="store_true",
        help="accept a date after today (a scheduled event); refused otherwise",
    )


def _add_common(parser: argparse.ArgumentParser, *, json_help: str) -> None:
    parser.add_argument("--json", action="store_true", help=json_help)


def _values(enum_cls: type[ClaimKind] | type[Strength] | type[Verdict]) -> list[str]:
    return [m.value for m in enum_cls]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``claimtrack`` command.

    Each sub-command's parser sets ``handler`` (the function that runs it) and
    ``writes`` (whether it appends to the ledger).

    Example:
        >>> parser = build_parser()
        >>> parser.parse_args(["list", "claims", "--json"]).json
        True
    """
    parser = _Parser(
        prog="claimtrack",
        description="Track what public figures claim and whether it held up.",
        epilog="Exit codes: 0 success, 1 a mistake in what was asked, 2 a usage error.",
    )
    parser.add_argument("--version", action="version", version=f"claimtrack {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=None,
        help=f"the ledger: a file (.db/.sqlite/.sqlite3 or .jsonl) or a PostgreSQL URI"
        f" (postgresql://user@host/dbname); default: $CLAIMTRACK_DB, "
        f"else {DEFAULT_DB}",
    )
    order_help = (
        "read an all-numeric date such as 02/03/2025 day first (DMY) or month first "
        "(MDY); default: $CLAIMTRACK_DATE_ORDER, else such dates are refused"
    )
    parser.add_argument(
        "--date-order", type=str.upper, choices=["DMY", "MDY"], default=None, help=order_help
    )
    # --db is accepted after the command too (``claimtrack list claims --db x.db``).
    db_after = argparse.ArgumentParser(add_help=False)
    db_after.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="the ledger")
    db_after.add_argument(
        "--date-order",
        type=str.upper,
        choices=["DMY", "MDY"],
        default=argparse.SUPPRESS,
        help="DMY or MDY",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    leaf: dict[str, Any] = {"parents": [db_after]}
    added_help = "print the added record as JSON instead of its id"

    # init
    p = commands.add_parser("init", help="start a new, empty ledger", **leaf)
    p.add_argument(
        "init_path", nargs="?", metavar="PATH", help="the file to create (default: --db)"
    )
    p.set_defaults(handler=cmd_init, writes=True, json=False)

    # speaker add
    speaker = commands.add_parser("speaker", help="speakers: add, list")
    speaker_cmds = speaker.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = speaker_cmds.add_parser("add", help="add a person or organisation", **leaf)
    p.add_argument("name", help="the name to show")
    p.add_argument("--id", help="the id to use (default: made from the name)")
    p.add_argument(
        "--role",
        nargs="+",
        action="append",
        metavar="TITLE [START [END]]",
        help="an office held, with optional start and end dates; repeatable",
    )
    p.add_argument("--organization", action="store_true", help="an organisation, not a person")
    p.add_argument("--same-as", action="append", metavar="URL", help="an identifying URL")
    _add_common(p, json_help=added_help)
    p.set_defaults(handler=cmd_speaker_add, writes=True, flags={"name": "NAME"})
    p = speaker_cmds.add_parser("list", help="list speakers (as `list speakers`)", **leaf)
    _add_common(p, json_help="print JSON: {format, speakers: [...]}")
    p.set_defaults(handler=cmd_list_speakers, writes=False)

    # claim add
    claim = commands.add_parser("claim", help="claims: add, list")
    claim_cmds = claim.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = claim_cmds.add_parser("add", help="record a claim a speaker made", **leaf)
    p.add_argument("speaker", help="the speaker's id")
    p.add_argument("text", help="the claim in a full sentence")
    p.add_argument("--stated-on", required=True, metavar="DATE", help="when it was said")
    p.add_argument("--id", help="the id to use (default: made from speaker and text)")
    p.add_argument("--quote", help="the speaker's own words")
    p.add_argument(
        "--kind", type=words, choices=_values(ClaimKind), default=ClaimKind.ASSERTION.value
    )
    p.add_argument(
        "--due",
        metavar="DATE",
        help="by when it should have come true: a date, or +100d, +2w, +3m, +1y or "
        "'within 3 months' (counted from --stated-on)",
    )
    p.add_argument("--topic", action="append", help="a tag; repeatable")
    p.add_argument("--confidence", type=float, metavar="P", help="the probability the speaker gave")
    _add_allow_future(p)
    _add_source_options(p)
    _add_common(p, json_help=added_help)
    p.set_defaults(handler=cmd_claim_add, writes=True, flags={"speaker": "SPEAKER"})
    p = claim_cmds.add_parser("list", help="list claims (as `list claims`)", **leaf)
    _list_claims_options(p)

    # evidence add
    evidence = commands.add_parser("evidence", help="evidence: add, list")
    evidence_cmds = evidence.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = evidence_cmds.add_parser(
        "add", help="record something observed that bears on a claim", **leaf
    )
    p.add_argument("claim", help="the claim's id")
    p.add_argument("text", help="what was observed")
    stance = p.add_mutually_exclusive_group(required=True)
    for member in Stance:
        stance.add_argument(
            f"--{member.value}",
            dest="stance",
            action="store_const",
            const=member.value,
            help=f"the evidence {member.value if member is not Stance.CONTEXT else 'is context'}",
        )
    p.add_argument(
        "--strength", type=words, choices=_values(Strength), default=Strength.MODERATE.value
    )
    p.add_argument("--observed", required=True, metavar="DATE", help="when it happened")
    _add_allow_future(p)
    p.add_argument("--id", help="the id to use (default: <claim>-e<n>)")
    _add_source_options(p)
    _add_common(p, json_help=added_help)
    p.set_defaults(handler=cmd_evidence_add, writes=True, flags={"claim": "CLAIM"})
    p = evidence_cmds.add_parser("list", help="a claim's evidence (as `list evidence`)", **leaf)
    _list_evidence_options(p)

    # forecast add
    forecast = commands.add_parser("forecast", help="forecasts: add")
    forecast_cmds = forecast.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = forecast_cmds.add_parser(
        "add", help="record someone's probability that a claim holds", **leaf
    )
    p.add_argument("claim", help="the claim's id")
    p.add_argument("--by", required=True, metavar="SPEAKER", help="the forecaster's id")
    p.add_argument("--probability", required=True, type=float, metavar="P", help="in [0, 1]")
    p.add_argument("--made-on", required=True, metavar="DATE", help="when it was made")
    p.add_argument("--id", help="the id to use (default: <claim>-f<n>)")
    p.add_argument("--allow-future", action="store_true", help="accept a date after today")
    _add_source_options(p)
    _add_common(p, json_help=added_help)
    p.set_defaults(handler=cmd_forecast_add, writes=True)

    # rule
    p = commands.add_parser("rule", help="record an editorial ruling on a claim", **leaf)
    p.add_argument("claim", help="the claim's id")
    p.add_argument("verdict", type=words, choices=[v for v in _values(Verdict) if v != "pending"])
    p.add_argument("--on", required=True, metavar="DATE", help="the date it applies from")
    _add_allow_future(p)
    p.add_argument("--rationale", help="why")
    p.add_argument("--by", help="who ruled")
    p.add_argument("--id", help="the id to use (default: <claim>-r<n>)")
    _add_common(p, json_help=added_help)
    p.set_defaults(handler=cmd_rule, writes=True, flags={"verdict": "VERDICT", "by": "--by"})

    # retract
    p = commands.add_parser(
        "retract", help="withdraw a claim, evidence, forecast, ruling or retraction", **leaf
    )
    p.add_argument("record", help="the id of the record to withdraw")
    p.add_argument("--reason", required=True, help="why")
    p.add_argument("--id", help="the id to use (default: <record>-x<n>)")
    _add_common(p, json_help=added_help)
    p.set_defaults(handler=cmd_retract, writes=True)

    # list
    lister = commands.add_parser("list", help="list claims, speakers or a claim's evidence")
    list_cmds = lister.add_subparsers(dest="what", metavar="WHAT", required=True)
    p = list_cmds.add_parser("claims", help="list claims", **leaf)
    _list_claims_options(p)
    p = list_cmds.add_parser("speakers", help="list speakers", **leaf)
    _add_common(p, json_help="print JSON: {format, speakers: [...]}")
    p.set_defaults(handler=cmd_list_speakers, writes=False)
    p = list_cmds.add_parser("evidence", help="a claim's evidence", **leaf)
    _list_evidence_options(p)

    # assess
    p = commands.add_parser("assess", help="whether claims held up, and why", **leaf)
    p.add_argument("claim", nargs="?", help="one claim's id (default: every claim)")
    p.add_argument("--as-of", metavar="DATE", help="judge on what had happened by DATE")
    p.add_argument("--known-at", metavar="TIME", help="as the ledger stood at TIME (audit)")
    _add_claim_filters(p)
    _add_common(p, json_help="print JSON: {format, assessments: [...]}")
    p.set_defaults(handler=cmd_assess, writes=False)

    # history
    p = commands.add_parser("history", help="a claim's assessment at each change", **leaf)
    p.add_argument("claim", help="the claim's id")
    p.add_argument("--known-at", metavar="TIME", help="as the ledger stood at TIME (audit)")
    _add_common(p, json_help="print JSON: {format, claim_id, history: [...]}")
    p.set_defaults(handler=cmd_history, writes=False)

    # record, leaderboard
    for name, handler, help_text in (
        ("record", cmd_record, "speakers' track records"),
        ("leaderboard", cmd_leaderboard, "speakers ranked by track record"),
    ):
        p = commands.add_parser(name, help=help_text, **leaf)
        if name == "record":
            p.add_argument("speaker", nargs="?", help="one speaker's id (default: all)")
            p.add_argument(
                "--forecasts", action="store_true", help="also each speaker's forecast record"
            )
        else:
            p.add_argument(
                "--by",
                type=words,
                choices=["hit_rate", "brier", *FORECAST_RANKINGS],
                default="hit_rate",
                help="rank by the hit rate's interval (lower end), the Brier score, or a "
                "forecast score",
            )
            p.add_argument(
                "--min-resolved",
                type=int,
                default=5,
                metavar="N",
                help="leave out speakers with fewer resolved (or scored) claims (default 5)",
            )
        p.add_argument("--topic", help="only claims with this topic")
        p.add_argument(
            "--kind", type=words, choices=_values(ClaimKind), help="only claims of this kind"
        )
        p.add_argument("--as-of", metavar="DATE", help="judge on what had happened by DATE")
        _add_common(
            p,
            json_help="print JSON: {format, records: [...]}"
            if name == "record"
            else "print JSON: {format, by, min_resolved, leaderboard: [...]}",
        )
        p.set_defaults(handler=handler, writes=False, flags={"by": "--by"})

    # report
    p = commands.add_parser("report", help="write a Markdown or HTML scorecard", **leaf)
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="the file to write")
    p.add_argument(
        "--format", choices=["md", "html"], help="default: from the file's suffix (.md/.html)"
    )
    p.add_argument("--as-of", metavar="DATE", help="judge on what had happened by DATE")
    p.add_argument("--title", default="claimtrack scorecard", help="the report's title")
    p.add_argument("--no-charts", action="store_true", help="leave charts out of HTML")
    _add_claim_filters(p, speakers=True)
    p.set_defaults(
        handler=cmd_report, writes=False, json=False, check=check_report, flags={"title": "--title"}
    )

    # import, export
    p = commands.add_parser("import", help="add records from a ClaimReview or CSV file", **leaf)
    p.add_argument("format", choices=["claimreview", "csv"], help="the file's format")
    p.add_argument("file", help="the file to read (all of it is added, or nothing)")
    p.add_argument(
        "--what",
        choices=["speakers", "claims", "evidence", "rulings", "retractions", "forecasts"],
        help="CSV: the kind of record the file holds (required for CSV, unless --all)",
    )
    p.add_argument(
        "--all",
        action="store_true",
        help="CSV: FILE is a directory written by `export csv --all`: read every kind",
    )
    p.add_argument(
        "--skip-bad",
        action="store_true",
        help="import every item (review, row) that can be read; list the others",
    )
    _add_common(
        p,
        json_help="print JSON: {format, added, skipped, unknown_ratings, notes, reader, unlisted}",
    )
    p.add_argument(
        "--max-items",
        type=int,
        metavar="N",
        help="the most reviews or rows one file may hold (default 10000)",
    )
    p.add_argument(
        "--max-bytes",
        type=int,
        metavar="N",
        help="the largest file, in bytes (default 16777216, 16 MiB)",
    )
    p.set_defaults(handler=cmd_import, writes=True, check=check_import)
    p = commands.add_parser("export", help="write the ledger as ClaimReview or CSV", **leaf)
    p.add_argument("format", choices=["claimreview", "csv"], help="the file's format")
    p.add_argument("file", help="the file to write (.jsonl for JSON Lines ClaimReview)")
    p.add_argument("--reviewer", help="ClaimReview: the reviewing organisation (required)")
    p.add_argument("--as-of", metavar="DATE", help="judge claims as of DATE")
    p.add_argument("--url", help="ClaimReview: each review's URL, a template with {id}")
    p.add_argument(
        "--what",
        choices=[
            "speakers",
            "claims",
            "evidence",
            "rulings",
            "retractions",
            "forecasts",
            "assessments",
        ],
        help="CSV: which records (or the assessments) to write (required for CSV, unless --all)",
    )
    p.add_argument(
        "--all",
        action="store_true",
        help="CSV: FILE is a directory; write every kind of record into it, one file each",
    )
    _add_common(
        p, json_help="print JSON: {format, written, file} ({written, directory} with --all)"
    )
    p.set_defaults(handler=cmd_export, writes=False, check=check_export)

    # search
    p = commands.add_parser("search", help="find claims and evidence by their words", **leaf)
    p.add_argument("words", nargs="+", metavar="WORDS", help="the words to look for")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="show at most N (default 20)")
    _add_common(p, json_help="print JSON: {format, words, results: [{score, record}]}")
    p.set_defaults(handler=cmd_search, writes=False)

    # backup, repair, plot
    p = commands.add_parser("backup", help="copy the ledger to a file, safely while in use", **leaf)
    p.add_argument("file", metavar="PATH", help="the copy to write (same format as the ledger)")
    p.set_defaults(handler=cmd_backup, writes=False, json=False, check=check_output)
    p = commands.add_parser(
        "repair", help="cut an unfinished write off the end of the ledger after a crash", **leaf
    )
    p.set_defaults(handler=cmd_repair, writes=False, json=False, standalone=True)
    plot = commands.add_parser("plot", help="draw one chart to a PNG or SVG file")
    plot_cmds = plot.add_subparsers(dest="chart", metavar="CHART", required=True)
    p = plot_cmds.add_parser("probability", help="a claim's probability over time", **leaf)
    p.add_argument("claim", help="the claim's id")
    _add_plot_options(p)
    p = plot_cmds.add_parser("records", help="speakers' track records side by side", **leaf)
    p.add_argument("--speaker", action="append", help="only this speaker; repeatable")
    p.add_argument("--topic", help="only claims with this topic")
    p.add_argument(
        "--kind", type=words, choices=_values(ClaimKind), help="only claims of this kind"
    )
    _add_plot_options(p)
    p = plot_cmds.add_parser(
        "calibration", help="a speaker's stated confidence vs outcomes", **leaf
    )
    p.add_argument("speaker", help="the speaker's id")
    p.add_argument("--topic", help="only claims with this topic")
    p.add_argument(
        "--kind", type=words, choices=_values(ClaimKind), help="only claims of this kind"
    )
    _add_plot_options(p)

    add_shared_commands(commands, leaf)  # copy, follow (issue 16)
    return parser
