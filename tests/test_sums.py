"""Tests of claimtrack._sums: the exact sum of shares, rounded once."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimtrack._sums import ExactSum, exact, exact_sum

finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300)


class TestExactSum:
    @given(st.lists(finite, max_size=50))
    def test_equals_fsum(self, xs: list[float]) -> None:
        """The running sum equals math.fsum of the same numbers."""
        s = ExactSum()
        for x in xs:
            s.add(x)
        assert s.value() == math.fsum(xs)

    @given(
        st.lists(finite, max_size=30).flatmap(
            lambda xs: st.tuples(st.just(xs), st.permutations(xs))
        )
    )
    def test_order_independent(self, both: tuple[list[float], list[float]]) -> None:
        """Any order of adding gives the same sum, bit for bit."""
        xs, shuffled = both
        a, b = ExactSum(), ExactSum()
        for x in xs:
            a.add(x)
        for x in shuffled:
            b.add(x)
        assert a.value() == b.value()

    @given(st.lists(st.tuples(finite, st.integers(0, 1000)), max_size=20))
    def test_counts_equal_repeats(self, terms: list[tuple[float, int]]) -> None:
        """Adding a share n times at once equals adding it n times one by one."""
        assert exact_sum(terms) == math.fsum(x for x, n in terms for _ in range(n))

    @given(st.lists(finite, max_size=20), finite)
    def test_take_away(self, xs: list[float], y: float) -> None:
        """Adding then taking a share away again leaves the sum as it was."""
        s = ExactSum()
        for x in xs:
            s.add(x)
        before = s.value()
        s.add(y)
        s.add(y, times=-1)
        assert s.value() == before

    def test_example(self) -> None:
        """0.1 + 0.2 + 0.3 rounds twice to 0.6000000000000001; the exact sum is 0.6."""
        s = ExactSum()
        for x in (0.1, 0.2, 0.3):
            s.add(x)
        assert s.value() == 0.6
        assert s.copy().value() == 0.6

    def test_exact(self) -> None:
        """exact() gives the numerator and power-of-two shift."""
        assert exact(0.75) == (3, 2)
        assert exact(5e-324) == (1, 1074)

    def test_not_finite(self) -> None:
        """nan and inf are refused."""
        with pytest.raises((ValueError, OverflowError)):
            exact(math.inf)
        with pytest.raises((ValueError, OverflowError)):
            exact(math.nan)
