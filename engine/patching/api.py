"""The reversible-patch API for the CLI, the TUI and the repair engine.

    validate(root, patch, *, cancel=None, env_extra=None) -> Validation
                                               sandbox check + test; never touches the user's files
    apply(root, patch, validation) -> OpRecord only a green validation, only on unchanged files
    undo(root, op_id=None, force=False) -> OpRecord
    redo(root) -> OpRecord
    history(root) -> list[OpRecord]
    op_diff(root, op_id) -> (OpRecord, str)     the unified diff one op wrote, from the snapshot store
    recover(root) -> list[str]                 finish or roll back what a crash interrupted
    pending_undo(root, op_id=None) -> (OpRecord, {path: (current, Rusta's)})  the edits undo would replace
    landed(patch, validation, record) -> Patch   the patch with its validation and snapshots filled in
    read_current(root, path) -> bytes | None    a file's bytes now (None: absent or a symlink)

`root` is any path inside the crate; Rusta's store and DevLog live in `<crate>/.rusta/`.
Refusals raise `engine.patching.errors.PatchError` subclasses whose message is one sentence with
the way out. Each call takes the crate's patch lock; they are blocking, run them off the UI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import msgspec
from dulwich.objects import Blob

from diary import gc
from diary import snapshots as snaps
from engine.patching import holes, oplog, sandbox, transaction
from engine.patching.diffs import apply_changes, render
from engine.patching.errors import Busy, NotGreen, NothingToDo, PatchError, StaleValidation, UserEdited
from engine.patching.types import BenchPolicy, OpKind, OpRecord, Patch, Proof, ProofKind, Validation
from toolbelt.cargo_workspace import project_root

MAX_DIFF_IN_LOG = 1024 * 1024  # the DevLog keeps the diff of every apply, up to this size


def crate_root(path: str | Path) -> Path:
    """The workspace root for a member: its manifests inherit from there and rustc names files from there."""
    return project_root(path)


def validate(
    root: str | Path,
    patch: Patch,
    *,
    cancel: threading.Event | None = None,
    env_extra: dict[str, str] | None = None,
    fuzz: Literal["refactor", "fix", "change"] | None = None,
    bench: BenchPolicy | None = None,
    proof_timeout_s: float | None = None,
    on_stage: Callable[[str], None] | None = None,
    lints: bool = True,
) -> Validation:
    """Check and test the patched crate in Rusta's sandbox. Red or green, it is data, not an exception.

    With `lints` (the default; False for a caller told --no-clippy) the check is cargo clippy and its
    proof says how many warnings the patch adds (engine.patching.sandbox).

    Setting `cancel` stops cargo; the result is then red ("cancelled"). A patch that writes a
    `todo!()` a test reaches while other errors keep the tests from running is red (holes.gate). `fuzz` adds differential
    fuzzing of the changed fns once the rest is green: under "refactor" a behaviour change is red,
    under "fix" or "change" (intent unstated) it is shown as evidence. `bench` times the changed fns before and after once the
    rest is green: a slowdown beyond the policy's allowance is red unless the policy accepts it.
    `proof_timeout_s` bounds the build of each fuzz or timing harness (default: their own limits).
    `on_stage` hears each proof as it starts ("fuzz", "bench", "miri"), so the app can show it as a job.
    """
    r = crate_root(root)
    transaction.recover(r)
    v = holes.gate(r, patch.diff, sandbox.validate(r, patch, env_extra, cancel=cancel, lints=lints))
    if v.green and any(p.kind == "miri" for p in v.proofs):  # the patch changes unsafe code
        from engine.proofs.miri import with_miri

        if on_stage is not None:
            on_stage("miri")

        v = with_miri(r, patch, v)
    return prove(r, patch, v, fuzz=fuzz, bench=bench, proof_timeout_s=proof_timeout_s, on_stage=on_stage)


def prove(
    root: str | Path,
    patch: Patch,
    v: Validation,
    *,
    fuzz: Literal["refactor", "fix", "change"] | None = None,
    bench: BenchPolicy | None = None,
    proof_timeout_s: float | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> Validation:
    """`v` with the fuzz and bench proofs `validate` would add (on a red `v`, one line each saying
    they did not run); for callers that judge the sandbox's verdict themselves first (rusta fix)."""
    r = crate_root(root)
    if fuzz is not None:
        from engine.proofs import fuzz as fuzz_mod

        limit_f = fuzz_mod.BUILD_TIMEOUT_S if proof_timeout_s is None else proof_timeout_s
        intent = fuzz
        if on_stage is not None and v.green:
            on_stage("fuzz")
        v = _with_proofs(
            v, "fuzz", lambda: fuzz_mod.fuzz_patch(r, patch, intent=intent, build_timeout_s=limit_f)
        )
    if bench is not None:
        from engine.proofs import bench as bench_mod

        limit_b = bench_mod.BUILD_TIMEOUT_S if proof_timeout_s is None else proof_timeout_s
        pol = bench
        if on_stage is not None and v.green:
            on_stage("bench")
        from engine.proofs.bench_cover import coverage_proof

        cover = coverage_proof(r, patch) if v.green else None
        if cover is not None:  # which changed fns a benchmark covers, then the timings
            v = msgspec.structs.replace(v, proofs=(*v.proofs, cover))
        v = _with_proofs(
            v,
            "bench",
            lambda: bench_mod.bench_patch(
                r,
                patch,
                max_slowdown=pol.max_slowdown,
                accept_slower=pol.accept_slower,
                build_timeout_s=limit_b,
            ),
        )
    return v


def _with_proofs(v: Validation, kind: ProofKind, run: Callable[[], tuple[Proof, ...]]) -> Validation:
    """The validation with `run`'s proofs when it is green so far and the crate compiles (the first
    failed proof turns it red and gives the reason), or with one proof saying why `kind` did not run."""
    if not v.green or v.errors_after:  # a partial fix is green, but no harness builds beside other errors
        said = "the patch is already red"
        if v.green:
            said = f"{v.errors_after} other compile error(s) remain in the crate, so nothing can run yet"
        elif v.errors_after and not v.new_errors:  # red only because the rest of the crate does not build
            said = f"the crate still has {v.errors_after} compile error(s) the patch does not touch, so nothing runs"
        why = Proof(kind=kind, status="skipped", detail=f"{kind}: not run: {said}.")
        return msgspec.structs.replace(v, proofs=v.proofs + (why,))
    proofs = run()
    bad = [p for p in proofs if p.status == "failed"]
    v = msgspec.structs.replace(v, proofs=v.proofs + proofs)
    if bad:
        v = msgspec.structs.replace(v, verdict="red", reason=bad[0].detail.split(": ", 1)[1])
    return v


def _lock(r: Path):
    return transaction.patch_lock(r, wait=True)


def apply(root: str | Path, patch: Patch, validation: Validation) -> OpRecord:
    """Write a validated patch to the user's files as one crash-safe transaction."""
    r = crate_root(root)
    if validation.patch_id != patch.id:
        raise NotGreen(
            f"this validation is for {validation.patch_id}, not {patch.id}; validate the patch first."
        )
    if not validation.green:
        raise NotGreen(f"patch {patch.id} is red and will not be applied: {validation.reason}")
    with _lock(r):
        transaction.recover_locked(r)
        changed = [f.path for f in validation.base if _blob(r, f.path) != f.blob]
        if changed:
            raise StaleValidation(
                f"{', '.join(changed)} changed after patch {patch.id} was validated; "
                "nothing was written; run the command again so Rusta validates what is really there."
            )
        new = apply_changes(sandbox.crate_changes(r, patch.diff), lambda p: read_current(r, p))
        want = {f.path: f.blob for f in validation.result}
        out: dict[str, tuple[int, bytes] | None] = {}
        for path, data in sorted(new.items()):
            if want.get(path) != (None if data is None else Blob.from_string(data).id.decode()):
                raise StaleValidation(f"{path} would not come out as validated; validate the patch again.")
            cur = snaps.current_entry(r, path)
            mode = cur[0] if cur and cur[0] != snaps.MODE_TREE else snaps.MODE_FILE
            out[path] = None if data is None else (mode, data)
        first = patch.explanation.splitlines()[0][:120]
        summary = f"applied {patch.id} to {len(out)} file(s): {first}"
        vsum = {
            "tool": "test" if validation.test_status != "not_run" else "check",
            "ok": validation.green,
            "errors": validation.errors_after,
            "warnings": validation.warnings_after,
            "failed_tests": list(validation.failing_tests),
            "verdict": validation.verdict,
            "reason": validation.reason,
            "tests_run": validation.tests_run,
            "flaky_tests": list(validation.flaky_tests),
            "preexisting_failures": list(validation.preexisting_failures),
            "snapshot_validated": validation.snapshot_before,
            "total_s": validation.total_s,
            "proofs": [msgspec.to_builtins(p) for p in validation.proofs],
            "summary": f"sandbox: {validation.verdict}, {validation.reason}",
        }
        record = transaction.run_op(
            r,
            op="apply",
            patch_id=patch.id,
            changes=out,
            summary=summary,
            plan=f"apply {patch.id} to {len(out)} file(s): {first}",
            explanation=patch.explanation,
            validation=vsum,
            extra={
                "diff": patch.diff[:MAX_DIFF_IN_LOG],
                "diff_truncated": len(patch.diff) > MAX_DIFF_IN_LOG,
                "addresses": [msgspec.to_builtins(a) for a in patch.addresses],
                "source": patch.source,
            },
        )
        gc.after_apply(r)  # quiet; collects only past a cap, and notes in the DevLog what it did
        return record


def landed(patch: Patch, validation: Validation, record: OpRecord) -> Patch:
    """The patch with its validation and the snapshots around it filled in, for showing or storing."""
    return msgspec.structs.replace(
        patch,
        validation=validation,
        snapshot_before=record.snapshot_before,
        snapshot_after=record.snapshot_after,
    )


def _blob(r: Path, path: str) -> str | None:
    cur = snaps.current_entry(r, path)
    return None if cur is None else cur[1]


def read_current(r: Path, path: str) -> bytes | None:
    full = r / path
    if full.is_symlink():
        return None
    try:
        return full.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None


def _differences(r: Path, op: OpRecord, snap: str) -> dict[str, tuple[bytes | None, bytes | None]]:
    """Files of `op` whose current content is not what `snap` holds: path -> (current, in snapshot)."""
    want = snaps.entries(r, snap)
    out = {}
    for path in op.files:
        cur = snaps.current_entry(r, path)
        w = (want[path].mode, want[path].blob) if path in want else None
        if cur != w:
            out[path] = (read_current(r, path), snaps.read_blob(r, want[path].blob) if path in want else None)
    return out


def _target(r: Path, op_id: str | None, redo: bool = False) -> OpRecord:
    st = oplog.stacks(r)
    if op_id:
        hits = [o for o in st.ops if o.op_id == op_id or o.op_id.startswith(op_id)]
        if len(hits) != 1:
            raise NothingToDo(f"no single operation matches {op_id!r}; see `rusta history`.")
        return hits[0]
    pile = st.redo if redo else st.undo
    if not pile:
        raise NothingToDo(
            "nothing to redo: no undone patch is waiting."
            if redo
            else "nothing to undo: no patch Rusta applied is still in place."
        )
    return pile[-1]


def pending_undo(
    root: str | Path, op_id: str | None = None
) -> tuple[OpRecord, dict[str, tuple[bytes | None, bytes | None]]]:
    """The op `undo` would revert and the user's edits it would overwrite (empty when none)."""
    r = crate_root(root)
    op = _target(r, op_id)
    return op, _differences(r, op, op.snapshot_after)


def undo(root: str | Path, op_id: str | None = None, force: bool = False) -> OpRecord:
    """Restore exactly the files of the last (or the named) op to their content before it."""
    r = crate_root(root)
    with _lock(r):
        transaction.recover_locked(r)
        op = _target(r, op_id)
        edited = _differences(r, op, op.snapshot_after)
        if edited and not force:
            names = ", ".join(sorted(edited))
            raise UserEdited(
                f"{names} changed since Rusta's {op.op} {op.op_id} ({op.patch_id}); undo would overwrite your edit. "
                "Commit or stash your edit first, or run `rusta undo --force` after reading `rusta undo --show`."
            )
        kind: OpKind = "redo" if op.op == "undo" else "undo"  # undoing an undo re-applies the patch
        return _revert(r, op, op.snapshot_before, kind, f"undid {op.op} {op.op_id} ({op.patch_id})")


def redo(root: str | Path) -> OpRecord:
    """Re-apply the most recently undone op, if its files still hold what the undo left."""
    r = crate_root(root)
    with _lock(r):
        transaction.recover_locked(r)
        op = _target(r, None, redo=True)
        edited = _differences(r, op, op.snapshot_before)
        if edited:
            raise UserEdited(
                f"{', '.join(sorted(edited))} changed since the undo; redo would overwrite your edit. "
                "Commit or stash your edit first, then run `rusta redo` again."
            )
        return _revert(r, op, op.snapshot_after, "redo", f"redid {op.op} {op.op_id} ({op.patch_id})")


def _revert(r: Path, op: OpRecord, source: str, kind: OpKind, summary: str) -> OpRecord:
    ent = snaps.entries(r, source)
    changes: dict[str, tuple[int, bytes] | None] = {}
    for path in op.files:
        e = ent.get(path)
        changes[path] = None if e is None else (e.mode, snaps.read_blob(r, e.blob))
    return transaction.run_op(
        r,
        op=kind,
        patch_id=op.patch_id,
        changes=changes,
        summary=summary,
        plan=f"{kind} {op.op} {op.op_id} ({op.patch_id}) on {len(changes)} file(s)",
        explanation=op.explanation,
        reverts=op.op_id,
    )


def history(root: str | Path) -> list[OpRecord]:
    return oplog.history(crate_root(root))


def op_diff(root: str | Path, op_id: str) -> tuple[OpRecord, str]:
    """The unified diff one op wrote: its files from the snapshot before it to the one after it.

    Read from the snapshot store, not from the files, so it is the change as it landed even after
    later edits or an undo. `op_id` is an op id from `rusta history` (or its start) or a patch id
    (`p-...`), which names the op that applied it last.
    """
    r = crate_root(root)
    ops = history(r)
    hits = [o for o in ops if o.op_id.startswith(op_id)] or [
        o for o in ops if o.patch_id == op_id and o.op == "apply" and o.state == "done"
    ][-1:]  # the same patch applied again (after an undo) has the same id: its newest apply
    if len(hits) != 1:
        which = "no operation matches" if not hits else f"{len(hits)} operations match"
        raise PatchError(f"{which} {op_id!r}; `rusta history` lists each op's id and patch id.")
    op = hits[0]
    if op.state != "done" or not op.snapshot_after:
        raise PatchError(
            f"op {op.op_id} was rolled back after a crash: nothing of it landed, so it has no diff."
        )
    before, after = snaps.entries(r, op.snapshot_before), snaps.entries(r, op.snapshot_after)
    changes: dict[str, tuple[bytes | None, bytes | None]] = {}
    for path in op.files:
        old, new = before.get(path), after.get(path)
        changes[path] = (
            None if old is None else snaps.read_blob(r, old.blob),
            None if new is None else snaps.read_blob(r, new.blob),
        )
    return op, render(changes)


def recover(root: str | Path) -> list[str]:
    return transaction.recover(crate_root(root))


__all__ = [
    "Busy",
    "apply",
    "history",
    "landed",
    "op_diff",
    "pending_undo",
    "recover",
    "redo",
    "undo",
    "validate",
]
