"""Tests for claimtrack.Tracker: adding, references, ids, queries, retractions, atomicity."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from typing import Any
from unittest import mock

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack as ct
from claimtrack import (
    Claim,
    Evidence,
    Record,
    Retraction,
    Role,
    Ruling,
    Source,
    Speaker,
    Tracker,
    _appending,
)
from claimtrack.errors import (
    ClaimtrackError,
    DuplicateRecordError,
    InvalidRecordError,
    UnknownRecordError,
)
from claimtrack.stores import MemoryStore
from claimtrack.strategies import ledgers

UTC = dt.UTC
T0 = dt.datetime(2025, 11, 23, 12, 0, tzinfo=UTC)


class Clock:
    """A clock that returns T0, T0 + 1 s, T0 + 2 s … (or always T0 when fixed)."""

    def __init__(self, *, step: int = 1) -> None:
        self.ticks = itertools.count()
        self.step = step

    def __call__(self) -> dt.datetime:
        return T0 + dt.timedelta(seconds=self.step * next(self.ticks))


class SpyStore(MemoryStore):
    """A memory store that remembers whether it was closed and can be told to fail."""

    def __init__(self) -> None:
        super().__init__()
        self.closed = False
        self.fail = False

    def append(self, records: Sequence[Record]) -> None:
        if self.fail:
            raise OSError("disk full")
        super().append(records)

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def tracker() -> Tracker:
    """A tracker with a stepping clock and the Riyadh speakers and one claim."""
    t = Tracker(SpyStore(), clock=Clock())
    t.add_speaker("Donald Trump", id="trump")
    t.add_speaker("Sergey Lavrov", id="lavrov")
    t.add_claim(
        "trump",
        "Ukraine will be involved.",
        id="c",
        stated_on="2025-02-18",
        kind="assurance",
        topics={"ukraine"},
    )
    return t


def state(tracker: Tracker) -> dict[str, Any]:
    """Everything observable about a tracker (and its store and indexes), as plain values."""
    snap: dict[str, Any] = {
        "records": list(tracker.records()),
        "store": list(tracker.store.load()),
        "len": len(tracker),
        "repr": repr(tracker),
    }
    for name, value in vars(tracker).items():
        if isinstance(value, dict):
            snap[name] = {k: tuple(v) if isinstance(v, list) else v for k, v in value.items()}
    return snap


# Generating a ledger takes some 300 draws: cap these properties at 100 examples.
LEDGER_EXAMPLES = settings(max_examples=min(100, settings().max_examples))


def fixed_tracker() -> Tracker:
    """A tracker whose clock always says T0."""
    return Tracker(clock=lambda: T0)


def indexed(tracker: Tracker) -> dict[str, Any]:
    """What the indexes of *tracker* give, comparable across trackers."""
    claims = tracker.claims(include_retracted=True)
    return {
        "records": list(tracker.records()),
        "claims": claims,
        "by speaker": {s.id: tracker.claims(speaker=s, include_retracted=True)
                       for s in tracker.speakers()},
        "evidence": {c.id: tracker.evidence(c) for c in claims},
        "rulings": {c.id: tracker.rulings(c) for c in claims},
        "retractions": {r.id: tracker.retractions(r) for r in tracker.records()},
        "assessments": tracker.assess_all(),
    }  # fmt: skip


class TestAdd:
    def test_add_speaker(self, tracker: Tracker) -> None:
        """add_speaker stores a speaker with roles, stamped by the clock."""
        s = tracker.add_speaker(
            "Volodymyr Zelenskyy",
            roles=[Role("President of Ukraine", start="2019-05-20")],
            same_as=["https://www.wikidata.org/wiki/Q3881"],
        )
        assert (
            "volodymyr-zelenskyy",
            "President of Ukraine",
            T0 + dt.timedelta(seconds=3),
        ) == (s.id, s.role_on("2025").title, s.recorded_at)
        assert s == tracker.speaker("volodymyr-zelenskyy")

    def test_add_claim(self, tracker: Tracker) -> None:
        """add_claim converts its arguments and stores the claim."""
        src = Source(title="Riyadh talks", publisher="JadeTimes")
        c = tracker.add_claim(
            "lavrov",
            "The talks will focus on relations.",
            stated_on="18 February 2025",
            kind="PREDICTION",
            due=ct.within(months=3),
            topics=["Russia"],
            confidence=0.7,
            source=src,
            quote="focus",
        )
        assert (
            "lavrov",
            ct.ClaimKind.PREDICTION,
            ct.PartialDate.day(2025, 5, 18),
            frozenset({"russia"}),
            src,
        ) == (c.speaker_id, c.kind, c.due, c.topics, c.source)
        assert c is tracker.claim(c.id)

    def test_add_evidence(self, tracker: Tracker) -> None:
        """add_evidence stores evidence on the claim, in order."""
        e1 = tracker.add_evidence("c", "Not invited.", stance="refutes", observed_on="2025-02-18")
        e2 = tracker.add_evidence(
            "c",
            "Met in Jeddah.",
            stance=ct.Stance.SUPPORTS,
            strength="strong",
            observed_on="2025-03",
        )
        assert (("c-e1", "c-e2"), (e1, e2)) == ((e1.id, e2.id), tracker.evidence("c"))

    def test_rule(self, tracker: Tracker) -> None:
        """rule stores a ruling on the claim."""
        r = tracker.rule("c", "held", on="2025-03-11", rationale="Jeddah", by="desk")
        assert (("c-r1",), (r,)) == ((r.id,), tracker.rulings("c"))

    def test_retract(self, tracker: Tracker) -> None:
        """retract stores a retraction; the target stays and is marked withdrawn."""
        e = tracker.add_evidence("c", "Misreported.", stance="supports", observed_on="2025-02-20")
        x = tracker.retract(e, reason="misreported")
        assert ("c-e1-x1", "c-e1", (e,), (x,), True) == (
            x.id,
            x.target_id,
            tracker.evidence("c"),
            tracker.retractions(e),
            tracker.is_retracted(e),
        )

    def test_add_and_add_many_keep_recorded_at(self, tracker: Tracker) -> None:
        """add() keeps a given recorded_at and stamps a missing one."""
        when = dt.datetime(2025, 2, 18, tzinfo=UTC)
        a = tracker.add(Speaker("a", "A", recorded_at=when))
        b = tracker.add(Speaker("b", "B"))
        assert (when, T0 + dt.timedelta(seconds=3)) == (a.recorded_at, b.recorded_at)

    def test_add_many_one_stamp(self) -> None:
        """Records without a stamp in one add_many call share one clock reading."""
        t = Tracker(clock=Clock())
        stored = t.add_many([Speaker("a", "A"), Speaker("b", "B")])
        assert [T0, T0] == [r.recorded_at for r in stored]

    def test_recorded_at_argument(self, tracker: Tracker) -> None:
        """Every add_* takes recorded_at for imports."""
        when = dt.datetime(2025, 3, 1, tzinfo=UTC)
        assert (
            when
            == tracker.add_evidence(
                "c", "x", stance="supports", observed_on="2025", recorded_at=when
            ).recorded_at
        )

    def test_naive_clock_read_as_utc(self) -> None:
        """A clock returning naive datetimes is read as UTC."""
        t = Tracker(clock=lambda: dt.datetime(2025, 1, 1, 9))
        assert dt.datetime(2025, 1, 1, 9, tzinfo=UTC) == t.add_speaker("A").recorded_at

    def test_clock_must_return_datetime(self) -> None:
        """A clock returning something else is an InvalidRecordError; nothing is added."""
        t = Tracker(clock=lambda: "now")  # type: ignore[arg-type,return-value]
        with pytest.raises(InvalidRecordError, match="clock"):
            t.add_speaker("A")
        assert 0 == len(t)

    def test_default_clock_is_aware_utc(self) -> None:
        """Without a clock, recorded_at is now, in UTC."""
        before = dt.datetime.now(UTC)
        stamp = Tracker().add_speaker("A").recorded_at
        assert stamp is not None
        assert (UTC, True) == (stamp.tzinfo, before <= stamp)


class TestRecordOrId:
    def test_every_record_argument_takes_the_record_or_its_id(self, tracker: Tracker) -> None:
        """Each argument that takes a record gives the same result with its id."""
        trump, c = tracker.speaker("trump"), tracker.claim("c")
        e = tracker.add_evidence(c, "x", stance="supports", observed_on="2025", id="e")
        tracker.rule(c, "held", on="2025", id="r")
        x = tracker.retract(e, reason="r", id="x")
        pairs: list[tuple[Callable[[Any], Any], Any, str]] = [
            (lambda v: tracker.claims(speaker=v), trump, "trump"),
            (tracker.evidence, c, "c"),
            (tracker.rulings, c, "c"),
            (tracker.retractions, e, "e"),
            (tracker.is_retracted, e, "e"),
            (tracker.is_retracted, x, "x"),
        ]
        for call, record, record_id in pairs:
            assert call(record) == call(record_id)

    def test_add_with_record_and_id(self) -> None:
        """add_claim, add_evidence, rule and retract accept the record or its id alike."""
        results = []
        for by_id in (False, True):
            t = Tracker(clock=Clock(step=0))
            s = t.add_speaker("Donald Trump")
            c = t.add_claim(s.id if by_id else s, "Text.", stated_on="2025")
            e = t.add_evidence(c.id if by_id else c, "E.", stance="mixed", observed_on="2025")
            t.rule(c.id if by_id else c, "failed", on="2025")
            t.retract(e.id if by_id else e, reason="wrong")
            results.append(list(t.records()))
        assert results[0] == results[1]

    @pytest.mark.parametrize(
        "call",
        [
            lambda t: t.add_claim(5, "x", stated_on="2025"),
            lambda t: t.add_evidence(None, "x", stance="supports", observed_on="2025"),
            lambda t: t.rule(3.0, "held", on="2025"),
            lambda t: t.retract(["c"], reason="r"),
            lambda t: t.claims(speaker=5),
            lambda t: t.evidence(object()),
            lambda t: t.retractions(5),
            lambda t: t.is_retracted(5),
        ],
    )
    def test_wrong_type(self, tracker: Tracker, call: Callable[[Tracker], Any]) -> None:
        """Something that is neither a record nor an id is an InvalidRecordError."""
        with pytest.raises(InvalidRecordError, match="must be a"):
            call(tracker)


class TestIds:
    def test_auto_ids_unique(self) -> None:
        """The same name twice gets two ids; evidence ids count up per claim."""
        t = Tracker()
        a, b = t.add_speaker("Donald Trump"), t.add_speaker("Donald Trump")
        assert ("donald-trump", "donald-trump-2") == (a.id, b.id)

    def test_auto_ids_deterministic(self) -> None:
        """The same calls on two trackers give the same ids."""

        def build() -> list[str]:
            t = Tracker()
            s = t.add_speaker("Ли Сяо 李")
            c = t.add_claim(s, "Ceasefire by Easter!", stated_on="2025")
            t.add_claim(s, "Ceasefire by Easter!", stated_on="2025")
            t.add_evidence(c, "x", stance="refutes", observed_on="2025")
            t.rule(c, "failed", on="2025")
            return [r.id for r in t.records()]

        first = build()
        assert first == build()
        assert len(first) == len(set(first))

    def test_auto_id_skips_a_taken_id(self, tracker: Tracker) -> None:
        """An auto id never collides with an id given explicitly earlier."""
        tracker.add_speaker("Someone", id="c-e1")
        e = tracker.add_evidence("c", "x", stance="supports", observed_on="2025")
        assert "c-e1-2" == e.id

    def test_auto_id_from_longest_id_fits(self) -> None:
        """Evidence on a claim with a 200-character id still gets a valid id."""
        t = Tracker()
        t.add_speaker("A", id="a")
        t.add_claim("a", "x", stated_on="2025", id="c" * 200)
        ids = [
            t.add_evidence("c" * 200, "x", stance="supports", observed_on="2025").id
            for _ in range(2)
        ]
        assert [200, 200] == [len(i) for i in ids]
        assert ids[0] != ids[1]

    def test_unsluggable_name(self) -> None:
        """A name with no ASCII letters gets a generic id."""
        assert "speaker" == Tracker().add_speaker("李").id

    def test_bad_explicit_id(self, tracker: Tracker) -> None:
        """An explicit id is checked."""
        with pytest.raises(InvalidRecordError, match="id"):
            tracker.add_speaker("A", id=" a")

    @pytest.mark.parametrize("taken", ["trump", "c"])
    def test_duplicate_ids_share_one_namespace(self, tracker: Tracker, taken: str) -> None:
        """An id taken by any kind of record cannot be reused by any other kind."""
        calls = [
            lambda: tracker.add_speaker("X", id=taken),
            lambda: tracker.add_claim("trump", "x", stated_on="2025", id=taken),
            lambda: tracker.add_evidence("c", "x", stance="supports", observed_on="2025", id=taken),
            lambda: tracker.rule("c", "held", on="2025", id=taken),
            lambda: tracker.retract("c", reason="r", id=taken),
        ]
        kind = tracker.get(taken).__class__.__name__.lower()
        for call in calls:
            with pytest.raises(DuplicateRecordError, match=f"by a {kind}") as info:
                call()
            assert taken == info.value.record_id


class TestReferences:
    @pytest.mark.parametrize(
        ("call", "kind"),
        [
            (lambda t: t.add_claim("nobody", "x", stated_on="2025"), "speaker"),
            (lambda t: t.add_claim("c", "x", stated_on="2025"), "speaker"),
            (lambda t: t.add_evidence("nope", "x", stance="supports", observed_on="2025"), "claim"),
            (
                lambda t: t.add_evidence("trump", "x", stance="supports", observed_on="2025"),
                "claim",
            ),
            (lambda t: t.rule("nope", "held", on="2025"), "claim"),
            (lambda t: t.retract("nope", reason="r"), "record"),
            (lambda t: t.speaker("c"), "speaker"),
            (lambda t: t.claim("trump"), "claim"),
            (lambda t: t.get("nope"), "record"),
            (lambda t: t.evidence("nope"), "claim"),
            (lambda t: t.rulings("nope"), "claim"),
            (lambda t: t.retractions("nope"), "record"),
            (lambda t: t.is_retracted("nope"), "record"),
            (lambda t: t.claims(speaker="nobody"), "speaker"),
        ],
    )
    def test_unknown_ids(self, tracker: Tracker, call: Callable[[Tracker], Any], kind: str) -> None:
        """An id that is not there (or is of another kind) is an UnknownRecordError."""
        with pytest.raises(UnknownRecordError, match=f"no {kind} with id"):
            call(tracker)

    def test_unknown_is_a_key_error(self, tracker: Tracker) -> None:
        """Lookups fail like a mapping's."""
        with pytest.raises(KeyError):
            tracker.get("nope")

    def test_record_not_in_tracker(self, tracker: Tracker) -> None:
        """A record object whose id is not stored is unknown."""
        with pytest.raises(UnknownRecordError):
            tracker.add_claim(Speaker("ghost", "Ghost"), "x", stated_on="2025")

    @pytest.mark.parametrize(
        ("record", "kind"),
        [
            (Claim("c2", "nobody", "x", stated_on="2025"), "speaker"),
            (Evidence("e2", "nope", "x", stance="supports", observed_on="2025"), "claim"),
            (Ruling("r2", "trump", "held", on="2025"), "claim"),
            (Retraction("x2", "nope", reason="r"), "record"),
        ],
    )
    def test_add_checks_references(self, tracker: Tracker, record: Record, kind: str) -> None:
        """Records added by hand have their references checked too."""
        with pytest.raises(UnknownRecordError, match=kind):
            tracker.add(record)

    def test_cannot_retract_a_speaker(self, tracker: Tracker) -> None:
        """Speakers are never retracted."""
        with pytest.raises(InvalidRecordError, match="speakers cannot be retracted") as info:
            tracker.retract("trump", reason="r")
        assert ("target_id", "trump") == (info.value.field, info.value.value)

    def test_retraction_not_before_target(self, tracker: Tracker) -> None:
        """A retraction's recorded_at may not be before its target's."""
        early = T0 - dt.timedelta(days=1)
        with pytest.raises(InvalidRecordError, match="before the retracted") as info:
            tracker.retract("c", reason="r", recorded_at=early)
        assert ("recorded_at", early) == (info.value.field, info.value.value)

    def test_retraction_at_same_time_allowed(self) -> None:
        """A retraction stamped at the same instant as its target is fine."""
        t = Tracker(clock=Clock(step=0))
        t.add_speaker("A", id="a")
        t.add_claim("a", "x", stated_on="2025", id="c")
        assert T0 == t.retract("c", reason="r").recorded_at

    def test_add_rejects_non_records(self, tracker: Tracker) -> None:
        """add() refuses anything but a record."""
        with pytest.raises(InvalidRecordError, match="not a claimtrack record"):
            tracker.add(Source(title="T"))  # type: ignore[type-var]


class TestAddMany:
    def test_references_within_the_batch(self) -> None:
        """Records may refer to earlier records of the same call."""
        t = Tracker()
        stored = t.add_many(
            [
                Speaker("a", "A"),
                Claim("c", "a", "x", stated_on="2025"),
                Evidence("e", "c", "y", stance="supports", observed_on="2025"),
                Retraction("x", "e", reason="r"),
            ]
        )
        assert (["a", "c", "e", "x"], True) == ([r.id for r in stored], t.is_retracted("e"))

    @pytest.mark.parametrize(
        "bad",
        [
            Claim("c9", "nobody", "x", stated_on="2025"),
            Speaker("a", "Duplicate in the batch"),
            Speaker("trump", "Duplicate in the tracker"),
            Retraction("x9", "a", reason="speakers cannot be retracted"),
            Evidence("e9", "c1", "forward reference", stance="supports", observed_on="2025"),
            "not a record",
        ],
    )
    def test_all_or_nothing(self, tracker: Tracker, bad: Any) -> None:
        """One bad record among many: the call raises and nothing is added."""
        before = state(tracker)
        batch = [
            Speaker("a", "A"),
            Evidence("e1", "c", "x", stance="supports", observed_on="2025"),
            bad,
            Claim("c1", "a", "x", stated_on="2025"),
        ]
        with pytest.raises(ClaimtrackError):
            tracker.add_many(batch)
        assert before == state(tracker)

    @pytest.mark.parametrize(
        ("bad", "error"),
        [
            ("e1", DuplicateRecordError),  # an id earlier in the batch
            ("c", DuplicateRecordError),  # an id in the tracker
            ("on-speaker", UnknownRecordError),
            ("on-nothing", UnknownRecordError),
        ],
    )
    def test_stamped_evidence_is_checked(
        self, tracker: Tracker, bad: str, error: type[Exception]
    ) -> None:
        """Evidence with recorded_at set is refused as evidence without it is."""
        claim_id = {"on-speaker": "trump", "on-nothing": "nope"}.get(bad, "c")
        unstamped = Evidence(bad, claim_id, "x", stance="supports", observed_on="2025")
        first = Evidence("e1", "c", "x", stance="supports", observed_on="2025", recorded_at=T0)
        before = state(tracker)
        with pytest.raises(error) as stamped:
            tracker.add_many([first, attrs.evolve(unstamped, recorded_at=T0)])
        assert before == state(tracker)
        with pytest.raises(error) as general:
            tracker.add_many([first, unstamped])
        assert str(general.value) == str(stamped.value)

    @given(ledgers(), st.data())
    @LEDGER_EXAMPLES
    def test_a_bulk_append_indexes_as_appends_one_by_one(
        self, records: list[Record], data: st.DataObject
    ) -> None:
        """add_many of a large batch indexes every record as adding them one by one does.

        Some pieces of evidence come unstamped, so that both ways of checking evidence
        (and the grouping of evidence by claim) are used.
        """
        retracted = {r.target_id for r in records if isinstance(r, Retraction)}
        records = [  # (a retraction may not be stamped before what it retracts)
            attrs.evolve(r, recorded_at=None)
            if isinstance(r, Evidence) and r.id not in retracted and data.draw(st.booleans())
            else r
            for r in records
        ]
        one_by_one, bulk = fixed_tracker(), fixed_tracker()
        split = data.draw(st.integers(0, len(records)))
        for record in records:
            one_by_one.add(record)
        for record in records[:split]:
            bulk.add(record)
        with mock.patch.object(_appending, "_REBUILD_AT", 0):
            bulk.add_many(records[split:])
        assert indexed(one_by_one) == indexed(bulk)

    def test_a_large_append_leaves_the_garbage_collector_alone(self) -> None:
        """A large add_many neither freezes nor pauses the cyclic garbage collector."""
        t = fixed_tracker()
        t.add_speaker("Donald Trump", id="trump")
        t.add_claim("trump", "Talks.", id="c", stated_on="2025-02-18")
        with mock.patch("gc.freeze") as freeze, mock.patch("gc.disable") as disable:
            t.add_many(Evidence(f"x{i}", "c", "Seen.", stance="refutes", observed_on="2025")
                       for i in range(300))  # fmt: skip
            t.assess_all()
        assert (0, 0) == (freeze.call_count, disable.call_count)

    def test_store_failure_changes_nothing(self, tracker: Tracker) -> None:
        """If the store refuses, the tracker's indexes are untouched."""
        before = state(tracker)
        assert isinstance(tracker.store, SpyStore)
        tracker.store.fail = True
        with pytest.raises(OSError, match="disk full"):
            tracker.add_many([Speaker("a", "A"), Claim("c1", "a", "x", stated_on="2025")])
        assert before == state(tracker)


def brute_claims(
    records: Sequence[Record],
    tracker: Tracker,
    speaker: str | None,
    topic: str | None,
    kind: ct.ClaimKind | None,
    include_retracted: bool,
) -> tuple[Claim, ...]:
    """claims() by scanning every record."""
    return tuple(
        r
        for r in tracker.records()
        if isinstance(r, Claim)
        and (speaker is None or r.speaker_id == speaker)
        and (topic is None or topic in r.topics)
        and (kind is None or r.kind is kind)
        and (include_retracted or not tracker.is_retracted(r))
    )


class TestQueries:
    @LEDGER_EXAMPLES
    @given(ledgers(), st.data())
    def test_claims_match_brute_force(self, records: list[Record], data: st.DataObject) -> None:
        """claims() with any combination of filters equals a filter over every record."""
        t = Tracker()
        t.add_many(records)
        speaker = data.draw(st.none() | st.sampled_from([s.id for s in t.speakers()]))
        topic = data.draw(st.none() | st.sampled_from(["ukraine", "nato", "absent"]))
        kind = data.draw(st.none() | st.sampled_from(ct.ClaimKind))
        include = data.draw(st.booleans())
        expected = brute_claims(records, t, speaker, topic, kind, include)
        assert expected == t.claims(speaker, topic=topic, kind=kind, include_retracted=include)

    @LEDGER_EXAMPLES
    @given(ledgers())
    def test_evidence_and_speakers_match_brute_force(self, records: list[Record]) -> None:
        """evidence(), rulings() and speakers() list exactly the matching records, in order."""
        t = Tracker()
        t.add_many(records)
        assert tuple(r for r in records if isinstance(r, Speaker)) == t.speakers()
        for c in t.claims(include_retracted=True):
            assert tuple(
                r for r in records if isinstance(r, Evidence) and r.claim_id == c.id
            ) == t.evidence(c)
            assert tuple(
                r for r in records if isinstance(r, Ruling) and r.claim_id == c.id
            ) == t.rulings(c)

    def test_topic_and_kind_strings(self, tracker: Tracker) -> None:
        """topic is case-insensitive and kind takes a string."""
        c = tracker.claim("c")
        assert ((c,), (c,), ()) == (
            tracker.claims(topic=" UKRAINE "),
            tracker.claims(kind="Assurance"),
            tracker.claims(speaker="lavrov"),
        )

    def test_bad_kind_and_topic(self, tracker: Tracker) -> None:
        """An unknown kind lists the kinds; a non-string topic is refused."""
        with pytest.raises(InvalidRecordError, match="allowed"):
            tracker.claims(kind="boast")
        with pytest.raises(InvalidRecordError, match="topic"):
            tracker.claims(topic=5)  # type: ignore[arg-type]

    def test_retracted_claims_hidden_by_default(self, tracker: Tracker) -> None:
        """A retracted claim is left out unless asked for."""
        tracker.retract("c", reason="misattributed")
        c = tracker.claim("c")
        assert ((), (c,)) == (tracker.claims(), tracker.claims(include_retracted=True))


class TestRetractions:
    def test_chain(self, tracker: Tracker) -> None:
        """Retracting a retraction restores the target; retracting that withdraws it again."""
        x1 = tracker.retract("c", reason="wrong speaker")
        seen = [tracker.is_retracted("c")]
        x2 = tracker.retract(x1, reason="it was right")
        seen.append(tracker.is_retracted("c"))
        tracker.retract(x2, reason="it was wrong after all")
        seen.append(tracker.is_retracted("c"))
        assert [True, False, True] == seen

    @pytest.mark.parametrize("length", [4_999, 5_000])
    def test_a_long_chain_is_no_recursion_error(self, tracker: Tracker, length: int) -> None:
        """Thousands of retractions of retractions: an odd number withdraws the record."""
        chain = [Retraction("x0", "c", reason="r")]
        chain += [Retraction(f"x{i}", f"x{i - 1}", reason="r") for i in range(1, length)]
        tracker.add_many(chain)
        assert (length % 2 == 1, False) == (
            tracker.is_retracted("c"),
            tracker.is_retracted(f"x{length - 1}"),
        )
        assert (length % 2 == 1) == (tracker.claim("c") not in tracker.claims())

    @given(st.lists(st.integers(0, 30), max_size=40))
    def test_withdrawn_is_the_rule_of_the_tree(self, parents: list[int]) -> None:
        """Any tree of retractions: withdrawn when some counted retraction is not."""
        t = Tracker(clock=lambda: T0)
        t.add_speaker("A", id="a")
        t.add_claim("a", "Said.", id="c", stated_on="2025")
        retracts: dict[str, str] = {}  # each retraction's target
        ids = ["c"]
        for n, parent in enumerate(parents):
            target = ids[parent % len(ids)]
            ids.append(t.retract(target, reason="r", id=f"x{n}").id)
            retracts[ids[-1]] = target

        def withdrawn(record_id: str) -> bool:  # the rule, as written, recursively
            return any(not withdrawn(r) for r, target in retracts.items() if target == record_id)

        assert [withdrawn(i) for i in ids] == [t.is_retracted(i) for i in ids]

    def test_two_retractions_one_withdrawn(self, tracker: Tracker) -> None:
        """A record with two retractions stays withdrawn if only one is retracted."""
        x1 = tracker.retract("c", reason="a")
        tracker.retract("c", reason="b")
        tracker.retract(x1, reason="not a")
        assert tracker.is_retracted("c")

    def test_known_at(self, tracker: Tracker) -> None:
        """known_at sees only retractions recorded by then (datetimes or date inputs)."""
        # fixture records are at T0 .. T0+2s; these at T0+3s and T0+4s
        x1 = tracker.retract("c", reason="a")
        tracker.retract(x1, reason="undo")
        at = T0 + dt.timedelta(seconds=3)
        assert [False, True, True, False, False, False] == [
            tracker.is_retracted("c", known_at=at - dt.timedelta(microseconds=1)),
            tracker.is_retracted("c", known_at=at),
            tracker.is_retracted("c", known_at=at.replace(tzinfo=None)),  # naive: UTC
            tracker.is_retracted("c", known_at=at + dt.timedelta(seconds=1)),
            tracker.is_retracted("c", known_at="2025-11-23"),  # end of that day
            tracker.is_retracted("c"),
        ]

    def test_known_at_before_any_retraction(self, tracker: Tracker) -> None:
        """Before the retraction was recorded the record stood."""
        tracker.retract("c", reason="a")
        assert not tracker.is_retracted("c", known_at="2025-11-22")

    def test_bad_known_at(self, tracker: Tracker) -> None:
        """known_at must be a date or time."""
        with pytest.raises(InvalidRecordError, match="known_at"):
            tracker.is_retracted("c", known_at="whenever")

    def test_unretracted(self, tracker: Tracker) -> None:
        """A record without retractions is not retracted."""
        assert (False, ()) == (tracker.is_retracted("trump"), tracker.retractions("trump"))


class TestContainer:
    def test_records_order_len_contains(self, tracker: Tracker) -> None:
        """records() is in append order; len counts all; `in` takes a record or an id."""
        e = tracker.add_evidence("c", "x", stance="supports", observed_on="2025")
        assert (["trump", "lavrov", "c", e.id], 4) == (
            [r.id for r in tracker.records()],
            len(tracker),
        )
        assert (True, True, False, False, False) == (
            "c" in tracker,
            e in tracker,
            "nope" in tracker,
            Speaker("trump", "Someone else") in tracker,
            5 in tracker,
        )

    def test_records_is_a_snapshot(self, tracker: Tracker) -> None:
        """Adding while iterating records() does not break the iteration."""
        seen = []
        for record in tracker.records():
            seen.append(record.id)
            if record.id == "trump":
                tracker.add_speaker("Late", id="late")
        assert ["trump", "lavrov", "c"] == seen

    def test_repr(self, tracker: Tracker) -> None:
        """repr counts the records and names the store."""
        tracker.add_evidence("c", "x", stance="supports", observed_on="2025")
        assert "<Tracker 2 speakers, 1 claims, 1 evidence, SpyStore>" == repr(tracker)

    def test_context_manager_closes_store(self) -> None:
        """Leaving a with block closes the store, also on error."""
        store = SpyStore()
        with Tracker(store) as t:
            assert t.store is store
        assert store.closed
        store = SpyStore()

        def fail_inside() -> None:
            with Tracker(store):
                raise RuntimeError

        with pytest.raises(RuntimeError):
            fail_inside()
        assert store.closed

    def test_loads_records_from_store(self, tracker: Tracker) -> None:
        """A tracker over a store that holds records indexes them."""
        again = Tracker(tracker.store)
        assert (list(tracker.records()), tracker.claims(topic="ukraine")) == (
            list(again.records()),
            again.claims(topic="ukraine"),
        )


# -- a failing call never changes the tracker ------------------------------------------

_POISON = st.sampled_from(["", "   ", "a\ud800", "a\x00b", "\ud8ff", "\udc00x"])
_BAD_DATES = st.sampled_from(["March 3", "Biden may sign it", "", "9" * 30, "2025-02-30", 2025])
_BAD_UNIT = st.sampled_from([-0.5, 1.5, float("nan"), float("inf"), True, "0.5", 10**400])


def _failing_calls(t: Tracker, data: st.DataObject) -> Callable[[], Any]:
    """Draw a call on *t* that must fail."""
    speaker_ids = [s.id for s in t.speakers()]
    claim_ids = [c.id for c in t.claims(include_retracted=True)]
    retractable = [r.id for r in t.records() if not isinstance(r, Speaker)]
    taken = st.sampled_from([r.id for r in t.records()])
    unknown = st.text("abcxyz-", min_size=1, max_size=8).filter(lambda s: s not in t)
    who = st.sampled_from(speaker_ids)
    draw = data.draw
    options: list[Callable[[], Callable[[], Any]]] = [
        lambda: lambda: t.add_speaker(draw(_POISON)),
        lambda: lambda: t.add_speaker("ok", id=draw(taken)),
        lambda: lambda: t.add_speaker("ok", id=draw(_POISON)),
        lambda: lambda: t.add_speaker("ok", roles=draw(st.sampled_from([5, "x", [None]]))),
        lambda: lambda: t.add_claim(draw(unknown), "ok", stated_on="2025"),
        lambda: lambda: t.add_claim(draw(who), draw(_POISON), stated_on="2025"),
        lambda: lambda: t.add_claim(draw(who), "ok", stated_on=draw(_BAD_DATES)),
        lambda: lambda: t.add_claim(draw(who), "ok", stated_on="2025", confidence=draw(_BAD_UNIT)),
        lambda: lambda: t.add_claim(draw(who), "ok", stated_on="2025-06", due="2025-05-31"),
        lambda: lambda: t.add_claim(draw(who), "ok", stated_on="2025", kind="boast"),
        lambda: lambda: t.add_claim(draw(who), "ok", stated_on="2025", id=draw(taken)),
        lambda: lambda: t.add_claim(draw(who), "ok", stated_on="2025", topics=[draw(_POISON)]),
        lambda: (
            lambda: t.add_claim(
                draw(who),
                "ok",
                stated_on="2025",
                source=Source(title="T", reliability=draw(_BAD_UNIT)),
            )
        ),
        lambda: lambda: t.add_evidence(draw(unknown), "ok", stance="supports", observed_on="2025"),
        lambda: lambda: t.rule(draw(unknown), "held", on="2025"),
        lambda: lambda: t.retract(draw(unknown), reason="r"),
        lambda: lambda: t.retract(draw(who), reason="r"),
        lambda: lambda: t.add_many([Speaker("fresh-one", "F"), Speaker(draw(taken), "dup")]),
        lambda: (
            lambda: t.add_many(
                [Speaker("fresh-one", "F"), Claim("fresh-c", draw(unknown), "x", stated_on="2025")]
            )
        ),
    ]
    if claim_ids:
        on_claim = st.sampled_from(claim_ids)
        options += [
            lambda: (
                lambda: t.add_evidence(
                    draw(on_claim),
                    "ok",
                    stance=draw(st.sampled_from(["agrees", None, 1])),
                    observed_on="2025",
                )
            ),
            lambda: (
                lambda: t.add_evidence(
                    draw(on_claim), draw(_POISON), stance="supports", observed_on="2025"
                )
            ),
            lambda: (
                lambda: t.add_evidence(
                    draw(on_claim), "ok", stance="refutes", observed_on=draw(_BAD_DATES)
                )
            ),
            lambda: (
                lambda: t.add_evidence(
                    draw(on_claim), "ok", stance="refutes", observed_on="2025", id=draw(taken)
                )
            ),
            lambda: (
                lambda: t.rule(
                    draw(on_claim), draw(st.sampled_from(["pending", "true"])), on="2025"
                )
            ),
            lambda: lambda: t.rule(draw(on_claim), "held", on="2025", rationale=draw(_POISON)),
        ]
    if retractable:
        target = st.sampled_from(retractable)
        options += [
            lambda: lambda: t.retract(draw(target), reason=draw(_POISON)),
            lambda: (
                lambda: t.retract(
                    draw(target), reason="r", recorded_at=dt.datetime(1999, 1, 1, tzinfo=UTC)
                )
            ),
            lambda: lambda: t.retract(draw(target), reason="r", id=draw(taken)),
        ]
    return data.draw(st.sampled_from(options))()


class TestFailingCallsChangeNothing:
    @given(ledgers(max_claims=4, max_evidence=4), st.data())
    def test_failing_add_leaves_tracker_as_it_was(
        self, records: list[Record], data: st.DataObject
    ) -> None:
        """Any add_* that raises leaves records, store and indexes exactly as they were."""
        t = Tracker(clock=lambda: dt.datetime(2100, 1, 1, tzinfo=UTC))
        t.add_many(records)
        before = state(t)
        call = _failing_calls(t, data)
        with pytest.raises(ClaimtrackError):
            call()
        assert before == state(t)
        # and the next auto id is the one a fresh tracker with the same records gives
        fresh = Tracker(clock=lambda: dt.datetime(2100, 1, 1, tzinfo=UTC))
        fresh.add_many(records)
        assert fresh.add_speaker("Next One") == t.add_speaker("Next One")


def _gc_state() -> tuple[bool, int]:
    import gc

    return gc.isenabled(), gc.get_freeze_count()


def _a_ledger(tracker: Tracker) -> None:
    tracker.add_speaker("Donald Trump", id="trump", roles=[Role("President", start="2025")])
    tracker.add_claim("trump", "Talks.", id="c", stated_on="2025-02-18", topics={"peace"})
    tracker.add_many(
        Evidence(f"e{i}", "c", "Seen.", stance="supports", observed_on="2025-03-01")
        for i in range(300)
    )
    tracker.rule("c", "held", on="2025-04-01")
    tracker.retract("e1", reason="misreported")


class TestNoProcessWideState:
    @pytest.mark.parametrize("suffix", [None, ".db", ".jsonl"])
    def test_every_public_call_leaves_the_collector_as_it_was(
        self, tmp_path: Any, suffix: str | None
    ) -> None:
        """Each public call, and a half-consumed iterator, leave gc as they found it."""
        import gc

        before = _gc_state()
        tracker = fixed_tracker() if suffix is None else ct.open(tmp_path / f"x{suffix}")
        _a_ledger(tracker)
        calls: list[Callable[[], object]] = [
            lambda: tracker.assess("c"),
            lambda: tracker.assess("c", as_of="2025-03", known_at=T0),
            lambda: tracker.history("c"),
            tracker.assess_all,
            lambda: tracker.track_record("trump", role="President"),
            lambda: tracker.leaderboard(min_resolved=0),
            lambda: tracker.claims(topic="peace", verdict="held"),
            lambda: tracker.search("seen"),
            tracker.refresh,
            lambda: len(tracker),
        ]
        for call in calls:
            call()
            assert before == _gc_state()
        records = tracker.records()
        next(records)  # half-consumed
        assert before == _gc_state()
        del records
        gc.disable()
        try:
            tracker.assess_all()
            assert (False, before[1]) == _gc_state()  # left off, as the host wanted
        finally:
            gc.enable()
        tracker.close()
        assert before == _gc_state()

    def test_no_module_touches_the_collector(self) -> None:
        """No module of the package calls gc.disable, gc.freeze or gc.enable."""
        import pathlib
        import re

        root = pathlib.Path(ct.__file__).parent
        calls = re.compile(r"(?<![`\w.])gc\.(disable|enable|freeze|unfreeze)\(")  # not in ``docs``
        found = [
            str(path.relative_to(root))
            for path in root.rglob("*.py")
            if calls.search(path.read_text(encoding="utf-8"))
        ]
        assert [] == found


class TestRetractionCycles:
    def test_a_retraction_of_itself_is_refused(self) -> None:
        """A retraction whose target is its own id is an InvalidRecordError naming it."""
        t = fixed_tracker()
        _a_ledger(t)
        before = list(t.records())
        with pytest.raises(InvalidRecordError, match="'x1' cannot retract itself"):
            t.add(Retraction("x1", "x1", reason="loop"))
        assert before == list(t.records())

    def test_a_cycle_in_one_call_is_refused_naming_it(self) -> None:
        """x1 retracts x2 retracts x1 in one add_many: refused, naming the cycle."""
        t = fixed_tracker()
        _a_ledger(t)
        before = list(t.records())
        with pytest.raises(InvalidRecordError, match="cycle of retractions: 'x1' → 'x2' → 'x1'"):
            t.add_many([Retraction("x1", "x2", reason="a"), Retraction("x2", "x1", reason="b")])
        assert before == list(t.records())

    def test_a_long_chain_is_linear(self) -> None:
        """A chain of retractions of retractions, added at once, is read back in O(n)."""
        t = fixed_tracker()
        _a_ledger(t)
        chain = [Retraction("r0", "e2", reason="x")]
        chain += [Retraction(f"r{i}", f"r{i - 1}", reason="x") for i in range(1, 5000)]
        t.add_many(chain)
        # 5000 links: the last stands, so r4998 is withdrawn, r4997 stands ... e2 stands
        assert (True, False) == (t.is_retracted("r4998"), t.is_retracted("e2"))
        assert 5001 == len(t.store.retractions_of("e2")) + 1


class TestFarFuture:
    def test_history_of_a_claim_due_on_the_last_day(self) -> None:
        """A claim due 9999-12-31 has a history (the day after cannot be a date)."""
        t = fixed_tracker()
        t.add_speaker("Donald Trump", id="trump")
        t.add_claim("trump", "Forever.", id="c", stated_on="2025-02-18", due="9999-12-31")
        t.add_evidence("c", "Seen.", stance="supports", observed_on="2025-03-01")
        history = t.history("c")
        assert (3, t.assess("c")) == (len(history), history[-1])


class SharedStore(MemoryStore):
    """A memory store another writer appends to (``other``); read_new hands that out."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived: list[Record] = []

    def other(self, records: Sequence[Record]) -> None:
        super().append(records)
        self.arrived.extend(records)

    def read_new(self) -> Any:
        arrived, self.arrived = self.arrived, []
        return iter(arrived)

    def append(self, records: Sequence[Record]) -> Sequence[Record]:
        super().append(records)
        arrived, self.arrived = self.arrived, []
        return arrived


class TestAutomaticIds:
    def test_an_id_taken_by_another_writer_is_not_the_callers_error(self) -> None:
        """If another writer takes the id the tracker made, it reads and makes the next."""
        store = SharedStore()
        t = Tracker(store, clock=Clock())
        t.add_speaker("Donald Trump", id="trump")
        t.add_claim("trump", "Talks.", id="c", stated_on="2025-02-18")
        t.assess("c")  # the claim's state is cached
        real_append = store.append
        calls = []

        def racing(records: Sequence[Record]) -> Sequence[Record]:
            if not calls:  # another writer takes c-e1 just before our first append
                calls.append(1)
                store.other([Evidence("c-e1", "c", "Theirs.", stance="refutes",
                                      observed_on="2025", recorded_at=T0)])  # fmt: skip
            return real_append(records)

        with mock.patch.object(store, "append", racing):
            ours = t.add_evidence("c", "Ours.", stance="supports", observed_on="2025")
        assert ("c-e2", ["c-e1", "c-e2"]) == (ours.id, [e.id for e in t.evidence("c")])
