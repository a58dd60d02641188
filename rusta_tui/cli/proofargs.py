"""The proof flags `rusta apply`, `rusta fix` and `rusta review` share: --bench and its allowance.

A patch that changes a fn marked hot (`rusta hot`) is timed without --bench, under the same allowance.

The allowance comes from `--max-slowdown` when given, else from the crate's Settings
(`bench_max_slowdown_pct` in `.rusta/settings.toml`, the Settings screen's "Slowdown %").
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.patching.types import BenchPolicy, Patch, Proof


def add_bench_arguments(parser: argparse.ArgumentParser, *, consent: bool = True) -> None:
    parser.add_argument(
        "--bench",
        action="store_true",
        help="time the changed fns before and after at release settings (interleaved samples, median, "
        "95%% interval): a slowdown beyond --max-slowdown is red",
    )
    parser.add_argument(
        "--max-slowdown",
        type=float,
        default=None,
        metavar="PCT",
        help="with --bench, the slowdown allowed before a patch turns red "
        "(default: Settings' bench_max_slowdown_pct, 20 unless changed)",
    )
    if consent:
        parser.add_argument(
            "--accept-slower", action="store_true", help="with --bench, apply a patch even if it is slower"
        )


def allowance_pct(args: argparse.Namespace, root: Path) -> float:
    """--max-slowdown, or the crate's setting (a broken settings file is an error, not a silent 20)."""
    if args.max_slowdown is not None:
        return float(args.max_slowdown)
    from rusta_tui import settings

    return settings.load(root).bench_max_slowdown_pct


def bench_policy(args: argparse.Namespace, root: Path) -> BenchPolicy | None:
    """None without --bench."""
    if not args.bench:
        return None
    from engine.patching.types import BenchPolicy

    return BenchPolicy(
        max_slowdown=allowance_pct(args, root) / 100, accept_slower=getattr(args, "accept_slower", False)
    )


def hot_policy(args: argparse.Namespace, root: Path, patch: Patch) -> tuple[BenchPolicy | None, str]:
    """Without --bench, the policy to time a patch that changes a fn marked hot (`rusta hot add`), with
    the sentence saying so; (None, "") when it changes none."""
    from engine.proofs.hot import touched

    hot = touched(root, patch)
    if not hot:
        return None, ""
    from engine.patching.types import BenchPolicy

    policy = BenchPolicy(
        max_slowdown=allowance_pct(args, root) / 100, accept_slower=getattr(args, "accept_slower", False)
    )
    names = ", ".join(f"{f.name} ({f.path})" for f in hot)
    return policy, f"The patch changes {names}, marked hot: it is timed as --bench would."


def not_asked(root: Path, patch: Patch) -> tuple[Proof, ...]:
    """The bench lines of a patch not timed: why not, and which changed fns a benchmark covers."""
    from engine.patching.types import Proof
    from engine.proofs.bench_cover import coverage_proof

    why = "bench: not run: not asked for (--bench runs it, or `rusta hot add FN` for every patch)."
    cover = coverage_proof(root, patch)
    return (Proof(kind="bench", status="skipped", detail=why), *(() if cover is None else (cover,)))


def bench_note(policy: BenchPolicy) -> str:
    return (
        "Then the changed fns timed before and after at release settings (warm-up, 31 interleaved "
        f"samples, median with a 95% interval); a slowdown beyond {policy.max_slowdown:.0%} is red"
        + (" unless you accept it." if not policy.accept_slower else ", accepted with --accept-slower.")
    )
