"""The bench proof in the app: when `v` and `f` time a patch, and the consent a slowdown needs.

The same proof `rusta fix --bench` and `rusta apply --bench` run (engine.proofs.bench through
api.validate and flow.validate); the app runs it whenever a benchmark of the crate covers the code the
patch changes (engine.proofs.crate_benches.uncovered) or the patch changes a fn marked hot (`H` on the
Code screen, `rusta hot add`), with the Settings screen's "Slowdown %" as the allowance. A slowdown
past it keeps the patch red until the user consents, as `--accept-slower` does.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

if TYPE_CHECKING:
    from engine.patching.types import BenchPolicy, Patch, Proof, Validation
    from rusta_tui.state import Session
    from rusta_tui.types import Settings


def bench_for(root: Path, patch: Patch, settings: Settings) -> tuple[BenchPolicy | None, Proof | None]:
    """(the policy to time the patch with, None) when a benchmark covers it or it changes a fn marked
    hot, else (None, the proof line saying why no bench runs)."""
    from engine.patching.api import crate_root
    from engine.patching.types import BenchPolicy, Proof
    from engine.proofs.crate_benches import uncovered
    from engine.proofs.hot import touched

    r = crate_root(root)
    why = uncovered(r, patch)
    if why and not touched(r, patch):
        return None, Proof(kind="bench", status="skipped", detail=f"bench: not run: {why}.")
    return BenchPolicy(max_slowdown=settings.bench_max_slowdown_pct / 100), None


def with_skip(v: Validation, skip: Proof | None) -> Validation:
    return v if skip is None else msgspec.structs.replace(v, proofs=(*v.proofs, skip))


def consent_question(v: Validation, settings: Settings) -> str:
    """What the consent modal asks: the slowdowns, as the proofs list says them."""
    from engine.proofs.bench import slower_than_allowed

    said = "\n".join(f"- {p.detail}" for p in slower_than_allowed(v))
    pct = f"{settings.bench_max_slowdown_pct:g}%"
    return f"This patch is slower than the {pct} Settings allow:\n{said}\n\nApply it anyway? y applies, n leaves it."


def toggle_hot(session: Session) -> tuple[str, bool]:
    """Marks the fn around the selected diagnostic hot, or unmarks it (engine.proofs.hot, as `rusta hot
    add`): (the sentence for the mode bar, False when it failed)."""
    from engine.patching.api import crate_root
    from engine.proofs import hot

    row = session.selected_row()
    if row is None:
        return "No diagnostic selected: H marks the fn around it as hot.", True
    root = crate_root(session.root).resolve()
    path = (session.root / row.file).resolve().relative_to(root).as_posix()
    name = hot.fn_at(root, path, row.line)
    if name is None:
        return f"No fn holds {row.file}:{row.line}: nothing to mark hot.", True
    fn = hot.HotFn(path=path, name=name)
    try:
        if hot.unmark(root, fn):
            return f"{name} ({path}) is no longer hot.", True
        hot.mark(root, fn)
    except (hot.HotError, OSError) as e:
        return f"Cannot mark {name} hot: {e}", False
    return f"{name} ({path}) is hot: a patch that changes it is timed before and after.", True
