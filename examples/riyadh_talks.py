"""The Riyadh talks of 18 February 2025: claims made that day, and what followed.

Run it with ``python examples/riyadh_talks.py``: it writes the ledger (a SQLite file),
a scorecard and charts into ``./claimtrack-example-output/`` and keeps them there, or
into the folder you name (``python examples/riyadh_talks.py my-folder``).  Run it again
on the same folder and it reads the ledger instead of writing it a second time.  The
HTML scorecard needs the ``html`` extra and the charts the ``plot`` extra; without them
it writes the Markdown scorecard only, and says so.

The claims come from an article of 18 February 2025 (JadeTimes, "U.S.-Russia Talks in
Riyadh: A New Chapter in Diplomacy?", by Iruni Kalupahana).  The evidence is this
example's own reading of widely reported public events, with the stance and strength
we judged right, recorded as of 23 November 2025, the date of the last event used.
So that the example can show what the ledger said on a past date, each record is
stamped (``recorded_at``) as if a news desk had entered it at 09:00 UTC on the morning
after the event.

What it shows, in order:

1. writing the ledger to a SQLite file with ``ct.open``, closing it and reopening it;
2. each claim with its speaker's role, its evidence, its verdict and the explanation;
3. how each verdict changed over time (``Tracker.history``);
4. a correction: evidence filed against the wrong claim, retracted and filed again;
5. "what did we say on a past date": ``as_of`` (world time) against ``known_at``
   (knowledge time);
6. an editor's ruling that disagrees with the computed verdict;
7. each speaker's track record, and a short leaderboard;
8. a scorecard (Markdown, and HTML with charts) and the charts on their own.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import math
import os
import pathlib
import sys
import textwrap
from collections.abc import Sequence
from typing import Any

import claimtrack as ct
from claimtrack import report

RECORDED = "2025-11-23"
# "Today" for the tracker: the morning after the last event, so that due dates are
# checked against the same day on every run.
TODAY = dt.datetime(2025, 11, 24, 9, 0, tzinfo=dt.UTC)

article = ct.Source(
    title="U.S.-Russia Talks in Riyadh: A New Chapter in Diplomacy?",
    publisher="JadeTimes",
    author="Iruni Kalupahana",
    published="2025-02-18",
)
white_house = ct.Source(title="Statements and readouts", publisher="The White House")
state = ct.Source(publisher="US Department of State")
treasury = ct.Source(publisher="US Department of the Treasury")
ukraine_president = ct.Source(publisher="Office of the President of Ukraine")
elysee = ct.Source(publisher="Élysée")
turkey = ct.Source(publisher="Ministry of Foreign Affairs of Türkiye")


SUPPORTS, REFUTES, CONTEXT = ct.Stance.SUPPORTS, ct.Stance.REFUTES, ct.Stance.CONTEXT
WEAK, MODERATE, STRONG, CONCLUSIVE = (
    ct.Strength.WEAK, ct.Strength.MODERATE, ct.Strength.STRONG, ct.Strength.CONCLUSIVE
)  # fmt: skip

# The evidence, as it arrived: (claim, observed on, what, stance, strength, source).
# fmt: off
EVIDENCE: list[tuple[str, str, str, ct.Stance, ct.Strength, ct.Source | None]] = [
    ("macron-emergency-summit", "2025-02-17",
     "European leaders met in Paris at Macron's invitation.", SUPPORTS, CONCLUSIVE, elysee),
    ("trump-ukraine-involved", "2025-02-18",
     "Ukraine was not invited to the Riyadh meeting.", REFUTES, MODERATE, article),
    ("lavrov-talks-focus", "2025-02-18",
     ("The delegations agreed to set up teams to work toward ending the war and "
     "to restore embassy staffing."), SUPPORTS, STRONG, state),
    ("us-kellogg-to-kyiv", "2025-02-20",
     "Kellogg met Zelenskyy in Kyiv.", SUPPORTS, STRONG, ukraine_president),
    ("us-minerals-deal", "2025-02-28",
     ("The Oval Office meeting ended in a public dispute; the minerals agreement "
     "was not signed."), REFUTES, MODERATE, white_house),
    ("trump-ukraine-involved", "2025-03-11",
     ("US and Ukrainian delegations met in Jeddah; Ukraine backed a 30-day "
     "ceasefire."), SUPPORTS, STRONG, state),
    ("lavrov-talks-focus", "2025-03-18",
     ("Trump and Putin spoke; Russia agreed to a 30-day pause in strikes on energy "
     "infrastructure, not to a full ceasefire."), SUPPORTS, MODERATE, white_house),
    ("trump-ukraine-involved", "2025-03-25",
     ("Technical talks in Riyadh with the Ukrainian and Russian delegations, "
     "separately."), SUPPORTS, MODERATE, white_house),
    ("us-minerals-deal", "2025-04-30",
     ("The US and Ukraine signed the minerals agreement creating the United "
     "States-Ukraine Reconstruction Investment Fund."), SUPPORTS, STRONG, treasury),
    # Filed against the wrong claim: corrected below.
    ("trump-ukraine-involved", "2025-05-16",
     ("Russia and Ukraine held direct talks in Istanbul and agreed a "
     "1,000-for-1,000 prisoner exchange."), SUPPORTS, STRONG, turkey),
    ("trump-ukraine-involved", "2025-08-15",
     "Trump and Putin met in Anchorage without Ukraine.", REFUTES, MODERATE, white_house),
    ("zelenskyy-no-deal-without-ukraine", "2025-08-15",
     "The Anchorage summit, without Ukraine, ended with no agreement announced.",
     SUPPORTS, WEAK, white_house),
    ("russia-no-withdrawal", "2025-08-15",
     "The Anchorage summit ended with no agreement announced.", CONTEXT, WEAK, white_house),
    ("trump-ukraine-involved", "2025-08-18",
     "Zelenskyy and European leaders met Trump at the White House.", SUPPORTS, MODERATE,
     white_house),
    ("russia-no-withdrawal", "2025-11",
     "Russian forces stayed in the four regions Russia claims to have annexed.",
     SUPPORTS, STRONG, None),
    ("trump-ukraine-involved", "2025-11-23",
     "US and Ukrainian delegations met in Geneva on a US-drafted peace plan.",
     SUPPORTS, STRONG, state),
    ("zelenskyy-no-deal-without-ukraine", "2025-11-23",
     ("Ukraine negotiated the US-drafted plan in Geneva rather than accept it as "
     "drafted."), SUPPORTS, MODERATE, state),
]
# fmt: on


def morning_after(day: str) -> dt.datetime:
    """09:00 UTC on the day after *day* (an ISO date): when the desk recorded it."""
    return dt.datetime.fromisoformat(day).replace(hour=9, tzinfo=dt.UTC) + dt.timedelta(days=1)


def build(tracker: ct.Tracker) -> None:
    """Record the speakers, the claims of 18 February 2025 and the evidence that followed."""
    first = morning_after("2025-02-18")  # the desk set up the ledger the day after

    # -- the speakers, with the roles they held ----------------------------------------
    tracker.add_speaker(
        "Donald Trump", id="trump", recorded_at=first,
        roles=[
            ct.Role("President of the United States", start="2017-01-20", end="2021-01-20"),
            ct.Role("President of the United States", start="2025-01-20"),
        ],
    )  # fmt: skip
    tracker.add_speaker(
        "Volodymyr Zelenskyy", id="zelenskyy", recorded_at=first,
        roles=[ct.Role("President of Ukraine", start="2019-05-20")],
    )  # fmt: skip
    tracker.add_speaker(
        "Sergey Lavrov", id="lavrov", recorded_at=first,
        roles=[ct.Role("Minister of Foreign Affairs of Russia", start="2004-03-09")],
    )  # fmt: skip
    tracker.add_speaker(
        "Government of Russia", id="russia", organization=True, recorded_at=first
    )  # fmt: skip
    tracker.add_speaker(
        "Government of the United States", id="us", organization=True, recorded_at=first
    )  # fmt: skip
    tracker.add_speaker(
        "Emmanuel Macron", id="macron", recorded_at=first,
        roles=[ct.Role("President of France", start="2017-05-14")],
    )  # fmt: skip

    # -- the claims in the article -------------------------------------------------------
    def claim(speaker: str, text: str, **kw: Any) -> None:
        tracker.add_claim(
            speaker, text, stated_on="2025-02-18", source=article, recorded_at=first, **kw
        )

    claim(
        "trump", "Ukraine will be involved in the peace negotiations.",
        id="trump-ukraine-involved", quote="will be involved",
        kind=ct.ClaimKind.ASSURANCE, due="2025-12-31", topics={"ukraine", "peace-talks"},
    )  # fmt: skip
    claim(
        "zelenskyy", "Ukraine will not accept any agreement reached without its participation.",
        id="zelenskyy-no-deal-without-ukraine", kind=ct.ClaimKind.COMMITMENT,
        topics={"ukraine", "peace-talks"},
    )  # fmt: skip
    claim(
        "lavrov", "The talks will focus on restoring US-Russia relations and on terms "
        "for settling the war.",
        id="lavrov-talks-focus", kind=ct.ClaimKind.PREDICTION, due=ct.within(months=3),
        topics={"russia", "peace-talks"},
    )  # fmt: skip
    claim(
        "russia", "Russia will not withdraw from the regions it annexed in September 2022.",
        id="russia-no-withdrawal", kind=ct.ClaimKind.COMMITMENT, due="2025-12-31",
        topics={"russia", "territory"},
    )  # fmt: skip
    claim(
        "us", "Keith Kellogg, the US special envoy, will go to Kyiv to broker security "
        "guarantees.",
        id="us-kellogg-to-kyiv", kind=ct.ClaimKind.PREDICTION, due=ct.within(months=1),
        topics={"ukraine", "security-guarantees"},
    )  # fmt: skip
    claim(
        "us", "The United States will invest in Ukraine's mineral wealth, in a deal tied "
        "to security guarantees.",
        id="us-minerals-deal", kind=ct.ClaimKind.PROMISE, due="2025-12-31",
        topics={"ukraine", "minerals", "security-guarantees"},
    )  # fmt: skip
    claim(
        "macron", "France has called an emergency meeting of European leaders in Paris.",
        id="macron-emergency-summit", kind=ct.ClaimKind.ASSERTION, topics={"europe"},
    )  # fmt: skip

    # -- the evidence, as it arrived -------------------------------------------------------
    for claim_id, day, text, stance, strength, source in EVIDENCE:
        tracker.add_evidence(
            claim_id, text, stance=stance, strength=strength, observed_on=day,
            source=source, recorded_at=morning_after(day if len(day) == 10 else RECORDED),
        )  # fmt: skip

    # -- corrections and rulings -----------------------------------------------------------
    # On 3 June an editor noticed that the Istanbul talks had been filed against Trump's
    # claim: they were direct Russia-Ukraine talks, not the US-led negotiations it is
    # about.  The evidence is retracted (it stays in the ledger) and filed again where
    # it bears, as background.
    istanbul = [e for e in tracker.evidence("trump-ukraine-involved") if "Istanbul" in e.text]
    tracker.retract(
        istanbul[0], recorded_at=morning_after("2025-06-02"),
        reason="Filed against the wrong claim: direct Russia-Ukraine talks, not the "
        "US-led negotiations.",
    )  # fmt: skip
    tracker.add_evidence(
        "zelenskyy-no-deal-without-ukraine", istanbul[0].text, stance=CONTEXT,
        strength=WEAK, observed_on="2025-05-16", source=turkey,
        recorded_at=morning_after("2025-06-02"),
    )  # fmt: skip

    # The evidence says Kellogg went; the claim also said he would broker security
    # guarantees, which the visit did not produce.  An editor rules on it.
    tracker.rule(
        "us-kellogg-to-kyiv", ct.Verdict.PARTLY_HELD, on="2025-02-20", by="Europe desk",
        rationale="He went to Kyiv and met Zelenskyy; no security guarantees came of the "
        "visit",
        recorded_at=morning_after("2025-02-21"),
    )  # fmt: skip
    tracker.rule(
        "us-minerals-deal", ct.Verdict.PARTLY_HELD, on="2025-04-30", by="Europe desk",
        rationale="The agreement set up a joint investment fund but gave no explicit "
        "security guarantee",
        recorded_at=morning_after("2025-05-01"),
    )  # fmt: skip


def say(text: str, indent: str = "  ", hang: str = "") -> None:
    """Print *text* wrapped, never breaking "95 %" across lines."""
    text = text.replace(" %", "\0%")
    print(textwrap.fill(text, width=88, initial_indent=indent,
                        subsequent_indent=indent + hang).replace("\0%", " %"))  # fmt: skip


def pct(p: float) -> str:
    """A probability as claimtrack writes it: halves up, never a certainty it is not."""
    n = math.floor(p * 100 + 0.5)
    if 0 < p < 1 and n >= 100:
        return "over 99 %"
    if 0 < p < 1 and n <= 0:
        return "under 1 %"
    return f"{n} %"


def heading(text: str) -> None:
    print()
    print(text)
    print("=" * len(text))


def turns(history: Sequence[ct.Assessment]) -> list[str]:
    """The points where the verdict changed, in words."""
    lines, last = [], None
    for a in history:
        if a.verdict is not last:
            when = a.as_of.describe() if a.as_of is not None else "now"
            lines.append(f"{when}: {a.verdict.label} ({pct(a.probability)})")
            last = a.verdict
    return lines


def show_claims(tracker: ct.Tracker) -> None:
    heading("Each claim, its evidence and its verdict")
    for claim in tracker.claims():
        speaker = tracker.speaker(claim.speaker_id)
        role = speaker.role_on(claim.stated_on)
        title = f", {role.title}" if role else ""
        print()
        print(f"{speaker.name}{title}, {claim.stated_on.describe()} [{claim.kind.value}]:")
        say(f'"{claim.text}"' + (f" (due {claim.due.describe()})" if claim.due else ""))
        # evidence() lists every piece in the order recorded, retracted ones too.
        for ev in sorted(tracker.evidence(claim), key=lambda e: e.observed_on.end):
            mark = "  (retracted)" if tracker.is_retracted(ev) else ""
            say(f"- {ev.observed_on}: {ev.stance.value}, {ev.strength.value}: {ev.text}{mark}",
                indent="    ", hang="  ")  # fmt: skip
        assessment = tracker.assess(claim)
        print(f"  Verdict: {assessment.verdict.label} "
              f"(probability it held: {pct(assessment.probability)})")  # fmt: skip
        say("Why: " + assessment.explain(speaker=speaker))
        say("How it changed: " + "; ".join(turns(tracker.history(claim))) + ".")


def show_past(tracker: ct.Tracker) -> None:
    heading("What did the tracker say on a past date?")
    claim = "trump-ukraine-involved"
    march = tracker.assess(claim, as_of="2025-03-01")
    print()
    say(f"Trump's assurance as of 1 March 2025: {march.verdict.label}, "
        f"{pct(march.probability)} (as_of: judged on what had happened by that date).")  # fmt: skip

    # The Istanbul evidence was filed against this claim on 17 May and retracted on
    # 3 June.  Judged on what had happened by 1 June, with everything we know now, it
    # does not count; as the desk knew it on 1 June, it did.
    now_view = tracker.assess(claim, as_of="2025-06-01")
    then_view = tracker.assess(claim, as_of="2025-06-01", known_at="2025-06-01")
    print()
    say(f"Judged as of 1 June 2025 with today's knowledge (as_of): "
        f"{now_view.verdict.label}, {pct(now_view.probability)}.")  # fmt: skip
    say(f"What the desk said on 1 June 2025 (as_of and known_at): "
        f"{then_view.verdict.label}, {pct(then_view.probability)}, because the misfiled "
        "Istanbul evidence still counted until it was retracted on 3 June.")  # fmt: skip
    print()
    trump = tracker.speaker(then_view.claim.speaker_id)
    say("In the desk's own words on 1 June 2025: " + then_view.explain(speaker=trump))


def show_speakers(tracker: ct.Tracker) -> None:
    heading("Each speaker's track record")
    print()
    for speaker in tracker.speakers():
        say(f"{speaker.name}: " + tracker.track_record(speaker).summary(), hang="  ")
    print()
    say("None of these claims came with a probability, so there are no Brier scores: "
        "claimtrack never invents a confidence the speaker did not give.")  # fmt: skip

    heading("A leaderboard")
    print()
    say("A leaderboard ranks speakers by the lower end of their hit rate's 95 % interval, "
        "not by the hit rate itself.  Here every speaker has one or two resolved claims, "
        "and one claim that held proves little: its interval runs from 21 % to 100 %.  "
        "Small samples have wide intervals, so the board is shown with min_resolved=1 "
        "(the default, 5, would leave everyone out) and ties are broken by the number of "
        "claims resolved, then by name.")  # fmt: skip
    print()
    for row in tracker.leaderboard(min_resolved=1):
        print(f"  {row}")


def write_files(tracker: ct.Tracker, folder: pathlib.Path) -> list[pathlib.Path]:
    """The scorecard and the charts, written into *folder*, as far as the extras allow."""
    title = "The Riyadh talks, 18 February 2025: a scorecard"
    written = [report.write(tracker, folder / "riyadh-scorecard.md", title=title)]
    if importlib.util.find_spec("jinja2") is not None:
        written.append(report.write(tracker, folder / "riyadh-scorecard.html", title=title))
    if importlib.util.find_spec("matplotlib") is not None:
        written += [
            report.write_chart(tracker, folder / "riyadh-track-records.png", "track-records"),
            report.write_chart(
                tracker,
                folder / "riyadh-trump-probability.png",
                "probability",
                claim="trump-ukraine-involved",
            ),
        ]
    return written


def main(argv: Sequence[str] = ()) -> None:
    """Run the example; *argv* may name the output folder (else one it makes and keeps)."""
    folder = pathlib.Path(argv[0] if argv else "claimtrack-example-output")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "riyadh.db"

    print("The Riyadh talks, 18 February 2025")
    print(f"(evidence: this example's own reading of public events, recorded {RECORDED})")

    # Write the ledger, then close the file.
    with ct.open(path, clock=lambda: TODAY) as tracker:
        if "trump" in tracker:
            print(f"\n{path} already holds a ledger of {len(tracker)} records; reading it.")
        else:
            build(tracker)
            print(f"\nWrote {len(tracker)} records to {path}.")

    # Reopen it: everything was kept.
    with ct.open(path, clock=lambda: TODAY) as tracker:
        print(f"Reopened it: {tracker!r}.")
        show_claims(tracker)
        show_past(tracker)
        show_speakers(tracker)
        written = write_files(tracker, folder)

    heading("Files")
    print()
    print(f"Kept in {folder.resolve()}:")
    for file in [path, *written]:
        print(f"  {file.name}")
    if len(written) < 4:
        print("(The HTML scorecard and the charts need: pip install 'claimtrack[html,plot]'.)")


def run(argv: Sequence[str]) -> None:
    """Run :func:`main`, ending quietly when the reader goes away (``| head -1``)."""
    try:
        main(argv)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would report the closed pipe again while flushing at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    run(sys.argv[1:])
