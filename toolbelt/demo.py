"""The bundled demo crate: write its broken state to a folder, reproducibly, touching nothing else.

The crate ships as package data in `toolbelt/demo_crate/` (a two-crate workspace: `pantry` with
four compile errors, `pantry-stats` with a rustc warning and two clippy lints; they are separate
crates because rustc skips lints in a crate that has errors). `toolbelt/demo_crate_fixed/` holds
the same sources with each mistake fixed by one edit; tests use it to prove the fixes are real.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import msgspec

from toolbelt.atomic_file import replace_file
from toolbelt.errors import DemoRefused

DEFAULT_DEST = Path("examples/demo-crate")
_MARK_TABLE = ("package", "metadata", "rusta", "demo")


class DemoMistake(msgspec.Struct, frozen=True, kw_only=True):
    """One planted mistake: what the compiler calls it, where it is, and the one edit that fixes it."""

    code: str  # rustc code (E0382) or lint name (clippy::len_zero, unused_variables)
    level: str
    file: str  # relative to the demo crate's root
    function: str
    fix: str


MISTAKES: tuple[DemoMistake, ...] = (
    DemoMistake(
        code="E0308",
        level="error",
        file="src/inventory.rs",
        function="Item::shelf_label",
        fix='return "sold out".to_string() instead of a &str',
    ),
    DemoMistake(
        code="E0369",
        level="error",
        file="src/lib.rs",
        function="Pantry::contains",
        fix="derive PartialEq on Item (src/inventory.rs) so `==` works",
    ),
    DemoMistake(
        code="E0382",
        level="error",
        file="src/lib.rs",
        function="Pantry::restock",
        fix="extend from `delivery.clone()`, or take the length before moving the Vec",
    ),
    DemoMistake(
        code="E0596",
        level="error",
        file="src/lib.rs",
        function="starter_pantry",
        fix="declare the binding `let mut pantry`",
    ),
    DemoMistake(
        code="unused_variables",
        level="warning",
        file="stats/src/lib.rs",
        function="cheapest",
        fix="delete the unused `count` binding",
    ),
    DemoMistake(
        code="clippy::needless_range_loop",
        level="warning",
        file="stats/src/lib.rs",
        function="total",
        fix="iterate `for price in prices` instead of indexing",
    ),
    DemoMistake(
        code="clippy::len_zero",
        level="warning",
        file="stats/src/lib.rs",
        function="average",
        fix="write `prices.is_empty()`",
    ),
)


def source_dir() -> Path:
    """The bundled broken crate (package data)."""
    return Path(str(resources.files("toolbelt") / "demo_crate"))


def fixed_dir() -> Path:
    """The reference sources with every mistake fixed (only the .rs files that differ)."""
    return Path(str(resources.files("toolbelt") / "demo_crate_fixed"))


def bundled_files() -> tuple[str, ...]:
    """Relative paths of every file the demo crate owns; reset writes exactly these."""
    root = source_dir()
    return tuple(
        sorted(
            p.relative_to(root).as_posix()
            for p in root.rglob("*")
            if p.is_file() and "target" not in p.relative_to(root).parts and "__pycache__" not in p.parts
        )
    )


def is_demo_crate(path: Path) -> bool:
    """A folder is Rusta's demo crate when its Cargo.toml carries `[package.metadata.rusta] demo = true`."""
    try:
        data: object = tomllib.loads((path / "Cargo.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    for key in _MARK_TABLE:
        if not isinstance(data, dict) or key not in data:
            return False
        data = data[key]
    return data is True


def _write_atomic(path: Path, data: bytes) -> None:
    """Replace one file whole: a crash leaves the old or the new content, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_file(path, data, perm=0o644)


def reset(dest: Path = DEFAULT_DEST) -> Path:
    """Write the broken demo crate into `dest` and return its absolute path.

    Only the bundled files are written; anything else in `dest` (a `.rusta/` history, the user's
    own notes) stays. A `dest` that exists, is not empty and is not a demo crate is refused.
    """
    dest = Path(dest).expanduser()
    if dest.exists() and not dest.is_dir():
        raise DemoRefused(f"{dest} exists and is not a folder; choose another place for the demo crate.")
    if dest.is_dir() and any(dest.iterdir()) and not is_demo_crate(dest):
        raise DemoRefused(
            f"{dest} is not empty and is not Rusta's demo crate; refusing to overwrite it. Choose another folder."
        )
    src = source_dir()
    try:
        for rel in bundled_files():
            _write_atomic(dest / rel, (src / rel).read_bytes())
    except OSError as e:
        raise DemoRefused(f"cannot write the demo crate to {dest}: {e.strerror or e}.") from e
    return dest.resolve()
