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

from collections.abc import Callable
from pathlib import Path
from typing import Literal, NamedTuple

from diary import snapshots as snaps
from engine.patching.diffs import apply_changes
from engine.patching.sandbox import crate_changes, sandbox_home
from engine.patching.types import Patch, Proof
from engine.proofs.fuzz_harness import harness, owned_type
from engine.repair.workspace import Workspace
from engine.syntax.fn_items import Item, changed_items, rename_calls
from toolbelt.cargo_run import run_test
from toolbelt.types import TestReport

Intent = Literal["refactor", "fix", "change"]
BUILD_TIMEOUT_S = 240.0
HANG_MS = 2000  # one call that runs longer than this is a hang
NOT_LIBFUZZER = "Rusta's own seeded generator, not libFuzzer"


def _why_not(prev: Item | None, it: Item) -> str | None:
    if it.kind != "function_item":
        return "not a free function"
    if prev is None:
        return "a new function, nothing to compare with"
    if prev.params != it.params or prev.return_type != it.return_type:
        return "its signature changed"
    if it.generic or it.is_async or it.has_self:
        return "generic, async or a method"
    if (
        "unsafe" in it.text[: it.body_start - it.start]
        or "const" in it.text[: it.body_start - it.start].split()
    ):
        return "an unsafe or const fn"
    bad = [t for _, t in it.params if owned_type(t) is None]
    if bad:
        return f"Rusta cannot generate {', '.join(bad)}"
    if not it.params:
        return "it takes no input"
    return None


def fuzz_targets(old: bytes, new: bytes) -> tuple[list[tuple[Item, Item]], list[str]]:
    """Changed fns that can be fuzzed (old, new), and one line for each changed item that cannot."""
    ok, skipped = [], []
    for prev, it in changed_items(old, new):
        why = _why_not(prev, it)
        if why is None and prev is not None:
            ok.append((prev, it))
        elif it.kind == "function_item":
            skipped.append(f"{it.name}: {why}")
    return ok, skipped


def _read(root: Path, path: str) -> bytes | None:
    try:
        return (root / path).read_bytes()
    except OSError:
        return None


Plan = dict[str, list[tuple[Item, Item]]]


class OldCopy(NamedTuple):
    """Where the old fn's renamed copy lies in the scratch file: its path and byte range."""

    path: str
    start: int
    end: int


def old_does_not_compile(rep: TestReport, at: OldCopy, name: str) -> str | None:
    """One sentence when the harness failed to build because the old fn itself does not compile
    (a fix for a compile error: the old code has no behaviour to compare with); None otherwise."""
    for d in rep.diagnostics:
        if not d.level.startswith("error"):
            continue
        for sp in d.spans:
            if sp.file_name.endswith(at.path) and at.start <= sp.byte_start < at.end:
                code = f"error[{d.code_str}]" if d.code_str else "error"
                return (
                    f"the old version of {name} does not compile ({code}: {d.message}), "
                    "so there is no old behaviour to compare with"
                )
    return None


def plan_targets(root: Path, patch: Patch) -> tuple[dict[str, bytes | None], Plan, list[str]]:
    """The patched files, the changed fns Rusta can call with generated inputs (by file), and why not the rest."""
    changes = crate_changes(root, patch.diff)
    new = apply_changes(changes, lambda p: _read(root, p))
    plan: Plan = {}
    skipped: list[str] = []
    for path, data in sorted(new.items()):
        old = _read(root, path)
        if data is None or old is None or not path.endswith(".rs"):
            continue
        ok, no = fuzz_targets(old, data)
        skipped += no
        if ok:
            plan[path] = ok
    return new, plan, skipped


def in_scratch(
    root: Path,
    new: dict[str, bytes | None],
    plan: Plan,
    scratch: str,
    harness_of: Callable[[Item, Item, str], str],
    run: Callable[[Path, Item, Item, OldCopy], Proof],
) -> list[Proof]:
    """Each planned fn in turn in the scratch copy `scratch` (under the sandbox's home, locked): the
    patched files, the old fn renamed `__rusta_old_<name>` and `harness_of(old item, new item, old name)`
    appended to its file, then `run(scratch root, old item, new item, where the old copy lies)`. One
    harness at a time, so one that cannot compile spoils no other."""
    home = sandbox_home(root)
    home.mkdir(parents=True, exist_ok=True)
    proofs: list[Proof] = []
    with snaps.file_lock(home / f"{scratch}-lock"):  # one scratch copy per crate and kind: runs take turns
        ws = Workspace(root, scratch=home / scratch)
        ws.sync()
        for path, data in new.items():
            if data is not None:
                ws.write(path, data)
        for path, pairs in plan.items():
            for prev, it in pairs:
                old_name = f"__rusta_old_{it.name}"
                old_fn = rename_calls(prev.text, it.name, old_name)
                head = (new[path] or b"") + b"\n#[cfg(test)]\n#[allow(dead_code, unused, clippy::all)]\n"
                ws.write(path, head + f"{old_fn}\n".encode() + harness_of(prev, it, old_name).encode())
                at = OldCopy(path=path, start=len(head), end=len(head) + len(old_fn.encode()))
                proofs.append(run(ws.root, prev, it, at))
            ws.write(path, new[path] or b"")
    return proofs


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
    new, plan, skipped = plan_targets(root, patch)
    if not plan:
        why = "; ".join(skipped) or "the patch changes no free function body"
        return (Proof(kind="fuzz", status="skipped", detail=f"fuzz: not run: {why}."),)
    proofs = in_scratch(
        root,
        new,
        plan,
        "fuzz-crate",
        lambda _prev, it, old: harness(it.name, old, list(it.params), f"__rusta_fuzz_{it.name}"),
        lambda scratch, prev, it, at: _run_one(
            scratch,
            root,
            it.name,
            intent,
            max_inputs,
            (time_s, build_timeout_s),
            seed,
            prev.has_unsafe or it.has_unsafe,
            at,
        ),
    )
    for s in skipped:
        proofs.append(Proof(kind="fuzz", status="skipped", detail=f"fuzz: not run for {s}."))
    return tuple(proofs)


def _run_one(
    scratch: Path,
    root: Path,
    name: str,
    intent: Intent,
    n: int,
    limits: tuple[float, float],
    seed: int,
    trace: bool,
    at: OldCopy,
) -> Proof:
    time_s, build_s = limits
    out = scratch / f".rusta-fuzz-{name}.txt"
    tracef = scratch / f".rusta-fuzz-{name}.trace"
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
        test_filter=f"__rusta_fuzz_{name}::differential",
        env_extra=env,
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
            why = old_does_not_compile(rep, at, name) or (
                "the harness did not compile (the return type may lack Debug)"
            )
        elif rep.status == "timeout":
            why = f"building and running the harness took longer than {build_s + time_s * 3:.0f} s"
        else:
            msg = (rep.message or "").splitlines()[0][:160] if rep.message else ""
            why = f"cargo test {rep.status}{': ' + msg if msg else ''}"
        return Proof(kind="fuzz", status="skipped", detail=f"fuzz {name}: not run: {why}.", seconds=secs)
    count, ms = int(done[1]), int(done[2])
    diff = next((ln.split("\t") for ln in lines if ln.startswith("DIFF\t")), None)
    if diff is None:
        detail = f"fuzz {name}: old and new agree on {count} inputs in {ms} ms ({NOT_LIBFUZZER})."
        return Proof(
            kind="fuzz", status="passed", detail=detail, count=count, passed=count, seconds=ms / 1000
        )
    args = args_text(diff[1])
    what = f"{name}({args}): before {diff[2]}, after {diff[3]}"
    if intent != "refactor":
        said = "behaviour changes, as the fix intends" if intent == "fix" else "behaviour changes"
        detail = f"fuzz {name}: {said}: {what} (minimised, after {count} inputs)."
        return Proof(
            kind="fuzz", status="evidence", detail=detail, count=count, passed=count - 1, seconds=ms / 1000
        )
    detail = f"fuzz {name}: the refactor changes behaviour: {what} (minimised, after {count} inputs)."
    return Proof(
        kind="fuzz", status="failed", detail=detail, count=count, passed=count - 1, seconds=ms / 1000
    )


def args_text(debug: str) -> str:
    return debug[1:-2] if debug.endswith(",)") else debug[1:-1]


def _hang(name: str, intent: Intent, hang: list[str], secs: float) -> Proof:
    """A call that did not return: a new side that hangs is red whatever the intent."""
    side, args, ms = hang[1], args_text(hang[2]), int(hang[3])
    if side == "new":
        detail = (
            f"fuzz {name}: the new version does not return within {ms} ms on {name}({args}) (not shrunk)."
        )
        return Proof(kind="fuzz", status="failed", detail=detail, seconds=secs)
    what = f"the old version does not return within {ms} ms on {name}({args}), the new one does"
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
    side, args = last[1], args_text(last[2])
    what = f"the {side} version crashes ({sig}) on {name}({args})"
    if side == "new":
        return Proof(kind="fuzz", status="failed", detail=f"fuzz {name}: {what} (not shrunk).")
    what += ", the new one does not"
    status = "failed" if intent == "refactor" else "evidence"
    lead = "the refactor changes behaviour: " if intent == "refactor" else ""
    return Proof(kind="fuzz", status=status, detail=f"fuzz {name}: {lead}{what} (not shrunk).")
