"""Pundits' forecasts with stated probabilities: Brier scores, calibration, a leaderboard.

Run it with ``python examples/pundit_forecasts.py``; it keeps its ledger in memory and
writes no file.

**Everything in this example is invented.**  The pundits (Ada Brightwater, Cornelius
Vane, Hollis Marchbank, Wren Abernathy), the city of Port Alder, the Republic of Calder
and every event are fictional; any likeness to real people or places is an accident.
The numbers are chosen so that the arithmetic can be checked by hand.

What it shows, in order:

1. forecasts recorded as ``ClaimKind.PREDICTION`` claims with the probability the pundit
   stated (``confidence=0.8``), or read off hedging words with
   :func:`claimtrack.wording.confidence_from` and marked ``confidence_basis="wording"``;
2. outcomes settled by conclusive evidence or, where a judgement was needed, by a ruling
   (including a partly held forecast and a void one, which are not scored);
3. each pundit's Brier score and log score, and one Brier score worked out by hand;
4. a calibration table of all the forecasts together, with the Murphy decomposition;
5. leaderboards: by hit rate (ordered by the lower end of the interval, and why), and by
   Brier score, with and without the confidences read off wording.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import sys
import textwrap

import attrs

import claimtrack as ct
from claimtrack.wording import confidence_from

# "Today" for the tracker: after every forecast of 2025 fell due, the same on every run.
TODAY = dt.datetime(2026, 1, 15, 9, 0, tzinfo=dt.UTC)

SUPPORTS, REFUTES = ct.Stance.SUPPORTS, ct.Stance.REFUTES
DESK = "Forecast desk"


@attrs.frozen
class Event:
    """Something the pundits forecast, and how it turned out."""

    text: str  # what was observed, or the desk's reason for its ruling
    on: str  # when
    happened: bool | None  # None: the desk rules instead of the evidence
    ruling: ct.Verdict | None = None  # for the claims that the event was for


EVENTS = {
    "levy": Event("The city council passed the transit levy, 7 votes to 2.",
                  "2025-05-14", happened=True),
    "bridge": Event("The Harbour Bridge reopened to traffic.", "2025-09-29", happened=True),
    "rate-cut": Event("Calder's central bank held its policy rate at every meeting of 2025.",
                      "2025-12-17", happened=False),
    "turnout": Event("Official results: turnout in the mayoral election was 54 %.",
                     "2025-10-06", happened=True),
    "dunmore": Event("Official results: Mayor Ilse Dunmore lost the election.",
                     "2025-10-06", happened=False),
    "ferry": Event("The ferry strike ended on 4 August, after the summer timetable began.",
                   "2025-08-04", happened=False),
    "budget": Event("Calder's finance ministry reported a balanced budget for 2025.",
                    "2025-12-30", happened=True),
    "promotion": Event("The Alder Rovers finished second and were promoted; the final table "
                       "was disputed for a week over a replayed match", "2025-05-24",
                       happened=None, ruling=ct.Verdict.HELD),
    "stadium": Event("The stadium opened in September rather than August, at half its "
                     "capacity", "2025-09-13", happened=None, ruling=ct.Verdict.PARTLY_HELD),
    "pact": Event("The regional trade pact was abandoned before anyone could join it",
                  "2025-07-01", happened=None, ruling=ct.Verdict.VOID),
}  # fmt: skip

# (pundit, event, the claim as the pundit leaned, what they said, when).  What they said
# is a probability, a hedge that confidence_from reads, or None (no probability given).
# fmt: off
FORECASTS: list[tuple[str, str, str, float | str | None, str]] = [
    ("brightwater", "levy", "The council will pass the transit levy by June 2025.",
     0.9, "2025-01-06"),
    ("brightwater", "bridge", "The Harbour Bridge will reopen to traffic by October 2025.",
     0.8, "2025-01-06"),
    ("brightwater", "rate-cut", ("Calder's central bank will cut its rate at least once in "
     "2025."), 0.7, "2025-01-06"),
    ("brightwater", "turnout", "Turnout in the mayoral election will exceed 50 %.",
     0.6, "2025-01-06"),
    ("brightwater", "promotion", "The Alder Rovers will win promotion.", 0.8, "2025-01-06"),
    ("brightwater", "budget", "Calder will balance its 2025 budget.", 0.7, "2025-01-06"),
    ("brightwater", "ferry", "The ferry strike will end before the summer timetable.",
     0.6, "2025-01-06"),
    ("brightwater", "stadium", "The new stadium will open in August, full size.",
     0.9, "2025-01-06"),
    ("vane", "dunmore", "Mayor Ilse Dunmore will be re-elected.", 0.95, "2025-01-13"),
    ("vane", "rate-cut", "Calder's central bank will cut its rate in 2025.", 0.9, "2025-01-13"),
    ("vane", "levy", "The transit levy will pass.", 0.9, "2025-01-13"),
    ("vane", "bridge", "The Harbour Bridge will reopen by October.", 0.95, "2025-01-13"),
    ("vane", "ferry", "The ferry strike will be over before summer.", 0.9, "2025-01-13"),
    ("vane", "promotion", "The Alder Rovers will go up.", 0.9, "2025-01-13"),
    ("vane", "pact", "Calder will join the regional trade pact.", None, "2025-01-13"),
    ("marchbank", "levy", "The transit levy will pass.",
     "The levy will almost certainly pass.", "2025-01-20"),
    ("marchbank", "turnout", "Turnout will top 50 %.",
     "Turnout above half is very likely this time.", "2025-01-20"),
    ("marchbank", "rate-cut", "The central bank will cut its rate this year.",
     "The bank will probably cut this year.", "2025-01-20"),
    ("marchbank", "bridge", "The Harbour Bridge will reopen by October.",
     "The bridge is likely to reopen by October.", "2025-01-20"),
    # He said the strike was *unlikely* to end before summer, so he leaned towards "it
    # will not": the claim is recorded that way round, with 1 - the band's midpoint.
    ("marchbank", "ferry", "The ferry strike will not end before summer.",
     "It is unlikely the ferry strike ends before summer.", "2025-01-20"),
    ("marchbank", "games", "Port Alder will be chosen to host the 2027 regional games.",
     "Port Alder will very likely get the games.", "2025-01-20"),
    ("abernathy", "bridge", "The Harbour Bridge will reopen by October.", 0.6, "2025-02-03"),
    ("abernathy", "budget", "Calder will balance its budget.", 0.7, "2025-02-03"),
]
# fmt: on

# The forecasts recorded the other way round from their event ("will not end").
AGAINST = {("marchbank", "ferry")}

PUNDITS = {
    "brightwater": "Ada Brightwater",
    "vane": "Cornelius Vane",
    "marchbank": "Hollis Marchbank",
    "abernathy": "Wren Abernathy",
}


def confidence_of(said: float | str | None, against: bool) -> tuple[float | None, str | None]:
    """The confidence to record for what a pundit said, and its basis."""
    if said is None:
        return None, None
    if isinstance(said, float):
        return said, "stated"
    band = confidence_from(said)
    assert band is not None, said
    # The hedge is about the event as the pundit named it; a claim recorded the other
    # way round ("will not") gets the complement.
    return (round(1 - band.midpoint, 6) if against else band.midpoint), "wording"


def build(tracker: ct.Tracker) -> None:
    """Record the pundits, their forecasts and how the events turned out."""
    for pundit_id, name in PUNDITS.items():
        tracker.add_speaker(name, id=pundit_id)

    by_event: dict[str, list[tuple[ct.Claim, bool]]] = {}
    for pundit_id, event, text, said, stated_on in FORECASTS:
        against = (pundit_id, event) in AGAINST
        confidence, basis = confidence_of(said, against)
        claim = tracker.add_claim(
            pundit_id, text, id=f"{pundit_id}-{event}", stated_on=stated_on,
            kind=ct.ClaimKind.PREDICTION, due="2025-12-31" if event != "games" else "2026-06-30",
            quote=said if isinstance(said, str) else None, topics={event},
            confidence=confidence, confidence_basis=basis,
        )  # fmt: skip
        by_event.setdefault(event, []).append((claim, against))

    for key, event in EVENTS.items():
        for claim, against in by_event.get(key, []):
            if event.ruling is not None:
                tracker.rule(claim, event.ruling, on=event.on, by=DESK, rationale=event.text)
            else:
                agrees = event.happened is not against
                tracker.add_evidence(
                    claim, event.text, stance=SUPPORTS if agrees else REFUTES,
                    strength=ct.Strength.CONCLUSIVE, observed_on=event.on,
                )  # fmt: skip


# -- printing ---------------------------------------------------------------------------


def say(text: str, indent: str = "  ") -> None:
    """Print *text* wrapped, never breaking "50 %" across lines."""
    text = text.replace(" %", "\0%")
    wrapped = textwrap.fill(text, width=88, initial_indent=indent, subsequent_indent=indent)
    print(wrapped.replace("\0%", " %"))


def heading(text: str) -> None:
    print()
    print(text)
    print("=" * len(text))


def show_forecasts(tracker: ct.Tracker) -> None:
    heading("The forecasts and how they turned out")
    for pundit in tracker.speakers():
        print()
        print(f"{pundit.name} (fictional):")
        for claim in tracker.claims(speaker=pundit):
            if claim.confidence is None:
                stated = "no probability"
            elif claim.confidence_basis == "wording":
                stated = f'{claim.confidence:.1%} from "{claim.quote}"'
            else:
                stated = f"{claim.confidence:.0%}"
            verdict = tracker.assess(claim).verdict
            print(f"  {verdict.label:<12} {claim.text}  [{stated}]")


def show_scores(tracker: ct.Tracker) -> None:
    heading("Brier and log scores")
    print()
    say("The Brier score is the mean of (stated probability - outcome)^2, where the outcome "
        "is 1 if the forecast held and 0 if it failed: 0 is perfect, 0.25 is what always "
        "saying 50 % earns, lower is better.  The log score is the mean natural log of the "
        "probability given to what happened: 0 is perfect, -0.693 is always saying 50 %, "
        "higher is better.  Only forecasts with a probability that resolved held or failed "
        "are scored; a partly held, void or pending one is not, and claimtrack never "
        "invents a probability the pundit did not give.")  # fmt: skip
    print()
    print(f"  {'pundit':<18} {'scored':>6} {'Brier':>7} {'log score':>10}")
    for pundit in tracker.speakers():
        rec = tracker.track_record(pundit)
        if rec.brier is None or rec.log_score is None:
            print(f"  {pundit.name:<18} {rec.scored:>6} {'-':>7} {'-':>10}")
            continue
        print(f"  {pundit.name:<18} {rec.scored:>6} {rec.brier:>7.3f} {rec.log_score:>10.3f}")

    # One of them by hand, from the forecasts themselves.
    scored = [
        (c.confidence, 1 if v is ct.Verdict.HELD else 0)
        for c in tracker.claims(speaker="brightwater")
        if c.confidence is not None
        and (v := tracker.assess(c).verdict) in (ct.Verdict.HELD, ct.Verdict.FAILED)
    ]
    terms = " + ".join(f"({f:g} - {o})^2" for f, o in scored)
    total = math.fsum((f - o) ** 2 for f, o in scored)
    print()
    say(f"Ada Brightwater's Brier score by hand: ({terms}) / {len(scored)} = "
        f"{total:.2f} / {len(scored)} = {total / len(scored):.3f}.  Her stadium forecast "
        "partly held and is not scored.")  # fmt: skip


def show_calibration(tracker: ct.Tracker) -> None:
    heading("Calibration of all the forecasts together")
    everyone = tracker.track_record()
    print()
    say("A forecaster is calibrated when the things they call 70 % likely happen about 70 % "
        "of the time.  One row per probability stated; 'gap' is stated minus observed "
        "(positive: over-confident).  With one to four forecasts a row, a gap says little "
        "on its own; the reliability term below sums them up.")  # fmt: skip
    print()
    print(f"  {'stated':>7} {'forecasts':>9} {'came true':>9} {'gap':>7}")
    for row in everyone.calibration:
        print(f"  {row.mean_stated:>7.1%} {row.count:>9} {row.observed:>9.0%} {row.gap:>+7.2f}")
    assert everyone.brier is not None
    assert everyone.reliability is not None
    assert everyone.resolution is not None
    assert everyone.uncertainty is not None
    happened = round(sum(row.count * row.observed for row in everyone.calibration))
    print()
    say(f"Murphy decomposition of the Brier score over these {everyone.scored} forecasts: "
        f"reliability {everyone.reliability:.4f} (the calibration gap; lower is better) - "
        f"resolution {everyone.resolution:.4f} (how well the stated probabilities tell "
        f"what happened from what did not; higher is better) + uncertainty "
        f"{everyone.uncertainty:.4f} (a property of the events: p(1 - p) where "
        f"p = {happened} / {everyone.scored} is the share that happened) = "
        f"{everyone.brier:.4f}, the Brier score.")  # fmt: skip
    print()
    for pundit in tracker.speakers():
        rec = tracker.track_record(pundit)
        if rec.reliability is None or rec.resolution is None:
            continue
        say(f"{pundit.name}: reliability {rec.reliability:.4f}, resolution "
            f"{rec.resolution:.4f}, uncertainty {rec.uncertainty:.4f}.")  # fmt: skip
    print()
    say("Cornelius Vane's resolution is 0: his 90 % and his 95 % forecasts came true "
        "equally often (half of each), so his numbers told nothing apart, and his "
        "reliability term is the largest: he was over-confident.  Wren Abernathy's "
        "uncertainty is 0 because both her forecasts held; two forecasts say little.")  # fmt: skip


def show_leaderboards(tracker: ct.Tracker) -> None:
    heading("Leaderboards")
    print()
    say("By hit rate: (held + half of partly held) / resolved.  A pundit with two "
        "forecasts that both held has a hit rate of 100 %, but two forecasts prove little: "
        "the 95 % Wilson interval of 2 out of 2 runs from 34 % to 100 %.  So the board is "
        "ordered by the lower end of each interval, the hit rate we can be fairly sure of, "
        "and a short lucky streak does not top it.  Pundits with fewer than 2 resolved "
        "forecasts are left out (min_resolved=2).")  # fmt: skip
    print()
    for row in tracker.leaderboard(min_resolved=2):
        print(f"  {row}")
    print()
    say("By Brier score, lowest first, over the forecasts that had a probability.  This "
        "rewards saying how sure you were, not just being right.  A Brier score comes "
        "with no interval, so a small sample needs a higher floor: with min_resolved=2, "
        "Wren Abernathy's two forecasts would put her first; with min_resolved=5 (five "
        "forecasts scored) she is left out until she has made more:")  # fmt: skip
    print()
    for row in tracker.leaderboard(by="brier", min_resolved=5):
        print(f"  {row}")
    print()
    say("Hollis Marchbank never gave a number; his probabilities were read off his words "
        '("almost certainly", "probably").  Leave such readings out '
        "(include_wording=False) and he has no Brier score at all:")  # fmt: skip
    rec = tracker.track_record("marchbank", include_wording=False)
    print()
    say(rec.summary(), indent="    ")


def main() -> None:
    print("Pundits' forecasts for 2025 (every name, place and event here is fictional)")
    tracker = ct.Tracker(clock=lambda: TODAY)
    build(tracker)
    print(f"{len(tracker.speakers())} pundits, {len(tracker.claims())} forecasts.")
    show_forecasts(tracker)
    show_scores(tracker)
    show_calibration(tracker)
    show_leaderboards(tracker)


def run() -> None:
    """Run :func:`main`, ending quietly when the reader goes away (``| head -1``)."""
    try:
        main()
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would report the closed pipe again while flushing at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    run()
