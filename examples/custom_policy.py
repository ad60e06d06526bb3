"""Write your own scoring policy, and compare it with the default on the same ledger.

Run it with ``python examples/custom_policy.py``.

A scoring policy is any object with an ``assess`` method of the shape of
``ct.ScoringPolicy``: it is given a claim, the evidence and rulings that count for the
view asked for, and the date to judge on, and returns a ``ct.Assessment``.  It is pure:
no files, no network, no clock.  This example writes two:

* ``TwoSources`` wraps the default policy and refuses to call a claim held or failed
  on the word of a single publisher: at least two independent publishers must back the
  deciding side, as many newsrooms require before they publish a verdict.
* ``Fading`` is written from scratch: evidence loses half its weight for every
  ``half_life`` days between when it was observed and the date the claim is judged on,
  so old news counts for less than fresh news.

Both are compared with the default, ``ct.EvidenceWeighing``, on one ledger file read by
three trackers.  The claims and events are those of the Riyadh talks of 18 February
2025; the evidence is this example's own reading of public events, recorded as of
23 November 2025.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import pathlib
import sys
import textwrap
from collections.abc import Sequence

import attrs

import claimtrack as ct

NOW = dt.datetime(2025, 11, 24, 9, 0, tzinfo=dt.UTC)


@attrs.frozen
class TwoSources:
    """The default rule, but a verdict needs two independent publishers on its side."""

    inner: ct.EvidenceWeighing = attrs.field(factory=ct.EvidenceWeighing)

    def assess(
        self,
        claim: ct.Claim,
        evidence: Sequence[ct.Evidence],
        rulings: Sequence[ct.Ruling],
        *,
        as_of: ct.PartialDate | None,
        known_at: dt.datetime | None,
        judged_on: ct.PartialDate,
    ) -> ct.Assessment:
        a = self.inner.assess(
            claim, evidence, rulings, as_of=as_of, known_at=known_at, judged_on=judged_on
        )
        if a.computed_verdict not in (ct.Verdict.HELD, ct.Verdict.FAILED):
            return a
        side = ct.Stance.SUPPORTS if a.computed_verdict is ct.Verdict.HELD else ct.Stance.REFUTES
        publishers = {
            e.source.publisher
            for e in evidence
            if e.stance is side and e.source is not None and e.source.publisher
        }
        if len(publishers) >= 2:
            return a
        # Not enough independent confirmation: not clear yet, or unresolved once due.
        computed = ct.Verdict.UNRESOLVED if a.due_passed else ct.Verdict.PENDING
        verdict = a.verdict if a.ruling is not None else computed
        return attrs.evolve(a, verdict=verdict, computed_verdict=computed)


@attrs.frozen
class Fading:
    """Likelihood ratios as in the default, each share halved every *half_life* days."""

    half_life: float = 180.0
    ratios: dict[ct.Strength, float] = attrs.field(
        factory=lambda: {ct.Strength.WEAK: 2.0, ct.Strength.MODERATE: 4.0, ct.Strength.STRONG: 16.0}
    )

    def assess(
        self,
        claim: ct.Claim,
        evidence: Sequence[ct.Evidence],
        rulings: Sequence[ct.Ruling],
        *,
        as_of: ct.PartialDate | None,
        known_at: dt.datetime | None,
        judged_on: ct.PartialDate,
    ) -> ct.Assessment:
        signs = {ct.Stance.SUPPORTS: 1, ct.Stance.REFUTES: -1}
        contributions = []
        for e in sorted(evidence, key=lambda e: (e.observed_on.end, e.id)):
            sign = signs.get(e.stance, 0)
            if e.strength is ct.Strength.CONCLUSIVE:
                share = sign * math.inf  # conclusive evidence does not fade
            else:
                age = max(0, (judged_on.end - e.observed_on.end).days)
                fade = 0.5 ** (age / self.half_life)
                share = sign * math.log(self.ratios[e.strength]) * e.reliability * fade
            contributions.append(
                ct.Contribution(e, e.stance, e.strength, reliability=e.reliability, share=share)
            )
        log_odds = sum(c.share for c in contributions)
        if math.isnan(log_odds):  # conclusive evidence on both sides
            computed, log_odds = ct.Verdict.CONTESTED, 0.0
        elif log_odds >= math.log(0.95 / 0.05):
            computed = ct.Verdict.HELD
        elif log_odds <= math.log(0.05 / 0.95):
            computed = ct.Verdict.FAILED
        elif claim.due is not None and judged_on.end > claim.due.end:
            computed = ct.Verdict.UNRESOLVED
        else:
            computed = ct.Verdict.PENDING
        # The latest ruling dated by the view's date applies (ties: the latest recorded).
        ruling = max(rulings, key=lambda r: (r.on.end, r.recorded_at), default=None)
        return ct.Assessment(
            claim,
            computed if ruling is None else ruling.verdict,
            computed,
            probability=1 / (1 + math.exp(-log_odds)) if math.isfinite(log_odds) else
            float(log_odds > 0),
            log_odds=log_odds,
            as_of=as_of,
            known_at=known_at,
            due_passed=claim.due is not None and judged_on.end > claim.due.end,
            contributions=tuple(contributions),
            ruling=ruling,
        )  # fmt: skip


def build(tracker: ct.Tracker) -> None:
    """A small ledger: four claims of 18 February 2025 and what followed."""
    state = ct.Source(publisher="US Department of State")
    white_house = ct.Source(publisher="The White House")
    kremlin = ct.Source(publisher="Kremlin")
    ukraine_office = ct.Source(publisher="Office of the President of Ukraine")
    jadetimes = ct.Source(publisher="JadeTimes", published="2025-02-18")
    for id_, name in [("trump", "Donald Trump"), ("lavrov", "Sergey Lavrov"),
                      ("zelenskyy", "Volodymyr Zelenskyy"), ("us", "US government")]:  # fmt: skip
        tracker.add_speaker(name, id=id_)
    tracker.add_claim(
        "trump", "Ukraine will be involved in the peace negotiations.", id="trump-involved",
        kind="assurance", stated_on="2025-02-18", due="2025-12-31",
    )  # fmt: skip
    tracker.add_claim(
        "lavrov", "The talks will focus on restoring US-Russia relations and on terms for "
        "settling the war.", id="lavrov-focus", kind="prediction", stated_on="2025-02-18",
    )  # fmt: skip
    tracker.add_claim(
        "us", "Keith Kellogg will go to Kyiv.", id="kellogg-kyiv",
        kind="prediction", stated_on="2025-02-18", due="2025-03-31",
    )  # fmt: skip
    tracker.add_claim(
        "zelenskyy", "Ukraine will not accept any agreement reached without its "
        "participation.", id="zelenskyy-no-deal", kind="commitment", stated_on="2025-02-18",
    )  # fmt: skip
    for claim, text, stance, strength, day, source in [
        ("trump-involved", "Ukraine was not invited to Riyadh.", "refutes", "moderate",
         "2025-02-18", jadetimes),
        ("trump-involved", "US and Ukrainian delegations met in Jeddah.", "supports",
         "strong", "2025-03-11", state),
        ("trump-involved", "Trump and Putin met in Anchorage without Ukraine.", "refutes",
         "moderate", "2025-08-15", white_house),
        ("trump-involved", "Zelenskyy and European leaders met Trump at the White House.",
         "supports", "moderate", "2025-08-18", white_house),
        ("trump-involved", "US and Ukrainian delegations met in Geneva.", "supports",
         "strong", "2025-11-23", state),
        ("lavrov-focus", "The delegations agreed to restore embassy staffing.",
         "supports", "strong", "2025-02-18", state),
        ("lavrov-focus", "Russia's readout: the sides discussed restoring relations.",
         "supports", "moderate", "2025-02-18", kremlin),
        ("kellogg-kyiv", "Kellogg met Zelenskyy in Kyiv.", "supports", "strong",
         "2025-02-20", ukraine_office),
        ("kellogg-kyiv", "Zelenskyy's office published photographs of the meeting.",
         "supports", "moderate", "2025-02-20", ukraine_office),
        ("zelenskyy-no-deal", "The Anchorage summit ended with no agreement announced.",
         "supports", "weak", "2025-08-15", white_house),
        ("zelenskyy-no-deal", "Ukraine negotiated the US-drafted plan in Geneva.",
         "supports", "moderate", "2025-11-23", state),
    ]:  # fmt: skip
        tracker.add_evidence(
            claim, text, stance=stance, strength=strength, observed_on=day, source=source
        )


def main(argv: Sequence[str] = ()) -> None:
    """Run the example; *argv* may name the output folder (else one it makes and keeps)."""
    folder = pathlib.Path(argv[0] if argv else "claimtrack-example-output")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "custom-policy.jsonl"
    if path.exists():
        path.unlink()  # this example's own file: written afresh on each run
    with ct.open(path, clock=lambda: NOW) as writer:
        build(writer)

    policies: dict[str, ct.ScoringPolicy] = {
        "default": ct.EvidenceWeighing(),
        "two sources": TwoSources(),
        "fading (180 days)": Fading(half_life=180),
    }
    # One tracker per policy, all over the same file.
    trackers = {
        name: ct.Tracker(ct.stores.open_store(path), policy=policy, clock=lambda: NOW)
        for name, policy in policies.items()
    }
    print("One ledger, three scoring policies (judged on 24 November 2025)")
    print("(evidence: this example's own reading of public events, recorded 2025-11-23)")
    print()
    print(f"{'claim':<20}" + "".join(f"{name:>22}" for name in policies))
    for claim in trackers["default"].claims():
        cells = []
        for tracker in trackers.values():
            a = tracker.assess(claim)
            cells.append(f"{a.verdict.label} {pct(a.probability):>9}")
        print(f"{claim.id:<20}" + "".join(f"{c:>22}" for c in cells))

    print()
    print("Why they differ:")
    print()
    a = trackers["two sources"].assess("kellogg-kyiv")
    b = trackers["default"].assess("kellogg-kyiv")
    say(f"Kellogg's trip to Kyiv: the default calls it {b.verdict.label}; with two "
        f"sources required it is {a.verdict.label}, because both pieces of evidence "
        "for it came from one publisher, the Office of the President of Ukraine, and "
        "its due date has passed.")  # fmt: skip
    print()
    fading = trackers["fading (180 days)"]
    lavrov = fading.assess("lavrov-focus")
    say("Fading weighs each piece by its age on the day it judges. Lavrov's prediction "
        f"was borne out in February, but nine months on Fading has let it slip to "
        f"{lavrov.verdict.label}:")  # fmt: skip
    say(lavrov.explain(speaker=fading.speaker(lavrov.claim.speaker_id)), indent="    ")
    print()
    fresh = fading.assess("lavrov-focus", as_of="2025-03-01")
    say(f"Judged as of 1 March 2025, when the evidence was fresh, Fading called it "
        f"{fresh.verdict.label} ({pct(fresh.probability)}), as the default does. A policy "
        "that forgets is a choice to make with care, or to pair with an editor's "
        "ruling, which both policies here respect.")  # fmt: skip
    for tracker in trackers.values():
        tracker.close()
    print()
    print(f"The ledger is kept in {path.resolve()}.")


def pct(p: float) -> str:
    """A probability as claimtrack writes it: halves up, never a certainty it is not."""
    n = math.floor(p * 100 + 0.5)
    if 0 < p < 1 and n >= 100:
        return "over 99 %"
    if 0 < p < 1 and n <= 0:
        return "under 1 %"
    return f"{n} %"


def say(text: str, indent: str = "  ") -> None:
    print(textwrap.fill(text, width=88, initial_indent=indent, subsequent_indent=indent))


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
