"""Tests for Assessment and Contribution, and explain(): the verdict in plain words."""

from __future__ import annotations

import datetime as dt

import pytest

import claimtrack as ct
from claimtrack.errors import InvalidRecordError

S, R = ct.Stance.SUPPORTS, ct.Stance.REFUTES
MOD, STRONG, CONC = ct.Strength.MODERATE, ct.Strength.STRONG, ct.Strength.CONCLUSIVE
TODAY = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)


def claim_tracker(*, due: str | None = "2025-12-31") -> ct.Tracker:
    """A tracker with one speaker and one claim, id ``c``, made on 18 February 2025."""
    tracker = ct.Tracker(clock=lambda: TODAY)
    tracker.add_speaker("Sergey Lavrov", id="russia")
    tracker.add_claim(
        "russia", "Ukraine will be involved.", id="c", stated_on="2025-02-18", due=due
    )
    return tracker


def add(
    tracker: ct.Tracker, stance: ct.Stance, strength: ct.Strength = MOD, on: str = "2025-03-01"
) -> ct.Evidence:
    return tracker.add_evidence(
        "c", f"{stance.value} {strength.value} {on}", stance=stance, strength=strength,
        observed_on=on,
    )  # fmt: skip


class TestExplain:
    def test_names_each_piece(self) -> None:
        """explain() names every piece of evidence, its date, source and movement."""
        t = claim_tracker()
        src = ct.Source(title="Joint statement", publisher="US Department of State",
                        reliability=0.9)  # fmt: skip
        t.add_evidence("c", "Ukraine was not invited.", stance=R, observed_on="2025-02-18")
        t.add_evidence("c", "Delegations met in Jeddah.", stance=S, strength=STRONG,
                       observed_on="2025-03-11", source=src)  # fmt: skip
        text = t.assess("c").explain()
        for part in ("Ukraine was not invited.", "18 February 2025", "no source given",
                     "from 50 % to 20 %", "Delegations met in Jeddah.", "11 March 2025",
                     "US Department of State", "trusted at 90 %", "from 20 % to 75 %",
                     "unresolved", "31 December 2025"):  # fmt: skip
            assert part in text, part

    def test_ruling_and_disagreement(self) -> None:
        """explain() reports the ruling and the verdict the evidence alone gives."""
        t = claim_tracker()
        add(t, R, STRONG)
        t.rule("c", "held", on="2025-04-01", by="the desk", rationale="talks happened")
        text = t.assess("c").explain()
        assert "A ruling by the desk from 1 April 2025 calls it held: talks happened." in text
        assert "The evidence alone would make it unresolved." in text

    def test_rationale_with_its_own_stop(self) -> None:
        """A rationale that ends its sentence is not given a second full stop."""
        t = claim_tracker()
        t.rule("c", "held", on="2025-04-01", rationale="Talks happened.")
        text = t.assess("c").explain()
        assert "calls it held: Talks happened." in text
        assert ".." not in text

    def test_conclusive_and_empty(self) -> None:
        """explain() says when a piece settles the claim, or when nothing counted."""
        t = claim_tracker()
        assert "No evidence counted, so it stays at 50 %." in t.assess("c").explain()
        add(t, R, CONC)
        assert "was conclusive against it, which settles it." in t.assess("c").explain()

    def test_steps_add_up_as_the_assessment_does(self) -> None:
        """Each step's probability comes from the shares so far added exactly, as log_odds is.

        Added one by one, 2 + 1e17 - 1e17 would be 0 (50 %); exactly, it is 2 (88 %).
        """
        t = claim_tracker()
        pieces = [add(t, S, on=f"2025-03-0{i}") for i in (1, 2, 3)]
        contributions = tuple(
            ct.Contribution(e, e.stance, e.strength, reliability=1.0, share=share)
            for e, share in zip(pieces, (2.0, 1e17, -1e17), strict=True)
        )
        a = ct.Assessment(
            t.claim("c"), ct.Verdict.PENDING, ct.Verdict.PENDING, probability=0.8808,
            log_odds=2.0, contributions=contributions,
        )  # fmt: skip
        text = a.explain()
        assert "from 100 % to 88 %" in text  # the last step
        assert "probability of 88 % that it held" in text

    def test_partial_dates_read_naturally(self) -> None:
        """Evidence dated to a month reads "In March 2025"."""
        t = claim_tracker()
        add(t, S, MOD, "2025-03")
        assert 'In March 2025, "supports moderate 2025-03"' in t.assess("c").explain()

    def test_known_at_is_named(self) -> None:
        """An audit view says which knowledge time it shows."""
        text = claim_tracker().assess("c", known_at="2025-06-01").explain()
        assert "as the tracker knew it on 1 June 2025, 23:59 UTC" in text

    def test_names_the_speaker_by_name(self) -> None:
        """Given the speaker, explain() names them, not their id ("(Sergey Lavrov, ...)")."""
        t = claim_tracker()
        text = t.assess("c").explain(speaker=t.speaker("russia"))
        assert '"Ukraine will be involved." (Sergey Lavrov, 18 February 2025)' in text
        assert "russia" not in text

    def test_without_the_speaker_the_id_is_given(self) -> None:
        """Without a speaker, the text still says who, by id."""
        assert "(russia, 18 February 2025)" in claim_tracker().assess("c").explain()

    def test_another_speaker_is_refused(self) -> None:
        """A speaker who did not make the claim is an error naming the argument."""
        t = claim_tracker()
        other = t.add_speaker("Donald Trump", id="trump")
        with pytest.raises(InvalidRecordError, match="speaker"):
            t.assess("c").explain(speaker=other)

    def test_near_certainty_is_not_100_percent(self) -> None:
        """A probability of 0.996 reads "over 99 %" in every sentence, never "100 %"."""
        t = claim_tracker()
        for _ in range(2):
            add(t, S, STRONG)
        add(t, S, ct.Strength.WEAK)
        a = t.assess("c")
        assert 0.995 < a.probability < 1
        text = a.explain()
        assert "100 %" not in text
        assert "100%" not in text
        assert "a probability of over 99 % that it held" in text
