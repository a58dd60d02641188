"""Re-derive Rusta's state from the DevLog alone: open tasks, applied patches, the undo/redo stacks.

Payload conventions (every writer follows these; `rusta diary replay` and the golden logs hold
them to it; since schema v2 each is a typed Struct of `diary.payloads`, read here through its dict
view). Every payload has "summary": one line a colleague would write.

Loop records, grouped by `task` (the intent's id):
  intent       {"summary", "goal"?: str, "mode"?: "study"|"pair"|"silent", "codes"?: [str]}
               written *before* anything is touched. An intent stays open until some record
               `settles` it; an open intent after a restart is an interrupted task.
  action       {"summary", "op": str, ...} what was done, written once it happened.
               op "run":   {"argv": [str], "cwd"?: str, "outcome"?: str, "returncode"?: int}
               op "apply": {"patch_id": str, "files": [str], "before"?: {path: sha256|None},
                            "after"?: {path: sha256|None}, "snapshot"?: str, "status"?: "done"|"failed"}
               op "undo":  {"patch_id": str, "files": [...], "before"?, "after"?, "status"?}
               op "redo":  {"patch_id": str, "files": [...], "before"?, "after"?, "status"?}
               `before`/`after` map each file to the sha256 hex of its content before/after the
               patch (None: the file does not exist); replay checks the repo against them.
               A record with "status": "failed" changed nothing and is ignored by the stacks.
  validation   {"summary", "tool": "check"|"clippy"|"test"|"fmt", "ok": bool, "errors"?: int,
                "warnings"?: int, "diagnostics"?: [{"level", "code"?, "message", "file"?, "line"?}],
                "failed_tests"?: [str]}
  reflection   {"summary", "outcome": "done"|"failed"|"abandoned"|"rejected", "why"?: str}
               usually `settles` the intent; any record that settles the intent closes the task.
  note         {"summary", "text"?: str, "author"?: "user"|"rusta"}; compaction writes
               {"summary", "op": "checkpoint", "state": <ReplayState as JSON>, "dropped": int,
               "kept": [ids]}; replay restarts from its state, and the kept records after it (the
               open tasks' records, already counted in the state) only rebuild those tasks.

Stacks: apply pushes on the applied stack and clears the redo stack; undo moves the top applied
patch to the redo stack; redo moves the top of the redo stack back. An undo or redo of a patch
that is not on top of its stack is a problem (reported, then applied to that patch anyway).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import msgspec

from diary.errors import EntryNotFound
from diary.types import Base, Entry, Interrupted

PATCH_OPS = ("apply", "undo", "redo")


class PatchRef(Base, frozen=True):
    patch_id: str
    files: tuple[str, ...] = ()
    entry: str = ""  # id of the record that last moved it
    summary: str = ""


class OpenTask(Base, frozen=True):
    intent: str
    summary: str
    ts: float
    session: str
    last_kind: str = "intent"
    last_summary: str = ""
    patches: tuple[str, ...] = ()  # patch ops recorded in this task, e.g. "apply p1"
    validated: bool | None = None  # the last validation's verdict; None: never validated
    files: tuple[str, ...] = ()  # files the task's records name (what it meant to change)


class ReplayState(Base, frozen=True):
    """Everything the log alone says about the repo and Rusta's work."""

    entries: int = 0
    tasks: int = 0
    settled: int = 0
    open_tasks: tuple[OpenTask, ...] = ()
    applied: tuple[PatchRef, ...] = ()  # the undo stack, bottom first
    undone: tuple[PatchRef, ...] = ()  # the redo stack, bottom first
    expected: dict[str, str | None] = msgspec.field(default_factory=dict)  # path -> sha256 after last op
    problems: tuple[str, ...] = ()
    checkpoint: str | None = None


class RepoCheck(Base, frozen=True):
    """The repo measured against the log's `expected` file hashes."""

    checked: int
    mismatches: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.mismatches


def replay(entries: Iterable[Entry]) -> ReplayState:
    """Fold the log, oldest first, into a ReplayState. Pure: the same log gives the same state."""
    applied: list[PatchRef] = []
    undone: list[PatchRef] = []
    expected: dict[str, str | None] = {}
    problems: list[str] = []
    intents: dict[str, Entry] = {}
    last: dict[str, Entry] = {}
    settled: set[str] = set()
    n = tasks = 0
    checkpoint: str | None = None
    task_patches: dict[str, list[str]] = {}
    task_ok: dict[str, bool] = {}
    task_files: dict[str, dict[str, None]] = {}
    covered: set[str] = set()
    for e in entries:
        p = e.payload
        if e.kind == "note" and p.get("op") == "checkpoint" and isinstance(p.get("state"), dict):
            base = msgspec.convert(p["state"], ReplayState)
            applied, undone = list(base.applied), list(base.undone)
            expected = dict(base.expected)
            problems = list(base.problems)
            tasks = base.tasks
            n = base.entries  # the checkpoint itself is bookkeeping, not a record of work
            checkpoint = e.id
            covered = {str(k) for k in p.get("kept", ())}
            # Records before a checkpoint are folded into its state: only copies a compaction that
            # died before unlinking left behind come first, and only the tasks it kept are open.
            for folded in (intents, last, task_patches, task_ok, task_files):
                for tid in [t for t in folded if t not in covered]:
                    del folded[tid]
            settled.clear()
            continue
        counted = e.id not in covered
        n += counted
        if e.kind == "intent":
            tasks += counted
            intents[e.id] = e
        if e.task:
            last[e.task] = e
            named = p.get("files")
            if isinstance(named, list):
                task_files.setdefault(e.task, {}).update({str(f): None for f in named})
        if e.settles:
            settled.add(e.settles)
        if e.kind == "action" and p.get("op") in PATCH_OPS and p.get("status", "done") != "failed":
            if counted:
                _patch_op(e, applied, undone, expected, problems)
            if e.task:
                task_patches.setdefault(e.task, []).append(f"{p['op']} {p.get('patch_id', '?')}")
        if e.kind == "validation" and e.task:
            task_ok[e.task] = bool(p.get("ok"))
    open_tasks = tuple(
        OpenTask(
            intent=i.id,
            summary=i.summary,
            ts=i.ts,
            session=i.session,
            last_kind=last[i.id].kind if i.id in last else "intent",
            last_summary=last[i.id].summary if i.id in last else i.summary,
            patches=tuple(task_patches.get(i.id, ())),
            validated=task_ok.get(i.id),
            files=tuple(task_files.get(i.id, ())),
        )
        for i in intents.values()
        if i.id not in settled
    )
    return ReplayState(
        entries=n,
        tasks=tasks,
        settled=tasks - len(open_tasks),
        open_tasks=open_tasks,
        applied=tuple(applied),
        undone=tuple(undone),
        expected=dict(sorted(expected.items())),
        problems=tuple(problems),
        checkpoint=checkpoint,
    )


def _patch_op(
    e: Entry,
    applied: list[PatchRef],
    undone: list[PatchRef],
    expected: dict[str, str | None],
    problems: list[str],
) -> None:
    p = e.payload
    op = p["op"]
    pid = str(p.get("patch_id", ""))
    files = tuple(str(f) for f in p.get("files", ()) or ())
    ref = PatchRef(patch_id=pid, files=files, entry=e.id, summary=e.summary)
    if not pid:
        problems.append(f"{e.id}: {op} without a patch_id")
        return
    if op == "apply":
        applied.append(ref)
        undone.clear()
    else:
        src, dst = (applied, undone) if op == "undo" else (undone, applied)
        idx = next((k for k in range(len(src) - 1, -1, -1) if src[k].patch_id == pid), None)
        if idx is None:
            problems.append(
                f"{e.id}: {op} of patch {pid} that is not on the {'undo' if op == 'undo' else 'redo'} stack"
            )
        else:
            if idx != len(src) - 1:
                problems.append(f"{e.id}: {op} of patch {pid} that is not on top of its stack")
            old = src.pop(idx)
            ref = msgspec.structs.replace(ref, files=ref.files or old.files)
        dst.append(ref)
    hashes = p.get("after")
    if isinstance(hashes, dict):
        for path, h in hashes.items():
            expected[str(path)] = h if isinstance(h, str) else None


def sha256_file(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def check_repo(state: ReplayState, root: str | Path) -> RepoCheck:
    """Compare the repo's files with what the last patch record says they should hold."""
    root = Path(root)
    bad = []
    for rel, want in state.expected.items():
        have = sha256_file(root / rel)
        if have != want:
            if want is None:
                bad.append(f"{rel}: the log says Rusta removed it, but it exists")
            elif have is None:
                bad.append(f"{rel}: the log says Rusta left it in place, but it is missing")
            else:
                bad.append(
                    f"{rel}: changed since Rusta's last record (edited by hand, or outside the patch path)"
                )
    return RepoCheck(checked=len(state.expected), mismatches=tuple(bad))


def advice(task: OpenTask) -> str:
    """What to do about an interrupted task, in Rusta's words."""
    settle = f"`rusta diary settle {task.intent}`"
    if task.patches and task.validated is not True:
        return (
            f"{', '.join(task.patches)} landed but was never validated green. Run `rusta check`; "
            f"if it is not green, `rusta undo`. Then {settle}."
        )
    if task.patches:
        return f"{', '.join(task.patches)} landed and validated; only the reflection is missing. {settle}."
    if task.last_kind != "intent":
        return (
            f"Stopped mid-task after: {task.last_summary}. Nothing was patched. Start it again or {settle}."
        )
    return f"Stopped before acting; nothing was changed. Start it again or {settle}."


def state_json(state: ReplayState) -> dict[str, Any]:
    return msgspec.to_builtins(state)


def interrupted_tasks(entries: list[Entry], *, exclude_session: str | None = None) -> list[Interrupted]:
    """The open intents in `entries` (but those of `exclude_session`, still in progress), each with
    its records and what to do about it: what `DevLog.interrupted` reports on start-up."""
    by_id = {e.id: e for e in entries}
    out = []
    for t in replay(entries).open_tasks:
        if exclude_session is not None and t.session == exclude_session:
            continue
        if t.intent not in by_id:
            raise EntryNotFound(f"no entry {t.intent} in the diary")
        recs = tuple(e for e in entries if e.task == t.intent and e.id != t.intent)
        out.append(Interrupted(intent=by_id[t.intent], records=recs, advice=advice(t)))
    return out
