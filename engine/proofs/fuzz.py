"""Differential fuzzing of a patch: the old and the new body of each changed free fn, same inputs.

MVP, stated plainly: Rusta's own seeded generator in a `#[cfg(test)]` harness run by `cargo test`
in a scratch copy; nightly libFuzzer (cargo-fuzz) is not used. Only top-level, non-generic,
non-async, safe free fns whose signature the patch keeps and whose parameters are integers, bool,
char, `&str`/`String`, `&[int]`/`Vec<int>` are fuzzed; everything else is named as skipped. A hang
inside one call is caught by a watchdog in the harness (HANG_MS) and reported with its input, unshrunk.

Intent decides the colour: a difference under a "refactor" is a failed proof (red); under a "fix"
(the patch means to change behaviour, e.g. a repair of a failing test) it is shown as evidence, and
so under a "change" (a diff whose intent nobody stated, as `rusta review --diff` gets one).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from engine.patching.sandbox import sandbox_home
from engine.patching.types import DiagnosticRef, FuzzCase, Patch, Proof, ProofStatus
from engine.proofs.fuzz_harness import harness
from engine.proofs.fuzz_plan import (
    OldCopy,
    crate_structs,
    fuzz_target,
    harness_error,
    harness_selection,
    in_scratch,
    label,
    old_does_not_compile,
    plan_targets,
    resolver,
)
from engine.syntax.fn_items import Item
from toolbelt.cargo_run import run_test

Intent = Literal["refactor", "fix", "change"]
BUILD_TIMEOUT_S = 240.0
HANG_MS = 2000  # one call that runs longer than this is a hang
NOT_LIBFUZZER = "Rusta's own seeded generator, not libFuzzer"


def fuzz_patch(
    root: Path,
    patch: Patch,
    *,
    intent: Intent = "refactor",
    max_inputs: int = 10000,
    time_s: float = 5.0,
    seed: int = 1,
    build_timeout_s: float = BUILD_TIMEOUT_S,
) -> tuple[Proof, ...]:
    """One Proof per fuzzed fn (or one "skipped" Proof saying why nothing was fuzzed)."""
    root = root.resolve()
    new, plan, skipped = plan_targets(root, patch, methods=True)
    if not plan:
        why = "; ".join(skipped) or "the patch changes no function body"
        return (Proof(kind="fuzz", status="skipped", detail=f"fuzz: not run: {why}."),)
    structs = crate_structs(root, new)
    where = {(label(it)): path for path, pairs in plan.items() for _, it in pairs}

    def harness_of(prev: Item, it: Item, old: str) -> str:
        path = where[label(it)]
        return harness(fuzz_target(prev, it, resolver(structs, path), old, new.get(path) or b""))

    proofs = in_scratch(
        root,
        new,
        plan,
        "fuzz-crate",
        harness_of,
        lambda scratch, prev, it, at: _run_one(
            scratch,
            root,
            it,
            intent,
            max_inputs,
            (time_s, build_timeout_s),
            seed,
            prev.has_unsafe or it.has_unsafe,
            at,
            patch.addresses,
        ),
    )
    for s in skipped:
        proofs.append(Proof(kind="fuzz", status="skipped", detail=f"fuzz: not run for {s}."))
    return tuple(proofs)


def _run_one(
    scratch: Path,
    root: Path,
    it: Item,
    intent: Intent,
    n: int,
    limits: tuple[float, float],
    seed: int,
    trace: bool,
    at: OldCopy,
    before: tuple[DiagnosticRef, ...] = (),
) -> Proof:
    time_s, build_s = limits
    name = label(it)
    module = "__rusta_fuzz_" + name.replace("::", "_")
    out = scratch / f".rusta-fuzz-{module}.txt"
    tracef = scratch / f".rusta-fuzz-{module}.trace"
    out.unlink(missing_ok=True)
    tracef.unlink(missing_ok=True)
    env = {
        "RUSTA_FUZZ_HANG_MS": str(HANG_MS),
        "RUSTA_FUZZ_OUT": str(out),
        "RUSTA_FUZZ_N": str(n),
        "RUSTA_FUZZ_MS": str(int(time_s * 1000)),
        "RUSTA_FUZZ_SEED": str(seed),
        **({"RUSTA_FUZZ_TRACE": str(tracef)} if trace else {}),
    }
    rep = run_test(
        scratch,
        # its own target dir: cargo names a path crate's artifacts without its path, so sharing the
        # sandbox's would let validation run the fuzz-built test binary (seen: a harness test failing there)
        target_dir=sandbox_home(root) / "fuzz-target",
        timeout_s=build_s + time_s * 3,
        test_filter=f"{module}::differential",
        env_extra=env,
        selection=harness_selection(root, at.path),
    )
    secs = rep.process.duration_s if rep.process else 0.0
    try:
        lines = out.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    hang = next((ln.split("\t") for ln in lines if ln.startswith("HANG\t")), None)
    if hang is not None:
        return _hang(name, intent, hang, secs)
    done = next((ln.split("\t") for ln in lines if ln.startswith("DONE\t")), None)
    crash = _crash(name, intent, tracef, rep.message) if done is None and trace else None
    if crash is not None:
        return crash
    if done is None:
        if rep.status == "build_failed":
            why = old_does_not_compile(rep, at, name, before) or harness_error(rep)
        elif rep.status == "timeout":
            why = f"building and running the harness took longer than {build_s + time_s * 3:.0f} s"
        else:
            msg = (rep.message or "").splitlines()[0][:160] if rep.message else ""
            why = f"cargo test {rep.status}{': ' + msg if msg else ''}"
        return Proof(kind="fuzz", status="skipped", detail=f"fuzz {name}: not run: {why}.", seconds=secs)
    count, ms, ndiff = int(done[1]), int(done[2]), int(done[3])
    unstable = int(done[4]) if len(done) > 4 else 0
    note = _receiver_note(it, root, scratch)
    cases = tuple(
        FuzzCase(call=d[1], before=d[2], after=d[3])
        for d in (ln.split("\t") for ln in lines if ln.startswith("DIFF\t"))
        if len(d) == 4 and d[2] != d[3]  # a pair that prints the same is no evidence of a change
    )
    if ndiff and not cases:  # nothing left to show: the differences did not reproduce
        detail = (
            f"fuzz {name}: not compared: old and new differed on {ndiff} of {count} inputs, but not again "
            f"when those inputs were run once more, so the outcome varies from call to call{note}."
        )
        return Proof(kind="fuzz", status="skipped", detail=detail, count=count, seconds=ms / 1000)
    if unstable:  # an outcome that varies by itself: a difference between old and new proves nothing
        seen = f"old and new differed on {ndiff} of {count} inputs, but " if ndiff else ""
        detail = (
            f"fuzz {name}: not compared: {seen}on {unstable} of {count} inputs a version gave another "
            "outcome when called again on the same input (an order or a value that varies from call to "
            "call), so no difference is evidence."
        )
        return Proof(kind="fuzz", status="skipped", detail=detail, count=count, seconds=ms / 1000)
    if not ndiff:
        detail = f"fuzz {name}: old and new agree on {count} inputs in {ms} ms ({NOT_LIBFUZZER}){note}."
        return Proof(
            kind="fuzz",
            status="passed",
            detail=detail,
            count=count,
            passed=count,
            seconds=ms / 1000,
        )
    shown = "; ".join(f"{c.call}: before {c.before}, after {c.after}" for c in cases)
    kinds = f"{len(cases)} distinct input{'s' if len(cases) != 1 else ''}, minimised"
    what = f"on {ndiff} of {count} inputs: {shown} ({kinds}){note}"
    if intent == "refactor":
        status, said = "failed", "the refactor changes behaviour"
    else:
        status = "evidence"
        said = "behaviour changes, as the fix intends" if intent == "fix" else "behaviour changes"
    return Proof(
        kind="fuzz",
        status=status,  # type: ignore[arg-type]
        detail=f"fuzz {name}: {said} {what}.",
        count=count,
        passed=count - ndiff,
        seconds=ms / 1000,
        cases=cases,
    )


def _receiver_note(it: Item, root: Path, scratch: Path) -> str:
    """What a `&mut self` method's comparison leaves out when its type has no Debug."""
    if it.self_kind != "&mut self":
        return ""
    from engine.proofs.fuzz_plan import crate_structs

    own = next((s for s in crate_structs(scratch, {}) if s.name == it.owner), None)
    if own is None or own.has_debug:
        return ""
    return f"; {it.owner} has no Debug, so only the result is compared, not the receiver after the call"


def args_text(debug: str) -> str:
    return debug[1:-2] if debug.endswith(",)") else debug[1:-1]


def _hang(name: str, intent: Intent, hang: list[str], secs: float) -> Proof:
    """A call that did not return: a new side that hangs is red whatever the intent."""
    side, call, ms = hang[1], hang[2], int(hang[3])
    if side == "new":
        detail = f"fuzz {name}: the new version does not return within {ms} ms on {call} (not shrunk)."
        return Proof(kind="fuzz", status="failed", detail=detail, seconds=secs)
    what = f"the old version does not return within {ms} ms on {call}, the new one does"
    if intent != "refactor":
        return Proof(kind="fuzz", status="evidence", detail=f"fuzz {name}: {what}.", seconds=secs)
    return Proof(
        kind="fuzz",
        status="failed",
        detail=f"fuzz {name}: the refactor changes behaviour: {what}.",
        seconds=secs,
    )


def _crash(name: str, intent: Intent, tracef: Path, message: str) -> Proof | None:
    """The harness died mid-call (unsafe code, e.g. SIGSEGV): the traced input that killed it."""
    try:
        last = tracef.read_text(encoding="utf-8", errors="replace").splitlines()[-1].split("\t")
    except (OSError, IndexError):
        return None
    if len(last) != 3 or last[0] != "TRY":
        return None
    sig = next((w.strip("(),:") for w in message.split() if w.startswith("SIG")), "a crash")
    side, call = last[1], last[2]
    what = f"the {side} version crashes ({sig}) on {call}"
    if side == "new":
        return Proof(kind="fuzz", status="failed", detail=f"fuzz {name}: {what} (not shrunk).")
    what += ", the new one does not"
    status: ProofStatus = "failed" if intent == "refactor" else "evidence"
    lead = "the refactor changes behaviour: " if intent == "refactor" else ""
    return Proof(kind="fuzz", status=status, detail=f"fuzz {name}: {lead}{what} (not shrunk).")
