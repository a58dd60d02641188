"""Which packages, features and targets a cargo run covers: `-p`, `--features`, `--lib`/`--tests`/`--all-targets`.

One `Selection` is chosen per command (the CLI's flags, else the crate's settings) and every cargo
run of that command honours it: the check, the repair's trials, the sandbox's check and test. The
CLI sets it once with `use()`, so the layers between (explain, repair, the patch path) need not
carry it; a caller may still pass one explicitly to `run_check`/`run_test`.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Literal

import msgspec

Targets = Literal["default", "lib", "tests", "all"]
TARGET_FLAGS: dict[str, tuple[str, ...]] = {
    "default": (),
    "lib": ("--lib",),
    "tests": ("--tests",),
    "all": ("--all-targets",),
}


class Selection(msgspec.Struct, frozen=True, kw_only=True):
    """`targets=None` leaves the caller's own default: for a check, `check_default` (the crate's
    setting) or else all targets; for a test, cargo's (which, unlike `--all-targets`, runs doctests).
    """

    packages: tuple[str, ...] = ()
    features: tuple[str, ...] = ()
    all_features: bool = False
    no_default_features: bool = False
    targets: Targets | None = None
    check_default: Targets | None = None

    def package_args(self) -> list[str]:
        out: list[str] = []
        for p in self.packages:
            out += ["-p", p]
        if self.features:
            out += ["--features", ",".join(self.features)]
        if self.all_features:
            out.append("--all-features")
        if self.no_default_features:
            out.append("--no-default-features")
        return out

    def target_args(self, default: Targets) -> list[str]:
        return list(TARGET_FLAGS[self.targets or default])

    def check_target_args(self, default: Targets) -> list[str]:
        return list(TARGET_FLAGS[self.targets or self.check_default or default])

    def describe(self) -> str:
        """A few words for a report header: "-p app, --features x, --lib"; empty for cargo's defaults."""
        parts = self.package_args()
        if self.targets and self.targets != "default":
            parts += list(TARGET_FLAGS[self.targets])
        return " ".join(parts)


_lock = threading.Lock()
_current = Selection()


def use(selection: Selection) -> None:
    """Make `selection` what every cargo run of this process covers unless told otherwise."""
    global _current
    with _lock:
        _current = selection


def current() -> Selection:
    return _current


def for_changes(root: Path, paths: list[str]) -> Selection:
    """What a check or test of a change to `paths` covers. The command's own selection when it names
    packages or features; else, in a workspace, the packages holding the changed files and the
    members that depend on them: a member with errors of its own that the change cannot reach must
    not make a clean member's change red, and a member the change can break is still built."""
    from toolbelt.cargo_workspace import affected_packages

    sel = current()
    if sel.packages or sel.features or sel.all_features or sel.no_default_features:
        return sel
    packages = affected_packages(root, paths)
    return sel if packages is None else msgspec.structs.replace(sel, packages=packages)
