"""The commands that add records and read them back.

Speakers, claims, evidence, rulings, retractions, lists, assessments and track records.
"""

from __future__ import annotations

import argparse
import inspect
import re
from collections.abc import Sequence
from typing import Any, cast

from claimtrack._dates import PartialDate, RelativeDeadline, within
from claimtrack._model import Claim, Role, Source, Speaker
from claimtrack._records import TrackRecord
from claimtrack._scoring import Assessment
from claimtrack._tracker import Tracker
from claimtrack.errors import InvalidRecordError, UnknownRecordError

from ._errors import CommandError, UsageError
from ._output import (
    JSON_FORMAT,
    Session,
    assessment_json,
    clip,
    interval_words,
    iso_date,
    pct,
    record_json,
    speaker_of,
    table,
    track_record_json,
)


def _future(method: Any, args: argparse.Namespace) -> dict[str, Any]:
    """``allow_future=True`` for *method* when ``--allow-future`` was given.

    A tracker that does not check dates against today yet (before the dates work of
    issue 15) has no such parameter and accepts future dates anyway: nothing to pass.
    """
    if args.allow_future and "allow_future" in inspect.signature(method).parameters:
        return {"allow_future": True}
    return {}


def _source_from(args: argparse.Namespace) -> Source | None:
    given = {
        "title": args.source_title,
        "publisher": args.publisher,
        "author": args.author,
        "published": args.published,
        "url": args.url,
    }
    if all(v is None for v in given.values()) and args.reliability is None:
        return None
    reliability = 1.0 if args.reliability is None else args.reliability
    return Source(**given, reliability=reliability)


def cmd_init(s: Session) -> int:
    """``init [PATH]``: start a ledger (opening it creates it) and say where it is."""
    if isinstance(s.args.ledger, str):  # a PostgreSQL ledger: its schema exists now
        from claimtrack.stores._pgschema import shown

        s.emit(f"a ledger on {shown(s.args.ledger)} ({len(s.tracker)} records)")
        return 0
    where = s.args.ledger.resolve()
    if s.args.ledger_is_new:
        s.emit(f"started a new ledger at {where}")
    else:
        count = len(s.tracker)
        s.emit(f"a ledger is already at {where} ({count} records); left as it was")
    return 0


def cmd_speaker_add(s: Session) -> int:
    a = s.args
    roles = []
    for spec in a.role or ():
        if len(spec) > 3:
            raise InvalidRecordError("--role", " ".join(spec), "takes TITLE [START [END]]")
        roles.append(Role(*spec))
    wanted = " ".join(a.name.split()).casefold()
    namesakes = [
        x.id for x in s.tracker.speakers() if " ".join(x.name.split()).casefold() == wanted
    ]
    speaker = s.tracker.add_speaker(
        a.name, id=a.id, roles=roles, organization=a.organization, same_as=a.same_as or ()
    )
    if namesakes:
        others = ", ".join(namesakes)
        s.warn(
            f"a speaker named {a.name!r} was already in the ledger ({others}); "
            f"added {speaker.id} as another speaker (use --id {namesakes[0]} in claims "
            "to refer to the first)"
        )
    return s.added(speaker)


_PLUS = re.compile(r"\+\s*(\d{1,6})\s*([dwmy])", re.IGNORECASE)
_WITHIN = re.compile(r"(?:within|in)\s+(\d{1,6})\s+(day|week|month|year)s?", re.IGNORECASE)
_UNITS = {"d": "days", "w": "weeks", "m": "months", "y": "years"}


def due_from(text: str | None) -> str | RelativeDeadline | None:
    """``--due`` as the API takes it: a date string, or a deadline after ``stated_on``.

    ``+100d``, ``+2w``, ``+3m``, ``+1y`` and ``within 3 months`` (or ``in 3 months``)
    become :func:`claimtrack.within`; anything else is passed on as a date.

    Example:
        >>> due_from("+3m"), due_from("within 100 days"), due_from("2025-12-31")
        (RelativeDeadline(delta=relativedelta(months=+3)), \
RelativeDeadline(delta=relativedelta(days=+100)), '2025-12-31')
    """
    if text is None:
        return None
    spec = text.strip()
    found = _PLUS.fullmatch(spec) or _WITHIN.fullmatch(spec)
    if found is None:
        return text
    count, unit = found.groups()
    return within(**{_UNITS[unit[0].lower()]: int(count)})


def cmd_claim_add(s: Session) -> int:
    a = s.args
    claim = s.tracker.add_claim(
        a.speaker,
        a.text,
        stated_on=a.stated_on,
        id=a.id,
        quote=a.quote,
        kind=a.kind,
        source=_source_from(a),
        due=due_from(a.due),
        topics=a.topic or (),
        confidence=a.confidence,
        **_future(s.tracker.add_claim, a),
    )
    return s.added(claim)


def cmd_evidence_add(s: Session) -> int:
    a = s.args
    evidence = s.tracker.add_evidence(
        a.claim,
        a.text,
        stance=a.stance,
        observed_on=a.observed,
        strength=a.strength,
        source=_source_from(a),
        id=a.id,
        **_future(s.tracker.add_evidence, a),
    )
    return s.added(evidence)


def cmd_rule(s: Session) -> int:
    a = s.args
    ruling = s.tracker.rule(
        a.claim,
        a.verdict,
        on=a.on,
        rationale=a.rationale,
        by=a.by,
        id=a.id,
        **_future(s.tracker.rule, a),
    )
    return s.added(ruling)


def cmd_retract(s: Session) -> int:
    a = s.args
    retraction = s.tracker.retract(a.record, reason=a.reason, id=a.id)
    return s.added(retraction)


def cmd_list_speakers(s: Session) -> int:
    speakers = s.tracker.speakers()
    if s.args.json:
        s.emit_json(
            {"format": JSON_FORMAT, "speakers": [record_json(s.tracker, x) for x in speakers]}
        )
        return 0
    rows = [
        [
            x.id,
            clip(x.name, 40),
            str(len(s.tracker.claims(x))),
            "; ".join(r.title for r in x.roles),
        ]
        for x in speakers
    ]
    s.emit(table(["ID", "NAME", "CLAIMS", "ROLES"], rows))
    return 0


def speaker_id(tracker: Tracker, given: str) -> str:
    """The id of the speaker *given* by id, or by name when one speaker has that name."""
    try:
        return tracker.speaker(given).id
    except UnknownRecordError:
        wanted = " ".join(given.split()).casefold()
        named = [x.id for x in tracker.speakers() if x.name.casefold() == wanted]
        if len(named) == 1:
            return named[0]
        raise


def _date_flag(value: str | None, field: str) -> PartialDate | None:
    return None if value is None else PartialDate.coerce(value, field=field)


def select_claims(
    s: Session, *, include_retracted: bool = False, verdict: bool = True
) -> Sequence[Claim]:
    """The claims the filter flags choose, in the order they were added.

    The flags are ``--speaker --topic --kind --verdict --since --until``.

    ``--since``/``--until`` are passed to :meth:`Tracker.claims` when it takes them;
    otherwise a claim is kept when its ``stated_on`` overlaps the range (a claim stated
    "in February 2025" is kept by ``--since 2025-02-15``).
    """
    a = s.args
    t = s.tracker
    since = _date_flag(getattr(a, "since", None), "since")
    until = _date_flag(getattr(a, "until", None), "until")
    filters: dict[str, Any] = {"topic": a.topic, "kind": a.kind}
    if verdict:
        filters["verdict"] = getattr(a, "verdict", None)
    speakers = a.speaker if isinstance(a.speaker, list) else [a.speaker] if a.speaker else [None]
    ranged = "since" in inspect.signature(t.claims).parameters
    if ranged:
        filters.update(since=since, until=until)
    found: list[Claim] = []
    for who in speakers:
        chosen = None if who is None else speaker_id(t, who)
        found.extend(t.claims(chosen, include_retracted=include_retracted, **filters))
    if not ranged:
        found = [
            c
            for c in found
            if (since is None or c.stated_on.end >= since.start)
            and (until is None or c.stated_on.start <= until.end)
        ]
    return found


def cmd_list_evidence(s: Session) -> int:
    """``list evidence CLAIM``: every piece of evidence on a claim, retracted ones too."""
    a = s.args
    t = s.tracker
    claim = t.claim(a.claim)
    found = t.evidence(claim)
    if a.json:
        s.emit_json(
            {
                "format": JSON_FORMAT,
                "claim_id": claim.id,
                "evidence": [record_json(t, e) for e in found],
            }
        )
        return 0
    rows = [
        [
            e.id + (" (retracted)" if t.is_retracted(e) else ""),
            str(e.observed_on),
            e.stance.value,
            e.strength.value,
            clip(e.text, 60),
        ]
        for e in found
    ]
    s.emit(table(["ID", "OBSERVED", "STANCE", "STRENGTH", "TEXT"], rows))
    return 0


def cmd_list_claims(s: Session) -> int:
    a = s.args
    claims = select_claims(s, include_retracted=a.include_retracted)
    if a.json:
        s.emit_json({"format": JSON_FORMAT, "claims": [record_json(s.tracker, c) for c in claims]})
        return 0
    rows = [
        [
            c.id + (" (retracted)" if s.tracker.is_retracted(c) else ""),
            c.speaker_id,
            c.kind.value,
            str(c.stated_on),
            iso_date(c.due) or "-",
            clip(c.text, 60),
        ]
        for c in claims
    ]
    s.emit(table(["ID", "SPEAKER", "KIND", "STATED", "DUE", "TEXT"], rows))
    return 0


def cmd_assess(s: Session) -> int:
    a = s.args
    t = s.tracker
    found: tuple[Assessment, ...]
    filtered = any(getattr(a, f) for f in ("speaker", "topic", "kind", "verdict", "since", "until"))
    if a.claim is not None:
        if filtered:
            raise UsageError("give a CLAIM or the filters (--speaker, --topic, …), not both")
        found = (t.assess(a.claim, as_of=a.as_of, known_at=a.known_at),)
    elif filtered:
        chosen = select_claims(s, verdict=False)
        found = tuple(t.assess(c, as_of=a.as_of, known_at=a.known_at) for c in chosen)
    else:
        found = t.assess_all(as_of=a.as_of, known_at=a.known_at)
    if a.verdict:
        found = tuple(x for x in found if x.verdict.value == a.verdict)
    if a.json:
        s.emit_json({"format": JSON_FORMAT, "assessments": [assessment_json(t, x) for x in found]})
        return 0
    if a.claim is not None:
        (one,) = found
        s.emit(f"{one.claim.id}: {one.verdict.label}, probability {pct(one.probability)}")
        s.emit("")
        s.emit(one.explain(speaker=speaker_of(t, one)))
        return 0
    rows = [
        [
            x.claim.id,
            x.claim.speaker_id,
            x.verdict.label + ("*" if x.verdict != x.computed_verdict else ""),
            pct(x.probability),
            clip(x.claim.text, 56),
        ]
        for x in found
    ]
    s.emit(table(["CLAIM", "SPEAKER", "VERDICT", "P(HELD)", "TEXT"], rows))
    if any(x.verdict != x.computed_verdict for x in found):
        s.emit("* a ruling overrides the computed verdict")
    return 0


def cmd_history(s: Session) -> int:
    a = s.args
    t = s.tracker
    steps = t.history(a.claim, known_at=a.known_at)
    claim = t.claim(a.claim)
    if a.json:
        s.emit_json(
            {
                "format": JSON_FORMAT,
                "claim_id": claim.id,
                "history": [assessment_json(t, x) for x in steps],
            }
        )
        return 0
    rows = [
        [iso_date(x.as_of) or "now", x.verdict.label, pct(x.probability), str(len(x.contributions))]
        for x in steps
    ]
    s.emit(table(["AS OF", "VERDICT", "P(HELD)", "EVIDENCE"], rows))
    return 0


def _speaker_records(s: Session) -> list[tuple[Speaker, TrackRecord]]:
    a = s.args
    t = s.tracker
    chosen = (t.speaker(a.speaker),) if getattr(a, "speaker", None) else t.speakers()
    return [(who, t.track_record(who, topic=a.topic, kind=a.kind, as_of=a.as_of)) for who in chosen]


def cmd_record(s: Session) -> int:
    a = s.args
    pairs = _speaker_records(s)
    forecasts = getattr(a, "forecasts", False)
    if forecasts:
        from ._forecasts import forecast_record_json

        t = s.tracker
        fore = {
            w.id: t.forecast_record(w, topic=a.topic, kind=a.kind, as_of=a.as_of) for w, _ in pairs
        }
    if a.json:
        label = {"topic": a.topic, "kind": a.kind, "as_of": a.as_of}
        records = []
        for w, r in pairs:
            item = track_record_json({"speaker_id": w.id, "name": w.name, **label}, r)
            if forecasts:
                item["forecasts"] = forecast_record_json(fore[w.id])
            records.append(item)
        s.emit_json({"format": JSON_FORMAT, "records": records})
        return 0
    for i, (who, rec) in enumerate(pairs):
        if i:
            s.emit("")
        s.emit(f"{who.name} ({who.id})")
        s.emit(rec.summary())
        if forecasts:
            s.emit("Forecasts: " + fore[who.id].summary())
    if not pairs:
        s.emit("(none)")
    return 0


def cmd_leaderboard(s: Session) -> int:
    a = s.args
    from ._forecasts import FORECAST_RANKINGS, cmd_forecast_leaderboard

    if a.by in FORECAST_RANKINGS:
        return cmd_forecast_leaderboard(s)
    rows = s.tracker.leaderboard(
        by=a.by, min_resolved=a.min_resolved, topic=a.topic, kind=a.kind, as_of=a.as_of
    )
    if a.json:
        s.emit_json(
            {
                "format": JSON_FORMAT,
                "by": a.by,
                "min_resolved": a.min_resolved,
                "leaderboard": [
                    {
                        "rank": r.rank,
                        "speaker_id": r.speaker_id,
                        "name": r.name,
                        "resolved": r.resolved,
                        "total": r.record.total,
                        "hit_rate": r.hit_rate,
                        "interval": list(r.interval),
                        "brier": r.record.brier,
                        "scored": r.record.scored,
                    }
                    for r in rows
                ],
            }
        )
        return 0
    cells = [
        [
            str(r.rank),
            clip(r.name, 30),
            f"{r.resolved}/{r.record.total}",
            pct(r.hit_rate),
            interval_words(r.record),
            "-" if r.record.brier is None else f"{r.record.brier:.3f}",
        ]
        for r in rows
    ]
    s.emit(table(["#", "SPEAKER", "RESOLVED", "HIT RATE", "95% INTERVAL", "BRIER"], cells))
    if not rows:
        s.emit(f"(speakers with fewer than {a.min_resolved} resolved claims are left out)")
    return 0


def cmd_search(s: Session) -> int:
    """``search WORDS…``: claims and evidence by their words, best match first.

    It asks :meth:`Tracker.search` (SQLite's FTS5 for a SQLite ledger, an index in
    memory otherwise).
    """
    a = s.args
    t = s.tracker
    words = " ".join(" ".join(a.words).split())
    if not words:
        raise UsageError("give the words to search for")
    if a.limit < 1:
        raise UsageError(f"--limit: {a.limit} must be at least 1")
    if not hasattr(t, "search"):  # Tracker.search comes with the store redesign (core)
        raise CommandError("search: this claimtrack's tracker cannot search yet")
    found: list[tuple[Any, float]] = cast("Any", t).search(words, limit=a.limit)
    if a.json:
        s.emit_json(
            {
                "format": JSON_FORMAT,
                "words": words,
                "results": [{"score": score, "record": record_json(t, r)} for r, score in found],
            }
        )
        return 0
    rows = [
        [
            r.id + (" (retracted)" if t.is_retracted(r) else ""),
            type(r).__name__.lower(),
            str(getattr(r, "speaker_id", None) or getattr(r, "claim_id", None) or "-"),
            clip(str(getattr(r, "text", None) or getattr(r, "name", "")), 60),
        ]
        for r, _score in found
    ]
    s.emit(table(["ID", "TYPE", "OF", "TEXT"], rows))
    return 0
