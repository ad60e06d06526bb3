"""The tracker's reading methods: records by id, claims by filter, a claim's records.

Each asks the store (see :mod:`claimtrack.stores._base`); the per-claim state comes
from the tracker's bounded cache (:mod:`claimtrack._tallies`).  :class:`Tracker`
brings the store up to date (:meth:`Tracker._sync`) at the start of every public call.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from ._assessment import Assessment
from ._dates import DateInput, DateOrder, PartialDate, as_utc_datetime
from ._enums import to_enum
from ._ids import record_id as _record_id
from ._model import (
    KIND_NAMES,
    Claim,
    ClaimKind,
    Evidence,
    Record,
    Retraction,
    Ruling,
    Speaker,
    Verdict,
)
from ._scoring import EvidenceWeighing, ScoringPolicy
from ._tallies import ClaimCache, ClaimState, withdrawn_ids
from .errors import InvalidRecordError, UnknownRecordError
from .stores import Store

__all__ = ["Reading"]

_R = TypeVar("_R", bound=Record)
Clock = Callable[[], _dt.datetime]


class Reading:
    """The reading half of :class:`~claimtrack.Tracker` (a mixin; see there)."""

    _store: Store
    _clock: Clock
    _date_order: DateOrder | None
    _policy: ScoringPolicy
    _weighing: EvidenceWeighing | None
    _cache: ClaimCache
    _weights: dict[tuple[str, str, float], tuple[int, float, float]]

    def _sync(self) -> tuple[Record, ...]:  # pragma: no cover - defined by Tracker
        raise NotImplementedError

    def _assess(
        self,
        state: ClaimState,
        as_of: PartialDate | None,
        known_at: _dt.datetime | None,
        today: PartialDate | None,
    ) -> Assessment:  # pragma: no cover - defined by Assessing
        raise NotImplementedError

    def _today(self) -> PartialDate:  # pragma: no cover - defined by Assessing
        raise NotImplementedError

    @property
    def _path(self) -> str | None:
        path = getattr(self._store, "path", None)
        return path if isinstance(path, str) else None

    # -- helpers -----------------------------------------------------------------------

    def _find(self, record_id: str) -> Record | None:
        return self._store.get(record_id)

    def _resolve(self, value: Any, cls: type[_R], name: str) -> _R:
        """Turn a record or an id into the stored record of type *cls*."""
        kind = KIND_NAMES[cls]
        if isinstance(value, cls):
            record_id = value.id
        elif isinstance(value, str):
            record_id = value
        else:
            raise InvalidRecordError(name, value, f"must be a {cls.__name__} or the id of a {kind}")
        found = self._find(record_id)
        if not isinstance(found, cls):
            raise UnknownRecordError(record_id, kind=kind)
        return found

    def _claim_id_arg(self, value: Any, name: str) -> str:
        if isinstance(value, Claim):
            return value.id
        if isinstance(value, str):
            return value
        raise InvalidRecordError(name, value, "must be a Claim or the id of a claim")

    def _state(self, claim: Any, name: str = "claim") -> ClaimState:
        """The state of a stored claim (from the cache, or built from the store)."""
        claim_id = self._claim_id_arg(claim, name)
        state = self._cache.get(claim_id)
        if state is None:
            found = self._store.claim_records(claim_id)
            if found is None:
                raise UnknownRecordError(claim_id, kind="claim")
            state = ClaimState(found, self._path)
            self._cache.put(claim_id, state)
        return state

    def _withdrawn(self, record_id: str, known_at: _dt.datetime | None) -> bool:
        """Whether *record_id* stands withdrawn at *known_at*."""
        below = self._store.retractions_of(record_id)
        return bool(below) and record_id in withdrawn_ids(below, known_at)

    # -- reading -----------------------------------------------------------------------

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

        Cost: one look-up in the store.
        """
        self._sync()
        found = self._find(record_id) if isinstance(record_id, str) else None
        if found is None:
            raise UnknownRecordError(str(record_id), kind="record")
        return found

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
        self._sync()
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
        self._sync()
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
        self._sync()
        return tuple(self._store.speakers())

    def _filters(
        self,
        speaker: Speaker | str | None,
        topic: str | None,
        kind: ClaimKind | str | None,
        since: DateInput | None,
        until: DateInput | None,
    ) -> dict[str, Any]:
        """The store's claim filters for the arguments of :meth:`claims`, checked."""
        filters: dict[str, Any] = {}
        if speaker is not None:
            filters["speaker_id"] = self._resolve(speaker, Speaker, "speaker").id
        if topic is not None:
            if not isinstance(topic, str):
                raise InvalidRecordError("topic", topic, "must be a string")
            filters["topic"] = topic.strip().lower()
        if kind is not None:
            filters["kind"] = to_enum(ClaimKind, kind, "kind")
        if since is not None:
            filters["stated_from"] = PartialDate.coerce(
                since, field="since", date_order=self._date_order
            ).start
        if until is not None:
            filters["stated_until"] = PartialDate.coerce(
                until, field="until", date_order=self._date_order
            ).end
        return filters

    def _claims_standing(self, found: Iterator[Claim]) -> Iterator[Claim]:
        """The claims of *found* that are not retracted."""
        if not self._store.counts().get("retraction"):
            yield from found
            return
        for claim in found:
            if not self._withdrawn(claim.id, None):
                yield claim

    def claims(
        self,
        speaker: Speaker | str | None = None,
        *,
        topic: str | None = None,
        kind: ClaimKind | str | None = None,
        verdict: Verdict | str | None = None,
        include_retracted: bool = False,
        since: DateInput | None = None,
        until: DateInput | None = None,
    ) -> tuple[Claim, ...]:
        """The claims that match every filter given, in the order they were added.

        Args:
            speaker: only this speaker's claims.
            topic: only claims tagged with this topic (case-insensitive).
            kind: only claims of this :class:`~claimtrack.ClaimKind`.
            verdict: only claims whose current :meth:`assess` verdict is this
                :class:`~claimtrack.Verdict` (or its value).
            include_retracted: also claims that have been retracted.
            since: only claims made on or after this date (``stated_on.end >=``
                the first day *since* covers).
            until: only claims made by this date (``stated_on.end <=`` the last
                day *until* covers).

        Raises:
            UnknownRecordError: *speaker* is not in the tracker.
            InvalidRecordError: *kind* is not a claim kind, *verdict* not a verdict,
                *since* or *until* not a date.

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> _ = t.add_speaker("Donald Trump", id="trump")
            >>> _ = t.add_claim("trump", "Ukraine will be involved.", stated_on="2025-02-18",
            ...                 topics={"ukraine"}, kind="assurance")
            >>> len(t.claims(topic="Ukraine", kind="assurance")), len(t.claims(kind="promise"))
            (1, 0)
            >>> len(t.claims(since="March 2025")), len(t.claims(until="2025"))
            (0, 1)

        With *verdict*, every claim that passes the other filters is assessed::

            >>> _ = t.add_evidence(t.claims()[0], "Jeddah talks.", stance="supports",
            ...                    strength="conclusive", observed_on="2025-03-11")
            >>> len(t.claims(verdict=ct.Verdict.HELD)), len(t.claims(verdict="pending"))
            (1, 0)

        .. versionchanged:: 0.2.0
           *since* and *until*.

        Cost: one indexed query of the store, plus, if the ledger holds retractions,
        one look-up of the retractions of each claim; times the cost of
        :meth:`assess` with *verdict*.
        """
        self._sync()
        verdict_key = to_enum(Verdict, verdict, "verdict") if verdict is not None else None
        found: Iterator[Claim] = self._store.claims(
            **self._filters(speaker, topic, kind, since, until)
        )
        if not include_retracted:
            found = self._claims_standing(found)
        if verdict_key is None:
            return tuple(found)
        today = self._today()
        return tuple(
            c
            for c in found
            if self._assess(self._state(c), None, None, today).verdict is verdict_key
        )

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
        self._sync()
        return tuple(self._state(claim).evidence)

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
        self._sync()
        return tuple(self._state(claim).rulings)

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
        return tuple(r for r in self._store.retractions_of(record_id) if r.target_id == record_id)

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

        Cost: O(retractions bearing on the record's claim).
        """
        record_id = self.get(_record_id(record, "record")).id
        when = (
            None
            if known_at is None
            else as_utc_datetime(known_at, field="known_at", date_order=self._date_order)
        )
        return self._withdrawn(record_id, when)

    def records(self) -> Iterator[Record]:
        """Every record, in the order it was appended, streamed from the store.

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> _ = t.add_speaker("Donald Trump", id="trump")
            >>> [type(r).__name__ for r in t.records()]
            ['Speaker']
        """
        self._sync()
        return self._store.records()

    def search(self, words: str, *, limit: int = 20) -> list[tuple[Record, float]]:
        """Claims and evidence whose text matches *words*, best match first.

        Each result comes with its score (higher is better; the scale is the
        store's: SQLite ranks with FTS5's bm25, the memory and JSON Lines stores
        with a word index weighing rare words more).  Every word must be there;
        case does not matter.

        Args:
            words: the words to look for.
            limit: at most this many results, at least 1.

        Raises:
            InvalidRecordError: *words* is not text, or *limit* not a whole number of
                at least 1.

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> _ = t.add_speaker("Donald Trump", id="trump")
            >>> _ = t.add_claim("trump", "Ukraine will be involved.", id="c",
            ...                 stated_on="2025-02-18")
            >>> [record.id for record, score in t.search("UKRAINE")]
            ['c']

        .. versionadded:: 0.2.0
        """
        if not isinstance(words, str):
            raise InvalidRecordError("words", words, "must be a string")
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise InvalidRecordError("limit", limit, "must be a whole number of at least 1")
        self._sync()
        return self._store.search(words, limit=limit)

    def __len__(self) -> int:
        self._sync()
        return sum(self._store.counts().values())

    def __contains__(self, item: object) -> bool:
        self._sync()
        if isinstance(item, str):
            return self._find(item) is not None
        record_id = getattr(item, "id", None)
        return isinstance(record_id, str) and self._find(record_id) == item

    def __repr__(self) -> str:
        counts = self._store.counts()
        return (
            f"<Tracker {counts.get('speaker', 0)} speakers, {counts.get('claim', 0)} claims, "
            f"{counts.get('evidence', 0)} evidence, {type(self._store).__name__}>"
        )
