"""Crates under a hostile environment: a build script reaching for the network, a read-only mount."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from toolbelt.build_script import build_script_sentence

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
RUSTA = [sys.executable, "-m", "rusta_tui.cli.main"]
BUILD_RS = """fn main() {
    match std::net::TcpStream::connect("93.184.216.34:80") {
        Ok(_) => println!("cargo:warning=network reached"),
        Err(e) => panic!("download of the model failed: {e}"),
    }
}
"""


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(REPO))


def test_a_build_script_that_tries_the_network_is_blocked_and_reported(tmp_path: Path) -> None:
    root = tmp_path / "netbuild"
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "netbuild"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text("pub fn f() {}\n")
    (root / "build.rs").write_text(BUILD_RS)
    r = subprocess.run([*RUSTA, "check", str(root)], capture_output=True, text=True, env=_env(), timeout=300)
    assert r.returncode == 2, r.stdout + r.stderr
    line = r.stderr.strip()
    assert len(line.splitlines()) == 1 and "Traceback" not in line
    assert (
        "the build script of netbuild v0.1.0" in line
        and "tried to reach the network, which Rusta blocks" in line
    )
    assert "at build.rs:4:19: download of the model failed:" in line  # the script's own words


def test_a_build_script_failing_otherwise_is_quoted_not_blamed_on_the_network() -> None:
    stderr = (
        "error: failed to run custom build command for `x v0.1.0 (/w/x)`\n\nCaused by:\n  process didn't exit "
        "successfully: `/t/build-script-build` (exit status: 101)\n  --- stderr\n\n  thread 'main' (7) panicked "
        "at build.rs:2:5:\n  libfoo.so not found\n"
    )
    assert (
        build_script_sentence(stderr)
        == "the build script of x v0.1.0 (/w/x) failed. It said, at build.rs:2:5: libfoo.so not found."
    )
    assert build_script_sentence("error: could not compile `x`") is None


def _read_only(root: Path, *args: str) -> subprocess.CompletedProcess:
    """`rusta ARGS` with `root` bind-mounted read-only in a private mount namespace."""
    unshare = shutil.which("unshare")
    assert unshare, "unshare (util-linux) is needed for the read-only test"
    script = 'mount --bind -o ro "$1" "$1" && touch "$1/probe" 2>/dev/null && exit 99; shift; exec "$@"'
    as_root = os.geteuid() == 0
    argv = [unshare, "-m", *([] if as_root else ["-r"]), "sh", "-c", script, "sh", str(root), *RUSTA, *args]
    return subprocess.run(argv, capture_output=True, text=True, env=_env(), timeout=300)


def test_a_read_only_crate_is_explained_and_fix_says_it_cannot_write(fixture_crate) -> None:
    root = fixture_crate("borrow_error")
    before = sorted((p.relative_to(root), p.read_bytes()) for p in root.rglob("*") if p.is_file())
    explained = _read_only(root, "explain", str(root))
    assert explained.returncode == 0, explained.stderr
    assert "E0382" in explained.stdout
    fixed = _read_only(root, "fix", "--yes", str(root))
    assert fixed.returncode == 4, fixed.stdout + fixed.stderr
    assert fixed.stderr.strip() == (
        f"rusta: {root} is on a read-only filesystem, so rusta fix cannot write a fix or its DevLog there; "
        "nothing was changed. `rusta check` and `rusta explain` work on it."
    )
    assert sorted((p.relative_to(root), p.read_bytes()) for p in root.rglob("*") if p.is_file()) == before
