"""`rusta check` end to end, as a user runs it: output, JSON, exit codes, and every kind of bad input.

Every bad input must give one sentence on stderr, exit 1 or 2, no traceback, and leave the user's
files exactly as they were.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from toolbelt import demo

pytestmark = pytest.mark.slow
RUSTA = [sys.executable, "-m", "rusta_tui.cli.main"]


def rusta(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([*RUSTA, *args], capture_output=True, text=True, env=env, timeout=timeout)


def snapshot(root: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file under root with its size, mtime and content: proof that nothing was touched."""
    return {
        str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def one_sentence(r: subprocess.CompletedProcess, code: int, *words: str) -> None:
    assert r.returncode == code, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rusta: "), r.stderr
    for w in words:
        assert w in lines[0], (w, lines[0])


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo.reset(tmp_path_factory.mktemp("democli") / "demo-crate")


def test_demo_human_output(demo_root: Path) -> None:
    before = snapshot(demo_root)
    r = rusta("check", str(demo_root))
    assert r.returncode == 1, r.stderr
    out = r.stdout
    assert out.index("src/inventory.rs") < out.index("stats/src/lib.rs")  # files with errors first
    for m in demo.MISTAKES:
        assert m.code in out
    assert "^^^^^^^^ value borrowed here after move" in out
    assert "let mut pantry = Pantry::new();" in out  # the help, applied to the line
    assert "4 errors, 3 warnings" in out and "clippy 0." in out
    assert snapshot(demo_root) == before


def test_demo_json_lines(demo_root: Path) -> None:
    r = rusta("check", "--json", str(demo_root))
    assert r.returncode == 1
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(rows) == len(demo.MISTAKES)
    for row in rows:
        for key in ("code", "level", "message", "file", "line", "column", "spans", "tool", "rendered"):
            assert key in row
        assert (
            row["spans"] and {"byte_start", "is_primary", "suggested_replacement"} <= row["spans"][0].keys()
        )
    e0382 = next(row for row in rows if row["code"] == "E0382")
    assert (e0382["file"], e0382["line"], e0382["level"], e0382["tool"]) == (
        "src/lib.rs",
        33,
        "error",
        "rustc",
    )
    assert {row["tool"] for row in rows if row["code"].startswith("clippy::")} == {"clippy"}
    assert rows[0]["toolchain"]["rustc"].startswith("rustc ")


def test_no_clippy_shows_compiler_only(demo_root: Path) -> None:
    r = rusta("check", "--no-clippy", "--json", str(demo_root))
    codes = {json.loads(line)["code"] for line in r.stdout.splitlines()}
    assert r.returncode == 1 and "E0382" in codes and not any(c.startswith("clippy::") for c in codes)


def test_clean_crate_exits_zero(tmp_path: Path) -> None:
    root = demo.reset(tmp_path / "d")
    for src in demo.fixed_dir().rglob("*.rs"):
        shutil.copyfile(src, root / src.relative_to(demo.fixed_dir()))
    r = rusta("check", str(root / "src"))  # a folder inside the crate is enough
    assert r.returncode == 0, r.stdout + r.stderr
    assert "clean" in r.stdout
    assert rusta("check", "--json", str(root)).stdout == ""


def test_not_a_crate(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    one_sentence(rusta("check", str(tmp_path)), 2, "no Cargo.toml")
    one_sentence(rusta("check", str(tmp_path / "missing")), 2, "no such file")
    assert (tmp_path / "notes.txt").read_text() == "hello" and len(list(tmp_path.iterdir())) == 1


def test_broken_manifest(fixture_crate) -> None:
    root = fixture_crate("borrow_error")
    (root / "Cargo.toml").write_text('[package\nname = "x"\n')
    before = snapshot(root)
    one_sentence(rusta("check", str(root)), 2, "Cargo.toml is broken", "line 1")
    (root / "Cargo.toml").write_text('[package]\nversion = "0.1.0"\n')  # valid TOML, invalid manifest
    before = snapshot(root)
    one_sentence(rusta("check", str(root)), 2, "failed to parse manifest", "package.name")
    assert snapshot(root) == before


def test_hanging_build_script_times_out(fixture_crate) -> None:
    root = fixture_crate("hanging_build")
    before = snapshot(root)
    one_sentence(rusta("check", "--timeout", "3", str(root)), 2, "did not finish within 3 s", "--timeout")
    assert snapshot(root) == before


def test_non_utf8_source(fixture_crate) -> None:
    root = fixture_crate("borrow_error")
    (root / "src" / "lib.rs").write_bytes(b"pub fn f() {}\n// caf\xe9\n")
    before = snapshot(root)
    r = rusta("check", "--json", str(root))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    (row,) = [json.loads(line) for line in r.stdout.splitlines()]
    assert row["level"] == "error" and "valid UTF-8" in row["message"] and row["file"] == "src/lib.rs"
    human = rusta("check", str(root))
    assert human.returncode == 1 and "valid UTF-8" in human.stdout
    assert snapshot(root) == before


def test_fifty_megabyte_source(fixture_crate) -> None:
    root = fixture_crate("borrow_error")
    big = root / "src" / "tables.rs"
    with (root / "src" / "lib.rs").open("a") as f:
        f.write("mod tables;\n")
    with big.open("wb") as f:
        line = b"// " + b"x" * 1020 + b"\n"
        for _ in range(50 * 1024):
            f.write(line)
    assert big.stat().st_size == 50 * 1024**2
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*")}
    one_sentence(rusta("check", str(root)), 2, "src/tables.rs is 50 MB", "limit")
    assert {p: p.stat().st_mtime_ns for p in root.rglob("*")} == before


def test_cargo_missing_from_path(fixture_crate) -> None:
    root = fixture_crate("borrow_error")
    before = snapshot(root)
    bare = {k: v for k, v in os.environ.items() if k != "PATH"}
    bare["PATH"] = str(Path(sys.executable).parent) + os.pathsep + "/nonexistent"
    one_sentence(rusta("check", str(root), env=bare), 2, "cargo is not on PATH")
    assert snapshot(root) == before


def _read_only_run(root: Path) -> subprocess.CompletedProcess:
    """Run `rusta check` with `root` bind-mounted read-only in a private mount namespace (root or not)."""
    unshare = shutil.which("unshare")
    assert unshare, "unshare (util-linux) is needed for the read-only test"
    script = 'mount --bind -o ro "$1" "$1" && touch "$1/probe" 2>/dev/null && exit 99; shift; exec "$@"'
    as_root = os.geteuid() == 0
    argv = [unshare, "-m", *([] if as_root else ["-r"]), "sh", "-c", script, "sh", str(root), *RUSTA]
    return subprocess.run([*argv, "check", "--json", str(root)], capture_output=True, text=True, timeout=120)


def test_read_only_crate_with_lockfile(fixture_crate) -> None:
    root = fixture_crate("borrow_error")
    before = snapshot(root)
    r = _read_only_run(root)
    assert r.returncode == 1, r.stderr
    assert [json.loads(line)["code"] for line in r.stdout.splitlines()] == ["E0382"]
    assert snapshot(root) == before


def test_read_only_crate_without_lockfile(fixture_crate) -> None:
    """cargo must create Cargo.lock and cannot: Rusta checks a shadow copy, writes nothing in the crate."""
    root = fixture_crate("borrow_error")
    (root / "Cargo.lock").unlink()
    before = snapshot(root)
    r = _read_only_run(root)
    assert r.returncode == 1, r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [(row["code"], row["file"], row["line"]) for row in rows] == [("E0382", "src/lib.rs", 3)]
    assert rows[0]["crate_root"] == str(root)
    assert snapshot(root) == before


def test_usage_errors() -> None:
    one_sentence(rusta("check", "--timeout", "0", "."), 2, "--timeout")
    r = rusta("check", "--bogus")
    assert r.returncode == 2 and "Traceback" not in r.stderr
