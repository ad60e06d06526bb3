"""Charts, rendered headless (Agg) to files."""

from __future__ import annotations

import html.parser
import io
from pathlib import Path

import pytest

import claimtrack as ct

pytest.importorskip("matplotlib")

from claimtrack import plot


def _size(fig: object, path: Path) -> int:
    fig.savefig(path)  # type: ignore[attr-defined]
    return path.stat().st_size


class TestProbabilityChart:
    def test_renders_to_png_and_svg(self, riyadh: ct.Tracker, tmp_path: Path) -> None:
        """The chart saves as PNG and SVG files of a real size, without a display."""
        fig = plot.probability_chart(riyadh, "trump-involved")
        assert _size(fig, tmp_path / "p.png") > 10_000
        assert _size(fig, tmp_path / "p.svg") > 10_000

    def test_marks_evidence_and_thresholds(self, riyadh: ct.Tracker) -> None:
        """One marker per piece of evidence, and the two verdict thresholds."""
        ax = plot.probability_chart(riyadh, "trump-involved").axes[0]
        markers = [line for line in ax.get_lines() if line.get_marker() == "v"]
        horizontal = sorted(
            line.get_ydata()[0]
            for line in ax.get_lines()
            if len(set(line.get_ydata())) == 1 and line.get_marker() != "v"
        )
        assert len(markers) == 3
        assert [round(y, 2) for y in horizontal[:1] + horizontal[-1:]] == [0.05, 0.95]

    def test_unknown_claim(self, riyadh: ct.Tracker) -> None:
        """A claim not in the ledger raises UnknownRecordError."""
        with pytest.raises(ct.errors.UnknownRecordError):
            plot.probability_chart(riyadh, "nope")


class TestCalibrationChart:
    def test_bins_and_diagonal(self, riyadh: ct.Tracker, tmp_path: Path) -> None:
        """The chart shows the diagonal and labels each bin with its count."""
        rec = ct.TrackRecord.from_verdicts(
            [
                (riyadh.claim("trump-involved"), ct.Verdict.HELD),
                (riyadh.claim("zel-accept"), ct.Verdict.HELD),
                (riyadh.claim("lavrov-focus"), ct.Verdict.FAILED),
            ]
        )
        fig = plot.calibration_chart(rec)
        labels = sorted(t.get_text() for t in fig.axes[0].texts)
        assert labels == ["n=1", "n=1", "n=1"]
        assert _size(fig, tmp_path / "c.png") > 10_000

    def test_without_confidences(self, tmp_path: Path) -> None:
        """A record without stated confidences gives a chart that says so."""
        fig = plot.calibration_chart(ct.TrackRecord.from_verdicts([]))
        assert [t.get_text() for t in fig.axes[0].texts] == ["no stated confidences"]
        assert _size(fig, tmp_path / "c.svg") > 5_000


class TestTrackRecordChart:
    def test_speakers_with_intervals(self, riyadh: ct.Tracker, tmp_path: Path) -> None:
        """One row per speaker, labelled, with n beside those with resolved claims."""
        records = {s.name: riyadh.track_record(s) for s in riyadh.speakers()}
        fig = plot.track_record_chart(records)
        ax = fig.axes[0]
        assert [t.get_text() for t in ax.get_yticklabels()] == list(records)
        assert _size(fig, tmp_path / "t.png") > 10_000

    def test_hostile_label_is_escaped_in_svg(self, tmp_path: Path) -> None:
        """A speaker called <script> does not become markup in the SVG."""
        rec = ct.TrackRecord.from_verdicts([])
        buffer = io.StringIO()
        plot.track_record_chart({"<script>alert(1)</script>-->": rec}).savefig(buffer, format="svg")
        tags: list[str] = []

        class Tags(html.parser.HTMLParser):
            def handle_starttag(self, tag: str, attrs: object) -> None:
                tags.append(tag)

        Tags().feed(buffer.getvalue())
        assert "script" not in tags
        assert "svg" in tags


MATH = r"Price per $\ounce$ halves; $x^2$ and $5 \$ and \undefinedcommand$ $"
LONG = "Government of the United States of America"


def _math_ledger(policy: ct.ScoringPolicy | None = None) -> ct.Tracker:
    """A `$...$` payload in every field a chart could show."""
    t = ct.Tracker(policy=policy)
    src = ct.Source(title=MATH, publisher=MATH, author=MATH)
    t.add_speaker(MATH, id="s", roles=[ct.Role(MATH, start="2025")])
    t.add_speaker(LONG, id="us")
    t.add_claim(
        "s", MATH, id="c", quote=MATH, stated_on="2025-02-18", source=src, topics={MATH},
        confidence=0.8, due="2025-12-31",
    )  # fmt: skip
    t.add_evidence(
        "c", MATH, stance="supports", strength="conclusive", observed_on="2025-03-01", source=src
    )
    t.add_claim("us", MATH, id="c2", stated_on="2025-02-18", confidence=1.0)
    t.rule("c2", "held", on="2025-03-03", rationale=MATH, by=MATH)
    return t


class TestUserTextIsNeverMathtext:
    @pytest.mark.parametrize("fmt", ["png", "svg"])
    def test_every_chart_draws_dollar_text(self, fmt: str) -> None:
        """Claims and names with `$...$` are drawn as written; nothing raises."""
        t = _math_ledger()
        records = {s.name: t.track_record(s) for s in t.speakers()}
        figures = [
            plot.probability_chart(t, "c"),
            plot.calibration_chart(t.track_record("s"), title=MATH),
            plot.track_record_chart(records, title=MATH),
        ]
        for fig in figures:
            fig.savefig(io.BytesIO(), format=fmt)
            user = [
                a
                for a in fig.findobj(match=lambda a: hasattr(a, "get_parse_math"))
                if "$" in a.get_text()
            ]
            assert user, "the payload is on the chart"
            assert all(not a.get_parse_math() for a in user)
        label = figures[2].axes[0].get_yticklabels()[0].get_text()
        assert "$\\ounce$" in label.replace("\n", " ")


class TestPolicyThresholds:
    def test_the_trackers_own_thresholds(self) -> None:
        """A tracker that calls a claim held at 90 % and failed at 20 % shows those lines."""
        policy = ct.EvidenceWeighing(held_at=0.9, failed_at=0.2)
        t = _math_ledger(policy)
        ax = plot.probability_chart(t, "c").axes[0]
        flat = sorted(
            round(float(line.get_ydata()[0]), 2)
            for line in ax.get_lines()
            if line.get_linestyle() == "--"
        )
        assert [0.2, 0.9] == flat
        assert {"held (90 %)", "failed (20 %)"} <= {a.get_text() for a in ax.texts}

    def test_a_policy_without_thresholds_draws_none(self) -> None:
        """A custom policy with no held_at/failed_at gets no borrowed default lines."""

        class Always:
            def assess(self, claim, evidence, rulings, *, as_of, known_at, judged_on):  # type: ignore[no-untyped-def]
                return ct.EvidenceWeighing().assess(
                    claim, evidence, rulings, as_of=as_of, known_at=known_at, judged_on=judged_on
                )

        t = _math_ledger(Always())  # type: ignore[arg-type]
        ax = plot.probability_chart(t, "c").axes[0]
        assert [] == [line for line in ax.get_lines() if line.get_linestyle() == "--"]


class TestLayout:
    def test_long_names_are_wrapped_not_cut(self) -> None:
        """A long speaker name is shown whole (over lines), without an ellipsis."""
        t = _math_ledger()
        fig = plot.track_record_chart({LONG: t.track_record("us")})
        (label,) = [x.get_text() for x in fig.axes[0].get_yticklabels()]
        assert LONG == " ".join(label.split())
        assert "…" not in label

    def test_points_at_one_are_inside_the_axes(self) -> None:
        """A hit rate of 100 % and a bin at (1, 1) are drawn whole: the axes reach past 1."""
        t = _math_ledger()
        rec = t.track_record("us")
        assert 1.0 == rec.hit_rate
        board = plot.track_record_chart({LONG: rec}).axes[0]
        calibration = plot.calibration_chart(rec).axes[0]
        assert board.get_xlim()[1] > 1.0
        assert calibration.get_xlim()[1] > 1.0
        assert calibration.get_ylim()[1] > 1.0
        assert calibration.get_xlim()[0] < 0.0


def _forecast_ledger() -> ct.Tracker:
    """Bob's claim (confidence 0.5) forecast by Alice and Carol, ruled held on 20 March."""
    t = ct.Tracker()
    for who in ("alice", "bob", "carol"):
        t.add_speaker(who.title() + " $x$", id=who)
    t.add_claim("bob", "Oil will cost over $100 $\\alpha$.", id="c", stated_on="2025-03-01",
                confidence=0.5)  # fmt: skip
    t.forecast("c", by="alice", probability=0.6, made_on="2025-03-01")
    t.forecast("c", by="alice", probability=0.9, made_on="2025-03-10")
    t.forecast("c", by="carol", probability=0.1, made_on="2025-03-05")
    t.forecast("c", by="alice", probability=0.0, made_on="2025-03-25")  # after resolution
    t.rule("c", "held", on="2025-03-20")
    return t


class TestForecastChart:
    def test_renders_with_dollars_in_the_text(self, tmp_path: Path) -> None:
        """Text with $ signs renders as written (not read as mathtext) to PNG and SVG."""
        fig = plot.forecast_chart(_forecast_ledger(), "c", "alice")
        assert _size(fig, tmp_path / "f.png") > 5_000
        assert _size(fig, tmp_path / "f.svg") > 5_000
        assert fig.axes[0].get_title(loc="left") == "Oil will cost over $100 $\\alpha$."

    def test_forecaster_crowd_and_outcome(self) -> None:
        """Alice's steps (0.6, 0.9), the crowd's medians, and the outcome point at 1."""
        ax = plot.forecast_chart(_forecast_ledger(), "c", "alice").axes[0]
        lines = {line.get_label(): list(line.get_ydata()) for line in ax.get_lines()}
        assert lines["Alice $x$"] == [0.6, 0.6, 0.9, 0.9]
        # standing: 3-01 alice .6, bob .5 -> .55; 3-05 + carol .1 -> .5; 3-10 alice .9 -> .5
        assert lines["crowd median"] == pytest.approx([0.55, 0.5, 0.5, 0.5])
        assert lines["held"] == [1]

    def test_unresolved_claim_has_no_outcome(self) -> None:
        """Without a resolution no outcome point is drawn."""
        t = _forecast_ledger()
        t.retract(t.rulings("c")[0], reason="premature")
        ax = plot.forecast_chart(t, "c", "carol").axes[0]
        assert "held" not in {line.get_label() for line in ax.get_lines()}
