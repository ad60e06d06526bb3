"""Words of estimative probability (ICD 203)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimtrack import wording
from claimtrack.errors import InvalidRecordError
from claimtrack.wording import BANDS, EstimativeBand, confidence_from

MIDPOINTS = {
    "almost no chance": 0.03,
    "very unlikely": 0.125,
    "unlikely": 0.325,
    "roughly even chance": 0.50,
    "likely": 0.675,
    "very likely": 0.875,
    "almost certain": 0.97,
}

# Every phrase of the scale has an l, n, t or v in it, so none can be made from these.
plain_words = st.text("abcdefghijkmopqrsuwxyz ", max_size=30)


class TestBands:
    def test_the_scale(self) -> None:
        """The seven ICD 203 bands, in order, with their published limits."""
        expected = [
            ("almost no chance", 0.01, 0.05),
            ("very unlikely", 0.05, 0.20),
            ("unlikely", 0.20, 0.45),
            ("roughly even chance", 0.45, 0.55),
            ("likely", 0.55, 0.80),
            ("very likely", 0.80, 0.95),
            ("almost certain", 0.95, 0.99),
        ]
        assert expected == [(b.term, b.low, b.high) for b in BANDS]

    @pytest.mark.parametrize("band", BANDS, ids=lambda b: b.term)
    def test_own_term_gives_midpoint(self, band: EstimativeBand) -> None:
        """Each term maps to the midpoint of its band."""
        found = confidence_from(band.term)
        assert found is not None
        assert MIDPOINTS[band.term] == found.midpoint
        assert band == found


class TestConfidenceFrom:
    @pytest.mark.parametrize(
        ("text", "term", "matched"),
        [
            ("There is a remote chance of a ceasefire.", "almost no chance", "remote chance"),
            ("A deal is remote.", "almost no chance", "remote"),
            ("It is highly unlikely.", "very unlikely", "highly unlikely"),
            ("Kyiv will improbably agree.", "unlikely", "improbably"),
            ("A roughly even chance of talks.", "roughly even chance", "roughly even chance"),
            ("It's a toss-up.", "roughly even chance", "toss up"),
            ("Ukraine will probably be involved.", "likely", "probably"),
            ("Sanctions are HIGHLY LIKELY to stay.", "very likely", "highly likely"),
            ("Russia will almost certainly not withdraw.", "almost certain", "almost certainly"),
            ("It is nearly certain.", "almost certain", "nearly certain"),
        ],
    )
    def test_synonyms(self, text: str, term: str, matched: str) -> None:
        """Common synonyms map to their ICD 203 band, and the result says what matched."""
        found = confidence_from(text)
        assert found is not None
        assert (term, matched) == (found.term, found.matched)

    @pytest.mark.parametrize(
        ("text", "term"),
        [
            ("very unlikely", "very unlikely"),
            ("likely, even very likely", "very likely"),
            ("unlikely but almost certainly", "almost certain"),
            ("almost no chance", "almost no chance"),
            ("likely or unlikely", "unlikely"),
        ],
    )
    def test_longest_phrase_wins(self, text: str, term: str) -> None:
        """The most specific phrase wins, wherever it is; "very unlikely" is not "unlikely"."""
        found = confidence_from(text)
        assert found is not None
        assert term == found.term

    def test_earliest_of_equal_length(self) -> None:
        """Between phrases of equal length, the first one counts."""
        found = confidence_from("probably, improbably")
        assert found is not None
        assert "unlikely" == found.term  # "improbably" is longer than "probably"
        found = confidence_from("likely or remote")
        assert found is not None
        assert "likely" == found.term

    @pytest.mark.parametrize(
        "text",
        ["It is not likely.", "It isn't very likely.", "It is never likely", "no likely deal"],
    )
    def test_negated_phrase_is_not_guessed(self, text: str) -> None:
        """A phrase directly preceded by a negation gives None, not a guess."""
        assert confidence_from(text) is None

    def test_words_inside_other_words_do_not_match(self) -> None:
        """Whole words only: "likelihood" is not "likely"."""
        assert confidence_from("The likelihood is unclear; improbabilities abound.") is None

    @given(plain_words)
    def test_nothing_found(self, text: str) -> None:
        """Text without a phrase of the scale gives None."""
        assert confidence_from(text) is None

    @given(plain_words, st.sampled_from(sorted(wording._PHRASES)), plain_words)
    def test_phrase_in_context(self, before: str, phrase: str, after: str) -> None:
        """A phrase found among other words maps to its band, whatever the case."""
        text = f"{before} {phrase.upper()} {after}"
        found = confidence_from(text)
        assert found is not None
        assert (wording._PHRASES[phrase].term, phrase) == (found.term, found.matched)
        assert found.low <= found.midpoint <= found.high

    @pytest.mark.parametrize("text", [None, 0.9, b"likely"])
    def test_not_text(self, text: object) -> None:
        """Something that is not a string is refused, naming the argument."""
        with pytest.raises(InvalidRecordError) as info:
            confidence_from(text)  # type: ignore[arg-type]
        assert "text" == info.value.field

    def test_too_long(self) -> None:
        """A text longer than 100,000 characters is refused."""
        with pytest.raises(InvalidRecordError, match="longer than"):
            confidence_from("likely " * 20_000)
