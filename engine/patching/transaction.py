"""The one write path to the user's files: a DevLog transaction that kill -9 cannot leave half done.

Every apply, undo and redo is the same transaction on a set of files (payloads follow
`diary.replay`'s conventions):

    intent      {"via": "patching", "op", "patch_id", "files", "summary", "reverts", "explanation"}
    action      {"op": "snapshot", "for": op, "snapshot_before", "snapshot_after"}  both written to
                Rusta's store first; snapshot_after is derived there, no user file touched yet
    (files)     each replaced atomically, in sorted order
    validation  {"tool": "test"|"check"|"verify", "ok", "written_ok", ...}  the sandbox verdict for an
                apply, a content check for undo/redo
    action      {"op", "status": "done", "patch_id", "files", "before"/"after": {path: sha256|None},
                 "snapshot", "snapshot_before", "snapshot_after", "reverts"}  settles the intent

Until the "snapshot" record is on disk no user file has been written, so an intent without it is
simply closed ("status": "failed", "step": "aborted"). After it, `recover` compares each file with
both snapshots: all at "after" means the work was done and it is finished; anything else is rolled
back to "before" ("status": "failed", "step": "rolled_back"). A file matching neither was edited
by the user after the crash and is left alone, and said so.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from diary import snapshots as snaps
from diary import storelocks
from diary.devlog import DevLog
from diary.payloads import PayloadBase
from diary.replay import sha256_file
from diary.types import Entry
from engine.patching.errors import Busy, PatchError
from engine.patching.types import OpKind, OpRecord, OpState

CRASH_ENV = "RUSTA_TEST_CRASH_AT"
LOCK_WAIT_S = 30.0
RECOVER_GRACE_S = 2.0  # a process killed while it forked (git ls-files) leaves the fork holding the
# patch lock until it execs, a moment later on a loaded machine: recovery waits that long for it
OPS = ("apply", "undo", "redo")


def crash_point(step: str) -> None:
    """Test hook: die by SIGKILL at `step` when RUSTA_TEST_CRASH_AT names it. Inert otherwise."""
    if os.environ.get(CRASH_ENV) == step:
        os.kill(os.getpid(), signal.SIGKILL)


@contextlib.contextmanager
def patch_lock(root: Path, wait: bool = True, grace_s: float = 0.0) -> Iterator[bool]:
    """One patch transaction (or recovery) per crate at a time, across processes.

    Yields False when `wait` is off and another process still holds it after `grace_s`; with
    `wait`, tries for LOCK_WAIT_S (a transaction holds it for well under a second), then raises Busy.
    """
    d = snaps.ensure_rusta_dir(root)
    deadline = time.monotonic() + (LOCK_WAIT_S if wait else grace_s)
    while True:
        with snaps.file_lock(d / "patching.lock", wait=False) as got:
            if got or time.monotonic() >= deadline:
                if not got and wait:
                    raise Busy(
                        "another Rusta process is changing files in this crate; try again in a moment."
                    )
                yield got
                return
        time.sleep(0.05)


def run_op(
    root: Path,
    *,
    op: OpKind,
    patch_id: str,
    changes: dict[str, tuple[int, bytes] | None],
    summary: str,
    plan: str = "",
    explanation: str = "",
    reverts: str | None = None,
    validation: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> OpRecord:
    """Write `changes` (path -> (git mode, bytes) or None to delete) as one crash-safe transaction.

    `plan` is the intent's line (what is about to happen), `summary` the done record's (what did);
    `extra` goes into the intent as is (the diff and what it addresses, for an apply).
    The caller holds `patch_lock` and has checked its preconditions under it.
    """
    files = sorted(changes)
    base = {"op": op, "patch_id": patch_id, "files": files}
    log = DevLog.open(root)
    try:
        intent = log.append(
            "intent",
            {
                **base,
                "via": "patching",
                "summary": plan or summary,
                "done_summary": summary,
                "reverts": reverts,
                "explanation": explanation,
                **(extra or {}),
            },
        )
        crash_point("after_intent")
        return _run_steps(root, log, intent, base, changes, summary, explanation, reverts, validation)
    finally:
        log.close()


def _run_steps(
    root: Path,
    log: DevLog,
    intent: str,
    base: dict[str, Any],
    changes: dict[str, tuple[int, bytes] | None],
    summary: str,
    explanation: str,
    reverts: str | None,
    validation: dict[str, Any] | None,
) -> OpRecord:
    """The steps after the intent. Any exception (a full disk, a folder in a file's way, Ctrl-C)
    is met at once by the same recovery a restart would run, then re-raised: never half applied."""
    op, patch_id, files = base["op"], base["patch_id"], base["files"]
    hashes_before = {f: sha256_file(root / f) for f in files}
    records: list[Entry] = []
    try:
        before = snaps.snapshot(root, f"before {op} {patch_id}")
        after = snaps.derive(root, before, changes, f"after {op} {patch_id}")
        crash_point("after_snapshots")
        snap_eid = log.append(
            "action",
            {
                "op": "snapshot",
                "for": op,
                "patch_id": patch_id,
                "files": files,
                "snapshot_before": before,
                "snapshot_after": after,
                "summary": f"snapshots taken before writing {len(files)} file(s)",
            },
            task=intent,
            repo_state={"snapshot": before},
        )
        records.append(log.get(snap_eid))
        crash_point("after_snapshot_record")
        written = []

        def each(path: str) -> None:
            written.append(path)
            crash_point(f"after_write_{len(written)}")

        snaps.restore_paths(root, after, files, after_each=each)
        crash_point("after_writes")
        want = snaps.entries(root, after)
        ok = all(
            snaps.current_entry(root, p) == ((want[p].mode, want[p].blob) if p in want else None)
            for p in files
        )
        check = dict(validation or {"tool": "verify", "ok": ok})
        check.update(
            written_ok=ok,
            patch_id=patch_id,
            summary=check.get("summary")
            or ("the files hold exactly the new content" if ok else "the files differ from what was written"),
        )
        log.append("validation", check, task=intent, repo_state={"snapshot": after})
        crash_point("after_validation_record")
        payload = {
            **base,
            "status": "done",
            "before": hashes_before,
            "after": {f: sha256_file(root / f) for f in files},
            "snapshot": after,
            "snapshot_before": before,
            "snapshot_after": after,
            "summary": summary,
            "reverts": reverts,
            "explanation": explanation,
        }
        log.append("action", payload, settles=intent, repo_state={"snapshot": after})
    except BaseException as exc:
        said = ""
        with contextlib.suppress(Exception):
            if intent not in {e.settles for e in log.entries() if e.settles}:
                said = _recover_one(root, log, log.get(intent), records)
        if isinstance(exc, Exception) and said:
            why = (
                str(exc).rstrip(".") if getattr(exc, "user_facing", False) else f"{type(exc).__name__}: {exc}"
            )
            raise PatchError(f"{why}. Then: {said[0].lower()}{said[1:]}") from exc
        raise
    crash_point("after_done")
    return op_record(intent, payload, log.get(intent).ts)


def op_record(op_id: str, p: dict[str, Any] | PayloadBase, at: float, state: OpState = "done") -> OpRecord:
    return OpRecord(
        op_id=op_id,
        op=p["op"],
        patch_id=p.get("patch_id", ""),
        files=tuple(p.get("files", ())),
        snapshot_before=p.get("snapshot_before", ""),
        snapshot_after=p.get("snapshot_after", ""),
        summary=p.get("summary", ""),
        at=at,
        reverts=p.get("reverts"),
        state=state,
        explanation=p.get("explanation", ""),
    )


def is_patch_intent(e: Entry) -> bool:
    return e.kind == "intent" and e.payload.get("via") == "patching" and e.payload.get("op") in OPS


def recover(root: Path) -> list[str]:
    """Finish or roll back every patch transaction a crash interrupted; say what was done, per op.

    Safe to call at every start: with nothing interrupted it only reads the DevLog and lists the
    snapshot store's folders.
    """
    root = root.resolve()
    if not (root / ".rusta" / "devlog").is_dir() and not snaps.store_path(root).is_dir():
        return []
    with patch_lock(root, wait=False, grace_s=RECOVER_GRACE_S) as mine:
        if not mine:
            return ["another Rusta process is patching this crate; recovery is left to it."]
        return recover_locked(root)


def recover_locked(root: Path) -> list[str]:
    """`recover` for a caller that already holds the patch lock."""
    said = clear_store_locks(root)
    if not (root / ".rusta" / "devlog").is_dir():
        return said
    log = DevLog.open(root)
    try:
        open_ops = [e for e in log.open_intents() if is_patch_intent(e)]
        if not open_ops:
            return said
        by_task: dict[str, list[Entry]] = {}
        for e in log.entries():
            if e.task:
                by_task.setdefault(e.task, []).append(e)
        for intent in open_ops:
            said.append(_recover_one(root, log, intent, by_task.get(intent.id, [])))
    finally:
        log.close()
    return said


def clear_store_locks(root: Path) -> list[str]:
    """Put right what a writer killed inside the snapshot store left: its dulwich lock files (each
    would stop every later snapshot with `FileLocked`) and a store left half made. The repair is
    noted in the DevLog. The store's own writer lock is taken for it, so a live snapshot (a
    validation holds no patch lock) is waited for, not cut."""
    fixed = storelocks.clear_stale(root)
    said = []
    if fixed.remade:
        said.append("made Rusta's snapshot store again: a killed Rusta process had left it half made")
    if fixed.removed:
        n, names = len(fixed.removed), ", ".join(fixed.removed[:3])
        more = f" and {n - 3} more" if n > 3 else ""
        said.append(f"removed {n} file(s) a killed Rusta process left in its snapshot store: {names}{more}")
    if not said:
        return []
    log = DevLog.open(root)
    try:
        log.append(
            "note",
            {
                "via": "patching",
                "repair": "snapshot_store",
                "remade": fixed.remade,
                "removed": list(fixed.removed),
                "summary": "; ".join(said),
            },
        )
    finally:
        log.close()
    return [s + "." for s in said]


def _recover_one(root: Path, log: DevLog, intent: Entry, records: list[Entry]) -> str:
    p = intent.payload
    files: list[str] = list(p["files"])
    what = f"{p['op']} of {p.get('patch_id', '?')}"
    base = {"op": p["op"], "patch_id": p.get("patch_id", ""), "files": files}
    strays = snaps.remove_stray_temps(root, files)
    snap = next(
        (r.payload for r in records if r.kind == "action" and r.payload.get("op") == "snapshot"), None
    )
    if snap is None:
        log.append(
            "action",
            {
                **base,
                "status": "failed",
                "step": "aborted",
                "recovered": True,
                "summary": f"interrupted {what} closed: no file had been written",
            },
            settles=intent.id,
        )
        return f"interrupted {what}: stopped before writing any file; nothing to undo."
    before, after = snap["snapshot_before"], snap["snapshot_after"]
    eb, ea = snaps.entries(root, before), snaps.entries(root, after)

    def state(path: str) -> str:
        cur = snaps.current_entry(root, path)
        b = (eb[path].mode, eb[path].blob) if path in eb else None
        a = (ea[path].mode, ea[path].blob) if path in ea else None
        return "after" if cur == a else "before" if cur == b else "other"

    states = {f: state(f) for f in files}
    extra = f" (removed {len(strays)} temp file(s))" if strays else ""
    if all(s == "after" for s in states.values()):
        payload = {
            **base,
            "status": "done",
            "snapshot": after,
            "snapshot_before": before,
            "snapshot_after": after,
            "after": {f: sha256_file(root / f) for f in files},
            "summary": p.get("done_summary") or p.get("summary", ""),
            "reverts": p.get("reverts"),
            "explanation": p.get("explanation", ""),
            "recovered": True,
        }
        log.append(
            "validation",
            {
                "tool": "verify",
                "ok": True,
                "written_ok": True,
                "recovered": True,
                "patch_id": base["patch_id"],
                "summary": "after a crash: every file already held the new content",
            },
            task=intent.id,
        )
        log.append("action", payload, settles=intent.id)
        return f"interrupted {what}: every file was already written; finished it{extra}."
    restore = [f for f, s in states.items() if s == "after"]
    snaps.restore_paths(root, before, restore)
    for f in files:
        if f not in eb and states[f] != "other":  # a folder made for a file that was never written
            snaps.prune_empty_dirs(root, f)
    left = sorted(f for f, s in states.items() if s == "other")
    log.append(
        "action",
        {
            **base,
            "status": "failed",
            "step": "rolled_back",
            "snapshot_before": before,
            "snapshot_after": after,
            "restored": restore,
            "left_alone": left,
            "recovered": True,
            "summary": f"interrupted {what} rolled back",
        },
        settles=intent.id,
    )
    msg = f"interrupted {what}: rolled back {len(restore)} file(s) to their content before it{extra}."
    if left:
        msg += f" Left alone, since they changed after the crash: {', '.join(left)}."
    return msg
