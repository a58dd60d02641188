"""A closure that may outlive the function borrows locals (E0373): plain `move` where nothing uses
the captures after it; a clone taken before the closure where the syntax shows a later use. Real
cargo on crates written here."""

from __future__ import annotations

from pathlib import Path

from engine.edits import apply_edits
from engine.repair.move_closure import move_closure
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

LOOP = """use std::thread;

pub fn greet_all(names: Vec<String>, rounds: usize) -> usize {
    let prefix = String::from("hi ");
    let step = rounds * 2;
    let mut joins = Vec::new();
    for round in 0..rounds {
        joins.push(thread::spawn(|| {
            names.iter().map(|n| prefix.len() + n.len() + round + step).sum::<usize>()
        }));
    }
    joins.into_iter().map(|j| j.join().unwrap()).sum()
}
"""

AFTER = """use std::thread;

pub fn report(lines: Vec<String>) -> usize {
    let h = thread::spawn(|| lines.len());
    let n = h.join().unwrap();
    n + lines.len()
}
"""

OWNED = """use std::thread;

pub fn square_all(xs: Vec<u64>) -> Vec<u64> {
    let mut hs = Vec::new();
    for x in xs {
        let label = format!("{x}");
        hs.push(thread::spawn(|| x * x + label.len() as u64));
    }
    hs.into_iter().map(|h| h.join().unwrap()).collect()
}
"""


def _candidates(tmp_path: Path, name: str, text: str) -> tuple[Path, bytes, list]:
    root = write_lib(tmp_path, name, text)
    diags = [d for d in run_check(root, target_dir=tmp_path / "target").diagnostics if d.code_str == "E0373"]
    assert diags
    source = (root / "src" / "lib.rs").read_bytes()
    cands = {c.id: c for d in diags for c in move_closure(d, lambda _p: source)}
    return root, source, list(cands.values())


def _status(root: Path, tmp_path: Path, source: bytes, cand) -> str:  # noqa: ANN001
    (root / "src" / "lib.rs").write_bytes(apply_edits(source, cand.edits))
    return run_check(root, target_dir=tmp_path / "target").status


def test_a_capture_used_in_the_next_iteration_is_cloned_per_iteration(tmp_path: Path) -> None:
    root, source, cands = _candidates(tmp_path, "greet", LOOP)
    plain, cloned = cands
    assert _status(root, tmp_path, source, plain) != "clean"  # `names` moves on the first iteration
    patched = apply_edits(source, cloned.edits).decode()
    # the numbers (a range loop's variable, an arithmetic result) are copied in, not cloned
    assert "let names = names.clone();\n        let prefix = prefix.clone();\n" in patched
    assert "step.clone()" not in patched and "round.clone()" not in patched
    assert cloned.description.startswith("`names`, `prefix` are used again in the loop's next iteration")
    assert _status(root, tmp_path, source, cloned) == "clean"


def test_a_capture_used_later_in_the_block_gets_a_block_of_its_own(tmp_path: Path) -> None:
    root, source, cands = _candidates(tmp_path, "report", AFTER)
    plain, cloned = cands
    assert _status(root, tmp_path, source, plain) != "clean"
    assert cloned.description.startswith("`lines` is used again later in the function")
    assert (
        "thread::spawn({ let lines = lines.clone(); move || lines.len() })"
        in apply_edits(source, cloned.edits).decode()
    )
    assert _status(root, tmp_path, source, cloned) == "clean"


def test_per_iteration_captures_get_plain_move_only(tmp_path: Path) -> None:
    root, source, cands = _candidates(tmp_path, "squares", OWNED)
    assert len(cands) == 1
    assert _status(root, tmp_path, source, cands[0]) == "clean"


def test_the_story_offers_plain_move_only_where_no_later_iteration_needs_a_capture(tmp_path: Path) -> None:
    from tests.explain.crates import explain_lib

    fresh = [e for e in explain_lib(tmp_path / "a", "squares", OWNED) if e.code == "E0373"]
    reused = [e for e in explain_lib(tmp_path / "b", "greet", LOOP) if e.code == "E0373"]
    assert fresh and reused
    assert [o.name for o in fresh[0].options][0] == "move the captures"
    assert "clone per iteration, then move" not in [o.name for o in fresh[0].options]
    assert "move the captures" not in [o.name for o in reused[0].options]
    assert "clone per iteration, then move" in [o.name for o in reused[0].options]
