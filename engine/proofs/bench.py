"""Before/after benchmarks of a patch: each changed free fn that can be called with generated inputs,
old and new, timed in the sandbox at release settings.

Besides, the crate's own `benches/` targets with `harness = false` (a plain main) are timed whole,
before and after (engine.proofs.crate_benches); libtest and criterion targets are named as not run
(criterion is not among the offline crates). Rusta times the changed fns themselves
(engine.proofs.bench_harness; statistics in engine.proofs.bench_stats) in a scratch copy built with
opt-level 3 and without debug assertions or overflow checks, in a target folder of its own.

A slowdown whose whole 95% interval lies beyond `max_slowdown` is a failed proof (the patch turns red)
unless the user accepts it; any other measured change is evidence; no measurable change passes.
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from engine.patching.sandbox import sandbox_home
from engine.patching.types import BenchStats, DiagnosticRef, Patch, Proof, ProofStatus, Validation
from engine.proofs.bench_harness import bench_harness
from engine.proofs.bench_stats import MAX_SLOWDOWN, NOISE, describe, summarise
from engine.proofs.crate_benches import crate_bench_proofs
from engine.proofs.fuzz import args_text
from engine.proofs.fuzz_plan import (
    OldCopy,
    harness_error,
    harness_selection,
    in_scratch,
    old_does_not_compile,
    plan_targets,
)
from engine.syntax.fn_items import Item, rename_calls
from toolbelt.cargo_run import run_test

BUILD_TIMEOUT_S = 300.0
HANG_MS = 2000
# release settings for the test profile, by cargo's own environment overrides (the crate's files stay as they are)
RELEASE_ENV = {
    "CARGO_PROFILE_TEST_OPT_LEVEL": "3",
    "CARGO_PROFILE_TEST_DEBUG_ASSERTIONS": "false",
    "CARGO_PROFILE_TEST_OVERFLOW_CHECKS": "false",
    "CARGO_PROFILE_TEST_DEBUG": "0",
    "CARGO_PROFILE_TEST_INCREMENTAL": "false",
}


def bench_patch(
    root: Path,
    patch: Patch,
    *,
    samples: int = 31,
    sample_ms: int = 10,
    time_s: float = 10.0,
    build_timeout_s: float = BUILD_TIMEOUT_S,
    noise: float = NOISE,
    max_slowdown: float = MAX_SLOWDOWN,
    accept_slower: bool = False,
    seed: int = 1,
) -> tuple[Proof, ...]:
    """One Proof per timed fn (or one "skipped" Proof saying why nothing was timed), then one per
    plain-main target of the crate's own benches/."""
    root = root.resolve()
    own = crate_bench_proofs(
        root, patch, max_slowdown=max_slowdown, accept_slower=accept_slower, build_timeout_s=build_timeout_s
    )
    new, plan, skipped = plan_targets(root, patch)
    if not plan:
        why = "; ".join(skipped) or "the patch changes no free function body"
        return (Proof(kind="bench", status="skipped", detail=f"bench: not run: {why}."), *own)
    env = {
        **RELEASE_ENV,
        "RUSTA_BENCH_SAMPLES": str(samples),
        "RUSTA_BENCH_SAMPLE_MS": str(sample_ms),
        "RUSTA_BENCH_MS": str(int(time_s * 1000)),
        "RUSTA_BENCH_HANG_MS": str(HANG_MS),
        "RUSTA_BENCH_SEED": str(seed),
    }

    def run(scratch: Path, _prev: Item, it: Item, at: OldCopy) -> Proof:
        limits = (time_s, build_timeout_s)
        return _run_one(
            scratch, root, it.name, env, limits, noise, max_slowdown, accept_slower, (at, patch.addresses)
        )

    proofs = in_scratch(root, new, plan, "bench-crate", _harness, run)
    for s in skipped:
        proofs.append(Proof(kind="bench", status="skipped", detail=f"bench: not run for {s}."))
    return (*proofs, *own)


def _harness(prev: Item, it: Item, old_name: str) -> str:
    """The timing harness, after a second copy of the old fn (the A/A control) beside the first."""
    control = f"__rusta_control_{it.name}"
    copy = rename_calls(prev.text, it.name, control)
    return f"\n#[cfg(test)]\n#[allow(dead_code, unused, clippy::all)]\n{copy}\n" + bench_harness(
        it.name, old_name, control, list(it.params), f"__rusta_bench_{it.name}"
    )


def _run_one(
    scratch: Path,
    root: Path,
    name: str,
    env: dict[str, str],
    limits: tuple[float, float],
    noise: float,
    max_slowdown: float,
    accept_slower: bool,
    old: tuple[OldCopy, tuple[DiagnosticRef, ...]],
) -> Proof:
    time_s, build_s = limits
    at, before = old
    out = scratch / f".rusta-bench-{name}.txt"
    out.unlink(missing_ok=True)
    rep = run_test(
        scratch,
        target_dir=sandbox_home(root) / "bench-target",  # release settings: artifacts of their own
        timeout_s=build_s + time_s * 3,
        test_filter=f"__rusta_bench_{name}::timing",
        env_extra={**env, "RUSTA_BENCH_OUT": str(out)},
        selection=harness_selection(root, at.path),
    )
    secs = rep.process.duration_s if rep.process else 0.0
    try:
        lines = [ln.split("\t") for ln in out.read_text(encoding="utf-8", errors="replace").splitlines()]
    except OSError:
        lines = []
    tags = {ln[0]: ln for ln in lines}
    if "HANG" in tags:
        side, args, ms = tags["HANG"][1], tags["HANG"][2], tags["HANG"][3]
        why = f"the {side} version does not return within {ms} ms on {name}({args_text(args)})"
        return Proof(kind="bench", status="skipped", detail=f"bench {name}: not run: {why}.", seconds=secs)
    if "EMPTY" in tags:
        why = f"one side panics on every one of the {tags['EMPTY'][1]} generated inputs"
        return Proof(kind="bench", status="skipped", detail=f"bench {name}: not run: {why}.", seconds=secs)
    rounds = [(float(ln[1]), float(ln[2]), float(ln[3])) for ln in lines if ln[0] == "S" and len(ln) == 4]
    if "DONE" not in tags or not rounds:
        if rep.status == "build_failed":
            why = old_does_not_compile(rep, at, name, before) or harness_error(rep, "the timing harness")
        elif rep.status == "timeout":
            why = f"building and timing it took longer than {build_s + time_s * 3:.0f} s"
        else:
            msg = (rep.message or "").splitlines()[0][:160] if rep.message else ""
            why = f"cargo test {rep.status}{': ' + msg if msg else ''}"
        return Proof(kind="bench", status="skipped", detail=f"bench {name}: not run: {why}.", seconds=secs)
    inputs, dropped, reps = int(tags["DONE"][1]), int(tags["DONE"][2]), int(tags["DONE"][3])
    stats = summarise(rounds, inputs=inputs, reps=reps, noise=noise)
    detail = describe(name, stats)
    if dropped:
        detail = detail[:-1] + f" ({dropped} input(s) left out: a side panics on them)."
    status, detail = judge_timing(stats, detail, max_slowdown, accept_slower)
    return Proof(kind="bench", status=status, detail=detail, count=stats.samples, seconds=secs, bench=stats)


def judge_timing(
    stats: BenchStats, detail: str, max_slowdown: float, accept_slower: bool
) -> tuple[ProofStatus, str]:
    """No measurable change passes; a slowdown whose whole interval passes the allowance fails unless
    accepted (the sentence says which); any other measured change is evidence."""
    if stats.verdict == "no_change":
        return "passed", detail
    if stats.verdict == "slower" and stats.low > 1 + max_slowdown:
        if accept_slower:
            return "evidence", detail + f" Slower than the {max_slowdown:.0%} allowed, accepted by the user."
        return "failed", detail + f" Slower than the {max_slowdown:.0%} allowed: not applied without consent."
    return "evidence", detail


def slower_than_allowed(v: Validation) -> tuple[Proof, ...]:
    """The bench proofs that turned `v` red (a slowdown past the allowance, not yet accepted)."""
    return tuple(p for p in v.proofs if p.kind == "bench" and p.status == "failed" and p.bench is not None)


def accept_slower(v: Validation, max_slowdown: float) -> Validation:
    """`v` as `--accept-slower` would have judged it, the timings kept: the user consented to the
    slowdown. Only a slowdown makes it green again: the bench runs on a patch that is green so far,
    so a red `v` whose failed proofs are all such slowdowns was green before them."""
    slow = slower_than_allowed(v)
    if not slow or any(p.status == "failed" and p not in slow for p in v.proofs):
        return v
    proofs = []
    for p in v.proofs:
        if p in slow and p.bench is not None:
            said = p.detail.split(f" Slower than the {max_slowdown:.0%} allowed", 1)[0]
            status, detail = judge_timing(p.bench, said, max_slowdown, True)
            p = msgspec.structs.replace(p, status=status, detail=detail)
        proofs.append(p)
    reason = f"green, slower than the {max_slowdown:.0%} allowed, accepted by the user"
    return msgspec.structs.replace(v, proofs=tuple(proofs), verdict="green", reason=reason)
