"""Tests of claimtrack._sums: the exact sum of shares, rounded once."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimtrack._sums import ExactSum, exact, prefix_sums, total_of

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
        s = ExactSum()
        for x, n in terms:
            s.add(x, n)
        assert s.value() == math.fsum(x for x, n in terms for _ in range(n))

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


class TestTotalOf:
    @given(st.lists(finite, max_size=50))
    def test_equals_exact_sum(self, xs: list[float]) -> None:
        """total_of (math.fsum, in C) gives the same number as ExactSum."""
        s = ExactSum()
        for x in xs:
            s.add(x)
        assert total_of(xs) == s.value()
        assert math.copysign(1.0, total_of(xs)) == math.copysign(1.0, s.value())

    def test_negative_zero_is_zero(self) -> None:
        """A sum of negative zeros is 0.0, as ExactSum gives it, never -0.0."""
        assert math.copysign(1.0, total_of([-0.0, -0.0])) == 1.0

    def test_example(self) -> None:
        """0.1 + 0.2 + 0.3 adds up to 0.6, not 0.6000000000000001."""
        assert (0.6, 0.0) == (total_of([0.1, 0.2, 0.3]), total_of([]))


class TestPrefixSums:
    @given(st.lists(finite, max_size=20), st.lists(finite, max_size=40))
    def test_each_is_fsum_of_a_prefix(self, before: list[float], xs: list[float]) -> None:
        """Item k is math.fsum of what came before and the first k + 1 numbers."""
        total = ExactSum()
        for x in before:
            total.add(x)
        found = prefix_sums(xs, total)
        assert list(found) == [math.fsum(before + xs[: k + 1]) for k in range(len(xs))]
        assert total.value() == math.fsum(before + xs)

    @given(st.lists(finite, max_size=20), st.lists(finite, max_size=40))
    def test_after_finds_them_back_from_the_end(self, before: list[float], xs: list[float]) -> None:
        """With after=True, the sums are found back from the total after the last one."""
        total = ExactSum()
        for x in before + xs:
            total.add(x)
        found = prefix_sums(xs, total, after=True)
        assert list(found) == [math.fsum(before + xs[: k + 1]) for k in range(len(xs))]
        assert total.value() == math.fsum(before + xs)  # left as it was

    def test_example(self) -> None:
        """The running sums of 0.1, 0.2, 0.3 are rounded once each: the last is 0.6."""
        total = ExactSum()
        assert ([0.1, 0.30000000000000004, 0.6], 0.6) == (
            list(prefix_sums([0.1, 0.2, 0.3], total)),
            total.value(),
        )

    def test_subnormal_and_large_shares(self) -> None:
        """Shares far apart in size (down to the smallest subnormal) are added exactly."""
        xs = [5e-324, 1e300, -1e300, 5e-324, 2.5e-308]
        found = list(prefix_sums(xs, ExactSum()))
        assert found == [math.fsum(xs[: k + 1]) for k in range(len(xs))]
        assert found[2:] == [5e-324, 1e-323, math.fsum([1e-323, 2.5e-308])]

    def test_sums_past_the_largest_float_scaled(self) -> None:
        """A huge share beside a tiny one: the scaled sums pass 2**1024 and are still exact."""
        xs = [1e300, 2.0**-700, -1e300, 2.0**-700]
        total = ExactSum()
        assert list(prefix_sums(xs, total)) == [1e300, 1e300, 2.0**-700, 2.0**-699]
        assert total.value() == 2.0**-699

    def test_nothing_leaves_the_total(self) -> None:
        """No shares: no sums, and the total is as it was."""
        total = ExactSum()
        total.add(0.1)
        assert (0, 0.1) == (len(prefix_sums([], total)), total.value())
