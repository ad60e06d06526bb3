"""Export verdicts as schema.org ClaimReview JSON-LD, and import them back.

Run it with ``python examples/claimreview_roundtrip.py``.

ClaimReview is the format fact-checkers publish their verdicts in.  This example

1. assesses four claims of the Riyadh talks of 18 February 2025 and exports a
   ClaimReview of each to a JSON file (in a temporary folder), and one as the
   ``<script>`` element a web page would carry;
2. imports the file into an empty tracker and checks that the speakers, claims and
   verdicts came back;
3. imports another desk's feed, whose rating words claimtrack does not all know, and
   a malformed review, which is refused with every problem named.

The evidence is this example's own reading of widely reported public events, recorded
as of 23 November 2025.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pathlib
import sys
import textwrap
from collections.abc import Sequence

import claimtrack as ct
from claimtrack.interop.claimreview import (
    export_claimreviews,
    import_claimreviews,
    to_claimreview,
    to_html_script,
)

NOW = dt.datetime(2025, 11, 24, 9, 0, tzinfo=dt.UTC)
DESK = {"name": "Example Desk", "url": "https://desk.example.org/"}


def build(tracker: ct.Tracker) -> None:
    """Four claims of 18 February 2025, with evidence and one ruling."""
    article = ct.Source(
        title="U.S.-Russia Talks in Riyadh: A New Chapter in Diplomacy?",
        publisher="JadeTimes", author="Iruni Kalupahana", published="2025-02-18",
    )  # fmt: skip
    state = ct.Source(publisher="US Department of State")
    white_house = ct.Source(publisher="The White House")
    tracker.add_speaker(
        "Donald Trump", id="trump",
        roles=[ct.Role("President of the United States", start="2025-01-20")],
    )  # fmt: skip
    tracker.add_speaker(
        "Sergey Lavrov", id="lavrov",
        roles=[ct.Role("Minister of Foreign Affairs of Russia", start="2004-03-09")],
    )  # fmt: skip
    tracker.add_speaker("Government of Russia", id="russia", organization=True)
    tracker.add_speaker("Government of the United States", id="us", organization=True)

    tracker.add_claim(
        "trump", "Ukraine will be involved in the peace negotiations.",
        id="trump-ukraine-involved", quote="will be involved", kind="assurance",
        stated_on="2025-02-18", source=article, due="2025-12-31",
        topics={"ukraine", "peace-talks"},
    )  # fmt: skip
    tracker.add_claim(
        "lavrov", "The talks will focus on restoring US-Russia relations and on terms "
        "for settling the war.",
        id="lavrov-talks-focus", kind="prediction", stated_on="2025-02-18",
        source=article, topics={"russia", "peace-talks"},
    )  # fmt: skip
    tracker.add_claim(
        "russia", "Russia will not withdraw from the regions it annexed in September 2022.",
        id="russia-no-withdrawal", kind="commitment", stated_on="2025-02-18",
        source=article, due="2025-12-31", topics={"russia", "territory"},
    )  # fmt: skip
    tracker.add_claim(
        "us", "The United States will invest in Ukraine's mineral wealth, in a deal tied "
        "to security guarantees.",
        id="us-minerals-deal", kind="promise", stated_on="2025-02-18", source=article,
        due="2025-12-31", topics={"ukraine", "minerals"},
    )  # fmt: skip

    for claim, text, stance, strength, day, source in [
        ("trump-ukraine-involved", "Ukraine was not invited to the Riyadh meeting.",
         "refutes", "moderate", "2025-02-18", article),
        ("trump-ukraine-involved", "US and Ukrainian delegations met in Jeddah.",
         "supports", "strong", "2025-03-11", state),
        ("trump-ukraine-involved", ("US and Ukrainian delegations met in Geneva on a "
         "US-drafted peace plan."), "supports", "strong", "2025-11-23", state),
        ("lavrov-talks-focus", ("The delegations agreed to restore embassy staffing and "
         "to set up teams to work toward ending the war."), "supports", "strong",
         "2025-02-18", state),
        ("lavrov-talks-focus", ("Russia agreed to a 30-day pause in strikes on energy "
         "infrastructure."), "supports", "moderate", "2025-03-18", white_house),
        ("russia-no-withdrawal", ("Russian forces stayed in the four regions Russia claims "
         "to have annexed."), "supports", "strong", "2025-11", None),
        ("us-minerals-deal", "The US and Ukraine signed the minerals agreement.",
         "supports", "strong", "2025-04-30",
         ct.Source(publisher="US Department of the Treasury")),
    ]:  # fmt: skip
        tracker.add_evidence(
            claim, text, stance=stance, strength=strength, observed_on=day, source=source
        )
    tracker.rule(
        "us-minerals-deal", ct.Verdict.PARTLY_HELD, on="2025-04-30", by="Example Desk",
        rationale="The agreement set up a joint investment fund but gave no explicit "
        "security guarantee",
    )  # fmt: skip


def verdicts(tracker: ct.Tracker) -> dict[tuple[str, str], str]:
    """(speaker name, claim text) -> the verdict in words, for every claim."""
    return {
        (tracker.speaker(a.claim.speaker_id).name, a.claim.text): a.verdict.label
        for a in tracker.assess_all()
    }


def main(argv: Sequence[str] = ()) -> None:
    """Run the example; *argv* may name the output folder (else one it makes and keeps)."""
    folder = pathlib.Path(argv[0] if argv else "claimtrack-example-output")
    folder.mkdir(parents=True, exist_ok=True)
    ours = ct.Tracker(clock=lambda: NOW)
    build(ours)
    print("ClaimReview round trip: the Riyadh talks, 18 February 2025")
    print("(evidence: this example's own reading of public events, recorded 2025-11-23)")

    # -- 1. export ---------------------------------------------------------------------
    print("\n1. Export")
    review = to_claimreview(
        ours, "trump-ukraine-involved", reviewer=DESK,
        url="https://desk.example.org/checks/{id}",
    )  # fmt: skip
    shown = dict(review, reviewRating=dict(review["reviewRating"]))
    shown["itemReviewed"] = dict(review["itemReviewed"])
    explanation = shown["reviewRating"].pop("ratingExplanation")
    del shown["itemReviewed"]["appearance"]  # the same CreativeWork as firstAppearance
    print("\nThe review of Trump's assurance (shortened):\n")
    print(textwrap.indent(json.dumps(shown, indent=2, ensure_ascii=False), "    "))
    print(f"    ratingExplanation: {explanation[:120]}...")

    html = to_html_script(review)
    print(f"\nFor a web page, a {len(html)}-character element that starts:")
    print("    " + html[:70] + "...")

    path = folder / "reviews.json"  # a Path: a str would be read as JSON text
    n = export_claimreviews(ours, path, reviewer=DESK, url="https://desk.example.org/checks/{id}")
    print(f"\nWrote {n} reviews to {path.resolve()} ({os.path.getsize(path):,} bytes).")

    # -- 2. import back ------------------------------------------------------------
    print("\n2. Import into an empty tracker")
    theirs = ct.Tracker(clock=lambda: NOW)
    report = import_claimreviews(theirs, path)
    print(f"\nAdded: {report.counts}")
    print(f"\n    {'speaker':<32} {'exported':<12} {'imported':<12} claim")
    for key, before in verdicts(ours).items():
        after = verdicts(theirs).get(key, "(missing)")
        print(f"    {key[0]:<32} {before:<12} {after:<12} {key[1][:40]}...")
    same = verdicts(ours) == verdicts(theirs)
    print(f"\nSame speakers, claims and verdicts: {same}.")
    print(
        "The imported claims carry the verdicts as rulings by the reviewer; the "
        "evidence stays with us."
    )
    again = import_claimreviews(theirs, path)
    print(f"Importing the file again adds {len(again.records)} records "
          f"and skips {len(again.skipped)} reviews already there.")  # fmt: skip

    # -- 3. someone else's feed ------------------------------------------------------------
    print("\n3. Another desk's feed")
    feed = json.dumps([
        {"@type": "ClaimReview", "datePublished": "2025-03-20",
         "author": {"@type": "Organization", "name": "Other Desk"},
         "claimReviewed": "Ukraine will not accept any agreement made without it.",
         "itemReviewed": {"@type": "Claim", "datePublished": "2025-02-18",
                          "author": {"@type": "Person", "name": "Volodymyr Zelenskyy"}},
         "reviewRating": {"@type": "Rating", "alternateName": "Mostly True"}},
        {"@type": "ClaimReview", "datePublished": "2025-03-28",
         "claimReviewed": "Europe must be at the table.",
         "itemReviewed": {"@type": "Claim", "datePublished": "2025-02-17",
                          "author": {"@type": "Person", "name": "Emmanuel Macron"}},
         "reviewRating": {"@type": "Rating", "alternateName": "Needs Context"}},
    ])  # fmt: skip
    report = import_claimreviews(theirs, feed)
    print(f"\nAdded {report.counts}; rating words not known:")
    for unknown in report.unknown_ratings:
        print(f"    {unknown.rating!r} at {unknown.path}: claim kept, no ruling")

    print("\nA malformed review adds nothing; every problem is named by its JSON path:")
    bad = '[{"@type": "ClaimReview", "itemReviewed": {"author": {"name": 7}}}]'
    try:
        import_claimreviews(theirs, bad)
    except ExceptionGroup as group:
        for error in group.exceptions:
            print(f"    {error}")


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
