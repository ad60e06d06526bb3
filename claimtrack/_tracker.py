"""The :class:`Tracker`: the one object users talk to."""

from __future__ import annotations

import contextlib
import datetime as _dt
import gc
import itertools
import operator
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from types import TracebackType
from typing import Any, Literal, TypeVar, overload

import attrs

from ._dates import DateInput, PartialDate, RelativeDeadline, as_utc_datetime
from ._forecasting import ForecastMixin
from ._forecasts import FORECAST_RANKINGS, ForecastLeaderboardRow, rank_forecasters
from ._model import (
    KIND_NAMES,
    MAX_ID,
    RECORD_TYPES,
    Claim,
    ClaimKind,
    Evidence,
    Forecast,
    Record,
    Retraction,
    Role,
    Ruling,
    Source,
    Speaker,
    Stance,
    Strength,
    Verdict,
    clean_id,
    clean_text,
    to_enum,
)
from ._records import RANKINGS, LeaderboardRow, TrackRecord, _check_level, rank_records
from ._scoring import Assessment, Contribution, EvidenceWeighing, ScoringPolicy, _ClaimTally
from .errors import DuplicateRecordError, InvalidRecordError, UnknownRecordError
from .stores import MemoryStore, Store

__all__ = ["Tracker"]

_R = TypeVar("_R", bound=Record)
Clock = Callable[[], _dt.datetime]

# Above this many records in one append, they are indexed in bulk (_apply_all), and the
# running tallies they touch are built when their claims are next assessed.
_BULK = 256
# Records applied in bulk are taken this many at a time.
_CHUNK = 4096
_ID = operator.attrgetter("id")
# After applying this many records at once, the tracker freezes them for the cyclic
# garbage collector (gc.freeze(); see the Tracker docstring).
_FREEZE_AT = 100_000


@contextlib.contextmanager
def _gc_paused(freeze: Callable[[], bool]) -> Iterator[None]:
    """Pause the cyclic garbage collector (records make no reference cycles).

    Indexing many records makes millions of objects that live on; each collection
    would walk all of them again.  If *freeze* says so at the end, everything alive is
    moved to the collector's permanent generation (``gc.freeze()``) before it
    resumes, so that it never walks them again (see :class:`Tracker`).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze():
            gc.freeze()
        if was_enabled:
            gc.enable()


def _made_many() -> bool:
    """Whether 100,000 or more objects were made since the last collection (gc paused)."""
    return gc.get_count()[0] >= _FREEZE_AT


def _utcnow() -> _dt.datetime:
    return _dt.datetime.now(_dt.UTC)


def _slug(text: str, words: int = 6, limit: int = 48) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    tokens = re.findall(r"[a-z0-9]+", ascii_text.lower())[:words]
    return "-".join(tokens)[:limit].strip("-")


def _suffixed(record_id: str, suffix: str) -> str:
    """``record_id + suffix``, the id cut so that the result is not longer than an id may be."""
    return record_id[: MAX_ID - len(suffix)].rstrip() + suffix


def _record_id(value: Any, name: str) -> str:
    if isinstance(value, RECORD_TYPES):
        return value.id
    if isinstance(value, str):
        return value
    raise InvalidRecordError(name, value, "must be a record or a record id")


class Tracker(ForecastMixin):
    """A ledger of speakers, claims, evidence, forecasts, rulings and retractions.

    Records are appended, never changed or deleted.  Every ``add_*`` method validates
    its input, stamps the record's ``recorded_at`` (knowledge time) and appends it to
    the store; a call that raises leaves the tracker and its store exactly as they were.

    Every argument that takes a record also takes its id.

    Loading many records (opening a ledger, :meth:`add_many`, :meth:`refresh`) pauses
    Python's cyclic garbage collector while they are indexed, and after 100,000 or more
    records in one go calls ``gc.freeze()``: every object alive at that moment moves
    to the collector's permanent generation, which it never walks again.  Without this,
    the collections that follow walk the millions of objects of a large ledger several
    times over (about 2 s of the first :meth:`assess_all` over 1,000,000 pieces of
    evidence).  The same holds for the assessments that :meth:`assess_all` and the
    track-record methods make and cache: the collector is paused while they are made,
    and ``gc.freeze()`` is called after a call that made 100,000 objects or more.
    Records and assessments are immutable and hold no reference cycles, so reference
    counting still frees them once the tracker is dropped; the one effect is that
    *other* objects of the process that were garbage in a reference cycle at that moment
    are not collected until ``gc.unfreeze()``.

    Args:
        store: where records are kept; a new :class:`~claimtrack.stores.MemoryStore`
            by default.  Records already in the store are loaded.
        policy: the :class:`~claimtrack.ScoringPolicy` that assesses claims; an
            :class:`~claimtrack.EvidenceWeighing` with the default parameters by
            default.  With an :class:`~claimtrack.EvidenceWeighing` the tracker keeps
            per-claim running tallies (see :meth:`assess`), each built when its claim
            is first assessed; any other policy is given the claim's records at each
            assessment.
        clock: returns the current time as an aware datetime; used for ``recorded_at``
            when a call does not give one, and for today's date when an assessment
            without ``as_of`` checks a due date.  Tests pass a fixed clock.

    Example:
        >>> import claimtrack as ct
        >>> tracker = ct.Tracker()
        >>> trump = tracker.add_speaker("Donald Trump", id="trump")
        >>> claim = tracker.add_claim(trump, "Ukraine will be involved in the talks.",
        ...                           stated_on="2025-02-18", kind="assurance")
        >>> claim.id, claim.speaker_id
        ('trump-ukraine-will-be-involved-in', 'trump')
        >>> tracker.claims(speaker="trump") == (claim,)
        True

    .. versionadded:: 0.1.0
    """

    def __init__(
        self,
        store: Store | None = None,
        *,
        policy: ScoringPolicy | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._store: Store = MemoryStore() if store is None else store
        self._clock: Clock = _utcnow if clock is None else clock
        if policy is not None and not isinstance(policy, ScoringPolicy):
            raise InvalidRecordError("policy", policy, "must be a ScoringPolicy (have assess())")
        self._policy: ScoringPolicy = EvidenceWeighing() if policy is None else policy
        # Running tallies per claim id, kept only for the default policy (whose
        # arithmetic they share); exactly EvidenceWeighing, as a subclass may override
        # assess().
        self._weighing: EvidenceWeighing | None = (
            self._policy if type(self._policy) is EvidenceWeighing else None
        )
        self._tallies: dict[str, _ClaimTally] = {}
        # The assessment of each claim as it stands (no as_of, no known_at), with the
        # date it was judged on; an entry is dropped when a record about its claim
        # arrives (_apply), and ignored once the date has moved on.
        self._assessed: dict[str, tuple[_dt.date, Assessment]] = {}
        self._by_id: dict[str, Record] = {}
        self._speakers: dict[str, Speaker] = {}
        self._claims: dict[str, Claim] = {}
        self._claims_by_speaker: dict[str, list[Claim]] = {}
        self._claims_by_topic: dict[str, list[Claim]] = {}
        self._claims_by_kind: dict[ClaimKind, list[Claim]] = {}
        self._evidence_by_claim: dict[str, list[Evidence]] = {}
        self._rulings_by_claim: dict[str, list[Ruling]] = {}
        self._retractions_by_target: dict[str, list[Retraction]] = {}
        # forecasts (see ForecastMixin): by claim and by speaker; the scores of each
        # claim as it stands, kept while _forecast_epoch (bumped by every forecast and
        # retraction applied) and the claim's cached assessment stay the same
        self._forecasts_by_claim: dict[str, list[Forecast]] = {}
        self._forecasts_by_speaker: dict[str, list[Forecast]] = {}
        self._forecast_epoch = 0
        self._forecast_scores: dict[str, tuple[int, Assessment, dict[str, Any]]] = {}
        # While many records are applied at once (_apply_all), the tallies they touch
        # are not updated one insertion per piece of evidence: each touched claim is
        # marked stale, and its tally is brought up to date (built, or extended) when
        # it is next needed (_tally).
        # _stale maps a claim id to where its evidence not yet in its tally starts in
        # _evidence_by_claim; _stale_retracted holds the stale claims that a
        # retraction of one of their pieces of evidence arrived for meanwhile.
        self._deferred: dict[str, int] | None = None
        self._deferred_retractions: list[Retraction] = []
        self._stale: dict[str, int] = {}
        self._stale_retracted: set[str] = set()
        self._weights: dict[tuple[str, str, float], tuple[int, float, float]] = {}
        self._load(self._store.load())

    # -- the append path --------------------------------------------------------------

    def _load(self, records: Iterable[Record]) -> None:
        """Apply records that a store already holds (no validation against the store)."""
        self._apply_all(records)

    def _apply_all(
        self,
        records: Iterable[Record],
        *,
        ids: dict[str, Record] | None = None,
        groups: dict[str, list[Evidence]] | None = None,
    ) -> None:
        """:meth:`_apply` each record, leaving the running tallies to be built when needed.

        Applying a million pieces of evidence one by one would insert each into its
        claim's sorted tally; here each touched claim is marked stale, and its tally
        is built (or extended) once, when the claim is next assessed (:meth:`_tally`).
        So opening a large ledger and assessing one claim builds one tally, not a
        hundred thousand, and :meth:`assess_all` builds each claim's tally just before
        it assesses the claim, while its evidence is still in the processor's cache.
        The result is the same as applying the records one by one.

        :meth:`_append` gives what it has already sorted out: *ids*, every record it
        appended by id, in order, which is indexed in one step (a dict merge, in C);
        *groups*, the evidence among them by claim id, in order, which extends each
        claim's list at once; and as *records* only the others.
        """
        before = len(self._by_id)
        if ids is not None:
            self._by_id.update(ids)  # (applying a record again keeps its place)
        if self._weighing is None:
            if groups is not None:
                for group in groups.values():
                    for evidence in group:
                        self._apply(evidence)
            for record in records:
                self._apply(record)
            return
        deferred: dict[str, int] = {}
        self._deferred, self._deferred_retractions = deferred, []
        by_id, by_claim, apply = self._by_id, self._evidence_by_claim, self._apply
        assessed = self._assessed
        # With no evidence before (opening a ledger), every list of evidence met was
        # made here, and its claim is already in deferred.
        fresh = not by_claim
        with _gc_paused(lambda: len(by_id) - before >= _FREEZE_AT):
            try:
                for claim_id, group in (groups or {}).items():
                    found = by_claim.get(claim_id)
                    if found is None:
                        by_claim[claim_id] = group
                        deferred[claim_id] = 0
                    else:
                        deferred.setdefault(claim_id, len(found))
                        found.extend(group)
                    assessed.pop(claim_id, None)
                # A chunk at a time, indexed by id in one step (a dict merge, in C);
                # applying a record again keeps its place.
                records = iter(records)
                while chunk := list(itertools.islice(records, _CHUNK)):
                    if ids is None:
                        by_id.update(zip(map(_ID, chunk), chunk, strict=True))
                    for record in chunk:
                        if type(record) is Evidence:  # most records: _apply's branch, inline
                            claim_id = record.claim_id
                            found = by_claim.get(claim_id)
                            if found is None:
                                by_claim[claim_id] = [record]
                                deferred[claim_id] = 0
                                assessed.pop(claim_id, None)
                                continue
                            if not fresh and claim_id not in deferred:
                                deferred[claim_id] = len(found)
                                assessed.pop(claim_id, None)
                            found.append(record)
                        else:
                            apply(record)
            finally:
                # also after a record that cannot be read: those applied must be counted
                retractions = self._deferred_retractions
                self._deferred, self._deferred_retractions = None, []
                self._mark_stale(deferred, retractions)

    def _mark_stale(self, deferred: dict[str, int], retractions: list[Retraction]) -> None:
        """Record what :meth:`_apply_all` left out of the tallies (see ``_stale``).

        *deferred* maps a claim id to where its new evidence starts in
        ``_evidence_by_claim``; *retractions* are those applied meanwhile.
        """
        stale = self._stale
        if stale:
            for claim_id, start in deferred.items():
                stale.setdefault(claim_id, start)  # an earlier start stays
        else:
            stale.update(deferred)
        for retraction in retractions:
            root = self._root(retraction)
            if isinstance(root, Evidence):
                claim_id = root.claim_id
                stale.setdefault(claim_id, len(self._evidence_by_claim[claim_id]))
                self._stale_retracted.add(claim_id)

    def _tally(self, claim_id: str) -> _ClaimTally | None:
        """The running tally of a claim, brought up to date, to be viewed.

        ``None`` if the claim has no evidence.
        """
        if claim_id in self._stale:
            self._settle(claim_id)
        return self._tallies.get(claim_id)

    def _settle(self, claim_id: str) -> None:
        """Bring the tally of a stale claim up to date, to be viewed (see :meth:`_tally`).

        A claim with no tally yet, or with many new pieces of evidence (a quarter of
        those it had or more), gets its tally built at once (one sort, and its
        Contributions made in the same pass, as the view that follows needs them);
        one with a few new pieces has them added to it.
        """
        weighing = self._weighing
        assert weighing is not None
        start = self._stale.pop(claim_id)
        retracted = False
        if self._stale_retracted:
            retracted = claim_id in self._stale_retracted
            self._stale_retracted.discard(claim_id)
        targets = self._retractions_by_target
        tally = self._tallies.get(claim_id)
        everything = self._evidence_by_claim.get(claim_id, [])
        if tally is None or 4 * (len(everything) - start) >= len(tally.evidence):
            withdrawn = (
                [e for e in everything if e.id in targets and self._withdrawn(e.id, None)]
                if targets
                else ()
            )
            self._tallies[claim_id] = _ClaimTally.build(
                weighing, everything, withdrawn, self._weights
            )
            return
        for evidence in everything[start:]:
            tally.add(weighing, evidence)
        if retracted:
            for evidence in everything:
                if evidence.id in targets:
                    tally.set_retracted(evidence, self._withdrawn(evidence.id, None))

    def _append(self, records: Sequence[Record]) -> list[Record]:
        """Validate, stamp, store, then index *records*: all of them, or none."""
        now: _dt.datetime | None = None
        pending: dict[str, Record] = {}  # the records to append by id, stamped, in order
        groups: dict[str, list[Evidence]] = {}  # the evidence among them, by claim id
        rest: list[Record] = []  # and the others
        by_id = self._by_id
        for record in records:
            if type(record) is Evidence and record.recorded_at is not None:
                # most records of an import: _check's checks, inline; anything doubtful
                # goes the general way below, which says what is wrong
                record_id, claim_id = record.id, record.claim_id
                group = groups.get(claim_id)
                if group is not None:  # the claim was found for an earlier piece
                    if record_id not in by_id and record_id not in pending:
                        pending[record_id] = record
                        group.append(record)
                        continue
                else:
                    claim = by_id.get(claim_id)
                    if claim is None:
                        claim = pending.get(claim_id)
                    if (
                        isinstance(claim, Claim)
                        and record_id not in by_id
                        and record_id not in pending
                    ):
                        pending[record_id] = record
                        groups[claim_id] = [record]
                        continue
            if not isinstance(record, RECORD_TYPES):
                raise InvalidRecordError("record", record, "is not a claimtrack record")
            if record.recorded_at is None:
                if now is None:
                    now = self._now()
                record = attrs.evolve(record, recorded_at=now)
            self._check(record, pending)
            pending[record.id] = record
            if isinstance(record, Evidence):
                groups.setdefault(record.claim_id, []).append(record)
            else:
                rest.append(record)
        stamped = list(pending.values())
        # The store gives back what other processes appended since we last read: those
        # come first in the store, so they are applied first.
        others = self._store.append(stamped) or ()  # None from a store: no other writer appended
        if len(others) + len(stamped) > _BULK:
            if others:
                self._apply_all(others)
            self._apply_all(rest, ids=pending, groups=groups)
        else:
            for record in (*others, *stamped):
                self._apply(record)
        return stamped

    def _now(self) -> _dt.datetime:
        now = self._clock()
        if not isinstance(now, _dt.datetime):
            raise InvalidRecordError("clock", now, "must return a datetime")
        return as_utc_datetime(now, field="clock")

    def _lookup(self, record_id: str, pending: dict[str, Record]) -> Record | None:
        found = self._by_id.get(record_id)
        return pending.get(record_id) if found is None else found

    def _check(self, record: Record, pending: dict[str, Record]) -> None:
        """Refuse a record whose id is taken or whose references do not resolve."""
        taken = self._lookup(record.id, pending)
        if taken is not None:
            raise DuplicateRecordError(record.id, kind=KIND_NAMES[type(taken)])
        if isinstance(record, Claim):
            if not isinstance(self._lookup(record.speaker_id, pending), Speaker):
                raise UnknownRecordError(record.speaker_id, kind="speaker")
        elif isinstance(record, Evidence | Ruling):
            if not isinstance(self._lookup(record.claim_id, pending), Claim):
                raise UnknownRecordError(record.claim_id, kind="claim")
        elif isinstance(record, Forecast):
            claim = self._lookup(record.claim_id, pending)
            if not isinstance(claim, Claim):
                raise UnknownRecordError(record.claim_id, kind="claim")
            if not isinstance(self._lookup(record.speaker_id, pending), Speaker):
                raise UnknownRecordError(record.speaker_id, kind="speaker")
            if record.made_on.end < claim.stated_on.start:
                raise InvalidRecordError(
                    "made_on",
                    record.made_on,
                    f"is before the claim was stated ({claim.stated_on})",
                    record_id=record.id,
                )
        elif isinstance(record, Retraction):
            target = self._lookup(record.target_id, pending)
            if target is None:
                raise UnknownRecordError(record.target_id, kind="record")
            if isinstance(target, Speaker):
                raise InvalidRecordError(
                    "target_id", record.target_id, "is a speaker; speakers cannot be retracted"
                )
            assert target.recorded_at is not None  # stamped before it was stored
            assert record.recorded_at is not None
            if record.recorded_at < target.recorded_at:
                raise InvalidRecordError(
                    "recorded_at",
                    record.recorded_at,
                    f"is before the retracted record's recorded_at {target.recorded_at}",
                    record_id=record.id,
                )

    def _apply(self, record: Record) -> None:
        """Index a stored record.  Must not fail: the store already holds it."""
        self._by_id[record.id] = record
        if isinstance(record, Speaker):
            self._speakers[record.id] = record
        elif isinstance(record, Claim):
            self._claims[record.id] = record
            self._claims_by_speaker.setdefault(record.speaker_id, []).append(record)
            self._claims_by_kind.setdefault(record.kind, []).append(record)
            for topic in record.topics:
                self._claims_by_topic.setdefault(topic, []).append(record)
        elif isinstance(record, Evidence):
            self._assessed.pop(record.claim_id, None)
            found = self._evidence_by_claim.setdefault(record.claim_id, [])
            if self._deferred is not None:
                self._deferred.setdefault(record.claim_id, len(found))
            found.append(record)
            # (a stale claim's tally takes in this piece when it is brought up to date)
            if (
                self._deferred is None
                and self._weighing is not None
                and record.claim_id not in self._stale
            ):
                tally = self._tallies.get(record.claim_id)
                if tally is None:
                    tally = self._tallies[record.claim_id] = _ClaimTally()
                tally.add(self._weighing, record)
        elif isinstance(record, Ruling):
            self._assessed.pop(record.claim_id, None)
            self._rulings_by_claim.setdefault(record.claim_id, []).append(record)
        elif isinstance(record, Forecast):
            self._index_forecast(record)
        else:
            self._forecast_epoch += 1
            self._retractions_by_target.setdefault(record.target_id, []).append(record)
            claim_id = self._claim_of(record)
            if claim_id is not None:
                self._assessed.pop(claim_id, None)
            if self._deferred is not None:
                self._deferred_retractions.append(record)
            elif self._weighing is not None:
                self._retraction_changed(record)

    def _root(self, retraction: Retraction) -> Record | None:
        """The record that *retraction*, or the chain of retractions it ends, is about."""
        root = self._by_id.get(retraction.target_id)
        while isinstance(root, Retraction):
            root = self._by_id.get(root.target_id)
        return root

    def _claim_of(self, retraction: Retraction) -> str | None:
        """The id of the claim that *retraction* (or the chain it ends) bears on, if any."""
        root = self._root(retraction)
        if isinstance(root, Evidence | Ruling):
            return root.claim_id
        return root.id if isinstance(root, Claim) else None

    def _retraction_changed(self, retraction: Retraction) -> None:
        """Update the running tally if *retraction* (or the chain it ends) hits evidence.

        Cost: O(length of the chain of retractions).
        """
        root = self._root(retraction)
        if isinstance(root, Evidence):
            if root.claim_id in self._stale:  # see _settle
                self._stale_retracted.add(root.claim_id)
                return
            tally = self._tallies.get(root.claim_id)
            if tally is not None:
                tally.set_retracted(root, self._withdrawn(root.id, None))

    def _new_id(self, base: str, fallback: str) -> str:
        base = base or fallback
        candidate, n = base[:MAX_ID], 1
        while candidate in self._by_id:
            n += 1
            suffix = f"-{n}"
            candidate = base[: MAX_ID - len(suffix)].rstrip() + suffix
        return candidate

    def _id_arg(self, given: str | None, base: str, fallback: str) -> str:
        return self._new_id(base, fallback) if given is None else clean_id(given)

    def _resolve(self, value: Any, cls: type[_R], name: str) -> _R:
        """Turn a record or an id into the stored record of type *cls*."""
        kind = KIND_NAMES[cls]
        if isinstance(value, cls):
            record_id = value.id
        elif isinstance(value, str):
            record_id = value
        else:
            raise InvalidRecordError(name, value, f"must be a {cls.__name__} or the id of a {kind}")
        found = self._by_id.get(record_id)
        if not isinstance(found, cls):
            raise UnknownRecordError(record_id, kind=kind)
        return found

    # -- adding -----------------------------------------------------------------------

    def add_speaker(
        self,
        name: str,
        *,
        id: str | None = None,
        roles: Iterable[Role] = (),
        organization: bool = False,
        same_as: Iterable[str] = (),
        recorded_at: _dt.datetime | None = None,
    ) -> Speaker:
        """Add a person or organisation whose claims will be tracked.

        Args:
            name: the name to show.
            id: the id to use; by default one is made from the name.
            roles: the roles they held, as :class:`~claimtrack.Role` values.
            organization: ``True`` for an organisation.
            same_as: URLs identifying the speaker elsewhere.
            recorded_at: knowledge time, for imports; the tracker's clock by default.

        Returns:
            The stored :class:`~claimtrack.Speaker`.

        Raises:
            InvalidRecordError: a field is invalid.
            DuplicateRecordError: *id* is taken.

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> t.add_speaker("Volodymyr Zelenskyy").id
            'volodymyr-zelenskyy'

        Cost: O(1).
        """
        speaker = Speaker(
            self._id_arg(id, _slug(name) if isinstance(name, str) else "", "speaker"),
            name,
            roles=roles,
            organization=organization,
            same_as=same_as,
            recorded_at=recorded_at,
        )
        return self.add(speaker)

    def add_claim(
        self,
        speaker: Speaker | str,
        text: str,
        *,
        stated_on: DateInput,
        id: str | None = None,
        quote: str | None = None,
        kind: ClaimKind | str = ClaimKind.ASSERTION,
        source: Source | None = None,
        due: DateInput | RelativeDeadline | None = None,
        topics: Iterable[str] = (),
        confidence: float | None = None,
        confidence_basis: str | None = None,
        recorded_at: _dt.datetime | None = None,
    ) -> Claim:
        """Record a claim a speaker made.

        Args:
            speaker: the :class:`~claimtrack.Speaker` or their id.
            text: the claim in a full sentence.
            stated_on: when it was said (any date input).
            id: the id to use; by default one is made from the speaker and the text.
            quote: the speaker's own words.
            kind: a :class:`~claimtrack.ClaimKind` or its value.
            source: where it was said.
            due: a deadline, as a date or :func:`~claimtrack.within`.
            topics: tags, stored lower-case.
            confidence: the probability the speaker gave, if any.
            confidence_basis: ``"stated"`` or ``"wording"``.
            recorded_at: knowledge time, for imports.

        Returns:
            The stored :class:`~claimtrack.Claim`.

        Raises:
            InvalidRecordError: a field is invalid (naming it).
            UnknownRecordError: the speaker is not in the tracker.
            DuplicateRecordError: *id* is taken.

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> _ = t.add_speaker("Sergey Lavrov", id="lavrov")
            >>> c = t.add_claim("lavrov", "The talks will focus on US-Russia relations.",
            ...                 stated_on="2025-02-18", kind="prediction", topics={"Russia"})
            >>> sorted(c.topics)
            ['russia']

        Cost: O(number of topics).
        """
        who = self._resolve(speaker, Speaker, "speaker")
        auto = _slug(f"{who.id} {text}" if isinstance(text, str) else who.id)
        claim = Claim(
            self._id_arg(id, auto, "claim"),
            who.id,
            text,
            quote=quote,
            kind=kind,
            stated_on=stated_on,
            source=source,
            due=due,
            topics=topics,
            confidence=confidence,
            confidence_basis=confidence_basis,
            recorded_at=recorded_at,
        )
        return self.add(claim)

    def add_evidence(
        self,
        claim: Claim | str,
        text: str,
        *,
        stance: Stance | str,
        observed_on: DateInput,
        strength: Strength | str = Strength.MODERATE,
        source: Source | None = None,
        id: str | None = None,
        recorded_at: _dt.datetime | None = None,
    ) -> Evidence:
        """Record something observed that bears on a claim.

        Args:
            claim: the :class:`~claimtrack.Claim` or its id.
            text: what was observed.
            stance: a :class:`~claimtrack.Stance` or its value (``"supports"`` …).
            observed_on: when it happened (world time).
            strength: a :class:`~claimtrack.Strength` or its value; ``MODERATE`` by default.
            source: where it was reported.
            id: the id to use; by default ``<claim id>-e<n>``.
            recorded_at: knowledge time, for imports.

        Returns:
            The stored :class:`~claimtrack.Evidence`.

        Raises:
            InvalidRecordError: a field is invalid (naming it).
            UnknownRecordError: the claim is not in the tracker.
            DuplicateRecordError: *id* is taken.

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> _ = t.add_speaker("Donald Trump", id="trump")
            >>> _ = t.add_claim("trump", "Ukraine will be involved.", id="c",
            ...                 stated_on="2025-02-18")
            >>> t.add_evidence("c", "Ukraine was not at the Riyadh meeting.",
            ...                stance="refutes", observed_on="2025-02-18").id
            'c-e1'

        Cost: O(1).
        """
        target = self._resolve(claim, Claim, "claim")
        n = len(self._evidence_by_claim.get(target.id, ())) + 1
        evidence = Evidence(
            self._id_arg(id, _suffixed(target.id, f"-e{n}"), "evidence"),
            target.id,
            text,
            stance=stance,
            strength=strength,
            observed_on=observed_on,
            source=source,
            recorded_at=recorded_at,
        )
        return self.add(evidence)

    def rule(
        self,
        claim: Claim | str,
        verdict: Verdict | str,
        *,
        on: DateInput,
        rationale: str | None = None,
        by: str | None = None,
        id: str | None = None,
        recorded_at: _dt.datetime | None = None,
    ) -> Ruling:
        """Record an editorial ruling on a claim.

        From *on* (world time) the ruling's verdict replaces the computed one; the
        assessment keeps both so a disagreement stays visible.  A later ruling
        supersedes an earlier one; retract a ruling to withdraw it.

        Args:
            claim: the :class:`~claimtrack.Claim` or its id.
            verdict: any :class:`~claimtrack.Verdict` but ``PENDING``.
            on: the date the ruling applies from.
            rationale: why.
            by: who ruled.
            id: the id to use; by default ``<claim id>-r<n>``.
            recorded_at: knowledge time, for imports.

        Returns:
            The stored :class:`~claimtrack.Ruling`.

        Raises:
            InvalidRecordError: an invalid verdict (listing the allowed values) or field.
            UnknownRecordError: the claim is not in the tracker.

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> _ = t.add_speaker("Donald Trump", id="trump")
            >>> _ = t.add_claim("trump", "Ukraine will be involved.", id="c",
            ...                 stated_on="2025-02-18")
            >>> t.rule("c", "held", on="2025-03-11", rationale="Jeddah talks").verdict
            <Verdict.HELD: 'held'>

        Cost: O(1).
        """
        target = self._resolve(claim, Claim, "claim")
        n = len(self._rulings_by_claim.get(target.id, ())) + 1
        ruling = Ruling(
            self._id_arg(id, _suffixed(target.id, f"-r{n}"), "ruling"),
            target.id,
            verdict,
            on=on,
            rationale=rationale,
            by=by,
            recorded_at=recorded_at,
        )
        return self.add(ruling)

    def retract(
        self,
        record: Claim | Evidence | Forecast | Ruling | Retraction | str,
        *,
        reason: str,
        id: str | None = None,
        recorded_at: _dt.datetime | None = None,
    ) -> Retraction:
        """Withdraw a claim, a piece of evidence, a forecast, a ruling or a retraction.

        Nothing is deleted: the record stays (``evidence()`` still lists it) and is
        left out of every view whose ``known_at`` is at or after this retraction.
        Retracting a retraction restores its target.

        Args:
            record: the record or its id.
            reason: why, in words.
            id: the id to use; by default ``<record id>-x<n>``.
            recorded_at: knowledge time, for imports.

        Returns:
            The stored :class:`~claimtrack.Retraction`.

        Raises:
            UnknownRecordError: no such record.
            InvalidRecordError: the record is a speaker, or *reason* is empty.

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> _ = t.add_speaker("Donald Trump", id="trump")
            >>> _ = t.add_claim("trump", "Ukraine will be involved.", id="c",
            ...                 stated_on="2025-02-18")
            >>> e = t.add_evidence("c", "A misreported meeting.", stance="supports",
            ...                    observed_on="2025-02-20")
            >>> x = t.retract(e, reason="misreported")
            >>> t.is_retracted(e), len(t.evidence("c"))
            (True, 1)

        Cost: O(1).
        """
        target_id = self.get(_record_id(record, "record")).id
        n = len(self._retractions_by_target.get(target_id, ())) + 1
        retraction = Retraction(
            self._id_arg(id, _suffixed(target_id, f"-x{n}"), "retraction"),
            target_id,
            reason=reason,
            recorded_at=recorded_at,
        )
        return self.add(retraction)

    def add(self, record: _R) -> _R:
        """Append a record built by hand (or read from elsewhere).

        Its ``recorded_at`` is kept if set, stamped from the clock otherwise.

        Returns:
            The stored record.

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> t.add(ct.Speaker("kellogg", "Keith Kellogg")).name
            'Keith Kellogg'
        """
        (stored,) = self._append([record])
        return stored  # type: ignore[return-value]

    def add_many(self, records: Iterable[Record]) -> list[Record]:
        """Append many records at once: all of them, or none.

        Records may refer to one another (a claim to a speaker earlier in the same
        call).  If any is invalid the call raises and nothing is added.  This is the
        bulk path for imports: one store transaction (SQLite) or one framed write
        (JSON Lines) for the whole call.

        Returns:
            The stored records, in order, stamped with ``recorded_at``.

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> stored = t.add_many([
            ...     ct.Speaker("lavrov", "Sergey Lavrov"),
            ...     ct.Claim("c", "lavrov", "Talks will focus on relations.",
            ...              stated_on="2025-02-18"),
            ... ])
            >>> len(t)
            2

        Cost: O(number of records).
        """
        return self._append(list(records))

    # -- reading ----------------------------------------------------------------------

    def get(self, record_id: str) -> Record:
        """Any record by its id.

        Raises:
            UnknownRecordError: no record has that id.

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> _ = t.add_speaker("Keith Kellogg", id="kellogg")
            >>> t.get("kellogg").name
            'Keith Kellogg'
        """
        try:
            return self._by_id[record_id]
        except (KeyError, TypeError):
            raise UnknownRecordError(str(record_id), kind="record") from None

    def speaker(self, speaker_id: str) -> Speaker:
        """The speaker with this id.

        Raises:
            UnknownRecordError: no speaker has that id.

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> _ = t.add_speaker("Donald Trump", id="trump")
            >>> t.speaker("trump").name
            'Donald Trump'
        """
        return self._resolve(speaker_id, Speaker, "speaker_id")

    def claim(self, claim_id: str) -> Claim:
        """The claim with this id.

        Raises:
            UnknownRecordError: no claim has that id.

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> _ = t.add_speaker("Donald Trump", id="trump")
            >>> _ = t.add_claim("trump", "Ukraine will be involved.", id="c",
            ...                 stated_on="2025-02-18")
            >>> t.claim("c").stated_on
            PartialDate('2025-02-18')
        """
        return self._resolve(claim_id, Claim, "claim_id")

    def speakers(self) -> tuple[Speaker, ...]:
        """Every speaker, in the order they were added.

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> _ = t.add_speaker("Donald Trump")
            >>> [s.name for s in t.speakers()]
            ['Donald Trump']
        """
        return tuple(self._speakers.values())

    def claims(
        self,
        speaker: Speaker | str | None = None,
        *,
        topic: str | None = None,
        kind: ClaimKind | str | None = None,
        verdict: Verdict | str | None = None,
        include_retracted: bool = False,
    ) -> tuple[Claim, ...]:
        """The claims that match every filter given, in the order they were added.

        Args:
            speaker: only this speaker's claims.
            topic: only claims tagged with this topic (case-insensitive).
            kind: only claims of this :class:`~claimtrack.ClaimKind`.
            verdict: only claims whose current :meth:`assess` verdict is this
                :class:`~claimtrack.Verdict` (or its value).
            include_retracted: also claims that have been retracted.

        Raises:
            UnknownRecordError: *speaker* is not in the tracker.
            InvalidRecordError: *kind* is not a claim kind, or *verdict* not a verdict.

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> _ = t.add_speaker("Donald Trump", id="trump")
            >>> _ = t.add_claim("trump", "Ukraine will be involved.", stated_on="2025-02-18",
            ...                 topics={"ukraine"}, kind="assurance")
            >>> len(t.claims(topic="Ukraine", kind="assurance")), len(t.claims(kind="promise"))
            (1, 0)

        With *verdict*, every claim that passes the other filters is assessed::

            >>> _ = t.add_evidence(t.claims()[0], "Jeddah talks.", stance="supports",
            ...                    strength="conclusive", observed_on="2025-03-11")
            >>> len(t.claims(verdict=ct.Verdict.HELD)), len(t.claims(verdict="pending"))
            (1, 0)

        Cost: O(size of the smallest matching index), times the cost of
        :meth:`assess` with *verdict*.
        """
        verdict_key = to_enum(Verdict, verdict, "verdict") if verdict is not None else None
        candidates: list[Sequence[Claim]] = []
        speaker_id = topic_key = kind_key = None
        if speaker is not None:
            speaker_id = self._resolve(speaker, Speaker, "speaker").id
            candidates.append(self._claims_by_speaker.get(speaker_id, ()))
        if topic is not None:
            if not isinstance(topic, str):
                raise InvalidRecordError("topic", topic, "must be a string")
            topic_key = topic.strip().lower()
            candidates.append(self._claims_by_topic.get(topic_key, ()))
        if kind is not None:
            kind_key = to_enum(ClaimKind, kind, "kind")
            candidates.append(self._claims_by_kind.get(kind_key, ()))
        pool: Sequence[Claim] = (
            min(candidates, key=len) if candidates else list(self._claims.values())
        )
        found = tuple(
            c
            for c in pool
            if (speaker_id is None or c.speaker_id == speaker_id)
            and (topic_key is None or topic_key in c.topics)
            and (kind_key is None or c.kind is kind_key)
            and (include_retracted or not self._withdrawn(c.id, None))
        )
        if verdict_key is None:
            return found
        today = self._today()
        return tuple(c for c in found if self._assess(c, None, None, today).verdict is verdict_key)

    def evidence(self, claim: Claim | str) -> tuple[Evidence, ...]:
        """Every piece of evidence recorded on a claim, retracted ones too, in order added.

        Use :meth:`is_retracted` to tell which are withdrawn.

        Raises:
            UnknownRecordError: the claim is not in the tracker.

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> _ = t.add_speaker("Donald Trump", id="trump")
            >>> _ = t.add_claim("trump", "Ukraine will be involved.", id="c",
            ...                 stated_on="2025-02-18")
            >>> t.evidence("c")
            ()

        Cost: O(evidence on the claim).
        """
        target = self._resolve(claim, Claim, "claim")
        return tuple(self._evidence_by_claim.get(target.id, ()))

    def rulings(self, claim: Claim | str) -> tuple[Ruling, ...]:
        """Every ruling recorded on a claim, retracted ones too, in the order added.

        Raises:
            UnknownRecordError: the claim is not in the tracker.

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> _ = t.add_speaker("Donald Trump", id="trump")
            >>> _ = t.add_claim("trump", "Ukraine will be involved.", id="c",
            ...                 stated_on="2025-02-18")
            >>> _ = t.rule("c", "held", on="2025-03-11")
            >>> [r.verdict.value for r in t.rulings("c")]
            ['held']
        """
        target = self._resolve(claim, Claim, "claim")
        return tuple(self._rulings_by_claim.get(target.id, ()))

    def retractions(self, record: Record | str) -> tuple[Retraction, ...]:
        """The retractions recorded against a record, in the order added.

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> _ = t.add_speaker("Donald Trump", id="trump")
            >>> t.retractions("trump")
            ()
        """
        record_id = self.get(_record_id(record, "record")).id
        return tuple(self._retractions_by_target.get(record_id, ()))

    def is_retracted(self, record: Record | str, *, known_at: DateInput | None = None) -> bool:
        """Whether *record* stands withdrawn, as the tracker knew at *known_at*.

        A record is withdrawn when it has a retraction (recorded by *known_at*) that is
        not itself withdrawn.  Without *known_at*, everything recorded counts.

        Args:
            record: the record or its id.
            known_at: knowledge time: a datetime (naive ones read as UTC), or a date
                input meaning the end of the day, month or year it names.

        Raises:
            UnknownRecordError: no record has that id.
            InvalidRecordError: *known_at* is not a date or time.

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> _ = t.add_speaker("Donald Trump", id="trump")
            >>> t.is_retracted("trump")
            False

        Cost: O(length of the chain of retractions on the record).
        """
        record_id = self.get(_record_id(record, "record")).id
        when = None if known_at is None else as_utc_datetime(known_at, field="known_at")
        return self._withdrawn(record_id, when)

    def _withdrawn(self, record_id: str, known_at: _dt.datetime | None) -> bool:
        """Whether *record_id* has a retraction, counted at *known_at*, not withdrawn itself.

        The retractions below a record form a tree (each retracts one record); it is
        walked with a stack of its own, so a chain of retractions of retractions of any
        length is no RecursionError.
        """
        targets = self._retractions_by_target
        if record_id not in targets:  # most records
            return False

        def counted(node: str) -> list[str]:
            return [
                r.id
                for r in targets.get(node, ())
                if known_at is None or (r.recorded_at is not None and r.recorded_at <= known_at)
            ]

        # depth first; a node is decided once the retractions of it are
        withdrawn: dict[str, bool] = {}
        stack: list[tuple[str, list[str] | None]] = [(record_id, None)]
        while stack:
            node, below = stack.pop()
            if below is None:
                below = counted(node)
                if below:
                    stack.append((node, below))
                    stack.extend((child, None) for child in below)
                    continue
            withdrawn[node] = not all(withdrawn[child] for child in below)
        return withdrawn[record_id]

    # -- assessing -------------------------------------------------------------------

    @property
    def policy(self) -> ScoringPolicy:
        """The :class:`~claimtrack.ScoringPolicy` this tracker assesses claims with."""
        return self._policy

    def _today(self) -> PartialDate:
        """Today's date from the tracker's clock, in UTC: the due-date check of "now"."""
        return PartialDate(self._now().date())

    @staticmethod
    def _as_of_arg(as_of: DateInput | None) -> PartialDate | None:
        return None if as_of is None else PartialDate.coerce(as_of, field="as_of")

    @staticmethod
    def _known_at_arg(known_at: _dt.datetime | DateInput | None) -> _dt.datetime | None:
        return None if known_at is None else as_utc_datetime(known_at, field="known_at")

    def _counts(self, record: Evidence | Ruling, known_at: _dt.datetime | None) -> bool:
        """Whether *record* was known at *known_at* and not retracted then."""
        if known_at is not None:
            assert record.recorded_at is not None
            if record.recorded_at > known_at:
                return False
        return not self._withdrawn(record.id, known_at)

    def _assess(
        self,
        claim: Claim,
        as_of: PartialDate | None,
        known_at: _dt.datetime | None,
        today: PartialDate | None,
    ) -> Assessment:
        """Assess a stored claim; *today* is used only when *as_of* is ``None``.

        The claim as it stands (no *as_of*, no *known_at*) is cached per claim.
        """
        judged_on = as_of if as_of is not None else today if today is not None else self._today()
        if as_of is None and known_at is None:
            cached = self._assessed.get(claim.id)
            if cached is not None and cached[0] == judged_on.end:
                return cached[1]
            found = self._assess_now(claim, None, None, judged_on)
            self._assessed[claim.id] = (judged_on.end, found)
            return found
        return self._assess_now(claim, as_of, known_at, judged_on)

    def _assess_now(
        self,
        claim: Claim,
        as_of: PartialDate | None,
        known_at: _dt.datetime | None,
        judged_on: PartialDate,
    ) -> Assessment:
        """Assess a stored claim, judging due dates on *judged_on*; no cache."""
        rulings = self._rulings_by_claim.get(claim.id, ())  # (most claims have none)
        if rulings:
            rulings = [
                r
                for r in rulings
                if (as_of is None or r.on.end <= as_of.end) and self._counts(r, known_at)
            ]
        weighing = self._weighing
        if weighing is not None and known_at is None:
            tally = self._tally(claim.id)
            contributions: tuple[Contribution, ...] = ()
            total, counts = 0.0, (0, 0, 0, 0)
            if tally is not None:
                contributions, total, counts = tally.view(as_of)
            return weighing._decide(
                claim,
                contributions,
                total,
                counts,
                rulings,
                as_of=as_of,
                known_at=None,
                judged_on=judged_on,
            )
        evidence = [
            e
            for e in self._evidence_by_claim.get(claim.id, ())
            if (as_of is None or e.observed_on.end <= as_of.end) and self._counts(e, known_at)
        ]
        return self._policy.assess(
            claim, evidence, rulings, as_of=as_of, known_at=known_at, judged_on=judged_on
        )

    def assess(
        self,
        claim: Claim | str,
        *,
        as_of: DateInput | None = None,
        known_at: _dt.datetime | DateInput | None = None,
    ) -> Assessment:
        """Whether a claim held up, how sure that is, and why.

        Two clocks select what counts:

        - *as_of* (world time, any date input): evidence counts if it was observed by
          then (``observed_on.end <= as_of.end``: evidence "observed in March 2025"
          counts from 31 March), rulings if they are dated by then (``on.end <=
          as_of.end``).  ``None`` counts all of them.  An *as_of* before the claim was
          made is allowed and gives the prior, ``PENDING``.
        - *known_at* (knowledge time: a datetime, or a date meaning the end of that
          day): only records recorded by then count, and only the retractions
          recorded by then apply (a retraction of a retraction restores its target).
          ``None`` counts everything recorded.

        Whether the due date has passed is checked against *as_of*
        (``as_of.end > due.end``); without *as_of*, against today's date from the
        tracker's clock, which the tracker passes to the policy (the policy never
        reads a clock).  A claim with no due date is never ``UNRESOLVED``.

        Args:
            claim: the :class:`~claimtrack.Claim` or its id.
            as_of: the world date to judge at.
            known_at: the knowledge time to judge with.

        Returns:
            The :class:`~claimtrack.Assessment`.

        Raises:
            UnknownRecordError: the claim is not in the tracker.
            InvalidRecordError: *as_of* or *known_at* is not a date (naming it).

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> _ = t.add_speaker("Donald Trump", id="trump")
            >>> _ = t.add_claim("trump", "Ukraine will be involved.", id="c",
            ...                 stated_on="2025-02-18", due="2025-12-31")
            >>> _ = t.add_evidence("c", "Ukraine was not invited to Riyadh.",
            ...                    stance="refutes", observed_on="2025-02-18")
            >>> _ = t.add_evidence("c", "Delegations met in Jeddah.", stance="supports",
            ...                    strength="strong", observed_on="2025-03-11")
            >>> round(t.assess("c").probability, 6)
            0.8
            >>> round(t.assess("c", as_of="2025-02-20").probability, 6)
            0.2

        Cost, with the default policy and no *known_at*: O(log n + r log n) in the
        claim's n pieces of evidence and r retracted ones, plus a copy of the counted
        contributions and a scan of the claim's rulings (each with its chain of
        retractions); after adding evidence dated before the claim's latest, the next
        call first brings the claim's running sums up to date, O(number of later
        pieces).  The first call after the claim's evidence was loaded or added in
        bulk (opening a ledger, :meth:`add_many`, :meth:`refresh`) builds its running
        sums: O(n log n), once.  With *known_at*, or another policy: O(n log n) over
        the claim's records.
        """
        as_of_date = self._as_of_arg(as_of)
        known = self._known_at_arg(known_at)
        found = self._assess(self._resolve(claim, Claim, "claim"), as_of_date, known, None)
        return self._with_resolved_on(found)

    def history(
        self, claim: Claim | str, *, known_at: _dt.datetime | DateInput | None = None
    ) -> tuple[Assessment, ...]:
        """The assessment of a claim at each point where it could have changed.

        The change points, in world-time order, are the date the claim was made, the
        date (end) of each piece of evidence and of each ruling that counts, and the
        day after the due date, if that day is not after today (by the tracker's
        clock).  There is one entry ``assess(claim, as_of=point, known_at=known_at)``
        per change point, so each turn of the verdict has its date, and then a last
        entry that is ``assess(claim, known_at=known_at)`` itself: the claim as it
        stands on everything, judged today (so ``history(c)[-1] == assess(c)``).

        Args:
            claim: the :class:`~claimtrack.Claim` or its id.
            known_at: the knowledge time to judge with, as in :meth:`assess`.

        Returns:
            A tuple of :class:`~claimtrack.Assessment`, oldest first; never empty.

        Raises:
            UnknownRecordError: the claim is not in the tracker.
            InvalidRecordError: *known_at* is not a date or time.

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> _ = t.add_speaker("Donald Trump", id="trump")
            >>> _ = t.add_claim("trump", "Ukraine will be involved.", id="c",
            ...                 stated_on="2025-02-18")
            >>> _ = t.add_evidence("c", "Jeddah talks.", stance="supports",
            ...                    strength="conclusive", observed_on="2025-03-11")
            >>> [(str(a.as_of), a.verdict.value) for a in t.history("c")]
            [('2025-02-18', 'pending'), ('2025-03-11', 'held'), ('None', 'held')]

        Cost: O(k) assessments for k change points, each as in :meth:`assess` (with the
        default policy and no *known_at*: O(k · (log n + n)) for the copies of the
        contributions).
        """
        target = self._resolve(claim, Claim, "claim")
        known = self._known_at_arg(known_at)
        today = self._today()
        days = {target.stated_on.end}
        days.update(
            e.observed_on.end
            for e in self._evidence_by_claim.get(target.id, ())
            if self._counts(e, known)
        )
        days.update(
            r.on.end for r in self._rulings_by_claim.get(target.id, ()) if self._counts(r, known)
        )
        if target.due is not None:
            after_due = target.due.end + _dt.timedelta(days=1)
            if after_due <= today.end:
                days.add(after_due)
        points = sorted(days)
        past = [self._assess(target, PartialDate(day), known, None) for day in points]
        past.append(self._assess(target, None, known, today))
        past = self._history_with_resolved_on(past)
        return tuple(past)

    def assess_all(
        self,
        *,
        as_of: DateInput | None = None,
        known_at: _dt.datetime | DateInput | None = None,
    ) -> tuple[Assessment, ...]:
        """Assess every claim that is not retracted, in the order the claims were added.

        *as_of* and *known_at* work as in :meth:`assess`; with *known_at*, only claims
        recorded by then and not retracted then are assessed.  Today's date, for due
        dates, is read from the clock once for the whole call.

        Returns:
            One :class:`~claimtrack.Assessment` per claim.

        Raises:
            InvalidRecordError: *as_of* or *known_at* is not a date (naming it).

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> _ = t.add_speaker("Donald Trump", id="trump")
            >>> _ = t.add_claim("trump", "Ukraine will be involved.", stated_on="2025-02-18")
            >>> [a.verdict.value for a in t.assess_all()]
            ['pending']

        Cost: the sum of :meth:`assess` over the claims.
        """
        as_of_date = self._as_of_arg(as_of)
        known = self._known_at_arg(known_at)
        today = self._today()
        found = []
        retractions = self._retractions_by_target
        # A first call makes an Assessment and the Contributions of every claim, which
        # make no reference cycles: collections while they are made would only walk
        # them (about twice the time of making them, for a million).  If it made
        # 100,000 objects or more, they are frozen as after a load (see Tracker).
        with _gc_paused(_made_many):
            for claim in self._claims.values():
                if known is not None:
                    assert claim.recorded_at is not None
                    if claim.recorded_at > known:
                        continue
                if claim.id in retractions and self._withdrawn(claim.id, known):
                    continue
                found.append(self._assess(claim, as_of_date, known, today))
        return tuple(found)

    # -- track records ----------------------------------------------------------------

    def _role_key(self, role: str | None, who: Speaker | None) -> str | None:
        """Check *role* against the roles on record; return it case-folded."""
        if role is None:
            return None
        title = clean_text(role, "role", limit=2_000).casefold()
        people = (who,) if who is not None else tuple(self._speakers.values())
        titles = sorted({r.title for p in people for r in p.roles})
        if not any(t.casefold() == title for t in titles):
            whom = f"speaker {who.id!r}; their roles" if who else "anyone; roles on record"
            shown = ", ".join(repr(t) for t in titles[:10]) or "none"
            more = ", …" if len(titles) > 10 else ""
            raise InvalidRecordError("role", role, f"was never held by {whom}: {shown}{more}")
        return title

    def _selected(
        self,
        speaker: Speaker | str | None,
        topic: str | None,
        kind: ClaimKind | str | None,
        role: str | None,
        as_of: PartialDate | None,
        known: _dt.datetime | None,
    ) -> Iterator[Claim]:
        """The claims a track record covers (see :meth:`track_record`)."""
        who = None if speaker is None else self._resolve(speaker, Speaker, "speaker")
        title = self._role_key(role, who)
        retractions = self._retractions_by_target
        for claim in self.claims(who, topic=topic, kind=kind, include_retracted=True):
            if known is not None:
                assert claim.recorded_at is not None
                if claim.recorded_at > known:
                    continue
            if claim.id in retractions and self.is_retracted(claim.id, known_at=known):
                continue
            if as_of is not None and claim.stated_on.end > as_of.end:
                continue
            if title is not None and not any(
                r.title.casefold() == title and r.covers(claim.stated_on)
                for r in self._speakers[claim.speaker_id].roles
            ):
                continue
            yield claim

    def _verdicts(
        self, claims: Iterable[Claim], as_of: PartialDate | None, known: _dt.datetime | None
    ) -> list[tuple[Claim, Verdict]]:
        """Each claim with its verdict, as :meth:`_assess` gives it, in bulk."""
        today = self._today()
        if as_of is not None or known is not None:
            return [(c, self._assess(c, as_of, known, today).verdict) for c in claims]
        # The cache look-up of _assess, inlined: this loop runs once per claim.
        cache, day, pairs = self._assessed, today.end, []
        with _gc_paused(_made_many):  # as in assess_all
            for claim in claims:
                cached = cache.get(claim.id)
                if cached is not None and cached[0] == day:
                    pairs.append((claim, cached[1].verdict))
                else:
                    pairs.append((claim, self._assess(claim, None, None, today).verdict))
        return pairs

    def track_record(
        self,
        speaker: Speaker | str | None = None,
        *,
        topic: str | None = None,
        kind: ClaimKind | str | None = None,
        role: str | None = None,
        as_of: DateInput | None = None,
        known_at: _dt.datetime | DateInput | None = None,
        confidence: float = 0.95,
        include_wording: bool = True,
    ) -> TrackRecord:
        """How a speaker's claims (or any selection of claims) held up.

        The selection is every claim that matches all the filters given: by *speaker*,
        *topic* and *kind* as in :meth:`claims`; with *role*, only claims made while the
        speaker held a role of that title (``Role.covers(claim.stated_on)``; titles
        compare case-insensitively); with *as_of*, only claims made by then
        (``stated_on.end <= as_of.end``), each judged as of that date; with *known_at*,
        only claims recorded by then and not retracted then, each judged with what was
        known then.  Retracted claims never count.  Each claim's verdict is
        :meth:`assess`'s, and :meth:`TrackRecord.from_verdicts
        <claimtrack.TrackRecord.from_verdicts>` does the arithmetic.

        Args:
            speaker: the :class:`~claimtrack.Speaker` or their id; ``None`` for everyone.
            topic: only claims with this topic.
            kind: only claims of this :class:`~claimtrack.ClaimKind`.
            role: only claims made while the speaker held the role of this title.
            as_of: the world date to judge at (any date input).
            known_at: the knowledge time to judge with.
            confidence: the level of the interval, strictly between 0 and 1.
            include_wording: also score confidences read off hedging words
                (``confidence_basis="wording"``).

        Returns:
            The :class:`~claimtrack.TrackRecord`.

        Raises:
            UnknownRecordError: *speaker* is not in the tracker.
            InvalidRecordError: *confidence* is outside (0, 1); *kind*, *as_of* or
                *known_at* is not valid; *role* was never held by the speaker (or, with
                no speaker, by anyone); each naming the argument.

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> _ = t.add_speaker("Donald Trump", id="trump",
            ...     roles=[ct.Role("President of the United States", start="2025-01-20")])
            >>> for i, verdict in enumerate(["held", "held", "failed", "partly held"]):
            ...     _ = t.add_claim("trump", f"Claim {i}.", id=f"c{i}", stated_on="2025-02-18")
            ...     _ = t.rule(f"c{i}", verdict, on="2025-03-01")
            >>> _ = t.add_claim("trump", "Claim 4.", stated_on="2024-06-01")
            >>> rec = t.track_record("trump", role="President of the United States")
            >>> rec.hit_rate, rec.resolved
            (0.625, 4)
            >>> print(rec.summary())
            Of 4 resolved claims, 2 held, 1 partly held and 1 failed: a hit rate of 63 %
            (95 % interval 22–91 %).

        Cost: O(claims selected) after a first :meth:`assess_all` (assessments of claims
        as they stand are cached until a record about the claim arrives); with *as_of*
        or *known_at*, one :meth:`assess` per claim selected.
        """
        level = _check_level(confidence)
        as_of_date = self._as_of_arg(as_of)
        known = self._known_at_arg(known_at)
        claims = self._selected(speaker, topic, kind, role, as_of_date, known)
        pairs = self._verdicts(claims, as_of_date, known)
        return TrackRecord.from_verdicts(pairs, confidence=level, include_wording=include_wording)

    @overload
    def leaderboard(
        self,
        *,
        by: Literal["hit_rate", "brier"] = ...,
        min_resolved: int = ...,
        topic: str | None = ...,
        kind: ClaimKind | str | None = ...,
        as_of: DateInput | None = ...,
        known_at: _dt.datetime | DateInput | None = ...,
        confidence: float = ...,
    ) -> tuple[LeaderboardRow, ...]: ...

    @overload
    def leaderboard(
        self,
        *,
        by: Literal[
            "final_brier",
            "time_averaged_brier",
            "relative_brier",
            "brier_skill",
            "log_score",
            "right_side_rate",
        ],
        min_resolved: int = ...,
        topic: str | None = ...,
        kind: ClaimKind | str | None = ...,
        as_of: DateInput | None = ...,
        known_at: _dt.datetime | DateInput | None = ...,
        confidence: float = ...,
    ) -> tuple[ForecastLeaderboardRow, ...]: ...

    @overload
    def leaderboard(
        self,
        *,
        by: str,
        min_resolved: int = ...,
        topic: str | None = ...,
        kind: ClaimKind | str | None = ...,
        as_of: DateInput | None = ...,
        known_at: _dt.datetime | DateInput | None = ...,
        confidence: float = ...,
    ) -> tuple[LeaderboardRow, ...] | tuple[ForecastLeaderboardRow, ...]: ...

    def leaderboard(
        self,
        *,
        by: str = "hit_rate",
        min_resolved: int = 5,
        topic: str | None = None,
        kind: ClaimKind | str | None = None,
        as_of: DateInput | None = None,
        known_at: _dt.datetime | DateInput | None = None,
        confidence: float = 0.95,
    ) -> tuple[LeaderboardRow, ...] | tuple[ForecastLeaderboardRow, ...]:
        """Speakers ranked by their track records, so that luck does not top the board.

        ``by="hit_rate"`` orders speakers by the *lower* end of their hit rate's Wilson
        interval, highest first (one claim that held gives 21 %, not 100 %), then by
        the number of resolved claims, then by name.  ``by="brier"`` orders them by
        their Brier score over claims with a stated confidence, lowest first, then by
        the number of such claims, then by name.  Each speaker's record is
        :meth:`track_record` with the same filters.

        Forecasters are ranked by their :meth:`forecast_record` with ``by=`` one of
        ``"final_brier"``, ``"time_averaged_brier"``, ``"relative_brier"`` (lowest
        first), ``"brier_skill"``, ``"log_score"`` (highest first) or
        ``"right_side_rate"`` (by the lower end of its Wilson interval, highest first);
        then by the number of claims scored, then by name.  These give
        :class:`~claimtrack.ForecastLeaderboardRow` s; *min_resolved* is then the
        minimum number of claims scored, and *known_at* is not supported (``None``).

        Args:
            by: ``"hit_rate"`` or ``"brier"``, or a forecast score (above).
            min_resolved: leave out speakers with fewer resolved claims (with
                ``by="brier"``: fewer claims scored); a speaker with none is always
                left out.
            topic: only claims with this topic.
            kind: only claims of this :class:`~claimtrack.ClaimKind`.
            as_of: the world date to judge at.
            known_at: the knowledge time to judge with.
            confidence: the level of the intervals, strictly between 0 and 1.

        Returns:
            :class:`~claimtrack.LeaderboardRow` s, best first.

        Raises:
            InvalidRecordError: *by* is not one of the allowed keys, *min_resolved* is
                not a whole number of at least 0, or *confidence* is outside (0, 1);
                naming the argument and the allowed values.

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> for who, verdicts in [("lucky", ["held"]), ("steady", ["held"] * 9 + ["failed"])]:
            ...     _ = t.add_speaker(who.title(), id=who)
            ...     for i, verdict in enumerate(verdicts):
            ...         _ = t.add_claim(who, f"Claim {i}.", id=f"{who}{i}", stated_on="2025-02-18")
            ...         _ = t.rule(f"{who}{i}", verdict, on="2025-03-01")
            >>> for row in t.leaderboard(min_resolved=1):
            ...     print(row)
            1. Steady: hit rate 90 % over 10 resolved claims (95 % interval 60–98 %)
            2. Lucky: hit rate 100 % over 1 resolved claim (95 % interval 21–100 %)

        Cost: O(claims selected) after a first :meth:`assess_all`, plus a sort of the
        speakers.
        """
        if not isinstance(by, str) or by not in (*RANKINGS, *FORECAST_RANKINGS):
            allowed = ", ".join(repr(k) for k in (*RANKINGS, *FORECAST_RANKINGS))
            raise InvalidRecordError("by", by, f"is not a ranking; allowed: {allowed}")
        if isinstance(min_resolved, bool) or not isinstance(min_resolved, int) or min_resolved < 0:
            raise InvalidRecordError(
                "min_resolved", min_resolved, "must be a whole number of at least 0"
            )
        level = _check_level(confidence)
        as_of_date = self._as_of_arg(as_of)
        known = self._known_at_arg(known_at)
        if by in FORECAST_RANKINGS:
            if known is not None:
                raise InvalidRecordError("known_at", known_at, f"is not supported with by={by!r}")
            records = self._forecast_records(topic, kind, as_of_date, level)
            return rank_forecasters(
                ((who, self._speakers[who].name, rec) for who, rec in records.items()),
                by=by,
                min_scored=min_resolved,
            )
        claims = self._selected(None, topic, kind, None, as_of_date, known)
        by_speaker: dict[str, list[tuple[Claim, Verdict]]] = {}
        for claim, verdict in self._verdicts(claims, as_of_date, known):
            by_speaker.setdefault(claim.speaker_id, []).append((claim, verdict))
        return rank_records(
            (
                (
                    speaker_id,
                    self._speakers[speaker_id].name,
                    TrackRecord.from_verdicts(pairs, confidence=level),
                )
                for speaker_id, pairs in by_speaker.items()
            ),
            by=by,
            min_resolved=min_resolved,
        )

    def records(self) -> Iterator[Record]:
        """Every record, in the order it was appended.

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> _ = t.add_speaker("Donald Trump", id="trump")
            >>> [type(r).__name__ for r in t.records()]
            ['Speaker']
        """
        return iter(list(self._by_id.values()))

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, item: object) -> bool:
        if isinstance(item, str):
            return item in self._by_id
        record_id = getattr(item, "id", None)
        return isinstance(record_id, str) and self._by_id.get(record_id) == item

    def __repr__(self) -> str:
        evidence = sum(len(v) for v in self._evidence_by_claim.values())
        return (
            f"<Tracker {len(self._speakers)} speakers, {len(self._claims)} claims, "
            f"{evidence} evidence, {type(self._store).__name__}>"
        )

    # -- lifetime ---------------------------------------------------------------------

    def refresh(self) -> tuple[Record, ...]:
        """Read the records other processes appended to the store since it was last read.

        A tracker over a file sees its own appends at once, and also picks up other
        writers' records whenever it appends; this reads them without appending.

        Returns:
            The new records, in the order they were appended.

        Raises:
            CorruptStoreError: a new record cannot be read.

        Example:
            >>> import os, tempfile
            >>> path = os.path.join(tempfile.mkdtemp(), "riyadh.jsonl")
            >>> reader, writer = ct.open(path), ct.open(path)
            >>> _ = writer.add_speaker("Sergey Lavrov", id="lavrov")
            >>> "lavrov" in reader, [r.id for r in reader.refresh()], "lavrov" in reader
            (False, ['lavrov'], True)
            >>> reader.close(); writer.close()

        .. versionadded:: 0.1.0

        Cost: O(number of new records).
        """
        new = tuple(self._store.read_new())
        self._apply_all(new)
        return new

    @property
    def store(self) -> Store:
        """The store the tracker appends to."""
        return self._store

    def close(self) -> None:
        """Close the store.  The tracker should not be used afterwards."""
        self._store.close()

    def __enter__(self) -> Tracker:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
