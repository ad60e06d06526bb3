"""The Riyadh talks of 18 February 2025: claims made that day, and what followed.

Run it with ``python examples/riyadh_talks.py``.

The claims come from an article of 18 February 2025 (JadeTimes, "U.S.-Russia Talks in
Riyadh: A New Chapter in Diplomacy?", by Iruni Kalupahana).  The evidence is this
example's own reading of widely reported public events, with the stance and strength
we judged right, recorded as of 23 November 2025, the date of the last event used.
"""

from __future__ import annotations

import claimtrack as ct

RECORDED = "2025-11-23"

article = ct.Source(
    title="U.S.-Russia Talks in Riyadh: A New Chapter in Diplomacy?",
    publisher="JadeTimes",
    author="Iruni Kalupahana",
    published="2025-02-18",
)


def build(tracker: ct.Tracker) -> None:
    """Record the speakers, the claims of 18 February 2025 and the evidence that followed."""
    trump = tracker.add_speaker(
        "Donald Trump",
        id="trump",
        roles=[
            ct.Role("President of the United States", start="2017-01-20", end="2021-01-20"),
            ct.Role("President of the United States", start="2025-01-20"),
        ],
    )
    zelenskyy = tracker.add_speaker(
        "Volodymyr Zelenskyy", id="zelenskyy",
        roles=[ct.Role("President of Ukraine", start="2019-05-20")],
    )  # fmt: skip
    lavrov = tracker.add_speaker(
        "Sergey Lavrov", id="lavrov",
        roles=[ct.Role("Minister of Foreign Affairs of Russia", start="2004-03-09")],
    )  # fmt: skip
    russia = tracker.add_speaker("Government of Russia", id="russia", organization=True)

    tracker.add_claim(
        trump, "Ukraine will be involved in the peace negotiations.",
        id="trump-ukraine-involved", quote="will be involved",
        kind=ct.ClaimKind.ASSURANCE, stated_on="2025-02-18", source=article,
        due="2025-12-31", topics={"ukraine", "peace-talks"},
    )  # fmt: skip
    tracker.add_claim(
        zelenskyy, "Ukraine will not accept any agreement reached without its participation.",
        id="zelenskyy-no-deal-without-ukraine", kind=ct.ClaimKind.COMMITMENT,
        stated_on="2025-02-18", source=article, topics={"ukraine", "peace-talks"},
    )  # fmt: skip
    tracker.add_claim(
        lavrov, "The talks will focus on restoring US-Russia relations and on terms "
        "for settling the war.",
        id="lavrov-talks-focus", kind=ct.ClaimKind.PREDICTION, stated_on="2025-02-18",
        source=article, due=ct.within(months=3), topics={"russia", "peace-talks"},
    )  # fmt: skip
    tracker.add_claim(
        russia, "Russia will not withdraw from the regions it annexed in September 2022.",
        id="russia-no-withdrawal", kind=ct.ClaimKind.COMMITMENT, stated_on="2025-02-18",
        source=article, due="2025-12-31", topics={"russia", "territory"},
    )  # fmt: skip

    state = ct.Source(
        title="Joint statement on the Jeddah meeting",
        publisher="US Department of State",
        published="2025-03-11",
    )
    tracker.add_evidence(
        "trump-ukraine-involved", "Ukraine was not invited to the Riyadh meeting.",
        stance=ct.Stance.REFUTES, strength=ct.Strength.MODERATE,
        observed_on="2025-02-18", source=article,
    )  # fmt: skip
    tracker.add_evidence(
        "trump-ukraine-involved",
        "US and Ukrainian delegations met in Jeddah; Ukraine backed a 30-day ceasefire.",
        stance=ct.Stance.SUPPORTS, strength=ct.Strength.STRONG,
        observed_on="2025-03-11", source=state,
    )  # fmt: skip


def main() -> None:
    tracker = ct.Tracker()
    build(tracker)
    print("The Riyadh talks, 18 February 2025")
    print("(evidence: this example's own reading of public events, recorded", RECORDED + ")")
    print()
    for claim in tracker.claims():
        speaker = tracker.speaker(claim.speaker_id)
        role = speaker.role_on(claim.stated_on)
        title = f", {role.title}" if role else ""
        print(f"{speaker.name}{title}, {claim.stated_on.describe()}:")
        print(f"  {claim.text} [{claim.kind.value}]")
        for ev in tracker.evidence(claim):
            print(f"  - {ev.observed_on}: {ev.stance.value} ({ev.strength.value}): {ev.text}")
        print()


if __name__ == "__main__":
    main()
