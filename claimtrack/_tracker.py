"""The :class:`Tracker`: the one object users talk to, a façade over its store.

The tracker validates records and appends them to its store; every question is asked
of the store (:mod:`claimtrack.stores._base`), and the per-claim scoring state (the
claim's records, a running tally of its evidence, its assessment as it stands) is
kept in a cache of bounded size (:mod:`claimtrack._tallies`).  The reading and
assessing methods live in :mod:`claimtrack._reading` and :mod:`claimtrack._assessing`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import Any, TypeVar

from ._appending import Appending
from ._dates import DateInput, DateOrder, RelativeDeadline, check_date_order
from ._forecasting import ForecastMixin
from ._ids import record_id, slug, suffixed
from ._model import (
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
)
from ._scoring import EvidenceWeighing, ScoringPolicy
from ._tallies import ClaimCache
from .errors import InvalidRecordError
from .stores import MemoryStore, Store

__all__ = ["Tracker"]

_R = TypeVar("_R", bound=Record)
Clock = Callable[[], _dt.datetime]


def _utcnow() -> _dt.datetime:
    return _dt.datetime.now(_dt.UTC)


class Tracker(Appending, ForecastMixin):
    """A ledger of speakers, claims, evidence, forecasts, rulings and retractions.

    Records are appended, never changed or deleted.  Every ``add_*`` method validates
    its input, stamps the record's ``recorded_at`` (knowledge time) and appends it to
    the store; a call that raises leaves the tracker and its store exactly as they were.

    Every argument that takes a record also takes its id.

    The tracker is a façade over its store: questions are answered by the store's
    queries (see :class:`~claimtrack.stores.Store`), so a tracker over a large ledger
    file holds only what it was asked about: the records and running tally of the
    claims it assessed most recently, a few thousand at most.  Every call sees every
    record committed to the store, by any process, before the call began: a tracker
    over a file first asks the store what arrived (cheap when nothing did: SQLite's
    ``PRAGMA data_version``) and forgets what it kept of the claims those records
    touch.  An id the tracker makes (no ``id=`` given) is checked against what is
    committed: if another writer takes it first, the tracker reads what arrived and
    makes the next one, in the same call.

    The tracker never changes the state of the Python process: it neither pauses nor
    freezes the garbage collector (see the how-to on sharing for a batch script's own
    choice).

    Args:
        store: where records are kept; a new :class:`~claimtrack.stores.MemoryStore`
            by default.
        policy: the :class:`~claimtrack.ScoringPolicy` that assesses claims; an
            :class:`~claimtrack.EvidenceWeighing` with the default parameters by
            default.  With an :class:`~claimtrack.EvidenceWeighing` the tracker keeps
            per-claim running tallies (see :meth:`assess`), each built when its claim
            is first assessed; any other policy is given the claim's records at each
            assessment.
        clock: returns the current time as an aware datetime; used for ``recorded_at``
            when a call does not give one, for today's date when an assessment
            without ``as_of`` checks a due date, and to refuse records dated in the
            future (see ``allow_future`` of :meth:`add`).  Tests pass a fixed clock.
        date_order: how to read all-numeric date strings whose day and month could be
            swapped (``"02/03/2025"``): ``"DMY"`` (day first), ``"MDY"`` (month first),
            or ``None`` (the default) to refuse them.  It applies to every date string
            the tracker's methods parse (see :meth:`~claimtrack.PartialDate.parse`).

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
    .. versionchanged:: 0.2.0
       A façade over the store's queries, with a bounded cache; never touches the
       garbage collector.
    """

    def __init__(
        self,
        store: Store | None = None,
        *,
        policy: ScoringPolicy | None = None,
        clock: Clock | None = None,
        date_order: DateOrder | None = None,
    ) -> None:
        self._date_order = check_date_order(date_order)
        self._store = MemoryStore() if store is None else store
        self._clock = _utcnow if clock is None else clock
        if policy is not None and not isinstance(policy, ScoringPolicy):
            raise InvalidRecordError("policy", policy, "must be a ScoringPolicy (have assess())")
        self._policy = EvidenceWeighing() if policy is None else policy
        # Running tallies are kept only for the default policy (whose arithmetic they
        # share); exactly EvidenceWeighing, as a subclass may override assess().
        self._weighing = self._policy if type(self._policy) is EvidenceWeighing else None
        self._cache = ClaimCache()
        self._weights = {}
        self._sync()

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
        roles = _once(roles)
        same_as = _once(same_as)
        return self._add_new(
            id,
            lambda new_id: Speaker(
                new_id,
                name,
                roles=roles,
                organization=organization,
                same_as=same_as,
                recorded_at=recorded_at,
            ),
            lambda: slug(name) if isinstance(name, str) else "",
            "speaker",
        )

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
        allow_future: bool = False,
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
            allow_future: accept a *stated_on* after the tracker's clock (see :meth:`add`).

        Returns:
            The stored :class:`~claimtrack.Claim`.

        Raises:
            InvalidRecordError: a field is invalid (naming it), or *stated_on* is in the
                future.
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
        self._sync()
        who = self._resolve(speaker, Speaker, "speaker")
        topics = _once(topics)
        return self._add_new(
            id,
            lambda new_id: Claim(
                new_id,
                who.id,
                text,
                quote=quote,
                kind=kind,
                stated_on=self._date(stated_on, "stated_on"),
                source=source,
                due=self._date(due, "due"),
                topics=topics,
                confidence=confidence,
                confidence_basis=confidence_basis,
                recorded_at=recorded_at,
            ),
            lambda: slug(f"{who.id} {text}" if isinstance(text, str) else who.id),
            "claim",
            allow_future=allow_future,
        )

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
        allow_future: bool = False,
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
            allow_future: accept an *observed_on* after the tracker's clock (see :meth:`add`).

        Returns:
            The stored :class:`~claimtrack.Evidence`.

        Raises:
            InvalidRecordError: a field is invalid (naming it), or *observed_on* is in
                the future.
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
        self._sync()
        target = self._state(claim).claim
        return self._add_new(
            id,
            lambda new_id: Evidence(
                new_id,
                target.id,
                text,
                stance=stance,
                strength=strength,
                observed_on=self._date(observed_on, "observed_on"),
                source=source,
                recorded_at=recorded_at,
            ),
            self._count_on(target.id, "e"),
            "evidence",
            allow_future=allow_future,
        )

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
        allow_future: bool = False,
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
            allow_future: accept an *on* after the tracker's clock (see :meth:`add`).

        Returns:
            The stored :class:`~claimtrack.Ruling`.

        Raises:
            InvalidRecordError: an invalid verdict (listing the allowed values) or field,
                or *on* is in the future.
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
        self._sync()
        target = self._state(claim).claim
        return self._add_new(
            id,
            lambda new_id: Ruling(
                new_id,
                target.id,
                verdict,
                on=self._date(on, "on"),
                rationale=rationale,
                by=by,
                recorded_at=recorded_at,
            ),
            self._count_on(target.id, "r"),
            "ruling",
            allow_future=allow_future,
        )

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
        target_id = self.get(record_id(record, "record")).id

        def base() -> str:
            n = sum(r.target_id == target_id for r in self._store.retractions_of(target_id))
            return suffixed(target_id, f"-x{n + 1}")

        return self._add_new(
            id,
            lambda new_id: Retraction(new_id, target_id, reason=reason, recorded_at=recorded_at),
            base,
            "retraction",
        )

    def add(self, record: _R, *, allow_future: bool = False) -> _R:
        """Append a record built by hand (or read from elsewhere).

        Its ``recorded_at`` is kept if set, stamped from the clock otherwise.

        A record dated after the tracker's clock (a claim's ``stated_on``, evidence's
        ``observed_on``, a ruling's ``on``) is refused: nothing can have been said,
        observed or ruled yet on a day that has not come.  The clock's date in UTC is
        taken as "today anywhere on Earth", so the day after it is still accepted
        (it is already tomorrow in UTC+14).  A claim's ``due`` date may lie in the
        future.

        Args:
            record: the record.
            allow_future: accept a record dated in the future, e.g. an import of
                scheduled events.

        Returns:
            The stored record.

        Raises:
            InvalidRecordError: a field is invalid, or the record is dated in the
                future without *allow_future*.

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> t.add(ct.Speaker("kellogg", "Keith Kellogg")).name
            'Keith Kellogg'
        """
        self._sync()
        return self._add(record, allow_future)

    def add_many(self, records: Iterable[Record], *, allow_future: bool = False) -> list[Record]:
        """Append many records at once: all of them, or none.

        Records may refer to one another (a claim to a speaker earlier in the same
        call).  If any is invalid the call raises and nothing is added.  This is the
        bulk path for imports: one store transaction (SQLite) or one framed write
        (JSON Lines) for the whole call.  A record dated in the future is refused as
        by :meth:`add`, unless *allow_future* is true.

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
        self._sync()
        return self._append(list(records), allow_future)

    # -- lifetime ---------------------------------------------------------------------

    def refresh(self) -> tuple[Record, ...]:
        """Read the records other processes appended to the store since it was last read.

        Every call of a tracker over a file already sees what other writers committed
        before it began; this tells what arrived.

        Returns:
            The new records, in the order they were appended.

        Raises:
            CorruptStoreError: a new record cannot be read.

        Example:
            >>> import os, tempfile
            >>> path = os.path.join(tempfile.mkdtemp(), "riyadh.jsonl")
            >>> reader, writer = ct.open(path), ct.open(path)
            >>> _ = writer.add_speaker("Sergey Lavrov", id="lavrov")
            >>> [r.id for r in reader.refresh()], "lavrov" in reader
            (['lavrov'], True)
            >>> reader.close(); writer.close()

        .. versionadded:: 0.1.0

        Cost: O(number of new records).
        """
        return self._sync()

    @property
    def store(self) -> Store:
        """The store the tracker appends to."""
        return self._store

    def close(self) -> None:
        """Close the store.  The tracker should not be used afterwards."""
        self._cache.clear()
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

    # -- live updates (issue 16) -------------------------------------------------------

    def follow(self, *, timeout: float | None = None, poll: float = 0.2) -> Iterator[Record]:
        """Yield the records other writers commit, as they come, applied to this tracker.

        A PostgreSQL store wakes on the ledger's notifications (LISTEN/NOTIFY); other
        stores are polled every *poll* seconds (SQLite reads ``PRAGMA data_version``, a
        JSON Lines log its size, through :meth:`refresh`).  Records this tracker
        appends itself are not yielded.

        Args:
            timeout: stop once no record has come for this many seconds; ``None``
                follows for ever (stop by leaving the loop).
            poll: seconds between looks at the store.

        Yields:
            Each new record once, in the store's order.

        Example:
            >>> import os, tempfile
            >>> path = os.path.join(tempfile.mkdtemp(), "riyadh.db")
            >>> dashboard, desk = ct.open(path), ct.open(path)
            >>> _ = desk.add_speaker("Sergey Lavrov", id="lavrov")
            >>> [r.id for r in dashboard.follow(timeout=0.1, poll=0.02)]
            ['lavrov']
            >>> dashboard.close(); desk.close()

        .. versionadded:: 0.2.0
        """
        import time  # (here, to keep this hunk local until _tracker.py is split)

        wait = getattr(self._store, "wait_for_new", None)
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            new = self.refresh()
            if new:
                yield from new
                deadline = None if timeout is None else time.monotonic() + timeout
                continue
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return
            if wait is not None:
                wait(left, poll=poll)
            else:
                time.sleep(poll if left is None else min(poll, left))


def _once(values: Any) -> Any:
    """*values*, as a tuple if it is an iterator (an id may be made more than once)."""
    return tuple(values) if isinstance(values, Iterator) else values
