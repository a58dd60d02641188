"""Structs the TUI keeps on disk or hands between threads: settings and job snapshots."""

from __future__ import annotations

from typing import Literal

import msgspec

from toolbelt.paths import StorageLimits

Mode = Literal["study", "pair", "silent"]
MODES: tuple[Mode, ...] = ("study", "pair", "silent")


class Base(msgspec.Struct, frozen=True, kw_only=True):
    """Common base: frozen, keyword-only."""


_LIMITS = StorageLimits()


class Settings(Base, frozen=True, forbid_unknown_fields=True):
    """What `<root>/.rusta/settings.toml` holds: repo prefs, style prefs, allow-lists and the mode."""

    version: int = 1
    mode: Mode = "study"
    check_tool: Literal["check", "clippy"] = "clippy"
    watch: bool = True
    debounce_ms: int = 150
    theme: str = ""  # empty: chosen from the terminal's colours
    ascii: bool | None = None  # None: chosen from the locale
    allow_commands: tuple[str, ...] = ("cargo check", "cargo clippy", "cargo test", "cargo fmt")
    allow_paths: tuple[str, ...] = ("src/", "tests/", "benches/", "examples/")
    max_line_width: int = 100
    # `rusta fix --yes` applies a fix at least this likely to be the developer's (the Confidence head,
    # engine.repair.headorder.apply_decision); None: the head's own threshold, shipped with its weights.
    fix_min_confidence: float | None = None
    # a before/after timing (--bench of rusta apply, fix and review) turns a patch red when its whole
    # 95% interval is slower than this many percent; --max-slowdown overrides it for one run
    bench_max_slowdown_pct: float = 20.0
    # storage caps (`rusta gc`); defaults from toolbelt.paths.StorageLimits, which gc and doctor read
    cache_cap_mb: int = _LIMITS.cache_cap_mb
    snapshot_cap_mb: int = _LIMITS.snapshot_cap_mb
    snapshot_max_age_days: int = _LIMITS.snapshot_max_age_days
    undo_history_ops: int = _LIMITS.undo_history_ops
    # the targets a check covers when no --lib/--tests/--all-targets is given (`rusta check` and the app)
    check_targets: Literal["default", "lib", "tests", "all"] = "all"
    # the packages (`-p`) and features (`--features`) the app's cargo runs cover, chosen on the Settings
    # screen: the user's choice is kept for the next launch; `rusta tui -p/-F` overrides it for one
    packages: tuple[str, ...] = ()
    features: tuple[str, ...] = ()


class JobView(Base, frozen=True):
    """A running job as the Status screen shows it."""

    name: str
    group: str
    started: float
    detail: str = ""
