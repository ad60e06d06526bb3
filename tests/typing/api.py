"""Typed usage of claimtrack's public API; checked by ``mypy --strict tests/typing``.

Not run by pytest: it only has to type-check.  Every assignment states the type a
user would expect, so a change to a public signature shows up here.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import claimtrack as ct
from claimtrack import errors, stores, strategies
from claimtrack.interop import ImportLimits, ImportReport, Note, OnError, Skipped, UnknownRating
from claimtrack.interop.claimreview import (
    RATINGS,
    export_claimreviews,
    from_claimreview,
    import_claimreviews,
    rating_verdict,
    status_of,
    to_claimreview,
    to_html_script,
)
from claimtrack.interop.forecasts import read_forecasts
from claimtrack.interop.tabular import CSV_FILES, read_csv, read_csv_all, write_csv, write_csv_all

# -- dates ------------------------------------------------------------------------------
feb: ct.PartialDate = ct.PartialDate.parse("Feb 2025")
precision: ct.Precision = feb.precision
first: dt.date = feb.start
last: dt.date = feb.end
inside: bool = feb.contains(dt.date(2025, 2, 10)) and feb.overlaps(ct.PartialDate.year(2025))
earlier: bool = ct.PartialDate.day(2025, 1, 31) < feb
words: str = feb.describe()
deadline: ct.RelativeDeadline = ct.within(days=100)
due: ct.PartialDate = deadline.resolve(ct.PartialDate.month(2025, 2))
when: ct.DateInput = dt.datetime(2025, 2, 18, 23, 30, tzinfo=dt.UTC)
coerced: ct.PartialDate = ct.PartialDate.coerce(when, field="stated_on")
order: ct.DateOrder | None = "DMY"
day_first: ct.PartialDate = ct.PartialDate.parse("02/03/2025", date_order=order)
ordered: ct.Tracker = ct.Tracker(date_order="MDY")
its_order: ct.DateOrder | None = ordered.date_order
scheduled: ct.Claim = ordered.add_claim(
    ordered.add_speaker("Kaja Kallas"), "Talks resume.", stated_on="2030", allow_future=True
)
many: list[ct.Record] = ordered.add_many([], allow_future=True)


# -- records and the tracker -------------------------------------------------------------
article = ct.Source(title="U.S.-Russia Talks in Riyadh", publisher="JadeTimes", reliability=0.9)
role = ct.Role("President of the United States", start="2025-01-20")

with ct.Tracker(stores.MemoryStore()) as tracker:
    trump: ct.Speaker = tracker.add_speaker("Donald Trump", id="trump", roles=[role])
    title: ct.Role | None = trump.role_on("2025-02-18")
    claim: ct.Claim = tracker.add_claim(
        trump,
        "Ukraine will be involved in the peace negotiations.",
        kind=ct.ClaimKind.ASSURANCE,
        stated_on="2025-02-18",
        source=article,
        due=ct.within(months=10),
        topics={"ukraine"},
        confidence=None,
    )
    same: ct.Claim = tracker.claim("trump-ukraine-will-be-involved-in")
    evidence: ct.Evidence = tracker.add_evidence(
        claim.id, "Met in Jeddah.", stance="supports", strength=ct.Strength.STRONG,
        observed_on="2025-03-11",
    )  # fmt: skip
    reliability: float = evidence.reliability
    ruling: ct.Ruling = tracker.rule(claim, ct.Verdict.HELD, on="2025-03-11", rationale="Jeddah")
    retraction: ct.Retraction = tracker.retract(evidence, reason="misreported")
    hand_made: ct.Speaker = tracker.add(ct.Speaker("kellogg", "Keith Kellogg"))
    stored: list[ct.Record] = tracker.add_many([ct.Speaker("lavrov", "Sergey Lavrov")])
    found: ct.Record = tracker.get("lavrov")
    speakers: tuple[ct.Speaker, ...] = tracker.speakers()
    claims: tuple[ct.Claim, ...] = tracker.claims(
        speaker="trump", topic="ukraine", kind="assurance"
    )
    on_claim: tuple[ct.Evidence, ...] = tracker.evidence(claim)
    rulings: tuple[ct.Ruling, ...] = tracker.rulings("trump-ukraine-will-be-involved-in")
    withdrawn: bool = tracker.is_retracted(evidence, known_at="2025-12-01")
    against: tuple[ct.Retraction, ...] = tracker.retractions(evidence)
    every: list[ct.Record] = list(tracker.records())
    count: int = len(tracker)
    present: bool = "trump" in tracker
    store: stores.Store = tracker.store
    followed: list[ct.Record] = list(tracker.follow(timeout=0.0, poll=0.1))

copied: int = ct.copy("riyadh.db", "postgresql://desk@db.example/claims")
shared: stores.PostgreSQLStore = stores.PostgreSQLStore("host=/tmp dbname=c", schema="riyadh")
one_claim: stores.ClaimRecords | None = shared.claim_records("trump-ukraine-will-be-involved-in")
ranked: list[tuple[ct.Record, float]] = shared.search("Jeddah", limit=5)


def read_only(path: Path) -> bool:
    """A ledger opened for reading only (not run: type-checked)."""
    with ct.open(path, readonly=True, date_order="DMY") as reader:
        by_tracker: ct.DateOrder | None = reader.date_order
        sqlite_only: bool = stores.SQLiteStore(path, readonly=True).readonly
        jsonl_only: bool = stores.JSONLinesStore(path, readonly=True).readonly
        ordered = by_tracker == "DMY"
        return (
            ordered
            and sqlite_only
            and jsonl_only
            and stores.open_store(path, readonly=True).readonly
        )


resolved: bool = ct.Verdict.HELD.is_resolved
label: str = ct.Verdict.PARTLY_HELD.label

# -- errors -------------------------------------------------------------------------------
try:
    ct.PartialDate.parse("Biden may sign it", field="stated_on")
except errors.InvalidRecordError as err:
    field: str = err.field
    reason: str = err.reason
    record_id: str | None = err.record_id
except errors.ClaimtrackError:
    pass

try:
    ct.Tracker().speaker("nobody")
except errors.UnknownRecordError as missing:
    kind: str = missing.kind
    key: str = missing.record_id

corrupt = errors.CorruptStoreError("bad line", path="ledger.jsonl", line=3)
line: int | None = corrupt.line
path: str | None = corrupt.path
version: str = ct.__version__


# -- strategies ---------------------------------------------------------------------------
@given(strategies.ledgers(max_claims=2), st.from_type(ct.Claim))
def test_ledger(records: list[ct.Record], claim: ct.Claim) -> None:
    """A user's own property test, typed."""
    ct.Tracker().add_many(records)


dates: st.SearchStrategy[ct.PartialDate] = strategies.partial_dates(precision=ct.Precision.DAY)
texts: st.SearchStrategy[str] = strategies.texts(max_size=10)
made: st.SearchStrategy[ct.Claim] = strategies.claims(speaker_id=strategies.ids())


# -- scoring ------------------------------------------------------------------------------
scored = ct.Tracker(policy=ct.EvidenceWeighing(prior=0.4, held_at=0.9))
scored.add_speaker("Sergey Lavrov", id="lavrov")
scored.add_claim("lavrov", "Talks will focus on relations.", id="lc", stated_on="2025-02-18")
assessment: ct.Assessment = scored.assess("lc", as_of="2025-03-01", known_at="2025-03-02")
verdict: ct.Verdict = assessment.verdict
probability: float = assessment.probability
shares: list[float] = [c.share for c in assessment.contributions]
why: str = assessment.explain()
named: str = assessment.explain(speaker=scored.speaker("lavrov"))
steps: ct.History = scored.history("lc")
entries: Sequence[ct.Assessment] = steps
first_step: ct.Assessment = steps[0]
later_steps: tuple[ct.Assessment, ...] = steps[1:]
by_hand: ct.History = ct.History(later_steps)
everything: tuple[ct.Assessment, ...] = scored.assess_all(as_of=dt.date(2025, 6, 1))
held: tuple[ct.Claim, ...] = scored.claims(verdict=ct.Verdict.HELD)
policy: ct.ScoringPolicy = scored.policy


# -- track records ------------------------------------------------------------------------
record: ct.TrackRecord = scored.track_record("lavrov", topic="russia", as_of="2025-06")
rate: float | None = record.hit_rate
bounds: tuple[float, float] | None = record.interval
brier: float | None = record.brier
paragraph: str = record.summary()
board: tuple[ct.LeaderboardRow, ...] = scored.leaderboard(by="brier", min_resolved=0)
pure: ct.TrackRecord = ct.TrackRecord.from_verdicts([(scored.claim("lc"), ct.Verdict.HELD)])
low_high: tuple[float, float] = ct.wilson_interval(7.5, 10, confidence=0.9)
decomposed: ct.MurphyDecomposition = ct.murphy_decomposition([0.9, 0.2], [1, 0])
bins: tuple[ct.CalibrationBin, ...] = ct.calibration_bins([0.9, 0.2], [1, 0], bins=10)
band: ct.wording.EstimativeBand | None = ct.wording.confidence_from("very likely")

# -- interop: ClaimReview ---------------------------------------------------------------------
desk = ct.Tracker()
limits = ImportLimits(max_bytes=1_000_000, max_depth=16, max_string=5_000, max_items=100)
report: ImportReport = import_claimreviews(
    desk, Path("feed.json"), ratings={"misleading": ct.Verdict.PARTLY_HELD}, limits=limits
)
added: tuple[ct.Record, ...] = report.records
skipped: tuple[Skipped, ...] = report.skipped
unknown: tuple[UnknownRating, ...] = report.unknown_ratings
counts: dict[str, int] = from_claimreview('{"@type": "ClaimReview"}').counts
rated: ct.Verdict | None = rating_verdict("Half True") or RATINGS["true"]
review: dict[str, object] = to_claimreview(
    desk, "c", reviewer="Desk", as_of="2025-04-01", url="https://d.example/{id}"
)
html: str = to_html_script(review)
written: int = export_claimreviews(desk, io.StringIO(), reviewer={"name": "Desk"})
mode: OnError = "skip"
lenient: ImportReport = import_claimreviews(
    desk, "<html></html>", on_error=mode, unattributed="Viral posts"
)
notes: tuple[Note, ...] = lenient.notes
reader_used: str | None = lenient.reader
more: int = lenient.unlisted
bounded = ImportLimits(max_nodes=50_000)
status: str | None = status_of(desk, "c")
numeric: ct.Verdict | None = rating_verdict(value=4, best=5, worst=1)
files: dict[str, int] = write_csv_all(desk, Path("out"), neutralize=False)
all_files: ImportReport = read_csv_all(desk, Path("out"), on_error="skip", neutralized=False)
sheet: ImportReport = read_csv(desk, "a,b\n", "claims", on_error="raise")
rows: int = write_csv(desk, io.StringIO(), "claims", neutralize=True)
claims_file: str = CSV_FILES["claims"]
try:
    import_claimreviews(desk, b"[]")
except* errors.ImportFormatError as group:
    where: list[str] = [e.path for e in group.exceptions if isinstance(e, errors.ImportFormatError)]

# issue 12: search, date filters on claims, what a store answers
hits: list[tuple[ct.Record, float]] = scored.search("Ukraine talks", limit=5)
recent: tuple[ct.Claim, ...] = scored.claims(since="2025-02", until=dt.date(2025, 12, 31))
everything_of_c: stores.ClaimRecords | None = stores.MemoryStore().claim_records("c")

# -- reports and charts -------------------------------------------------------------------
from claimtrack import report as scorecards  # noqa: E402

card: scorecards.Scorecard = scorecards.Scorecard.gather(scored, as_of="2025-06-01")
judged: str = card.judged_words() + card.made_words()
page: Path = scorecards.write(scored, Path("card.md"), format="md", as_of="2025-06-01")
chart_path: Path = scorecards.write_chart(scored, Path("c.svg"), "probability", claim="lc")
labels: dict[str, ct.Speaker] = scorecards.speaker_labels(scored.speakers())
scorecards.check_not_ledger(scored, Path("card.md"))
# -- forecasts -----------------------------------------------------------------------------
forecast: ct.Forecast = scored.forecast(
    "lc", by="lavrov", probability=0.7, made_on="2025-03-01", allow_future=False
)
made_on: ct.PartialDate = forecast.made_on
forecasts_on_claim: tuple[ct.Forecast, ...] = scored.forecasts("lc", by="lavrov")
resolved_on: ct.PartialDate | None = scored.assess("lc").resolved_on
forecast_record: ct.ForecastRecord = scored.forecast_record("lavrov", topic="russia", as_of="2025")
time_averaged: float | None = forecast_record.time_averaged_brier
per_claim: tuple[ct.ClaimForecastScore, ...] = forecast_record.claims
forecasters: tuple[ct.ForecastLeaderboardRow, ...] = scored.leaderboard(
    by="relative_brier", min_resolved=1
)
top_score: float = forecasters[0].score if forecasters else 0.0
skill: float | None = ct.brier_skill_score([0.9, 0.2], [1, 0])
daily: float | None = ct.time_averaged_brier([(dt.date(2025, 3, 1), 0.6)], 1, dt.date(2025, 3, 5))
crowd: dict[str, float] = ct.relative_brier(
    {"a": [(dt.date(2025, 3, 1), 0.6)]}, 1, dt.date(2025, 3, 5)
)
forecasts_in: ImportReport = read_forecasts(desk, Path("f.csv"), outcomes=Path("o.csv"))
