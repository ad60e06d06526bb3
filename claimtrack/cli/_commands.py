"""The commands that add records and read them back.

Speakers, claims, evidence, rulings, retractions, lists, assessments and track records.
"""

from __future__ import annotations

import argparse

from claimtrack._model import Role, Source, Speaker
from claimtrack._records import TrackRecord
from claimtrack._scoring import Assessment
from claimtrack.errors import InvalidRecordError

from ._output import (
    JSON_FORMAT,
    Session,
    assessment_json,
    clip,
    interval_words,
    iso_date,
    pct,
    record_json,
    table,
    track_record_json,
)


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


def cmd_speaker_add(s: Session) -> int:
    a = s.args
    roles = []
    for spec in a.role or ():
        if len(spec) > 3:
            raise InvalidRecordError("--role", spec, "takes TITLE [START [END]]")
        roles.append(Role(*spec))
    speaker = s.tracker.add_speaker(
        a.name, id=a.id, roles=roles, organization=a.organization, same_as=a.same_as or ()
    )
    return s.added(speaker)


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
        due=a.due,
        topics=a.topic or (),
        confidence=a.confidence,
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
    )
    return s.added(evidence)


def cmd_rule(s: Session) -> int:
    a = s.args
    ruling = s.tracker.rule(a.claim, a.verdict, on=a.on, rationale=a.rationale, by=a.by, id=a.id)
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


def cmd_list_claims(s: Session) -> int:
    a = s.args
    claims = s.tracker.claims(
        a.speaker, topic=a.topic, kind=a.kind, include_retracted=a.include_retracted
    )
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
    if a.claim is not None:
        found = (t.assess(a.claim, as_of=a.as_of, known_at=a.known_at),)
    else:
        found = t.assess_all(as_of=a.as_of, known_at=a.known_at)
    if a.json:
        s.emit_json({"format": JSON_FORMAT, "assessments": [assessment_json(t, x) for x in found]})
        return 0
    if a.claim is not None:
        (one,) = found
        s.emit(f"{one.claim.id}: {one.verdict.label}, probability {pct(one.probability)}")
        s.emit("")
        s.emit(one.explain())
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
