"""A sender cloned per iteration of a spawning loop (E0382), with its receiver drained after the loop:
the fix Rusta shows also drops the original sender after the loop, it compiles in the scratch copy,
and the fixed program ends. Real cargo on crates written here; the programs run under a timeout."""

from __future__ import annotations

import subprocess
from pathlib import Path

from engine.edits import apply_edits, suggestions
from engine.explain.api import explain_report
from engine.explain.validation import validate
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

# a binary: `for x in rx` after the loop, std's unbounded channel
BIN = """use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();
    for i in 0..4 {
        thread::spawn(move || {
            tx.send(i * 2).unwrap();
        });
    }
    let mut total = 0;
    for x in rx {
        total += x;
    }
    println!("total {}", total);
}
"""

# a library under test: `rx.iter().sum()` after a `while` loop, a bounded channel (`SyncSender`)
LIB = """use std::sync::mpsc::sync_channel;
use std::thread;

pub fn squares(n: u64) -> u64 {
    let (sender, results) = sync_channel(2);
    let mut k = 0;
    while k < n {
        thread::spawn(move || {
            sender.send(k * k).unwrap();
        });
        k += 1;
    }
    results.iter().sum()
}

#[test]
fn sums_the_squares() {
    assert_eq!(squares(4), 14);
}
"""


def _cargo(root: Path, tmp: Path, *argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`cargo <argv>` with a wall-clock limit: a hang is a failure, never a wait."""
    return subprocess.run(
        ["cargo", *argv, "-q", "--offline", "--target-dir", str(tmp / "target")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _fixed(tmp: Path, name: str, src: str, main: bool) -> tuple[Path, str, bytes]:
    root = write_lib(tmp, name, "")
    rel = "src/main.rs" if main else "src/lib.rs"
    (root / "src" / "lib.rs").unlink()
    (root / rel).write_text(src)
    stories = [e for e in explain_report(run_check(root, target_dir=tmp / "target")) if e.code == "E0382"]
    assert len(stories) == 1
    fix = validate(stories, root).explanations[0].fixes[0]
    assert fix.validated == "compiles" and fix.kind == "clone"
    assert "drop" in fix.name  # the name says what the patch adds to rustc's clone
    return root, rel, apply_edits(src.encode(), fix.edits)


def _ends(root: Path, tmp: Path, *argv: str) -> subprocess.CompletedProcess[str] | None:
    """`cargo <argv>` (built already) when it ends within 20 s; None for a program still waiting."""
    try:
        return _cargo(root, tmp, *argv, timeout=20)
    except subprocess.TimeoutExpired:
        return None


def test_the_cloned_sender_of_a_drained_channel_is_dropped_after_the_loop(tmp_path: Path) -> None:
    root, rel, patched = _fixed(tmp_path, "chan_bin", BIN, main=True)
    text = patched.decode()
    assert "tx.clone()" in text and "    }\n    drop(tx);\n    let mut total = 0;" in text
    (root / rel).write_bytes(patched)
    assert _cargo(root, tmp_path, "build").returncode == 0
    done = _ends(root, tmp_path, "run")
    assert done is not None and done.returncode == 0 and done.stdout.strip() == "total 12"


def test_rustcs_bare_clone_keeps_the_receiver_waiting(tmp_path: Path) -> None:
    """Why the drop: rustc's own suggestion alone compiles, and the drain never ends."""
    root = write_lib(tmp_path, "chan_hang", "")
    (root / "src" / "lib.rs").unlink()
    (root / "src" / "main.rs").write_text(BIN)
    d = next(d for d in run_check(root, target_dir=tmp_path / "target").diagnostics if d.code_str == "E0382")
    bare = apply_edits(BIN.encode(), suggestions(d)[0].edits)
    assert b"drop(tx)" not in bare
    (root / "src" / "main.rs").write_bytes(bare)
    assert _cargo(root, tmp_path, "build").returncode == 0
    assert _ends(root, tmp_path, "run") is None  # still waiting on `rx` when the limit struck


def test_a_sync_sender_drained_by_iter_in_a_library_test_ends(tmp_path: Path) -> None:
    root, rel, patched = _fixed(tmp_path, "chan_lib", LIB, main=False)
    text = patched.decode()
    assert "        k += 1;\n    }\n    drop(sender);\n    results.iter().sum()" in text
    (root / rel).write_bytes(patched)
    done = _ends(root, tmp_path, "test")
    assert done is not None and done.returncode == 0, done and done.stdout + done.stderr


# the sender is still lent after the loop, then the receiver is drained by `recv` in a `while let`
LENT = """use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel::<String>();
    for name in ["a", "b"] {
        thread::spawn(move || {
            tx.send(name.to_uppercase()).unwrap();
        });
    }
    tx.send("main".to_string()).unwrap();
    let mut seen = Vec::new();
    while let Ok(s) = rx.recv() {
        seen.push(s);
    }
    seen.sort();
    println!("{}", seen.join(","));
}
"""

# the drain itself sends on `tx`: no drop can go before it, so the option says the loop will not end
ECHO = """use std::sync::mpsc;
use std::thread;

pub fn echo() -> u32 {
    let (tx, rx) = mpsc::channel();
    for i in 0..2u32 {
        thread::spawn(move || tx.send(i).unwrap());
    }
    let mut n = 0;
    for x in rx.iter() {
        n += x;
        if x == 0 {
            tx.send(5).unwrap();
        }
    }
    n
}
"""


def test_a_sender_lent_after_the_loop_is_dropped_after_its_last_use(tmp_path: Path) -> None:
    root, rel, patched = _fixed(tmp_path, "chan_lent", LENT, main=True)
    assert '    tx.send("main".to_string()).unwrap();\n    drop(tx);\n' in patched.decode()
    (root / rel).write_bytes(patched)
    done = _ends(root, tmp_path, "run")
    assert done is not None and done.returncode == 0 and done.stdout.strip() == "A,B,main"


def test_where_no_drop_fits_the_option_says_the_drain_will_not_end(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "chan_echo", ECHO)
    stories = [
        e for e in explain_report(run_check(root, target_dir=tmp_path / "target")) if e.code == "E0382"
    ]
    clones = [f for f in validate(stories, root).explanations[0].fixes if "tx.clone()" in "".join(f.shows)]
    assert clones and all("drop(tx)" not in "".join(f.shows) for f in clones)
    assert all(f.cost == "the loop over `rx` will not end while `tx` lives" for f in clones)


# a new shape: a worker per word, the results drained by `recv` in a `while let` after a `for` loop
WORDS = """use std::sync::mpsc;
use std::thread;

pub fn lengths(words: Vec<String>) -> usize {
    let (out, inbox) = mpsc::channel();
    for w in words {
        thread::spawn(move || {
            out.send(w.len()).unwrap();
        });
    }
    let mut sum = 0;
    while let Ok(n) = inbox.recv() {
        sum += n;
    }
    sum
}

#[test]
fn adds_the_lengths() {
    assert_eq!(lengths(vec!["ab".into(), "cde".into()]), 5);
}
"""


def test_a_patch_rusta_added_to_is_not_credited_to_rustc(tmp_path: Path) -> None:
    """rustc suggests the clone alone; the shown patch adds the drop, so its source is Rusta's, and
    neither the fix nor the story's patch claims rustc (review B: b14, D: d15 read "rustc,
    MachineApplicable")."""
    root = write_lib(tmp_path, "word_lens", WORDS)
    stories = [
        e for e in explain_report(run_check(root, target_dir=tmp_path / "target")) if e.code == "E0382"
    ]
    assert len(stories) == 1
    fix = validate(stories, root).explanations[0].fixes[0]
    assert any(e.replacement.strip() == "drop(out);" for e in fix.edits), fix.edits
    assert fix.source != "rustc", (fix.source, fix.name)
    patch = stories[0].patch
    assert patch is not None and "drop(out)" in patch.diff and patch.source != "rustc", patch
    patched = apply_edits(WORDS.encode(), fix.edits)
    (root / "src" / "lib.rs").write_bytes(patched)
    done = _ends(root, tmp_path, "test")
    assert done is not None and done.returncode == 0, done and done.stdout + done.stderr
