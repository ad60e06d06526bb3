"""Tests for claimtrack._ids: slugs, suffixes that fit, free ids."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from claimtrack._ids import free_id, slug, suffixed
from claimtrack._model import MAX_ID, clean_id


class TestIds:
    def test_slug_keeps_the_first_words(self) -> None:
        """A slug is the first six words, ASCII and lower-case, joined by dashes."""
        assert "zelenskyy-ukraine-will-not-accept-any" == slug(
            "Zelenskyy: Ukraine will NOT accept any agreement made without it."
        )

    @given(st.text(min_size=1, max_size=MAX_ID + 50).filter(lambda s: s.strip() == s))
    def test_a_suffixed_id_always_fits(self, base: str) -> None:
        """Whatever the base, base + suffix is cut to an id's length and ends in the suffix."""
        made = suffixed(base, "-e12")
        assert len(made) <= MAX_ID
        assert made.endswith("-e12")

    def test_free_id_counts_on_until_free(self) -> None:
        """A taken id gets -2, -3 …; an empty base the fallback."""
        taken = {"trump", "trump-2", "speaker"}
        assert ("trump-3", "speaker-2") == (
            free_id("trump", "speaker", taken.__contains__),
            free_id("", "speaker", taken.__contains__),
        )
        assert clean_id(free_id("x" * 300, "speaker", lambda _: False)) == "x" * MAX_ID
