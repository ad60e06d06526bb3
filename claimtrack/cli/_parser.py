"""The argument parser of the ``claimtrack`` command."""

from __future__ import annotations

import argparse
from typing import Any

from claimtrack import __version__
from claimtrack._model import ClaimKind, Stance, Strength, Verdict

from ._commands import (
    cmd_assess,
    cmd_claim_add,
    cmd_evidence_add,
    cmd_history,
    cmd_leaderboard,
    cmd_list_claims,
    cmd_list_speakers,
    cmd_record,
    cmd_retract,
    cmd_rule,
    cmd_speaker_add,
)
from ._files import cmd_export, cmd_import, cmd_report
from ._forecasts import FORECAST_RANKINGS, cmd_forecast_add

DEFAULT_DB = "claimtrack.db"
"""The ledger used when neither ``--db`` nor ``CLAIMTRACK_DB`` names one."""


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
    parser = argparse.ArgumentParser(
        prog="claimtrack",
        description="Track what public figures claim and whether it held up.",
        epilog="Exit codes: 0 success, 1 a mistake in what was asked, 2 a usage error.",
    )
    parser.add_argument("--version", action="version", version=f"claimtrack {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=None,
        help=f"the ledger file (.db/.sqlite/.sqlite3 or .jsonl); default: $CLAIMTRACK_DB, "
        f"else {DEFAULT_DB}",
    )
    # --db is accepted after the command too (``claimtrack list claims --db x.db``).
    db_after = argparse.ArgumentParser(add_help=False)
    db_after.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="the ledger")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    leaf: dict[str, Any] = {"parents": [db_after]}
    added_help = "print the added record as JSON instead of its id"

    # speaker add
    speaker = commands.add_parser("speaker", help="speakers: add")
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
    p.set_defaults(handler=cmd_speaker_add, writes=True)

    # claim add
    claim = commands.add_parser("claim", help="claims: add")
    claim_cmds = claim.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = claim_cmds.add_parser("add", help="record a claim a speaker made", **leaf)
    p.add_argument("speaker", help="the speaker's id")
    p.add_argument("text", help="the claim in a full sentence")
    p.add_argument("--stated-on", required=True, metavar="DATE", help="when it was said")
    p.add_argument("--id", help="the id to use (default: made from speaker and text)")
    p.add_argument("--quote", help="the speaker's own words")
    p.add_argument("--kind", choices=_values(ClaimKind), default=ClaimKind.ASSERTION.value)
    p.add_argument("--due", metavar="DATE", help="by when it should have come true")
    p.add_argument("--topic", action="append", help="a tag; repeatable")
    p.add_argument("--confidence", type=float, metavar="P", help="the probability the speaker gave")
    _add_source_options(p)
    _add_common(p, json_help=added_help)
    p.set_defaults(handler=cmd_claim_add, writes=True)

    # evidence add
    evidence = commands.add_parser("evidence", help="evidence: add")
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
    p.add_argument("--strength", choices=_values(Strength), default=Strength.MODERATE.value)
    p.add_argument("--observed", required=True, metavar="DATE", help="when it happened")
    p.add_argument("--id", help="the id to use (default: <claim>-e<n>)")
    _add_source_options(p)
    _add_common(p, json_help=added_help)
    p.set_defaults(handler=cmd_evidence_add, writes=True)

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
    p.add_argument("verdict", choices=[v for v in _values(Verdict) if v != "pending"])
    p.add_argument("--on", required=True, metavar="DATE", help="the date it applies from")
    p.add_argument("--rationale", help="why")
    p.add_argument("--by", help="who ruled")
    p.add_argument("--id", help="the id to use (default: <claim>-r<n>)")
    _add_common(p, json_help=added_help)
    p.set_defaults(handler=cmd_rule, writes=True)

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
    lister = commands.add_parser("list", help="list claims or speakers")
    list_cmds = lister.add_subparsers(dest="what", metavar="WHAT", required=True)
    p = list_cmds.add_parser("claims", help="list claims", **leaf)
    p.add_argument("--speaker", help="only this speaker's claims")
    p.add_argument("--topic", help="only claims with this topic")
    p.add_argument("--kind", choices=_values(ClaimKind), help="only claims of this kind")
    p.add_argument("--include-retracted", action="store_true", help="also retracted claims")
    _add_common(p, json_help="print JSON: {format, claims: [...]}")
    p.set_defaults(handler=cmd_list_claims, writes=False)
    p = list_cmds.add_parser("speakers", help="list speakers", **leaf)
    _add_common(p, json_help="print JSON: {format, speakers: [...]}")
    p.set_defaults(handler=cmd_list_speakers, writes=False)

    # assess
    p = commands.add_parser("assess", help="whether claims held up, and why", **leaf)
    p.add_argument("claim", nargs="?", help="one claim's id (default: every claim)")
    p.add_argument("--as-of", metavar="DATE", help="judge on what had happened by DATE")
    p.add_argument("--known-at", metavar="TIME", help="as the ledger stood at TIME (audit)")
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
        p.add_argument("--kind", choices=_values(ClaimKind), help="only claims of this kind")
        p.add_argument("--as-of", metavar="DATE", help="judge on what had happened by DATE")
        _add_common(
            p,
            json_help="print JSON: {format, records: [...]}"
            if name == "record"
            else "print JSON: {format, by, min_resolved, leaderboard: [...]}",
        )
        p.set_defaults(handler=handler, writes=False)

    # report
    p = commands.add_parser("report", help="write a Markdown or HTML scorecard", **leaf)
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="the file to write")
    p.add_argument(
        "--format", choices=["md", "html"], help="default: from the file's suffix (.md/.html)"
    )
    p.add_argument("--as-of", metavar="DATE", help="judge on what had happened by DATE")
    p.add_argument("--speaker", action="append", help="only this speaker; repeatable")
    p.add_argument("--title", default="claimtrack scorecard", help="the report's title")
    p.add_argument("--no-charts", action="store_true", help="leave charts out of HTML")
    p.set_defaults(handler=cmd_report, writes=False, json=False)

    # import, export
    p = commands.add_parser("import", help="add records from a ClaimReview or CSV file", **leaf)
    p.add_argument("format", choices=["claimreview", "csv"], help="the file's format")
    p.add_argument("file", help="the file to read (all of it is added, or nothing)")
    p.add_argument(
        "--what",
        choices=["speakers", "claims", "evidence", "rulings", "retractions", "forecasts"],
        help="CSV: the kind of record the file holds (required for CSV)",
    )
    _add_common(p, json_help="print JSON: {format, added, skipped, unknown_ratings}")
    p.set_defaults(handler=cmd_import, writes=True)
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
        help="CSV: which records (or the assessments) to write (required for CSV)",
    )
    _add_common(p, json_help="print JSON: {format, written, file}")
    p.set_defaults(handler=cmd_export, writes=False)

    return parser
