"""Tiny crates for the proofs tests, written by a generator of our own (no fixture copied from elsewhere)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from engine.edits import unified_diff
from tests.cli_runner import rusta

# an unsafe read a test reaches and a safe fn beside it: what miri and the validation proofs check
UNSAFE_LIB = """\
pub fn first(v: &[u8]) -> u8 {
    unsafe { *v.as_ptr() }
}

pub fn plain(x: u8) -> u8 {
    x
}

#[cfg(test)]
mod tests {
    #[test]
    fn first_is_first() { assert_eq!(super::first(&[7, 8]), 7); }
    #[test]
    fn plain_is_plain() { assert_eq!(super::plain(3), 3); }
}
"""


def make_crate(
    root: Path, lib: str, name: str = "proofs_fixture", extra: dict[str, str] | None = None
) -> Path:
    """A git-tracked library crate holding `lib` as src/lib.rs (Rusta snapshots need git)."""
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text(f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text(lib)
    for rel, text in (extra or {}).items():
        (root / rel).write_text(text)
    return committed(root)


def committed(root: Path) -> Path:
    """`root` as a git repository with every file in one commit (Rusta snapshots need git)."""
    git = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q", "."], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "init"], cwd=root, check=True)
    return root


def diff_of(root: Path, new_lib: str) -> str:
    """The diff that turns the crate's src/lib.rs into `new_lib`."""
    old = (root / "src" / "lib.rs").read_bytes()
    return unified_diff({"src/lib.rs": old}, {"src/lib.rs": new_lib.encode()})


def run_rusta(crate: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """The real CLI in a child process, in `crate`, on this checkout (wide, so no line is folded)."""
    return rusta(*args, cwd=crate, columns=200, timeout=timeout)
