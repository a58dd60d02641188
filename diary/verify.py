"""`rusta diary verify`: check every frame and every entry of the DevLog, read-only.

Frame damage (bad header, torn or corrupt frame) is reported with its segment file and exact byte
range. Frames that verify are then held to the schema and to the log's rules: unique ids, a known
kind and version, a summary, settles/task pointing at records that exist (or were compacted away
behind a checkpoint, which is only a warning).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Literal

from diary import frames, schema, segments
from diary.types import DamageReport, Entry, EntryProblem, VerifyReport

Severity = Literal["error", "warning"]


def verify(root: str | Path) -> VerifyReport:
    d = segments.log_dir(root)
    segs = segments.list_segments(d)
    damage: list[DamageReport] = []
    problems: list[EntryProblem] = []
    seen: dict[str, str] = {}
    intents: set[str] = set()
    nframes = nentries = 0
    last_no = segs[-1][0] if segs else 0
    for n, path in segs:
        data = path.read_bytes()
        name = path.name
        head = frames.decode_header(data)
        if isinstance(head, str):
            saved = frames.salvage_header(data, n)
            if saved is None:
                damage.append(DamageReport(segment=name, start=0, end=len(data), reason=head, at_tail=True))
                continue
            head, hurt = saved
            damage.append(
                DamageReport(segment=name, start=hurt.start, end=hurt.end, reason=hurt.reason, at_tail=False)
            )
        if head.number != n:
            problems.append(
                EntryProblem(
                    segment=name, offset=0, entry_id=None, problem=f"header says segment {head.number}"
                )
            )
        for item in frames.scan(head, data):
            if isinstance(item, frames.Damage):
                why = item.reason + (
                    " (a crash's torn tail, or a write in progress)" if item.at_tail and n == last_no else ""
                )
                damage.append(
                    DamageReport(
                        segment=name, start=item.start, end=item.end, reason=why, at_tail=item.at_tail
                    )
                )
                continue
            nframes += 1
            try:
                e = schema.decode(item.body)
            except schema.SchemaError as err:
                problems.append(
                    EntryProblem(segment=name, offset=item.offset, entry_id=None, problem=f"schema: {err}")
                )
                continue
            nentries += 1
            for msg, severity in _rules(e, seen, intents):
                problems.append(
                    EntryProblem(
                        segment=name, offset=item.offset, entry_id=e.id, problem=msg, severity=severity
                    )
                )
            seen.setdefault(e.id, name)
            if e.kind == "intent":
                intents.add(e.id)
    return VerifyReport(
        segments=tuple(p.name for _, p in segs),
        frames=nframes,
        entries=nentries,
        damage=tuple(damage),
        problems=tuple(problems),
    )


def _rules(e: Entry, seen: dict[str, str], intents: set[str]) -> list[tuple[str, Severity]]:
    """What is wrong with one decoded entry, given the ids before it."""
    out: list[tuple[str, Severity]] = []
    if e.id in seen:
        return [(f"duplicate id (first in {seen[e.id]}); left by an interrupted compaction", "warning")]
    # A dangling reference is a warning: compaction folds settled records away, and recovery may have
    # cut the record it named. Frame damage and schema violations are the errors.
    missing: Severity = "warning"
    if not e.id:
        out.append(("empty id", "error"))
    if not (math.isfinite(e.ts) and e.ts > 0):
        out.append((f"timestamp {e.ts} is not a time", "error"))
    if e.version > schema.CURRENT_VERSION:
        out.append((f"version {e.version} is newer than this Rusta", "error"))
    if not e.summary:
        out.append(("payload has no summary", "warning"))
    if e.settles and e.settles not in seen:
        out.append((f"settles {e.settles}, which is not earlier in the log", missing))
    if e.task and e.task != e.id and e.task not in intents:
        out.append((f"task {e.task} is not an intent earlier in the log", missing))
    return out
