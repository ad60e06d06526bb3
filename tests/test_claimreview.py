"""Tests for claimtrack.interop.claimreview: reading schema.org ClaimReview JSON-LD."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack as ct
from claimtrack.errors import ImportFormatError, InvalidRecordError
from claimtrack.interop import ImportLimits, ImportReport
from claimtrack.interop.claimreview import (
    RATINGS,
    export_claimreviews,
    from_claimreview,
    import_claimreviews,
    rating_verdict,
    status_of,
    to_claimreview,
    to_html_script,
)
from claimtrack.strategies import ledgers as ct_ledgers
from claimtrack.strategies import texts

DATA = Path(__file__).parent / "data"
FEED = DATA / "factcheck_feed.json"

H, P, F = ct.Verdict.HELD, ct.Verdict.PARTLY_HELD, ct.Verdict.FAILED


def review(
    text: str = "Ukraine will be involved in the peace negotiations.",
    *,
    name: str = "Donald Trump",
    rating: Any = "True",
    stated: str = "2025-02-18",
    **author: Any,
) -> dict[str, Any]:
    """A minimal valid ClaimReview."""
    doc: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "datePublished": "2025-03-12",
        "claimReviewed": text,
        "itemReviewed": {
            "@type": "Claim",
            "datePublished": stated,
            "author": {"@type": "Person", "name": name, **author},
        },
    }
    if rating is not None:
        doc["reviewRating"] = (
            rating if isinstance(rating, dict) else {"@type": "Rating", "alternateName": rating}
        )
    return doc


def problems(info: pytest.ExceptionInfo[ExceptionGroup[Any]]) -> list[tuple[str, str]]:
    """The (path, reason) of every ImportFormatError in a raised group."""
    found = []
    for exc in info.value.exceptions:
        assert isinstance(exc, ImportFormatError)
        found.append((exc.path, exc.reason))
    return found


def paths(info: pytest.ExceptionInfo[ExceptionGroup[Any]]) -> list[str]:
    return [p for p, _ in problems(info)]


class TestRatingTable:
    @pytest.mark.parametrize(
        ("words", "expected"),
        [
            ("True", H),
            ("Mostly True", H),
            ("Half True", P),
            ("Mostly False", F),
            ("False", F),
            ("Pants on Fire", F),
            ("Promise Kept", H),
            ("Compromise", P),
            ("Promise Broken", F),
            ("Stalled", None),
            ("In the Works", None),
            ("Not Yet Rated", None),
            ("Correct", H),
            ("Accurate", H),
            ("Incorrect", F),
            ("Inaccurate", F),
            ("Unproven", ct.Verdict.UNVERIFIABLE),
            ("held", H),
            ("partly held", P),
            ("failed", F),
            ("pending", None),
            ("unresolved", ct.Verdict.UNRESOLVED),
            ("contested", ct.Verdict.CONTESTED),
            ("unverifiable", ct.Verdict.UNVERIFIABLE),
            ("void", ct.Verdict.VOID),
        ],
    )
    def test_every_documented_word(self, words: str, expected: ct.Verdict | None) -> None:
        """Each documented rating word maps onto its documented verdict."""
        assert expected == rating_verdict(words)

    def test_table_has_no_pending_verdict(self) -> None:
        """No rating word becomes a PENDING ruling (rulings cannot be pending)."""
        assert ct.Verdict.PENDING not in set(RATINGS.values())

    @pytest.mark.parametrize(
        "words", ["PANTS ON FIRE!", "pants-on-fire", "  Pants   on fire. ", "Pants_on_Fire"]
    )
    def test_words_are_normalised(self, words: str) -> None:
        """Case, hyphens, underscores, spacing and end punctuation do not matter."""
        assert rating_verdict(words) == F

    @pytest.mark.parametrize(
        ("value", "expected"), [(1, F), (2, F), (3, P), (4, H), (5, H), (2.5, P), (3.9, P)]
    )
    def test_numeric_one_to_five(self, value: float, expected: ct.Verdict) -> None:
        """On a 1-5 scale the top quarter held, the bottom quarter failed."""
        assert expected == rating_verdict(value=value, best=5, worst=1)

    @pytest.mark.parametrize(("best", "worst"), [(None, None), (5, None), (None, 1)])
    def test_number_without_both_ends_is_not_read(
        self, best: float | None, worst: float | None
    ) -> None:
        """A number without both worstRating and bestRating gives no verdict."""
        assert rating_verdict(value=5, best=best, worst=worst) is None

    def test_numeric_other_scales(self) -> None:
        """ratingValue is placed on its own best/worst scale, even a reversed one."""
        assert (
            rating_verdict(value=9, best=10, worst=0),
            rating_verdict(value=5, best=10, worst=0),
            rating_verdict(value=5, best=1, worst=5),
        ) == (H, P, F)

    @pytest.mark.parametrize(("value", "best", "worst"), [(6, 5, 1), (0, 5, 1), (3, 3, 3)])
    def test_numeric_off_scale_is_refused(self, value: float, best: float, worst: float) -> None:
        """A value off its scale, or an empty scale, is an InvalidRecordError."""
        with pytest.raises(InvalidRecordError):
            rating_verdict(value=value, best=best, worst=worst)

    def test_words_win_over_numbers(self) -> None:
        """Known words decide; unknown words with a number give no verdict at all."""
        assert (
            rating_verdict("False", value=5, best=5, worst=1),
            rating_verdict("Falso", value=4, best=6, worst=1),
            rating_verdict("Kinda", value=5, best=5, worst=1),
        ) == (F, F, None)

    def test_unknown_words_without_number(self) -> None:
        """Words not in the table and no number give no verdict."""
        assert None is rating_verdict("Kinda")

    def test_override_and_extend(self) -> None:
        """ratings= adds words and overrides defaults; pending means no ruling."""
        table = {"Misleading": "partly_held", "Mostly True": ct.Verdict.PARTLY_HELD, "x": "pending"}
        assert (
            rating_verdict("misleading", ratings=table),
            rating_verdict("mostly true", ratings=table),
            rating_verdict("x", ratings=table),
        ) == (P, P, None)

    @pytest.mark.parametrize("table", [{"Meh": "so-so"}, {"": "held"}, {3: "held"}, ["held"]])
    def test_bad_override_is_refused(self, table: Any) -> None:
        """An override that is not words -> verdicts raises InvalidRecordError."""
        with pytest.raises(InvalidRecordError, match="ratings"):
            rating_verdict("True", ratings=table)


class TestSampleFeed:
    def test_counts(self) -> None:
        """The sample feed gives 5 speakers, 6 claims, 5 rulings and 1 kept status."""
        report = import_claimreviews(ct.Tracker(), FEED)
        assert report.counts == {"speaker": 5, "claim": 6, "ruling": 5, "evidence": 1}

    def test_verdicts(self) -> None:
        """Each review's rating becomes the documented ruling (or none)."""
        tracker = ct.Tracker()
        import_claimreviews(tracker, FEED)
        by_text = {c.text: [r.verdict for r in tracker.rulings(c)] for c in tracker.claims()}
        assert by_text == {
            "Ukraine will be involved in the peace negotiations.": [P],
            "Ukraine will not accept any agreement made without it.": [H],
            "The United States will broker security guarantees for Ukraine.": [],
            "Russia will not withdraw from the territories it annexed in September 2022.": [H],
            "The talks will focus on restoring US-Russia relations.": [P],
            "Keith Kellogg will go to Kyiv to broker security guarantees.": [H],
        }

    def test_speaker_matched_by_same_as(self) -> None:
        """'President Trump' with Trump's Wikidata sameAs is the same speaker."""
        tracker = ct.Tracker()
        import_claimreviews(tracker, FEED)
        assert len(tracker.claims(speaker="donald-trump")) == 2

    def test_speaker_fields(self) -> None:
        """Organisation types, sameAs and jobTitle (as a role on the date) are kept."""
        tracker = ct.Tracker()
        import_claimreviews(tracker, FEED)
        trump = tracker.speaker("donald-trump")
        assert (
            trump.same_as,
            trump.role_on("2025-02-18").title,  # type: ignore[union-attr]
            tracker.speaker("government-of-russia").organization,
            trump.organization,
        ) == (
            ("https://www.wikidata.org/wiki/Q22686",),
            "President of the United States",
            True,
            False,
        )

    def test_source_from_first_appearance(self) -> None:
        """firstAppearance becomes the claim's source: url, headline, publisher, date."""
        tracker = ct.Tracker()
        import_claimreviews(tracker, FEED)
        source = tracker.claim("donald-trump-ukraine-will-be-involved").source
        assert (
            ct.Source(
                title="U.S.-Russia Talks in Riyadh: A New Chapter in Diplomacy?",
                publisher="JadeTimes",
                published="2025-02-18",
                url="https://news.example.com/riyadh-talks",
            )
            == source
        )

    def test_ruling_details(self) -> None:
        """A ruling is dated with the review, by the reviewer, keeping the words."""
        tracker = ct.Tracker()
        import_claimreviews(tracker, FEED)
        (ruling,) = tracker.rulings("donald-trump-ukraine-will-be-involved")
        assert (
            ct.PartialDate.parse("2025-03-12"),
            "Example Desk",
            "Rated 'Half-True': Ukraine was left out of Riyadh but joined the Jeddah talks.",
        ) == (ruling.on, ruling.by, ruling.rationale)

    def test_promise_scale_gives_promise_kind(self) -> None:
        """Claims rated on the promise scale are promises."""
        tracker = ct.Tracker()
        import_claimreviews(tracker, FEED)
        assert {"keith-kellogg-keith-kellogg-will-go", "donald-trump-the-united-states-will"} == {
            c.id for c in tracker.claims(kind="promise")
        }

    def test_report_notes_what_was_passed_over_or_kept(self) -> None:
        """The Article is noted as ignored, the 'In the Works' status as kept."""
        report = import_claimreviews(ct.Tracker(), FEED)
        assert (
            report.skipped,
            report.unknown_ratings,
            [n.path for n in report.notes],
            report.reader,
        ) == (
            (),
            (),
            [
                "$.dataFeedElement[4].item",
                "$.dataFeedElement[1].item[1].reviewRating.alternateName",
            ],
            "ClaimReview JSON-LD",
        )

    def test_status_is_kept_on_the_claim(self) -> None:
        """A promise status is context evidence that status_of reads back."""
        tracker = ct.Tracker()
        import_claimreviews(tracker, FEED)
        claim = tracker.claim("donald-trump-the-united-states-will")
        (evidence,) = tracker.evidence(claim)
        assert (
            evidence.text,
            evidence.stance,
            status_of(tracker, claim),
            tracker.assess(claim).verdict,
            tracker.rulings(claim),
        ) == ("Status: In the Works", ct.Stance.CONTEXT, "In the Works", ct.Verdict.PENDING, ())

    def test_importing_again_adds_nothing(self) -> None:
        """Re-importing the same feed skips every review already imported."""
        tracker = ct.Tracker()
        import_claimreviews(tracker, FEED)
        before = len(tracker)
        again = import_claimreviews(tracker, FEED)
        assert (before, (), 6) == (len(tracker), again.records, len(again.skipped))

    def test_existing_speaker_matched_by_name(self) -> None:
        """A speaker already in the tracker is reused, by name, case-insensitively."""
        tracker = ct.Tracker()
        tracker.add_speaker("sergey  LAVROV", id="lavrov")
        import_claimreviews(tracker, FEED)
        assert len(tracker.claims(speaker="lavrov")) == 1

    def test_from_claimreview_adds_nothing(self) -> None:
        """from_claimreview builds unstamped records without a tracker."""
        report = from_claimreview(FEED)
        assert (17, {None}) == (len(report.records), {r.recorded_at for r in report.records})

    def test_ratings_override_applies(self) -> None:
        """A user's table overrides the default table's words."""
        tracker = ct.Tracker()
        report = import_claimreviews(tracker, FEED, ratings={"needs context": "unverifiable"})
        (ruling,) = tracker.rulings("sergey-lavrov-the-talks-will-focus")
        assert (report.unknown_ratings, ruling.verdict) == ((), ct.Verdict.UNVERIFIABLE)


class TestShapes:
    def test_single_document(self) -> None:
        """A lone ClaimReview object is read."""
        assert from_claimreview(review()).counts == {"speaker": 1, "claim": 1, "ruling": 1}

    def test_graph(self) -> None:
        """A @graph of reviews is read; other nodes in it are skipped."""
        doc = {
            "@context": "https://schema.org",
            "@graph": [review(), {"@type": "WebPage", "name": "x"}, review("Another claim.")],
        }
        report = from_claimreview(doc)
        assert (
            report.counts["claim"],
            report.skipped,
            [n.path for n in report.notes],
        ) == (2, (), ["$['@graph'][1]"])

    def test_data_feed_with_reviews_directly(self) -> None:
        """A DataFeed may list ClaimReviews directly as its elements."""
        doc = {"@type": "DataFeed", "dataFeedElement": [review(), review("Second.")]}
        assert from_claimreview(doc).counts["claim"] == 2

    def test_json_text_bytes_and_file(self) -> None:
        """JSON text, UTF-8 bytes (with or without BOM) and open files are read."""
        text = json.dumps([review()])
        results = [
            from_claimreview(text),
            from_claimreview(text.encode()),
            from_claimreview(b"\xef\xbb\xbf" + text.encode()),
            from_claimreview(io.StringIO(text)),
            from_claimreview(io.BytesIO(text.encode())),
        ]
        assert [r.counts["claim"] for r in results] == [1] * 5

    def test_json_lines(self, tmp_path: Path) -> None:
        """JSON Lines, as text or as a .jsonl file; $[n] is line n+1."""
        bad = review("Bad.")
        del bad["claimReviewed"]
        lines = json.dumps(review()) + "\n\n" + json.dumps(bad)
        path = tmp_path / "reviews.jsonl"
        path.write_text(lines, encoding="utf-8")
        for source in (lines, path):
            with pytest.raises(ExceptionGroup) as info:
                from_claimreview(source)
            assert paths(info) == ["$[2].claimReviewed"]

    def test_author_as_plain_name_and_list(self) -> None:
        """An author given as a string, or as a list, is read."""
        a = review()
        a["itemReviewed"]["author"] = "Keith Kellogg"
        b = review()
        b["itemReviewed"]["author"] = [{"@type": "Person", "name": "Keith Kellogg"}]
        tracker = ct.Tracker()
        import_claimreviews(tracker, [a, b])
        assert [s.name for s in tracker.speakers()] == ["Keith Kellogg"]

    def test_same_claim_twice_in_one_document(self) -> None:
        """A repeated review in one document is skipped, naming the first claim."""
        report = from_claimreview([review(), review()])
        assert [s.path for s in report.skipped] == ["$[1]"]

    def test_claim_date_falls_back_to_review_date(self) -> None:
        """Without a claim date, the appearance's and then the review's date is used."""
        doc = review()
        del doc["itemReviewed"]["datePublished"]
        (claim,) = [r for r in from_claimreview(doc).records if isinstance(r, ct.Claim)]
        assert ct.PartialDate.parse("2025-03-12") == claim.stated_on

    def test_identifier_matches_speaker_and_names_claim(self) -> None:
        """identifier on the author picks the speaker id; on the claim, the claim id."""
        doc = review(identifier="trump")
        doc["itemReviewed"]["identifier"] = "c1"
        tracker = ct.Tracker()
        tracker.add_speaker("Donald Trump", id="trump")
        tracker.add_speaker("Donald Trump", id="donald-trump")
        import_claimreviews(tracker, doc)
        assert tracker.claim("c1").speaker_id == "trump"

    def test_no_rating_no_ruling(self) -> None:
        """A review without a rating gives a claim without a ruling, nothing unknown."""
        report = from_claimreview(review(rating=None))
        assert (report.counts, report.unknown_ratings) == ({"speaker": 1, "claim": 1}, ())


class TestAllOrNothing:
    def test_every_bad_item_is_listed_with_its_path(self) -> None:
        """Every problem is raised at once, each with its JSON path; nothing is added."""
        items = [review("One."), review("Two."), review("Three."), review("Four.")]
        del items[1]["claimReviewed"]
        items[2]["claimReviewed"] = "\ud800"
        del items[3]["datePublished"]
        del items[3]["itemReviewed"]["datePublished"]
        tracker = ct.Tracker()
        tracker.add_speaker("Someone", id="someone")
        with pytest.raises(ExceptionGroup) as info:
            import_claimreviews(tracker, items)
        assert (paths(info), len(tracker)) == (
            ["$[1].claimReviewed", "$[2].claimReviewed", "$[3].itemReviewed.datePublished"],
            1,
        )

    @pytest.mark.parametrize(
        ("change", "path"),
        [
            (lambda d: d.update(claimReviewed="\ud800"), "$[0].claimReviewed"),
            (lambda d: d.update(claimReviewed=42), "$[0].claimReviewed"),
            (lambda d: d.update(claimReviewed=[]), "$[0].claimReviewed"),
            (
                lambda d: (d.pop("datePublished"), d["itemReviewed"].update(datePublished=None)),
                "$[0].itemReviewed.datePublished",
            ),
            (
                lambda d: (d.pop("datePublished"), d["itemReviewed"].update(datePublished="x")),
                "$[0].itemReviewed.datePublished",
            ),
        ],
    )
    def test_bad_field(self, change: Any, path: str) -> None:
        """A review with no claim text or no date anywhere is an error at that path."""
        doc = review()
        change(doc)
        tracker = ct.Tracker()
        with pytest.raises(ExceptionGroup) as info:
            import_claimreviews(tracker, [doc])
        assert ([path], 0) == (paths(info), len(tracker))

    @pytest.mark.parametrize(
        ("change", "path"),
        [
            (lambda d: d.update(itemReviewed="a claim"), "$[0].itemReviewed"),
            (
                lambda d: d["itemReviewed"].update(datePublished="Smarch 31"),
                "$[0].itemReviewed.datePublished",
            ),
            (
                lambda d: d["itemReviewed"].update(datePublished=None),
                "$[0].itemReviewed.datePublished",
            ),
            (
                lambda d: d["itemReviewed"]["author"].update(sameAs=[1]),
                "$[0].itemReviewed.author.sameAs",
            ),
            (
                lambda d: d["itemReviewed"].update(
                    firstAppearance={"url": "javascript:alert(1)", "headline": "x"}
                ),
                "$[0].itemReviewed.firstAppearance.url",
            ),
            (lambda d: d["itemReviewed"].update(keywords=[1, 2]), "$[0].itemReviewed.keywords"),
            (lambda d: d["itemReviewed"].update(keywords=7), "$[0].itemReviewed.keywords"),
            (
                lambda d: d.update(reviewRating={"ratingValue": 9}),
                "$[0].reviewRating.ratingValue",
            ),
            (
                lambda d: d.update(reviewRating={"ratingValue": "NaN"}),
                "$[0].reviewRating.ratingValue",
            ),
            (
                lambda d: d.update(
                    reviewRating={"ratingValue": 2, "bestRating": 2, "worstRating": 2}
                ),
                "$[0].reviewRating.bestRating",
            ),
            (
                lambda d: d.update(
                    reviewRating={"ratingValue": 9, "bestRating": 5, "worstRating": 1}
                ),
                "$[0].reviewRating.ratingValue",
            ),
            (
                lambda d: d["reviewRating"].update(ratingExplanation=3),
                "$[0].reviewRating.ratingExplanation",
            ),
            (
                lambda d: d["itemReviewed"]["author"].update(jobTitle=4),
                "$[0].itemReviewed.author.jobTitle",
            ),
            (lambda d: d.update(author=5), "$[0].author"),
        ],
    )
    def test_wrong_optional_field_is_noted_not_fatal(self, change: Any, path: str) -> None:
        """An optional field of the wrong type is ignored and noted; the claim comes in."""
        doc = review()
        change(doc)
        tracker = ct.Tracker()
        report = import_claimreviews(tracker, [doc])
        assert (report.counts["claim"], path in [n.path for n in report.notes]) == (1, True)

    def test_item_not_an_object(self) -> None:
        """A non-object in an array is an error at its index."""
        with pytest.raises(ExceptionGroup) as info:
            from_claimreview([review(), 3])
        assert problems(info) == [("$[1]", "is a number, not an object")]

    def test_top_level_not_a_review(self) -> None:
        """A lone object that is not a review, a graph or a feed is an error."""
        with pytest.raises(ExceptionGroup) as info:
            from_claimreview({"@type": "Article"})
        assert paths(info) == ["$"]

    def test_errors_are_value_errors(self) -> None:
        """Each error in the group is also a ValueError, so plain handlers catch it."""
        with pytest.raises(ExceptionGroup) as info:
            from_claimreview({"@type": "Article"})
        assert all(isinstance(e, ValueError) for e in info.value.exceptions)

    @given(
        good=st.lists(texts(max_size=30), min_size=1, max_size=6, unique_by=lambda s: s.strip()),
        where=st.integers(0, 6),
    )
    @settings(max_examples=40)
    def test_one_bad_item_adds_nothing(self, good: list[str], where: int) -> None:
        """Whatever the good items, one bad item among them means nothing is added."""
        items = [review(text) for text in good]
        bad = review("Bad.")
        bad["claimReviewed"] = 7
        where = min(where, len(items))
        items.insert(where, bad)
        tracker = ct.Tracker()
        with pytest.raises(ExceptionGroup) as info:
            import_claimreviews(tracker, items)
        assert ([f"$[{where}].claimReviewed"], 0) == (paths(info), len(tracker))


class TestUntrustedInput:
    def test_size_limit_text(self) -> None:
        """A document over max_bytes is refused before it is parsed."""
        text = json.dumps([review()] * 20)
        with pytest.raises(ExceptionGroup) as info:
            from_claimreview(text, limits=ImportLimits(max_bytes=1000))
        ((path, reason),) = problems(info)
        assert (path, "over the limit of 1000 bytes" in reason) == ("$", True)

    def test_size_limit_counts_bytes_not_characters(self) -> None:
        """Multi-byte characters count by their UTF-8 size."""
        text = json.dumps(review("é" * 400), ensure_ascii=False)
        assert len(text) < 1000 < len(text.encode())
        with pytest.raises(ExceptionGroup):
            from_claimreview(text, limits=ImportLimits(max_bytes=1000))

    def test_size_limit_path_is_checked_before_reading(self, tmp_path: Path) -> None:
        """An over-size file is refused from its size; not even valid JSON is needed."""
        path = tmp_path / "big.json"
        path.write_bytes(b"x" * 2000)
        with pytest.raises(ExceptionGroup) as info:
            from_claimreview(path, limits=ImportLimits(max_bytes=1000))
        assert "2000 bytes, over the limit" in problems(info)[0][1]

    def test_size_limit_file_is_not_read_past_the_limit(self) -> None:
        """An open file is read at most max_bytes + 1 bytes."""

        class Endless(io.RawIOBase):
            served = 0

            def readable(self) -> bool:
                return True

            def read(self, size: int = -1) -> bytes:
                assert size != -1
                self.served += size
                return b"[" * size

        stream = Endless()
        with pytest.raises(ExceptionGroup):
            from_claimreview(stream, limits=ImportLimits(max_bytes=1000))
        assert stream.served == 1001

    def test_depth_limit(self) -> None:
        """Nesting deeper than max_depth is refused at the path where it goes too deep."""
        doc = review()
        doc["itemReviewed"]["author"]["x"] = [[[[["deep"]]]]]
        with pytest.raises(ExceptionGroup) as info:
            from_claimreview(doc, limits=ImportLimits(max_depth=5))
        assert paths(info) == ["$.itemReviewed.author.x[0][0]"]

    def test_depth_far_beyond_the_parser(self) -> None:
        """Nesting deep enough to exhaust the parser's recursion is a clear error."""
        text = "[" * 200_000 + "]" * 200_000
        with pytest.raises(ExceptionGroup) as info:
            from_claimreview(text)
        assert "nested too deeply" in problems(info)[0][1]

    def test_string_limit(self) -> None:
        """A string longer than max_string is refused with its path, keys too."""
        doc = review("x" * 101)
        doc["y" * 200] = 1
        with pytest.raises(ExceptionGroup) as info:
            from_claimreview(doc, limits=ImportLimits(max_string=100))
        assert sorted(paths(info)) == ["$ (a key)", "$.claimReviewed"]

    def test_item_limit(self) -> None:
        """More reviews than max_items is refused before records are built."""
        items = [review(f"Claim {i}.") for i in range(4)]
        with pytest.raises(ExceptionGroup) as info:
            from_claimreview(items, limits=ImportLimits(max_items=3))
        assert "holds 4 reviews, over the limit of 3" in problems(info)[0][1]

    def test_limits_are_validated(self) -> None:
        """A limit must be a positive integer."""
        with pytest.raises(InvalidRecordError, match="max_depth"):
            ImportLimits(max_depth=0)

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ('{"@type": "ClaimReview", "@type": "Article"}', "duplicate key '@type'"),
            ('[{"x": NaN}]', "NaN is not allowed"),
            ('[{"x": -Infinity}]', "-Infinity is not allowed"),
            ("[1e99999]", None),
            ("[" + "9" * 5000 + "]", "not valid JSON"),
            ("{", "not valid JSON"),
        ],
    )
    def test_strict_json(self, text: str, expected: str | None) -> None:
        """Duplicate keys, NaN, Infinity, huge integers and bad syntax are refused."""
        with pytest.raises(ExceptionGroup) as info:
            from_claimreview(text)
        if expected is not None:
            assert expected in problems(info)[0][1]

    def test_not_utf8(self) -> None:
        """Bytes that are not UTF-8 are refused."""
        with pytest.raises(ExceptionGroup) as info:
            from_claimreview(b'["\xff"]')
        assert "not UTF-8" in problems(info)[0][1]

    @pytest.mark.parametrize(
        "context",
        ["https://evil.example/context.jsonld", {"@vocab": "https://evil.example/"}, ["x"]],
    )
    def test_foreign_context_is_refused_never_fetched(self, context: Any) -> None:
        """Only the schema.org context is understood; others are refused, not loaded."""
        doc = review()
        doc["@context"] = context
        with pytest.raises(ExceptionGroup) as info:
            from_claimreview(doc)
        assert paths(info) == ["$['@context']"]

    @pytest.mark.parametrize(
        "context", ["http://schema.org", "https://schema.org/", ["https://schema.org"]]
    )
    def test_schema_org_context_spellings(self, context: Any) -> None:
        """The schema.org context is recognised in its usual spellings."""
        doc = review()
        doc["@context"] = context
        assert from_claimreview(doc).counts["claim"] == 1

    def test_bad_source_argument(self) -> None:
        """A source that is none of the accepted kinds is an InvalidRecordError."""
        with pytest.raises(InvalidRecordError, match="source"):
            from_claimreview(42)  # type: ignore[arg-type]

    def test_input_document_is_not_changed(self) -> None:
        """Importing does not modify the caller's document."""
        doc = review()
        before = copy.deepcopy(doc)
        from_claimreview(doc)
        assert before == doc


class TestProperties:
    @given(st.lists(texts(max_size=30), min_size=1, max_size=8))
    @settings(max_examples=40)
    def test_one_claim_per_distinct_statement(self, claims: list[str]) -> None:
        """A claim is added per distinct text; a second import adds nothing."""
        tracker = ct.Tracker()
        report = import_claimreviews(tracker, [review(t) for t in claims])
        distinct = {" ".join(t.split()).casefold() for t in claims}
        again = import_claimreviews(tracker, [review(t) for t in claims])
        assert (len(distinct), ()) == (report.counts["claim"], again.records)

    @given(st.permutations(["True", "Half True", "False", "Stalled", "Huh"]))
    @settings(max_examples=20)
    def test_order_does_not_change_verdicts(self, order: list[str]) -> None:
        """The verdict each claim gets does not depend on the order of the reviews."""
        report = from_claimreview([review(f"Claim {w}.", rating=w) for w in order])
        by_claim = {r.claim_id: r.verdict for r in report.records if isinstance(r, ct.Ruling)}
        assert by_claim == {
            "donald-trump-claim-true": H,
            "donald-trump-claim-half-true": P,
            "donald-trump-claim-false": F,
        }


# -- export -------------------------------------------------------------------------------

VOCAB_TYPES = DATA / "schemaorg-30.0-types-subset.csv"
VOCAB_PROPERTIES = DATA / "schemaorg-30.0-properties-subset.csv"
SCHEMA = "https://schema.org/"
PENDING = "https://pending.schema.org"


def _vocab() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    import csv

    with VOCAB_TYPES.open(newline="", encoding="utf-8") as f:
        types = {row["label"]: row for row in csv.DictReader(f)}
    with VOCAB_PROPERTIES.open(newline="", encoding="utf-8") as f:
        props = {row["label"]: row for row in csv.DictReader(f)}
    return types, props


TYPES, PROPERTIES = _vocab()


def _ancestors(label: str) -> set[str]:
    seen = {label}
    todo = [label]
    while todo:
        row = TYPES[todo.pop()]
        for parent in filter(None, (p.strip() for p in row["subTypeOf"].split(","))):
            name = parent.removeprefix(SCHEMA)
            if name not in seen:
                seen.add(name)
                todo.append(name)
    return seen


def vocabulary_problems(node: Any, path: str = "$") -> list[str]:
    """Every type or property in *node* that schema.org 30.0 lacks, or has elsewhere."""
    found: list[str] = []
    if isinstance(node, list):
        for i, item in enumerate(node):
            found.extend(vocabulary_problems(item, f"{path}[{i}]"))
        return found
    if not isinstance(node, dict):
        return found
    kind = node.get("@type")
    if kind not in TYPES:
        return [f"{path}: unknown type {kind!r}"]
    allowed = _ancestors(kind)
    for key, value in node.items():
        if key.startswith("@"):
            continue
        row = PROPERTIES.get(key)
        if row is None:
            found.append(f"{path}.{key}: no such property")
            continue
        domains = {d.strip().removeprefix(SCHEMA) for d in row["domainIncludes"].split(",")}
        if not domains & allowed:
            found.append(f"{path}.{key}: not a property of {kind}")
        if row["supersededBy"]:
            found.append(f"{path}.{key}: superseded by {row['supersededBy']}")
        found.extend(vocabulary_problems(value, f"{path}.{key}"))
    return found


def terms(node: Any) -> set[str]:
    """Every type and property name used in a JSON-LD document."""
    if isinstance(node, list):
        return set().union(*(terms(n) for n in node)) if node else set()
    if not isinstance(node, dict):
        return set()
    used = {node["@type"]} if "@type" in node else set()
    for key, value in node.items():
        if not key.startswith("@"):
            used |= {key} | terms(value)
    return used


def riyadh() -> ct.Tracker:
    """A small tracker: Trump's assurance with a source, a role, evidence and a ruling."""
    from datetime import UTC, datetime

    tracker = ct.Tracker(clock=lambda: datetime(2025, 6, 1, 12, tzinfo=UTC))
    tracker.add_speaker(
        "Donald Trump",
        id="trump",
        roles=[ct.Role("President of the United States", start="2025-01-20")],
        same_as=["https://www.wikidata.org/wiki/Q22686"],
    )
    tracker.add_speaker("Government of Russia", id="russia", organization=True)
    article = ct.Source(
        title="U.S.-Russia Talks in Riyadh: A New Chapter in Diplomacy?",
        publisher="JadeTimes",
        author="Iruni Kalupahana",
        published="2025-02-18",
        url="https://news.example.com/riyadh-talks",
    )
    tracker.add_claim(
        "trump",
        "Ukraine will be involved in the peace negotiations.",
        id="trump-ukraine-involved",
        quote="will be involved",
        kind="assurance",
        stated_on="2025-02-18",
        source=article,
        topics={"ukraine", "peace-talks"},
    )
    tracker.add_evidence(
        "trump-ukraine-involved",
        "US and Ukrainian delegations met in Jeddah.",
        stance="supports",
        strength="strong",
        observed_on="2025-03-11",
    )
    tracker.add_claim(
        "russia",
        "Russia will not withdraw from the annexed territories.",
        id="russia-no-withdrawal",
        stated_on="2025-02-18",
    )
    tracker.rule("russia-no-withdrawal", "held", on="2025-03-25", by="Desk")
    return tracker


class TestToClaimReview:
    def test_whole_document(self) -> None:
        """The review carries the claim, the speaker, the source and the assessment."""
        tracker = riyadh()
        doc = to_claimreview(
            tracker,
            "trump-ukraine-involved",
            reviewer={"name": "Example Desk", "url": "https://desk.example.org/"},
            as_of="2025-04-01",
            url="https://desk.example.org/checks/{id}",
        )
        work = {
            "@type": "CreativeWork",
            "headline": "U.S.-Russia Talks in Riyadh: A New Chapter in Diplomacy?",
            "url": "https://news.example.com/riyadh-talks",
            "publisher": {"@type": "Organization", "name": "JadeTimes"},
            "author": {"@type": "Person", "name": "Iruni Kalupahana"},
            "datePublished": "2025-02-18",
        }
        # The verdict in a sentence naming the speaker, then the assessment's account
        full = tracker.assess("trump-ukraine-involved", as_of="2025-04-01").explain()
        explanation = (
            "As of 1 April 2025, Donald Trump's claim of 18 February 2025, "
            '"Ukraine will be involved in the peace negotiations.", is still pending. '
            + full.split(") is pending. ", 1)[1]
        )
        assert doc == {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": "https://desk.example.org/checks/trump-ukraine-involved",
            "claimReviewed": "Ukraine will be involved in the peace negotiations.",
            "datePublished": "2025-04-01",
            "author": {
                "@type": "Organization",
                "name": "Example Desk",
                "url": "https://desk.example.org/",
            },
            "reviewRating": {
                "@type": "Rating",
                "alternateName": "pending",
                "ratingExplanation": explanation,
            },
            "itemReviewed": {
                "@type": "Claim",
                "identifier": [
                    "trump-ukraine-involved",
                    {
                        "@type": "PropertyValue",
                        "propertyID": "claimtrack:kind",
                        "value": "assurance",
                    },
                ],
                "author": {
                    "@type": "Person",
                    "name": "Donald Trump",
                    "identifier": "trump",
                    "sameAs": ["https://www.wikidata.org/wiki/Q22686"],
                    "jobTitle": "President of the United States",
                },
                "datePublished": "2025-02-18",
                "text": "will be involved",
                "keywords": ["peace-talks", "ukraine"],
                "firstAppearance": work,
                "appearance": [work],
            },
        }

    @pytest.mark.parametrize(
        ("verdict", "value"),
        [("held", 5), ("partly_held", 3), ("failed", 1)],
    )
    def test_resolved_verdicts_on_the_numeric_scale(self, verdict: str, value: int) -> None:
        """Resolved verdicts carry ratingValue on the 1-5 scale of EXPORT_SCALE."""
        tracker = riyadh()
        tracker.rule("trump-ukraine-involved", verdict, on="2025-03-30")
        rating = to_claimreview(tracker, "trump-ukraine-involved", reviewer="D")["reviewRating"]
        assert (rating["ratingValue"], rating["bestRating"], rating["worstRating"]) == (value, 5, 1)
        assert rating_verdict(value=rating["ratingValue"], best=5, worst=1) == ct.Verdict(verdict)

    @pytest.mark.parametrize(
        ("verdict", "words"),
        [
            ("held", "has held."),
            ("partly_held", "has partly held."),
            ("failed", "has failed."),
            ("unverifiable", "could not be verified."),
        ],
    )
    def test_explanation_names_the_speaker_in_english(self, verdict: str, words: str) -> None:
        """The explanation starts with the speaker's name and the verdict as a verb."""
        tracker = riyadh()
        tracker.rule("russia-no-withdrawal", verdict, on="2025-03-30")
        doc = to_claimreview(tracker, "russia-no-withdrawal", reviewer="D", as_of="2025-04-01")
        first = (
            "As of 1 April 2025, Government of Russia's claim of 18 February 2025, "
            f'"Russia will not withdraw from the annexed territories.", {words}'
        )
        explanation = doc["reviewRating"]["ratingExplanation"]
        assert (explanation.startswith(first), "russia," in explanation) == (True, False)

    @pytest.mark.parametrize("verdict", ["unresolved", "contested", "unverifiable", "void"])
    def test_other_verdicts_have_words_only(self, verdict: str) -> None:
        """Verdicts that are not resolved carry their words and no number."""
        tracker = riyadh()
        tracker.rule("trump-ukraine-involved", verdict, on="2025-03-30")
        rating = to_claimreview(tracker, "trump-ukraine-involved", reviewer="D")["reviewRating"]
        assert (rating["alternateName"], "ratingValue" in rating) == (
            ct.Verdict(verdict).label,
            False,
        )

    def test_organisation_has_no_job_title(self) -> None:
        """An organisation author is an Organization, without jobTitle."""
        doc = to_claimreview(riyadh(), "russia-no-withdrawal", reviewer="D")
        assert doc["itemReviewed"]["author"] == {
            "@type": "Organization",
            "name": "Government of Russia",
            "identifier": "russia",
        }

    def test_date_defaults_to_the_trackers_today(self) -> None:
        """Without as_of the review is dated today by the tracker's clock."""
        doc = to_claimreview(riyadh(), "russia-no-withdrawal", reviewer="D")
        assert doc["datePublished"] == "2025-06-01"

    def test_url_function(self) -> None:
        """url may be a function of the claim; None leaves url out."""
        tracker = riyadh()
        a = to_claimreview(tracker, "russia-no-withdrawal", reviewer="D", url=lambda c: None)
        b = to_claimreview(
            tracker, "russia-no-withdrawal", reviewer="D", url=lambda c: f"https://x.org/{c.id}"
        )
        assert ("url" in a, b["url"]) == (False, "https://x.org/russia-no-withdrawal")

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"reviewer": ""}, "reviewer"),
            ({"reviewer": {"name": "D", "logo": "x"}}, "reviewer"),
            ({"reviewer": {"name": "D", "url": "desk"}}, "reviewer"),
            ({"reviewer": 3}, "reviewer"),
            ({"reviewer": "D", "url": "not a url"}, "url"),
            ({"reviewer": "D", "url": 7}, "url"),
            ({"reviewer": "D", "as_of": "Smarch 31"}, "as_of"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, Any], field: str) -> None:
        """A bad argument is an InvalidRecordError naming it."""
        with pytest.raises(InvalidRecordError) as info:
            to_claimreview(riyadh(), "russia-no-withdrawal", **kwargs)
        assert info.value.field == field

    def test_unknown_claim(self) -> None:
        """A claim not in the tracker is an UnknownRecordError."""
        with pytest.raises(ct.errors.UnknownRecordError):
            to_claimreview(riyadh(), "nope", reviewer="D")

    def test_only_schema_org_terms(self) -> None:
        """Every type and property written exists in schema.org 30.0, on its type."""
        tracker = riyadh()
        for claim in tracker.claims():
            doc = to_claimreview(tracker, claim, reviewer={"name": "D", "sameAs": "https://d.org"})
            assert vocabulary_problems(doc) == []

    def test_pending_terms_are_the_known_ones(self) -> None:
        """Of the terms written, exactly Claim, appearance, firstAppearance,
        ratingExplanation and jobTitle are in schema.org's pending area."""
        doc = to_claimreview(riyadh(), "trump-ukraine-involved", reviewer="D")
        used = terms(doc)
        pending = {t for t in used if (TYPES.get(t) or PROPERTIES[t])["isPartOf"] == PENDING}
        assert pending == {
            "Claim",
            "appearance",
            "firstAppearance",
            "ratingExplanation",
            "jobTitle",
        }

    def test_the_vocabulary_check_can_fail(self) -> None:
        """The check flags unknown types, unknown properties and misplaced ones."""
        doc = {
            "@type": "ClaimReview",
            "claimReviewed": "x",
            "jobTitle": "y",
            "itemReviewed": {"@type": "Statement", "x": 1},
            "reviewRating": {"@type": "Rating", "verdict": "held"},
        }
        assert vocabulary_problems(doc) == [
            "$.jobTitle: not a property of ClaimReview",
            "$.itemReviewed: unknown type 'Statement'",
            "$.reviewRating.verdict: no such property",
        ]

    @given(ledger=ct_ledgers())
    @settings(max_examples=30)
    def test_generated_ledgers_use_only_schema_org_terms(self, ledger: list[ct.Record]) -> None:
        """Whatever the ledger, every review written uses only schema.org terms."""
        tracker = ct.Tracker()
        tracker.add_many(ledger)
        for claim in tracker.claims():
            doc = to_claimreview(tracker, claim, reviewer="D", as_of="2030-01-01")
            assert vocabulary_problems(doc) == []


class TestExportClaimReviews:
    def test_json_array_to_path(self, tmp_path: Path) -> None:
        """A path gets one JSON array of every claim's review, in order."""
        path = tmp_path / "reviews.json"
        n = export_claimreviews(riyadh(), path, reviewer="D", as_of="2025-04-01")
        docs = json.loads(path.read_text(encoding="utf-8"))
        assert (n, [d["claimReviewed"] for d in docs]) == (
            2,
            [
                "Ukraine will be involved in the peace negotiations.",
                "Russia will not withdraw from the annexed territories.",
            ],
        )

    def test_json_lines(self, tmp_path: Path) -> None:
        """A .jsonl path (or jsonl=True) gets one review per line."""
        path = tmp_path / "reviews.jsonl"
        export_claimreviews(riyadh(), path, reviewer="D")
        out = io.StringIO()
        export_claimreviews(riyadh(), out, reviewer="D", jsonl=True)
        lines = path.read_text(encoding="utf-8").splitlines()
        assert (len(lines), out.getvalue().splitlines()) == (2, lines)

    def test_retracted_claims_are_left_out(self) -> None:
        """Retracted claims are not exported."""
        tracker = riyadh()
        tracker.retract("russia-no-withdrawal", reason="misattributed")
        assert export_claimreviews(tracker, io.StringIO(), reviewer="D") == 1

    def test_failure_leaves_the_file_alone(self, tmp_path: Path) -> None:
        """A failing export changes nothing on disk, and leaves no temporary file."""
        path = tmp_path / "reviews.json"
        path.write_text("old", encoding="utf-8")
        with pytest.raises(InvalidRecordError):
            export_claimreviews(riyadh(), path, reviewer="D", url="nope {id}")
        assert (path.read_text(encoding="utf-8"), sorted(tmp_path.iterdir())) == ("old", [path])

    def test_bad_destination(self) -> None:
        """Something that is neither a path nor a file is refused."""
        with pytest.raises(InvalidRecordError, match="path_or_file"):
            export_claimreviews(riyadh(), 42, reviewer="D")  # type: ignore[arg-type]


class TestHtmlScript:
    def test_script_cannot_be_closed_early(self) -> None:
        """</script>, <!-- and & cannot appear raw inside the element."""
        html = to_html_script({"text": "</script><script>alert(1)</script><!-- &amp;"})
        body = html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
        assert ("<" in body, ">" in body, "&" in body) == (False, False, False)

    @given(
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(),
            lambda c: st.lists(c) | st.dictionaries(st.text(), c),
            max_leaves=10,
        )
    )
    def test_body_reads_back_the_same(self, doc: Any) -> None:
        """The script body is JSON that reads back as the same document."""
        html = to_html_script(doc)
        body = html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
        assert ("</" in body, json.loads(body)) == (False, doc)


class TestRoundTrip:
    @given(ledger=ct_ledgers())
    @settings(max_examples=60)
    def test_export_then_import_gives_the_same_claims_speakers_verdicts(
        self, ledger: list[ct.Record]
    ) -> None:
        """Generated ledger -> ClaimReview -> new tracker: same claims (kind, due date,
        topics, stated confidence too), speakers and verdicts."""
        original = ct.Tracker()
        original.add_many(ledger)
        out = io.StringIO()
        export_claimreviews(original, out, reviewer="Example Desk")
        copy_ = ct.Tracker()
        report = import_claimreviews(copy_, out.getvalue())

        def claims(t: ct.Tracker) -> list[tuple[Any, ...]]:
            return [
                (
                    c.id,
                    c.speaker_id,
                    c.text,
                    c.quote,
                    c.kind,
                    c.stated_on,
                    c.due,
                    c.topics,
                    c.confidence,
                    c.confidence_basis,
                    _source(c.source),
                )
                for c in t.claims()
            ]

        def speakers(t: ct.Tracker, ids: set[str]) -> list[tuple[Any, ...]]:
            return sorted(
                (s.id, s.name, s.organization, s.same_as) for s in t.speakers() if s.id in ids
            )

        spoke = {c.speaker_id for c in original.claims()}
        assert (report.skipped, report.unknown_ratings) == ((), ())
        assert claims(copy_) == claims(original)
        assert speakers(copy_, spoke) == speakers(original, spoke)
        assert [copy_.assess(c.id).verdict for c in copy_.claims()] == [
            original.assess(c.id).verdict for c in original.claims()
        ]


def _source(source: ct.Source | None) -> tuple[Any, ...] | None:
    """A source without its reliability, which ClaimReview has no place for."""
    if source is None:
        return None
    return (source.title, source.publisher, source.author, source.published, source.url)


# -- real fact-checks ---------------------------------------------------------------------

REAL = DATA / "real"
NO, V = None, ct.Verdict.UNVERIFIABLE

# The verdict every real ClaimReview item should get, in document order, written by
# reading each item's rating words (tests/data/real/claimreview/ITEMS.tsv lists them),
# not by running the importer.  None: the words are a sentence, not a label, and the
# importer cannot know them; it must then give no ruling (what the sentence means is in
# the comment).
REAL_EXPECTED: dict[str, list[ct.Verdict | None]] = {
    "factcheck_api/vishvas_news_urdu_claim.json": [F],  # "False"
    # "Reker hat diesen Satz nie gesagt. «Völliger Unsinn» ..." (never said: false)
    "jsonld/data_commons_dpa_item.json": [NO],
    # Falso, Engañoso x3, Falso, Engañoso, Falso, Engañoso, Falso, Engañoso x4, Falso,
    # Engañoso
    "jsonld/newtral_fact_check_index.json": [F, P, P, P, F, P, F, P, F, P, P, P, P, F, P],
    "jsonld/newtral_fakes_index.json": [F] * 15,  # "Falso" x15
    "pages/aajtak_india_today.html": [F],  # "False"
    "pages/afp.html": [F],  # "False"
    "pages/afp_checamos.html": [F],  # "Falso"
    # "ये तस्वीर अफ्रीका में ग़ुलामों के खरीद-फ़रोख़्त करने वाले की है" ("this picture is of
    # a slave trader in Africa", not of Tipu Sultan: false), with 1 of 1-5
    "pages/afp_fact_check_hindi.html": [NO],
    "pages/afp_factual.html": [P],  # "Engañoso"
    "pages/afp_factual_all.html": [F],  # "Falso"
    "pages/afp_factual_usa.html": [F],  # "Falso"
    "pages/afp_factuel.html": [F],  # "Faux"
    "pages/afp_faktencheck.html": [F],  # "Falsch"
    "pages/afp_india.html": [P],  # "Misleading"
    "pages/africa_check.html": [F],  # "Incorrect"
    "pages/africa_check_old.html": [F],  # "Incorrect \r"
    "pages/animal_politico_2022.html": [F],  # "Falso"
    "pages/aos_fatos.html": [P],  # "não_é_bem_assim" (5 of 6: a position, not a degree)
    "pages/bangla_boom_live.html": [F],  # "False"
    "pages/boom_live.html": [F],  # "False"
    "pages/comprova.html": [F],  # "FALSO: As imagens foram retiradas do canal ..."
    "pages/efe_verifica.html": [F],  # "Falso."
    "pages/estadao.html": [F],  # "Falso"
    "pages/estadao_2020.html": [F],  # "Falso"
    # "The Health Desk Experts said Current data shows ..." (an explanation, no label)
    "pages/fact_check_cite.html": [NO],
    "pages/fatabyyano.html": [F],  # "زائف" (false)
    "pages/hindi_boom_live.html": [P],  # "Misleading"
    "pages/india_today.html": [F],  # "Mostly false"
    "pages/india_today_2020.html": [F],  # "Mostly false"
    "pages/india_today_mixed_ld_json_types.html": [P],  # "Half true"
    "pages/lupa.html": [F],  # "Falso"
    "pages/news_checker.html": [F],  # "False"
    "pages/newtral_fact_check.html": [P],  # "Engañoso"
    "pages/newtral_fakes.html": [F],  # "Falso"
    "pages/tfc_taiwan.html": [F],  # "錯誤" (wrong)
    "pages/tfc_taiwan_4213.html": [F],  # "錯誤"
    "pages/tfc_taiwan_missing_page.html": [V],  # "證據不足" (insufficient evidence)
    "pages/the_quint.html": [F],  # "False"
    "pages/thip_media.html": [F],  # "Mostly False"
    "pages/twenty_minutes_claim_review_page.html": [F],  # "really_false" (-1 of -1..-1)
    "pages/uol_confere.html": [F],  # "Falso"
    "pages/vishvas_news.html": [F],  # "False"
    "pages/vishvas_news_english.html": [F],  # "False"
    "pages/vishvas_news_galwan.html": [F],  # "False"
}


def _real_verdicts(name: str) -> tuple[list[ct.Verdict | None], ImportReport]:
    """The verdict of each claim read from a real file, in document order."""
    report = from_claimreview(REAL / "claimreview" / name, on_error="skip")
    rulings = {r.claim_id: r.verdict for r in report.records if isinstance(r, ct.Ruling)}
    claims = [r for r in report.records if isinstance(r, ct.Claim)]
    return [rulings.get(c.id) for c in claims], report


class TestRealFactChecks:
    def test_every_real_file_is_listed(self) -> None:
        """The expectations cover every ClaimReview file of tests/data/real."""
        files = {
            str(p.relative_to(REAL / "claimreview"))
            for p in (REAL / "claimreview").rglob("*")
            if p.suffix in (".html", ".json")
        }
        assert files == set(REAL_EXPECTED)

    @pytest.mark.parametrize("name", sorted(REAL_EXPECTED))
    def test_verdicts_are_the_publishers(self, name: str) -> None:
        """Each real item imports and gets the verdict its rating words say (or none
        for words that are a sentence, never another verdict)."""
        got, _ = _real_verdicts(name)
        assert got == REAL_EXPECTED[name]

    def test_figures(self) -> None:
        """Of 72 real items from 22 publishers: all import, and over 90 % get a ruling."""
        items = sum(len(v) for v in REAL_EXPECTED.values())
        imported = ruled = 0
        for name in REAL_EXPECTED:
            got, _ = _real_verdicts(name)
            imported += len(got)
            ruled += sum(v is not None for v in got)
        assert (items, imported, ruled) == (72, 72, 69)
        assert imported / items >= 0.95
        assert ruled / imported >= 0.90

    def test_html_pages_name_their_reader_and_skip_a_broken_script(self) -> None:
        """Aos Fatos' page has an ld+json block that is not JSON: it is skipped."""
        _, report = _real_verdicts("pages/aos_fatos.html")
        assert (report.reader, [s.path for s in report.skipped]) == (
            "HTML page (JSON-LD scripts)",
            ["$[2]"],
        )

    def test_real_shapes_are_noted(self) -> None:
        """-1 numbers, a missing author, a relative URL are read leniently and noted."""
        _, report = _real_verdicts("pages/twenty_minutes_claim_review_page.html")
        notes = [n.message for n in report.notes]
        assert any("not a web URL" in m for m in notes)

    def test_missing_review_date_falls_back_to_the_page(self) -> None:
        """India Today's review has no date: the page's NewsArticle date is taken."""
        _, report = _real_verdicts("pages/india_today.html")
        (claim,) = [r for r in report.records if isinstance(r, ct.Claim)]
        assert (
            str(claim.stated_on),
            any("date of the page" in n.message for n in report.notes),
        ) == (
            "2022-09-30",
            True,
        )

    def test_fact_check_api_answer(self) -> None:
        """A Fact Check Tools API claim: its claimant is the speaker, the site the reviewer."""
        _, report = _real_verdicts("factcheck_api/vishvas_news_urdu_claim.json")
        speaker, claim, ruling = report.records
        assert (report.reader, speaker.name, str(claim.stated_on), ruling.by) == (  # type: ignore[attr-defined]
            "Google Fact Check Tools API (claims:search)",
            "FB User-Harshit Pandey",
            "2019-06-20",
            "vishvasnews.com",
        )


class TestRealPromiseTracker:
    STATUSES: ClassVar[dict[str, ct.Verdict | None]] = {
        "Achieved": H,
        "Broken": F,
        "Compromised": P,
        "In progress": None,
        "Not started": None,
    }

    def test_every_promise_is_a_promise_with_its_verdict_or_status(self) -> None:
        """TrumpTracker's 174 promises: promises, Achieved/Broken/Compromised ruled,
        In progress/Not started kept as statuses."""
        data = json.loads((REAL / "promises" / "trumptracker_data.json").read_text("utf-8"))
        reviews = [
            {
                "@type": "ClaimReview",
                "datePublished": "2018-08-28",
                "url": p["url"],
                "author": {"@type": "Organization", "name": "TrumpTracker"},
                "claimReviewed": p["title"],
                "itemReviewed": {
                    "@type": "Claim",
                    "datePublished": "2016",
                    "author": {"@type": "Person", "name": "Donald Trump"},
                },
                "reviewRating": {"@type": "Rating", "alternateName": p["status"]},
            }
            for p in data["promises"]
        ]
        tracker = ct.Tracker()
        report = import_claimreviews(tracker, reviews, on_error="skip")
        claims = tracker.claims()
        got = [
            (
                c.kind,
                tracker.rulings(c)[0].verdict if tracker.rulings(c) else None,
                status_of(tracker, c),
            )
            for c in claims
        ]
        expected = [
            (ct.ClaimKind.PROMISE, self.STATUSES[p["status"]], None)
            if self.STATUSES[p["status"]] is not None
            else (ct.ClaimKind.PROMISE, None, p["status"])
            for p in data["promises"]
        ]
        assert (len(claims), report.unknown_ratings, report.skipped) == (174, (), ())
        assert got == expected


class TestRatingWords:
    def test_table_size_and_languages(self) -> None:
        """At least 200 words, in at least the ten languages the issue names."""
        from claimtrack.interop._ratings import LANGUAGES

        assert len(RATINGS) >= 200
        assert {"en", "es", "pt", "fr", "de", "it", "ar", "hi", "zh", "id"} <= set(
            LANGUAGES.values()
        )

    @pytest.mark.parametrize(
        ("words", "expected"),
        [
            ("Falso", F),
            ("Engañoso", P),
            ("Faux", F),
            ("Trompeur", P),
            ("Falsch", F),
            ("Irreführend", P),
            ("Panzana pazzesca", F),
            ("C'eri quasi", H),
            ("زائف", F),
            ("مضلل", P),
            ("झूठ", F),
            ("भ्रामक", P),
            ("錯誤", F),
            ("部分錯誤", P),
            ("Salah", F),
            ("Menyesatkan", P),
            ("não_é_bem_assim", P),
            ("Verdadeiro, mas...", H),
            ("Three Pinocchios", F),
            ("Unproven", ct.Verdict.UNVERIFIABLE),
            ("No evidence", ct.Verdict.UNVERIFIABLE),
            ("Discutible", ct.Verdict.CONTESTED),
            ("Satire", None),
            ("Explainer", None),
            ("Achieved", H),
            ("Compromised", P),
            ("Broken", F),
            ("In progress", None),
            ("Not started", None),
        ],
    )
    def test_words_in_many_languages(self, words: str, expected: ct.Verdict | None) -> None:
        """Labels of fact-checkers' scales in many languages map to what they say."""
        assert rating_verdict(words) == expected

    @pytest.mark.parametrize(
        "words",
        [
            "FALSO",
            "falso.",
            "  Falso!  ",
            "Falso: el vídeo es de 2019",
            "Falso (montaje)",
            "\uff26\uff21\uff2c\uff33\uff2f",
        ],
    )
    def test_matching_ignores_case_punctuation_and_explanations(self, words: str) -> None:
        """Case, end punctuation, full-width forms and a trailing explanation do not count."""
        assert rating_verdict(words) == F

    @pytest.mark.parametrize(
        ("a", "b"),
        [
            ("مُضَلِّل", "مضلل"),
            ("फ़र्ज़ी", "फर्जी"),
            ("Engañoso", "enganoso"),
            ("Größtenteils falsch", "grosstenteils falsch"),
        ],
    )
    def test_diacritics_do_not_count(self, a: str, b: str) -> None:
        """Accents, Arabic harakat and the Devanagari nukta do not count."""
        assert rating_verdict(a) == rating_verdict(b) is not None

    def test_devanagari_vowel_signs_count(self) -> None:
        """Vowel signs are part of a Hindi word: stripping them would merge words."""
        from claimtrack.interop._ratings import normalize_rating

        assert normalize_rating("झूठा") != normalize_rating("झठ")

    def test_number_is_a_position_not_a_degree(self) -> None:
        """{ratingValue 4, bestRating 6, 'Falso'} is false, not partly held."""
        doc = review(
            rating={"@type": "Rating", "ratingValue": 4, "bestRating": 6, "alternateName": "Falso"}
        )
        (ruling,) = [r for r in from_claimreview(doc).records if isinstance(r, ct.Ruling)]
        assert ruling.verdict == F

    def test_unknown_words_with_numbers_give_no_ruling(self) -> None:
        """Unknown words and a full numeric scale: no ruling, and the words are listed."""
        doc = review(
            rating={"ratingValue": 1, "worstRating": 1, "bestRating": 5, "alternateName": "Bof"}
        )
        report = from_claimreview(doc)
        assert (report.counts, [u.rating for u in report.unknown_ratings]) == (
            {"speaker": 1, "claim": 1},
            ["Bof"],
        )

    def test_numbers_alone_need_both_ends(self) -> None:
        """A number without words is read only with both worstRating and bestRating."""
        with_ends = review(rating={"ratingValue": 1, "worstRating": 1, "bestRating": 5})
        without = review(rating={"ratingValue": 1, "bestRating": 5})
        minus_one = review(rating={"ratingValue": -1, "worstRating": -1, "bestRating": -1})
        empty = review(rating={"ratingValue": "", "worstRating": 1, "bestRating": 5})
        counts = [
            from_claimreview(d).counts.get("ruling", 0)
            for d in (with_ends, without, minus_one, empty)
        ]
        assert counts == [1, 0, 0, 0]


class TestLenientImport:
    def test_skip_imports_every_good_item_and_lists_the_rest(self) -> None:
        """on_error='skip': good reviews come in; bad ones are listed with path and reason."""
        items = [review("One."), review("Two."), review("Three."), 7]
        del items[1]["claimReviewed"]
        tracker = ct.Tracker()
        report = import_claimreviews(tracker, items, on_error="skip")
        assert (
            [c.text for c in tracker.claims()],
            [(s.path, s.reason) for s in report.skipped],
        ) == (
            ["One.", "Three."],
            [
                ("$[1]", "$[1].claimReviewed: is missing"),
                ("$[3]", "$[3]: is a number, not an object"),
            ],
        )

    def test_skipped_item_adds_nothing_of_its_own(self) -> None:
        """An item that fails leaves no speaker or id behind."""
        bad = review("Bad.", name="Nobody Else")
        bad["claimReviewed"] = "\ud800"
        report = from_claimreview([bad, review("Good.")], on_error="skip")
        assert sorted(type(r).__name__ for r in report.records) == ["Claim", "Ruling", "Speaker"]

    def test_missing_author_goes_to_the_publishers_unattributed_speaker(self) -> None:
        """No author: one 'Unattributed (publisher)' speaker per reviewing desk."""
        a, b, c = review("A."), review("B."), review("C.")
        for doc, desk in ((a, "Desk One"), (b, "Desk One"), (c, "Desk Two")):
            del doc["itemReviewed"]["author"]
            doc["author"] = {"@type": "Organization", "name": desk}
        tracker = ct.Tracker()
        report = import_claimreviews(tracker, [a, b, c])
        assert sorted(s.name for s in tracker.speakers()) == [
            "Unattributed (Desk One)",
            "Unattributed (Desk Two)",
        ]
        assert sum("no author" in n.message for n in report.notes) == 3

    def test_unattributed_can_be_set(self) -> None:
        """unattributed= names an existing speaker's id, or a name for a new one."""
        doc = review()
        del doc["itemReviewed"]["author"]
        tracker = ct.Tracker()
        tracker.add_speaker("Viral posts", id="viral")
        import_claimreviews(tracker, doc, unattributed="viral")
        other = from_claimreview(doc, unattributed="Social media")
        assert (tracker.claims()[0].speaker_id, other.records[0].name) == ("viral", "Social media")  # type: ignore[attr-defined]

    def test_text_given_as_an_array_takes_the_first(self) -> None:
        """claimReviewed and author.name as arrays: the first text is taken, and noted."""
        doc = review()
        doc["claimReviewed"] = ["First wording.", "Second wording."]
        doc["itemReviewed"]["author"]["name"] = ["Donald Trump"]
        report = from_claimreview(doc)
        speaker, claim = report.records[0], report.records[1]
        assert (speaker.name, claim.text, [n.path for n in report.notes]) == (  # type: ignore[attr-defined]
            "Donald Trump",
            "First wording.",
            ["$.claimReviewed"],
        )

    def test_null_claim_date_falls_back_and_says_so(self) -> None:
        """datePublished null: the review's date is taken and the report says so."""
        doc = review()
        doc["itemReviewed"]["datePublished"] = None
        report = from_claimreview(doc)
        assert (str(report.records[1].stated_on), [n.message for n in report.notes]) == (  # type: ignore[attr-defined]
            "2025-03-12",
            ["is null; the review's date 2025-03-12 is taken"],
        )

    def test_second_review_of_a_claim_adds_its_ruling(self) -> None:
        """Two desks reviewing the same claim: one claim, two rulings."""
        a = review(rating="False")
        b = review(rating="Misleading")
        b["author"] = {"@type": "Organization", "name": "Other Desk"}
        report = from_claimreview([a, b])
        assert report.counts == {"speaker": 1, "claim": 1, "ruling": 2}

    @pytest.mark.parametrize("where", ["reviewer", "status reviewer"])
    def test_bad_reviewer_name_fails_only_its_item(self, where: str) -> None:
        """A reviewer name that is not valid text fails its item, not the import."""
        bad = review("Bad.", rating="In the Works" if where == "status reviewer" else "False")
        bad["author"] = {"@type": "Organization", "name": "Desk \ud800"}
        del bad["itemReviewed"]["author"]
        report = from_claimreview([bad, review("Good.")], on_error="skip")
        assert ([s.path for s in report.skipped], report.counts["claim"]) == (["$[0]"], 1)

    def test_bad_on_error_and_unattributed(self) -> None:
        """on_error and unattributed are checked."""
        with pytest.raises(InvalidRecordError, match="on_error"):
            from_claimreview(review(), on_error="ignore")  # type: ignore[arg-type]
        with pytest.raises(InvalidRecordError, match="unattributed"):
            from_claimreview(review(), unattributed="  ")

    def test_long_string_in_one_item_skips_only_that_item(self) -> None:
        """In skip mode a string over max_string skips its item, not the document."""
        long = review("x" * 200)
        report = from_claimreview(
            [review("Fine."), long], on_error="skip", limits=ImportLimits(max_string=100)
        )
        assert (report.counts["claim"], [s.path for s in report.skipped]) == (1, ["$[1]"])


class TestHtmlAndApi:
    PAGE = (
        "<!DOCTYPE html><html><head><title>x</title>"
        "<script type=application/ld+json>{0}</script>"
        '<script>document.title = "never run"</script>'
        '<SCRIPT TYPE="application/ld+json; charset=utf-8"><!--{1}--></SCRIPT>'
        "</head><body><p>Unclosed <b>tags"
    )

    def test_html_page_with_unquoted_attributes(self) -> None:
        """JSON-LD scripts are read from a page, whatever its attribute quoting."""
        page = self.PAGE.format(
            json.dumps({"@type": "WebPage", "datePublished": "2025-03-01"}),
            json.dumps(review()),
        )
        report = from_claimreview(page)
        assert (report.reader, report.counts) == (
            "HTML page (JSON-LD scripts)",
            {"speaker": 1, "claim": 1, "ruling": 1},
        )

    def test_page_without_json_ld(self) -> None:
        """A page with no JSON-LD script is refused, saying so."""
        with pytest.raises(ExceptionGroup) as info:
            from_claimreview("<html><script>var a = 1;</script></html>")
        assert "no JSON-LD" in problems(info)[0][1]

    def test_script_text_is_not_unescaped_or_run(self) -> None:
        """Entities in a script body stay as written; script elements are only read."""
        doc = review("Fish &amp; chips.")
        page = self.PAGE.format("{}", json.dumps(doc))
        (claim,) = [r for r in from_claimreview(page).records if isinstance(r, ct.Claim)]
        assert claim.text == "Fish &amp; chips."

    def test_fact_check_api_answer(self) -> None:
        """claims[].claimReview[]: one claim per claim, one ruling per review."""
        answer = {
            "claims": [
                {
                    "text": "The moon is made of cheese.",
                    "claimant": "A blogger",
                    "claimDate": "2024-01-02T00:00:00Z",
                    "claimReview": [
                        {
                            "publisher": {"name": "Desk One", "site": "one.example"},
                            "url": "https://one.example/moon",
                            "reviewDate": "2024-01-05T10:00:00Z",
                            "textualRating": "Falso",
                            "languageCode": "es",
                        },
                        {
                            "publisher": {"site": "two.example"},
                            "reviewDate": "2024-01-06",
                            "textualRating": "Pants on Fire!",
                        },
                    ],
                },
                {
                    "text": "No claimant here.",
                    "claimReview": [{"textualRating": "Faux", "reviewDate": "2024-02-01"}],
                },
            ],
            "nextPageToken": "abc",
        }
        report = from_claimreview(json.dumps(answer))
        rulings = [(r.verdict, r.by) for r in report.records if isinstance(r, ct.Ruling)]
        speakers = [r.name for r in report.records if isinstance(r, ct.Speaker)]
        assert (report.reader, speakers, rulings) == (
            "Google Fact Check Tools API (claims:search)",
            ["A blogger", "Unattributed"],
            [(F, "Desk One"), (F, "two.example"), (F, None)],
        )

    def test_fact_check_api_claims_on_their_own(self) -> None:
        """The answer's claims[] array alone is read by the same reader."""
        claims = [
            {
                "text": "The moon is made of cheese.",
                "claimDate": "2024-01-02",
                "claimReview": [{"textualRating": "False", "reviewDate": "2024-01-05"}],
            }
        ]
        report = from_claimreview(claims)
        assert (report.reader, report.counts) == (
            "Google Fact Check Tools API (claims:search)",
            {"speaker": 1, "claim": 1, "ruling": 1},
        )


class TestLimitsAreFast:
    def test_many_tiny_values_are_refused_before_parsing(self) -> None:
        """A 16 MiB [0,0,…] is refused by counting values in the text, not building them."""
        import tracemalloc

        text = "[" + "0," * (8 * 1024 * 1024 - 2) + "0]"  # 8,388,607 values, under 16 MiB
        tracemalloc.start()
        try:
            with pytest.raises(ExceptionGroup) as info:
                from_claimreview(text, on_error="skip")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        ((path, reason),) = problems(info)
        assert (path, "max_nodes" in reason, peak < 100 * 2**20) == ("$", True, True)

    def test_five_million_empty_objects_are_refused(self) -> None:
        """5 million {} are refused the same way."""
        text = "[" + "{}," * 4_999_999 + "{}]"
        with pytest.raises(ExceptionGroup) as info:
            from_claimreview(text)
        assert "max_nodes" in problems(info)[0][1]

    def test_problems_are_bounded(self) -> None:
        """Past 1,000 problems they are counted, not listed."""
        text = "[" + "0," * 4999 + "0]"
        with pytest.raises(ExceptionGroup) as info:
            from_claimreview(text)
        assert (len(info.value.exceptions), "4000 more not listed" in str(info.value)) == (
            1000,
            True,
        )

    def test_skipped_items_are_bounded(self) -> None:
        """In skip mode, past 1,000 skipped items they are counted in unlisted."""
        report = from_claimreview([0] * 2500, on_error="skip")
        assert (len(report.skipped), report.unlisted) == (1000, 1500)

    def test_node_limit_on_a_parsed_document(self) -> None:
        """A parsed document is checked against max_nodes too."""
        with pytest.raises(ExceptionGroup) as info:
            from_claimreview([review()] * 3, limits=ImportLimits(max_nodes=20))
        assert "max_nodes" in problems(info)[0][1]

    def test_strings_with_commas_do_not_count_as_values(self) -> None:
        """The count before parsing sets strings aside: commas in text are not values."""
        doc = review("a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u.")
        assert (
            from_claimreview(json.dumps(doc), limits=ImportLimits(max_nodes=30)).counts["claim"]
            == 1
        )


class TestExportProperties:
    def test_claimtrack_fields_are_property_values(self) -> None:
        """Kind, due date, confidence and status travel as PropertyValues in identifier."""
        tracker = ct.Tracker()
        tracker.add_speaker("Mayor Ada", id="ada")
        tracker.add_claim(
            "ada",
            "The bridge will open by summer.",
            id="bridge",
            kind="promise",
            stated_on="2024-10-01",
            due="2025-06",
            confidence=0.8,
        )
        doc = to_claimreview(tracker, "bridge", reviewer="D", as_of="2025-01-01")
        assert doc["itemReviewed"]["identifier"] == [
            "bridge",
            {"@type": "PropertyValue", "propertyID": "claimtrack:kind", "value": "promise"},
            {"@type": "PropertyValue", "propertyID": "claimtrack:due", "value": "2025-06"},
            {"@type": "PropertyValue", "propertyID": "claimtrack:confidence", "value": 0.8},
            {
                "@type": "PropertyValue",
                "propertyID": "claimtrack:confidence_basis",
                "value": "stated",
            },
        ]
        assert vocabulary_problems(doc) == []

    def test_additional_property_is_not_valid_on_a_claim(self) -> None:
        """Why identifier: schema.org 30.0 has no additionalProperty on Claim."""
        doc = {"@type": "Claim", "additionalProperty": {"@type": "PropertyValue", "value": 1}}
        assert vocabulary_problems(doc) == ["$.additionalProperty: not a property of Claim"]

    def test_status_round_trips(self) -> None:
        """A promise's status survives export and import."""
        first = ct.Tracker()
        import_claimreviews(
            first,
            review("We will build the bridge.", rating="In the Works"),
        )
        out = io.StringIO()
        export_claimreviews(first, out, reviewer="D", as_of="2025-04-01")
        second = ct.Tracker()
        import_claimreviews(second, out.getvalue())
        (claim,) = second.claims()
        assert (claim.kind, status_of(second, claim)) == (ct.ClaimKind.PROMISE, "In the Works")


_KEYS = st.sampled_from(
    [
        "@type",
        "claimReviewed",
        "itemReviewed",
        "author",
        "name",
        "datePublished",
        "reviewRating",
        "alternateName",
        "ratingValue",
        "bestRating",
        "worstRating",
        "appearance",
        "url",
        "sameAs",
        "keywords",
        "identifier",
        "jobTitle",
        "text",
    ]
)
_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(-2, 10)
    | st.sampled_from(["ClaimReview", "Claim", "Person", "2025-02-18", "Falso", "", "-1"])
    | texts(max_size=10)
)
_JSONISH = st.recursive(
    _LEAVES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=6),
    max_leaves=25,
)


class TestFuzz:
    @given(
        st.lists(
            st.dictionaries(_KEYS, _JSONISH, max_size=8).map(
                lambda d: {**d, "@type": "ClaimReview"}
            ),
            max_size=4,
        )
    )
    @settings(max_examples=150)
    def test_anything_imports_or_is_refused_cleanly(self, doc: list[dict[str, Any]]) -> None:
        """Whatever the reviews hold, skip mode imports or lists each, and raise mode
        raises only ImportFormatErrors; nothing else escapes."""
        lenient, strict = _outcome(doc, on_error="skip"), _outcome(doc)
        for outcome in (lenient, strict):
            if isinstance(outcome, ExceptionGroup):
                assert all(isinstance(e, ImportFormatError) for e in outcome.exceptions)
        if isinstance(lenient, ImportReport):
            # each review adds a claim, a ruling or a status, or is listed as skipped
            made = sum(not isinstance(r, ct.Speaker) for r in lenient.records)
            assert made + len(lenient.skipped) >= len(doc)


def _outcome(doc: Any, **kwargs: Any) -> ImportReport | ExceptionGroup[Any]:
    """The report of reading *doc*, or the group of errors it raised."""
    try:
        return from_claimreview(doc, **kwargs)
    except ExceptionGroup as group:
        return group
