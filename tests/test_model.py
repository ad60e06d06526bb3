"""Tests for claimtrack._model: records, enums, validators and converters."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import claimtrack as ct
from claimtrack import (
    Claim,
    ClaimKind,
    Evidence,
    PartialDate,
    Retraction,
    Role,
    Ruling,
    Source,
    Speaker,
    Stance,
    Strength,
    Verdict,
)
from claimtrack._enums import to_enum
from claimtrack._model import MAX_ID, MAX_TEXT, clean_id, clean_text
from claimtrack.errors import InvalidRecordError

UTC = dt.UTC


def claim(**kwargs: Any) -> Claim:
    """A valid claim, with *kwargs* replacing its fields."""
    fields: dict[str, Any] = {
        "id": "c",
        "speaker_id": "s",
        "text": "Ukraine will be involved.",
        "stated_on": "2025-02-18",
    }
    fields.update(kwargs)
    return Claim(**fields)


def evidence(**kwargs: Any) -> Evidence:
    """A valid piece of evidence, with *kwargs* replacing its fields."""
    fields: dict[str, Any] = {
        "id": "e",
        "claim_id": "c",
        "text": "Delegations met in Jeddah.",
        "stance": "supports",
        "observed_on": "2025-03-11",
    }
    fields.update(kwargs)
    return Evidence(**fields)


def refused(field: str, value: Any, match: str | None = None) -> Any:
    """A context manager: an InvalidRecordError naming *field* and *value*."""

    class Check:
        def __enter__(self) -> None:
            self.raises = pytest.raises(InvalidRecordError, match=match)
            self.info = self.raises.__enter__()

        def __exit__(self, *exc: Any) -> bool:
            handled = self.raises.__exit__(*exc)
            err = self.info.value
            assert (field, True) == (err.field, _same(value, err.value))
            assert field in str(err)
            return bool(handled)

    return Check()


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


# -- helpers ----------------------------------------------------------------------------


class TestCleanText:
    def test_strips(self) -> None:
        """Surrounding space is removed."""
        assert "Kyiv" == clean_text("  Kyiv\n", "text")

    @pytest.mark.parametrize("value", ["", " ", "\n\t  "])
    def test_blank_refused(self, value: str) -> None:
        """Empty or only-space text is refused."""
        with refused("text", value, "must not be empty"):
            clean_text(value, "text")

    @pytest.mark.parametrize("value", [None, 3, b"bytes", ["a"]])
    def test_not_a_string(self, value: Any) -> None:
        """Non-strings are refused."""
        with refused("name", value, "must be a string"):
            clean_text(value, "name")

    def test_too_long(self) -> None:
        """Text over the limit is refused."""
        value = "x" * (MAX_TEXT + 1)
        with refused("text", value, "longer than"):
            clean_text(value, "text")

    @pytest.mark.parametrize(("value", "match"), [("a\ud800b", "surrogate"), ("a\x00b", "NUL")])
    def test_surrogate_and_nul(self, value: str, match: str) -> None:
        """Lone surrogates and NUL are refused."""
        with refused("text", value, match):
            clean_text(value, "text")


class TestCleanId:
    def test_accepts(self) -> None:
        """A plain id is returned unchanged."""
        assert "trump-ukraine:1" == clean_id("trump-ukraine:1")

    @pytest.mark.parametrize(
        ("value", "match"),
        [
            ("", "non-empty"),
            (" x", "surrounding"),
            ("x ", "surrounding"),
            ("a\nb", "control"),
            ("a\x00b", "control"),
            ("a\ud800", "surrogate"),
            ("x" * (MAX_ID + 1), "longer than"),
            (5, "must be a string"),
        ],
    )
    def test_refused(self, value: Any, match: str) -> None:
        """Bad ids are refused naming the argument."""
        with refused("id", value, match):
            clean_id(value)


class TestToEnum:
    @pytest.mark.parametrize("value", [Stance.SUPPORTS, "supports", "SUPPORTS", " Supports "])
    def test_accepted_forms(self, value: Any) -> None:
        """A member, its value or its name in any case converts."""
        assert Stance.SUPPORTS is to_enum(Stance, value, "stance")

    def test_spaces_and_hyphens(self) -> None:
        """'partly held' and 'partly-held' are PARTLY_HELD."""
        assert (Verdict.PARTLY_HELD, Verdict.PARTLY_HELD) == (
            to_enum(Verdict, "partly held", "verdict"),
            to_enum(Verdict, "Partly-Held", "verdict"),
        )

    @pytest.mark.parametrize("value", ["endorses", "", 1, None, Strength.WEAK])
    def test_unknown_lists_allowed(self, value: Any) -> None:
        """An unknown value is refused, listing every allowed value."""
        with refused("stance", value, "allowed: 'supports', 'refutes', 'mixed', 'context'"):
            to_enum(Stance, value, "stance")

    def test_enum_members(self) -> None:
        """The enums have exactly the members DESIGN.md names."""
        assert (
            [
                "HELD",
                "PARTLY_HELD",
                "FAILED",
                "PENDING",
                "UNRESOLVED",
                "CONTESTED",
                "UNVERIFIABLE",
                "VOID",
            ],
            ["ASSERTION", "PREDICTION", "PROMISE", "ASSURANCE", "COMMITMENT"],
            ["SUPPORTS", "REFUTES", "MIXED", "CONTEXT"],
            ["WEAK", "MODERATE", "STRONG", "CONCLUSIVE"],
        ) == tuple([m.name for m in e] for e in (Verdict, ClaimKind, Stance, Strength))

    def test_verdict_helpers(self) -> None:
        """Only held, partly held and failed are resolved; label is in words."""
        assert ({Verdict.HELD, Verdict.PARTLY_HELD, Verdict.FAILED}, "partly held") == (
            {v for v in Verdict if v.is_resolved},
            Verdict.PARTLY_HELD.label,
        )


# -- records ----------------------------------------------------------------------------


class TestRole:
    def test_dates_converted(self) -> None:
        """start and end take any date input."""
        role = Role("President", start="20 January 2025", end=dt.date(2029, 1, 20))
        assert (PartialDate.day(2025, 1, 20), PartialDate.day(2029, 1, 20)) == (
            role.start,
            role.end,
        )

    def test_end_before_start(self) -> None:
        """An end before the start is refused."""
        with refused("end", PartialDate.year(2024), "before start"):
            Role("President", start="2025-01-20", end="2024")

    def test_same_partial_period_allowed(self) -> None:
        """A role that starts and ends within the same month is fine."""
        assert Role("Envoy", start="2025-02", end="2025-02-10").end is not None

    @pytest.mark.parametrize("title", ["", "  ", None])
    def test_title_required(self, title: Any) -> None:
        """A role needs a title."""
        with pytest.raises(InvalidRecordError, match="title"):
            Role(title)

    def test_bad_date(self) -> None:
        """A start that is not a date is refused naming start."""
        with refused("start", "soon", "not a date"):
            Role("President", start="soon")

    def test_covers(self) -> None:
        """covers() is inclusive at both ends; a partial date counts if it overlaps."""
        role = Role("P", start="2017-01-20", end="2021-01-20")
        assert (True, True, True, False, True, False) == (
            role.covers("2017-01-20"),
            role.covers("2021-01-20"),
            role.covers("2021"),
            role.covers("2021-01-21"),
            Role("P").covers("1900"),
            Role("P", end="2020").covers("2021-01-01"),
        )


class TestSpeaker:
    def test_role_on_with_overlapping_and_open_roles(self) -> None:
        """role_on picks the role begun most recently; open roles run on for ever."""
        senator = Role("Senator", start="2010", end="2026-06")
        president = Role("President", start="2025-01-20")
        member = Role("Party member")  # no start: counts as begun earliest
        s = Speaker("x", "X", roles=[member, senator, president])
        assert (president, senator, member, None) == (
            s.role_on("2025-02-18"),
            s.role_on("2024-05-01"),
            s.role_on("2000"),
            Speaker("y", "Y").role_on("2025"),
        )
        assert (president, senator, member) == s.roles_on("2025-02-18")

    def test_roles_converted_to_tuple(self) -> None:
        """A list, a generator or a single Role become a tuple."""
        role = Role("P")
        assert ((role,), (role,), (role,)) == (
            Speaker("a", "A", roles=[role]).roles,
            Speaker("a", "A", roles=(r for r in [role])).roles,
            Speaker("a", "A", roles=role).roles,
        )

    @pytest.mark.parametrize("roles", ["President", 5, [Role("P"), "President"]])
    def test_bad_roles(self, roles: Any) -> None:
        """Roles must be Role objects."""
        with pytest.raises(InvalidRecordError, match="roles"):
            Speaker("a", "A", roles=roles)

    def test_name_stripped(self) -> None:
        """The name is stripped."""
        assert "Donald Trump" == Speaker("t", "  Donald Trump ").name

    def test_organization_must_be_bool(self) -> None:
        """organization is True or False, not truthy."""
        with refused("organization", 1, "True or False"):
            Speaker("a", "A", organization=1)

    def test_same_as(self) -> None:
        """same_as takes one string or many."""
        assert (("https://w.org/Q1",), ("a", "b")) == (
            Speaker("a", "A", same_as="https://w.org/Q1").same_as,
            Speaker("a", "A", same_as=["a", "b"]).same_as,
        )

    def test_same_as_not_a_list(self) -> None:
        """same_as must be strings."""
        with pytest.raises(InvalidRecordError, match="same_as"):
            Speaker("a", "A", same_as=5)


class TestSource:
    @pytest.mark.parametrize(
        "kwargs", [{"title": "T"}, {"publisher": "P"}, {"url": "https://example.org/x"}]
    )
    def test_one_identifying_field_is_enough(self, kwargs: dict[str, str]) -> None:
        """A title, a publisher or a URL alone makes a source."""
        assert 1.0 == Source(**kwargs).reliability

    def test_needs_title_publisher_or_url(self) -> None:
        """A source with only an author and a date is refused."""
        with pytest.raises(InvalidRecordError, match="must have a title, a publisher or a url"):
            Source(author="A", published="2025")

    @pytest.mark.parametrize(
        "url", ["https://example.org/a?b=c", "http://localhost:8000", "HTTPS://EXAMPLE.ORG/"]
    )
    def test_urls_accepted(self, url: str) -> None:
        """Absolute http and https URLs are accepted."""
        assert url == Source(url=url).url

    @pytest.mark.parametrize(
        ("url", "match"),
        [
            ("example.org/page", "absolute"),
            ("/relative/path", "absolute"),
            ("javascript:alert(1)", "absolute"),
            ("javascript://x/%0Aalert(3)", "http or https"),
            ("data://text/html,<script>", "http or https"),
            ("file:///etc/passwd", "absolute"),
            ("ftp://example.org/x", "http or https"),
            ("urn:isbn:0451450523", "absolute"),
            ("http://[::1", "not a URL"),
            ("https://exa mple.org", "spaces"),
        ],
    )
    def test_bad_urls(self, url: str, match: str) -> None:
        """Relative, broken, spaced or non-web URLs are refused naming url."""
        with refused("url", url, match):
            Source(url=url)

    @pytest.mark.parametrize("value", [0, 0.5, 1, 1.0])
    def test_reliability_in_range(self, value: float) -> None:
        """Reliability in [0, 1] is kept as a float."""
        assert float(value) == Source(title="T", reliability=value).reliability

    @pytest.mark.parametrize("value", [-0.01, 1.01, math.inf, 10**400], ids=lambda v: repr(v)[:12])
    def test_reliability_out_of_range(self, value: Any) -> None:
        """Reliability outside [0, 1] is refused."""
        with refused("reliability", value, "in \\[0, 1\\]"):
            Source(title="T", reliability=value)

    @pytest.mark.parametrize("value", [math.nan, True, "0.5", None])
    def test_reliability_not_a_number(self, value: Any) -> None:
        """NaN, booleans and strings are not reliabilities."""
        with refused("reliability", value):
            Source(title="T", reliability=value)

    def test_published_and_describe(self) -> None:
        """published takes any date input; describe() reads as a citation."""
        src = Source(title="Joint statement", publisher="State Dept", published="March 2025")
        assert (PartialDate.month(2025, 3), "Joint statement, State Dept, March 2025") == (
            src.published,
            src.describe(),
        )
        assert "https://x.org" == Source(url="https://x.org").describe()


class TestClaim:
    def test_conversions(self) -> None:
        """Strings become enums and dates, topics a lower-cased frozenset, text stripped."""
        c = claim(
            text=" Ukraine will be involved. ",
            kind="ASSURANCE",
            due="Dec 2025",
            topics=["Ukraine", " Peace-Talks ", "ukraine"],
        )
        assert (
            "Ukraine will be involved.",
            ClaimKind.ASSURANCE,
            PartialDate.day(2025, 2, 18),
            PartialDate.month(2025, 12),
            frozenset({"ukraine", "peace-talks"}),
        ) == (c.text, c.kind, c.stated_on, c.due, c.topics)

    def test_single_topic_string(self) -> None:
        """A single topic string is one topic, not its letters."""
        assert frozenset({"nato"}) == claim(topics="NATO").topics

    @pytest.mark.parametrize("topics", [5, ["ok", ""], ["ok", 3]])
    def test_bad_topics(self, topics: Any) -> None:
        """Topics must be non-empty strings."""
        with pytest.raises(InvalidRecordError, match="topics"):
            claim(topics=topics)

    @pytest.mark.parametrize("text", ["", "   ", None])
    def test_text_required(self, text: Any) -> None:
        """Empty or only-space text is refused naming text."""
        with refused("text", text):
            claim(text=text)

    @pytest.mark.parametrize("value", ["yesterday", "Biden may sign it", "March 3", 2025])
    def test_stated_on_not_a_date(self, value: Any) -> None:
        """A stated_on that is not a date is refused naming stated_on."""
        with refused("stated_on", value):
            claim(stated_on=value)

    def test_stated_on_required(self) -> None:
        """stated_on has no default."""
        with pytest.raises(TypeError, match="stated_on"):
            Claim("c", "s", "t")  # type: ignore[call-arg]

    @pytest.mark.parametrize("value", [0, 0.25, 1])
    def test_confidence_in_range(self, value: float) -> None:
        """Confidence in [0, 1] is kept, with basis 'stated' by default."""
        c = claim(confidence=value)
        assert (float(value), "stated") == (c.confidence, c.confidence_basis)

    @pytest.mark.parametrize(
        "value",
        [-0.1, 1.5, math.nan, math.inf, True, False, "0.9", 10**400],
        ids=lambda v: repr(v)[:12],
    )
    def test_confidence_refused(self, value: Any) -> None:
        """Confidence outside [0, 1], NaN, booleans and strings are refused."""
        with refused("confidence", value):
            claim(confidence=value)

    def test_confidence_basis(self) -> None:
        """A basis is 'stated' or 'wording', and only with a confidence."""
        assert "wording" == claim(confidence=0.6, confidence_basis="wording").confidence_basis
        with refused("confidence_basis", "guess", "one of"):
            claim(confidence=0.6, confidence_basis="guess")
        with refused("confidence_basis", "stated", "None when confidence is None"):
            claim(confidence_basis="stated")

    def test_due_before_stated_on(self) -> None:
        """A due date wholly before stated_on is refused naming due and the record."""
        with refused("due", PartialDate.day(2025, 2, 17), "before stated_on"):
            claim(due="2025-02-17")
        with pytest.raises(InvalidRecordError, match="record 'c'"):
            claim(due="2024")

    def test_due_overlapping_stated_on(self) -> None:
        """A due date that ends on or after stated_on is fine (a year due, a same-day due)."""
        assert (PartialDate.year(2025), PartialDate.day(2025, 2, 18)) == (
            claim(due="2025").due,
            claim(due="2025-02-18").due,
        )

    def test_due_not_a_date(self) -> None:
        """A due that is not a date names due."""
        with refused("due", "whenever"):
            claim(due="whenever")

    def test_kind_unknown(self) -> None:
        """An unknown kind lists the allowed kinds."""
        with refused("kind", "boast", "'assertion', 'prediction', 'promise'"):
            claim(kind="boast")

    def test_source_must_be_a_source(self) -> None:
        """source is a Source, not a string."""
        with refused("source", "JadeTimes", "Source"):
            claim(source="JadeTimes")

    @pytest.mark.parametrize("field", ["id", "speaker_id"])
    def test_ids_checked(self, field: str) -> None:
        """Both ids are checked."""
        with refused(field, " c", "surrounding"):
            claim(**{field: " c"})

    def test_repr_keeps_long_text_out(self) -> None:
        """repr shows ids, kind and dates, not the text, quote, source or topics."""
        c = claim(
            text="T" * 5000,
            quote="Q" * 100,
            source=Source(title="S" * 100),
            topics={"zzz-topic"},
        )
        text = repr(c)
        assert ("TTTT" in text, "QQQQ" in text, "SSSS" in text, "zzz-topic" in text) == (
            False,
            False,
            False,
            False,
        )
        assert "id='c'" in text
        assert len(text) < 300


class TestEvidence:
    def test_enum_strings(self) -> None:
        """stance and strength accept their values in any case."""
        e = evidence(stance="REFUTES", strength="Strong")
        assert (Stance.REFUTES, Strength.STRONG) == (e.stance, e.strength)

    def test_defaults(self) -> None:
        """Strength defaults to MODERATE; reliability to 1 without a source."""
        e = evidence()
        assert (Strength.MODERATE, 1.0) == (e.strength, e.reliability)

    def test_reliability_from_source(self) -> None:
        """reliability is the source's."""
        assert 0.5 == evidence(source=Source(title="T", reliability=0.5)).reliability

    def test_unknown_stance(self) -> None:
        """An unknown stance lists the allowed values."""
        with refused("stance", "agrees", "allowed: 'supports'"):
            evidence(stance="agrees")

    def test_unknown_strength(self) -> None:
        """An unknown strength lists the allowed values."""
        with refused("strength", "huge", "'weak', 'moderate', 'strong', 'conclusive'"):
            evidence(strength="huge")

    def test_observed_on_not_a_date(self) -> None:
        """observed_on is checked."""
        with refused("observed_on", "later"):
            evidence(observed_on="later")

    def test_repr_keeps_text_out(self) -> None:
        """The text is not in the repr."""
        assert "Jeddah" not in repr(evidence())


class TestRuling:
    def test_verdict_strings(self) -> None:
        """A verdict string converts."""
        assert Verdict.PARTLY_HELD is Ruling("r", "c", "partly_held", on="2025").verdict

    def test_pending_refused(self) -> None:
        """PENDING cannot be ruled."""
        with refused("verdict", "pending", "cannot be ruled"):
            Ruling("r", "c", "pending", on="2025")

    def test_unknown_verdict(self) -> None:
        """An unknown verdict lists the allowed values."""
        with refused("verdict", "true", "'held', 'partly_held'"):
            Ruling("r", "c", "true", on="2025")

    def test_rationale_out_of_repr(self) -> None:
        """The rationale is not in the repr; by is."""
        r = Ruling("r", "c", "held", on="2025", rationale="Because " * 50, by="desk")
        assert ("Because" in repr(r), "desk" in repr(r)) == (False, True)


class TestRetraction:
    def test_reason_required(self) -> None:
        """A retraction needs a reason."""
        with refused("reason", " "):
            Retraction("x", "e", reason=" ")

    def test_reason_out_of_repr(self) -> None:
        """The reason is text, kept out of the repr."""
        assert "misreported" not in repr(Retraction("x", "e", reason="misreported"))


class TestRecordedAt:
    def test_aware_converted_to_utc(self) -> None:
        """An aware stamp is kept, in UTC."""
        when = dt.datetime(2025, 2, 18, 12, tzinfo=ZoneInfo("Europe/Moscow"))
        assert (
            dt.datetime(2025, 2, 18, 9, tzinfo=UTC)
            == Speaker("a", "A", recorded_at=when).recorded_at
        )

    @pytest.mark.parametrize("value", [dt.datetime(2025, 1, 1), "2025-01-01", dt.date(2025, 1, 1)])
    def test_naive_or_other_refused(self, value: Any) -> None:
        """Naive datetimes, strings and dates are refused."""
        with refused("recorded_at", value):
            evidence(recorded_at=value)


EVERY_RECORD = [
    Role("President", start="2025-01-20"),
    Speaker("trump", "Donald Trump", roles=[Role("P")], same_as=["https://x.org"]),
    Source(title="T", published="2025"),
    claim(topics={"a"}, source=Source(title="T"), confidence=0.5),
    evidence(),
    Ruling("r", "c", "held", on="2025"),
    Retraction("x", "e", reason="misreported"),
]


class TestValues:
    @pytest.mark.parametrize("record", EVERY_RECORD, ids=lambda r: type(r).__name__)
    def test_frozen(self, record: Any) -> None:
        """Records cannot be changed in place."""
        name = attrs.fields(type(record))[0].name
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(record, name, getattr(record, name))

    @pytest.mark.parametrize("record", EVERY_RECORD, ids=lambda r: type(r).__name__)
    def test_equal_by_value_and_hashable(self, record: Any) -> None:
        """A copy with the same fields is equal and hashes alike; a changed one is not."""
        copy = attrs.evolve(record)
        assert (True, hash(record)) == (copy == record, hash(copy))
        assert record is not copy

    @pytest.mark.parametrize("record", EVERY_RECORD, ids=lambda r: type(r).__name__)
    def test_slotted(self, record: Any) -> None:
        """Records have no __dict__ (slotted)."""
        assert not hasattr(record, "__dict__")

    def test_changed_is_unequal(self) -> None:
        """Records differing in one field are unequal."""
        assert claim() != claim(text="Something else.")


_TEXT_FIELDS = [
    (lambda v: claim(text=v), "text"),
    (lambda v: claim(quote=v), "quote"),
    (lambda v: claim(topics={v}), "topics"),
    (lambda v: Speaker("s", v), "name"),
    (lambda v: Speaker(v, "N"), "id"),
    (lambda v: Role(v), "title"),
    (lambda v: Source(title=v), "title"),
    (lambda v: Source(title="T", author=v), "author"),
    (lambda v: evidence(text=v), "text"),
    (lambda v: Ruling("r", "c", "held", on="2025", rationale=v), "rationale"),
    (lambda v: Retraction("x", "e", reason=v), "reason"),
]


@st.composite
def poisoned(draw: st.DrawFn) -> str:
    """Otherwise fine text with one lone surrogate or NUL somewhere in it."""
    text = draw(st.text(st.characters(codec="utf-8", exclude_categories=("Cc",)), max_size=20))
    bad = draw(st.characters(categories=["Cs"]) | st.just("\x00"))
    at = draw(st.integers(0, len(text)))
    return "x" + text[:at] + bad + text[at:] + "x"


class TestBadTextProperty:
    @given(poisoned(), st.sampled_from(_TEXT_FIELDS))
    def test_surrogates_and_nul_refused_everywhere(self, value: str, target: Any) -> None:
        """Any text field refuses text with a lone surrogate or NUL, naming the field."""
        make, field = target
        with pytest.raises(InvalidRecordError) as info:
            make(value)
        assert field == info.value.field

    @given(st.text(st.characters(categories=["Zs"]) | st.sampled_from(" \t\n\r"), max_size=10))
    def test_blank_text_refused(self, value: str) -> None:
        """Text made only of spaces is refused."""
        with refused("text", value, "must not be empty"):
            claim(text=value)


def test_records_are_exported() -> None:
    """Every record class is importable from the package."""
    assert all(hasattr(ct, type(r).__name__) for r in EVERY_RECORD)
