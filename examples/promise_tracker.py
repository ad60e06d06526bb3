"""A campaign-promise tracker, in the style of the newsroom promise meters.

Run it with ``python examples/promise_tracker.py``; it keeps its ledger in memory and
writes no file.

**Everything in this example is invented.**  Mayor Ines Calloway, the city of Port
Alder and every promise and event are fictional; any likeness to a real person or place
is an accident.

Newsrooms that track an officeholder's campaign promises rate each one on a meter:
*promise kept*, *compromise*, *promise broken*, *stalled*, *in the works* (and *not yet
rated* until someone looks).  In claimtrack:

- each promise is a claim of kind ``ClaimKind.PROMISE``, due by the end of the term
  (``due=ct.within(years=4)``: four years from the day it was made);
- the desk's rating is a ruling: kept is ``Verdict.HELD``, compromise is
  ``Verdict.PARTLY_HELD``, broken is ``Verdict.FAILED``, each with the desk's reason;
- *stalled* and *in the works* are not verdicts, so they get no ruling: they are read
  from the evidence while the promise is still open (``STATUS_OF`` and ``status`` below
  are the whole rule);
- the meter is printed per status, and as it stood at the end of each year in office
  (``assess(..., as_of=...)``), followed by the mayor's track record.
"""

from __future__ import annotations

import collections
import datetime as dt
import os
import sys
import textwrap

import claimtrack as ct

# "Today" for the tracker: three and a quarter years into the term, the same on every run.
TODAY = dt.datetime(2025, 4, 1, 9, 0, tzinfo=dt.UTC)
CAMPAIGN = "2021-10-12"  # the day the platform was published
DESK = "City desk"

# The meter's ratings that are verdicts: the desk rules them.
STATUS_OF = {
    ct.Verdict.HELD: "Promise kept",
    ct.Verdict.PARTLY_HELD: "Compromise",
    ct.Verdict.FAILED: "Promise broken",
}
METER = ("Promise kept", "Compromise", "Promise broken", "Stalled", "In the works",
         "Not yet rated")  # fmt: skip

SUPPORTS, REFUTES, CONTEXT = ct.Stance.SUPPORTS, ct.Stance.REFUTES, ct.Stance.CONTEXT
WEAK, MODERATE, STRONG = ct.Strength.WEAK, ct.Strength.MODERATE, ct.Strength.STRONG

# (id, the promise, topic)
PROMISES = [
    ("bus-drivers", "Hire 100 more bus drivers.", "transport"),
    ("eastgate-library", "Open a public library branch in Eastgate.", "libraries"),
    ("contracts-online", "Publish every city contract online.", "transparency"),
    ("street-trees", "Plant 10,000 street trees.", "environment"),
    ("affordable-homes", "Build 5,000 affordable homes.", "housing"),
    ("free-buses", "Make the buses free for everyone.", "transport"),
    ("no-tax-rise", "Not raise the property tax rate.", "taxes"),
    ("harbour-pool", "Reopen the Harbour Pool.", "leisure"),
    ("airport-rail", "Build a light-rail line to the airport.", "transport"),
    ("green-power", "Run every city building on renewable power.", "environment"),
    ("crisis-centre", "Open a 24-hour mental-health crisis centre.", "health"),
    ("response-times", "Cut average ambulance response times below 8 minutes.", "health"),
    ("harbour-vote", "Put the harbour redevelopment to a citywide referendum.", "harbour"),
    ("youth-council", "Set up an elected youth council.", "democracy"),
]

# (promise, observed on, what, stance, strength)
EVIDENCE = [
    ("bus-drivers", "2022-09-01", ("The transit authority hired 64 drivers in its first "
     "recruitment round."), SUPPORTS, MODERATE),
    ("harbour-pool", "2022-11-15", "Engineers found the pool's structure beyond repair.",
     REFUTES, STRONG),
    ("no-tax-rise", "2023-03-28", "The council raised the property tax rate by 3 %.",
     REFUTES, STRONG),
    ("airport-rail", "2023-06-20", ("The council postponed the rail line's funding vote "
     "indefinitely."), REFUTES, MODERATE),
    ("green-power", "2023-10-05", "The city cancelled its tender for a solar supplier.",
     REFUTES, WEAK),
    ("crisis-centre", "2023-11-30", "The city bought a site for the crisis centre.",
     SUPPORTS, MODERATE),
    ("affordable-homes", "2024-06-30", "2,300 affordable homes completed since 2022.",
     SUPPORTS, MODERATE),
    ("response-times", "2024-07-15", ("Average response times fell from 9.4 to 8.6 "
     "minutes."), SUPPORTS, WEAK),
    ("airport-rail", "2024-09-10", "The 2025 capital budget left out the rail line.",
     REFUTES, MODERATE),
    ("crisis-centre", "2024-10-01", "Construction of the crisis centre began.",
     SUPPORTS, MODERATE),
    ("harbour-vote", "2025-02-12", "A harbour developer presented plans to the council.",
     CONTEXT, WEAK),
]  # fmt: skip

# The desk's ratings: (promise, verdict, from, why)
RULINGS = [
    ("contracts-online", ct.Verdict.HELD, "2022-04-01",
     "Every contract signed since January 2022 is on the city's website"),
    ("bus-drivers", ct.Verdict.HELD, "2023-03-01", "The 100th new driver started work"),
    ("no-tax-rise", ct.Verdict.FAILED, "2023-03-28", "The rate rose by 3 %"),
    ("harbour-pool", ct.Verdict.FAILED, "2023-05-02",
     "The pool was demolished; a splash park is planned instead"),
    ("eastgate-library", ct.Verdict.HELD, "2023-09-16", "The Eastgate branch opened"),
    ("free-buses", ct.Verdict.PARTLY_HELD, "2024-01-01",
     "Buses became free for under-18s and over-65s, not for everyone"),
    ("street-trees", ct.Verdict.HELD, "2024-11-01", "The 10,000th tree was planted"),
    ("affordable-homes", ct.Verdict.PARTLY_HELD, "2025-01-15",
     "2,300 homes built and a further 900 funded: well short of 5,000"),
]  # fmt: skip


def build(tracker: ct.Tracker) -> None:
    """Record the mayor, the platform's promises, the evidence and the desk's ratings."""
    tracker.add_speaker(
        "Ines Calloway", id="calloway",
        roles=[ct.Role("Mayor of Port Alder", start="2022-01-01")],
    )  # fmt: skip
    platform = ct.Source(title="A Port Alder that works", publisher="Calloway for Mayor",
                         published=CAMPAIGN)  # fmt: skip
    for promise_id, text, topic in PROMISES:
        tracker.add_claim(
            "calloway", text, id=promise_id, kind=ct.ClaimKind.PROMISE, stated_on=CAMPAIGN,
            due=ct.within(years=4), topics={topic}, source=platform,
        )  # fmt: skip
    for promise_id, day, text, stance, strength in EVIDENCE:
        tracker.add_evidence(promise_id, text, stance=stance, strength=strength,
                             observed_on=day)  # fmt: skip
    for promise_id, verdict, day, why in RULINGS:
        tracker.rule(promise_id, verdict, on=day, by=DESK, rationale=why)


def status(assessment: ct.Assessment) -> str:
    """The meter's rating of one promise, from its assessment.

    A rated promise (a ruling, or evidence that settles it) shows its verdict's rating.
    An open one is *in the works* when the evidence leans towards it, *stalled* when it
    does not (including evidence that only gives context), and *not yet rated* when
    there is no evidence at all.
    """
    if assessment.verdict in STATUS_OF:
        return STATUS_OF[assessment.verdict]
    if not assessment.contributions:
        return "Not yet rated"
    return "In the works" if assessment.probability > 0.5 else "Stalled"


def say(text: str, indent: str = "  ", hang: str = "") -> None:
    """Print *text* wrapped, never breaking "3 %" across lines."""
    text = text.replace(" %", "\0%")
    wrapped = textwrap.fill(text, width=88, initial_indent=indent, subsequent_indent=indent + hang)
    print(wrapped.replace("\0%", " %"))


def heading(text: str) -> None:
    print()
    print(text)
    print("=" * len(text))


def show_meter(tracker: ct.Tracker) -> None:
    heading("The Calloway-O-Meter")
    by_status: dict[str, list[ct.Assessment]] = collections.defaultdict(list)
    for assessment in tracker.assess_all():
        by_status[status(assessment)].append(assessment)
    total = len(tracker.claims(speaker="calloway", kind="promise"))
    print()
    for name in METER:
        n = len(by_status[name])
        print(f"  {name:<15} {n:>2}  {'#' * (3 * n)}")
    print(f"  {'':<15} {total:>2}  promises")
    for name in METER:
        if not by_status[name]:
            continue
        print()
        print(f"{name}:")
        for a in by_status[name]:
            if a.ruling is not None:
                why = f"{a.ruling.rationale} (rated {a.ruling.on.describe()})"
            elif a.contributions:
                latest = a.contributions[-1].evidence
                why = f"Latest: {latest.text.rstrip('.')} ({latest.observed_on.describe()})"
            else:
                why = "No evidence yet"
            say(f"- {a.claim.text} {why}.", hang="  ")


def show_over_time(tracker: ct.Tracker) -> None:
    heading("The meter at the end of each year in office")
    print()
    short = ("kept", "compromise", "broken", "stalled", "in the works", "not rated")
    print("  " + "".join(f"{name:>13}" for name in ("end of", *short)))
    for year in ("2022", "2023", "2024", "now"):
        as_of = None if year == "now" else f"{year}-12-31"
        counts = collections.Counter(
            status(tracker.assess(c, as_of=as_of)) for c in tracker.claims(speaker="calloway")
        )
        print("  " + "".join(f"{x:>13}" for x in (year, *(counts[n] for n in METER))))


def show_record(tracker: ct.Tracker) -> None:
    heading("Mayor Calloway's track record")
    rec = tracker.track_record("calloway", kind=ct.ClaimKind.PROMISE)
    print()
    say(rec.summary())
    print()
    say("A compromise counts as half a promise kept.  Stalled, in-the-works and unrated "
        "promises are still pending: they count for nothing yet, and will be rated by "
        "the end of the term.  The interval is wide because eight rated promises are a "
        "small sample.")  # fmt: skip
    transport = tracker.track_record("calloway", topic="transport")
    print()
    say("On transport alone: " + transport.summary())


def main() -> None:
    print("Mayor Ines Calloway's campaign promises (a fictional mayor of a fictional city)")
    tracker = ct.Tracker(clock=lambda: TODAY)
    build(tracker)
    print(f"{len(tracker.claims())} promises made on {ct.PartialDate.parse(CAMPAIGN).describe()}, "
          f"due within four years; the meter as of {TODAY.day} {TODAY:%B %Y}.")  # fmt: skip
    show_meter(tracker)
    show_over_time(tracker)
    show_record(tracker)


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
