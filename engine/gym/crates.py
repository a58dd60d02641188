"""Turn a Debian crate source into a standalone crate that builds and tests offline.

Debian's `librust-*-dev` packages put sources in /usr/share/cargo/registry. Dev-dependencies are
rarely packaged, so (as `../shared/crates.md` describes) the copy drops dev-dependency, test, bench
and example sections and folders, then builds against the registry through `.cargo/config.toml`.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from engine.gym.errors import GymError
from toolbelt.cargo_run import run_check, run_test

REGISTRY = Path("/usr/share/cargo/registry")

# Reserved for held-out evaluation: never mutated, trained on or used as fixtures.
HELD_OUT = frozenset(
    "atomic beef bit-set bit-vec bytesize either fixedbitset heck indexmap log memoffset nibble_vec "
    "num-iter owning_ref quick-error rustc-demangle scopeguard semver-parser smallvec smawk strsim "
    "unicode-width vec_map walkdir".split()
)

CONFIG = """[source.crates-io]
replace-with = "debian"

[source.debian]
directory = "/usr/share/cargo/registry"

[net]
offline = true
"""

_DROP_SECTION = re.compile(
    r"^\[(?:\[(?:test|bench|example)\]|dev-dependencies(?:\.[^\]]+)?|target\.[^\]]+\.dev-dependencies(?:\.[^\]]+)?)\]\s*$"
)


def is_held_out(name: str) -> bool:
    n = name.lower()
    return n in HELD_OUT or n.replace("_", "-") in HELD_OUT or n.replace("-", "_") in HELD_OUT


def find_source(name: str) -> Path:
    if is_held_out(name):
        raise GymError(f"{name} is reserved for held-out evaluation and is never used by the gym.")
    hits = sorted(p for p in REGISTRY.glob(f"{name}-[0-9]*") if p.is_dir())
    if not hits:
        raise GymError(f"crate {name} is not installed; run `make crates` (Debian librust-*-dev packages).")
    return hits[-1]


def strip_manifest(text: str) -> str:
    """Drop dev-dependency, test, bench and example sections (a section runs to the next header)."""
    out: list[str] = []
    dropping = False
    for line in text.splitlines(keepends=True):
        if line.startswith("["):
            dropping = bool(_DROP_SECTION.match(line.strip()))
        if not dropping:
            out.append(line)
    return "".join(out)


_DROP_TOP = {"tests", "benches", "examples", "target", ".pc", "debian"}
_DROP_ANY = {".cargo-checksum.json", "Cargo.lock"}


def _top_level_ignore(src: Path):
    """Drop the crate's own tests/benches/examples folders, not a `src/tests/` module deeper down."""

    def ignore(directory: str, names: list[str]) -> set[str]:
        drop = {n for n in names if n in _DROP_ANY}
        if Path(directory) == src:
            drop |= {n for n in names if n in _DROP_TOP}
        return drop

    return ignore


def prepare(name: str, dest: Path) -> Path:
    """Copy crate `name` to dest (replacing it), made standalone; returns dest."""
    src = find_source(name)
    if dest.exists():
        shutil.rmtree(dest)
    # Fresh mtimes (shutil.copy, not copy2): the registry's sources are years old, and cargo calls a
    # build fresh when no source is newer than it, so a copy keeping them would reuse the test binary
    # of whatever this path last built (a mutated or deliberately failing test) instead of rebuilding.
    shutil.copytree(src, dest, ignore=_top_level_ignore(src), copy_function=shutil.copy)
    manifest = dest / "Cargo.toml"
    manifest.write_text(strip_manifest(manifest.read_text()))
    (dest / ".cargo").mkdir(exist_ok=True)
    (dest / ".cargo" / "config.toml").write_text(CONFIG)
    return dest


def verify(root: Path) -> tuple[bool, str]:
    """A gym crate must check clean of errors and pass its lib tests before any mutation."""
    check = run_check(root, all_targets=False)
    if check.status not in ("clean", "diagnostics") or any(d.level == "error" for d in check.diagnostics):
        return False, f"check {check.status}: {check.message}"
    tests = run_test(root)
    if tests.status != "passed":
        return False, f"tests {tests.status}: {tests.message}"
    return True, f"{len(tests.tests)} tests pass"
