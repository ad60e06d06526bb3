"""The Riyadh talks of 18 February 2025: claims made that day, and what followed.

Run it with ``python examples/riyadh_talks.py``.

The claims come from an article of 18 February 2025 (JadeTimes, "U.S.-Russia Talks in
Riyadh: A New Chapter in Diplomacy?", by Iruni Kalupahana).  The evidence is this
example's own reading of widely reported public events, with the stance and strength
we judged right, recorded as of 23 November 2025, the date of the last event used.
"""

from __future__ import annotations

import datetime as dt
import textwrap

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
    white_house = ct.Source(title="Statements and readouts", publisher="The White House")
    tracker.add_evidence(
        "trump-ukraine-involved",
        "Technical talks in Riyadh with the Ukrainian and Russian delegations, separately.",
        stance=ct.Stance.SUPPORTS, strength=ct.Strength.MODERATE,
        observed_on="2025-03-25", source=white_house,
    )  # fmt: skip
    tracker.add_evidence(
        "trump-ukraine-involved",
        "Trump and Putin met in Anchorage without Ukraine.",
        stance=ct.Stance.REFUTES, strength=ct.Strength.MODERATE,
        observed_on="2025-08-15", source=white_house,
    )  # fmt: skip
    tracker.add_evidence(
        "trump-ukraine-involved",
        "Zelenskyy and European leaders met Trump at the White House.",
        stance=ct.Stance.SUPPORTS, strength=ct.Strength.MODERATE,
        observed_on="2025-08-18", source=white_house,
    )  # fmt: skip
    tracker.add_evidence(
        "trump-ukraine-involved",
        "US and Ukrainian delegations met in Geneva on a US-drafted peace plan.",
        stance=ct.Stance.SUPPORTS, strength=ct.Strength.STRONG,
        observed_on="2025-11-23", source=ct.Source(publisher="US Department of State"),
    )  # fmt: skip

    tracker.add_evidence(
        "zelenskyy-no-deal-without-ukraine",
        "The Anchorage summit, without Ukraine, ended with no agreement announced.",
        stance=ct.Stance.SUPPORTS, strength=ct.Strength.WEAK,
        observed_on="2025-08-15", source=white_house,
    )  # fmt: skip
    tracker.add_evidence(
        "zelenskyy-no-deal-without-ukraine",
        "Ukraine negotiated the US-drafted plan in Geneva rather than accept it as drafted.",
        stance=ct.Stance.SUPPORTS, strength=ct.Strength.MODERATE,
        observed_on="2025-11-23", source=ct.Source(publisher="US Department of State"),
    )  # fmt: skip

    tracker.add_evidence(
        "lavrov-talks-focus",
        "The delegations agreed to set up teams to work toward ending the war and to "
        "restore embassy staffing.",
        stance=ct.Stance.SUPPORTS, strength=ct.Strength.STRONG, observed_on="2025-02-18",
        source=ct.Source(title="Readout of the Riyadh meeting",
                         publisher="US Department of State"),
    )  # fmt: skip
    tracker.add_evidence(
        "lavrov-talks-focus",
        "Trump and Putin spoke; Russia agreed to a 30-day pause in strikes on energy "
        "infrastructure, not to a full ceasefire.",
        stance=ct.Stance.SUPPORTS, strength=ct.Strength.MODERATE,
        observed_on="2025-03-18", source=white_house,
    )  # fmt: skip

    tracker.add_evidence(
        "russia-no-withdrawal",
        "Russian forces stayed in the four regions Russia claims to have annexed.",
        stance=ct.Stance.SUPPORTS, strength=ct.Strength.STRONG, observed_on="2025-11",
    )  # fmt: skip
    tracker.add_evidence(
        "russia-no-withdrawal",
        "The Anchorage summit ended with no agreement announced.",
        stance=ct.Stance.CONTEXT, strength=ct.Strength.WEAK,
        observed_on="2025-08-15", source=white_house,
    )  # fmt: skip


def turns(history: tuple[ct.Assessment, ...]) -> list[str]:
    """The points where the verdict changed, in words."""
    lines, last = [], None
    for a in history:
        if a.verdict is not last:
            when = a.as_of.describe() if a.as_of is not None else "now"
            lines.append(f"{when}: {a.verdict.label} ({a.probability:.1%})")
            last = a.verdict
    return lines


def main() -> None:
    # A fixed clock: the ledger is judged as of RECORDED, the date of the last event.
    tracker = ct.Tracker(clock=lambda: dt.datetime.fromisoformat(RECORDED + "T23:00+00:00"))
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
        assessment = tracker.assess(claim)
        print(f"  Verdict: {assessment.verdict.label} ({assessment.probability:.1%})")
        print(textwrap.fill(assessment.explain(), width=88, initial_indent="  ",
                            subsequent_indent="  "))  # fmt: skip
        print("  When it turned: " + "; ".join(turns(tracker.history(claim))))
        print()


if __name__ == "__main__":
    main()
