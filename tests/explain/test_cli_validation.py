"""`rusta explain` validates the fixes it shows by default: real cargo on crates written here, the
story's words first, then only fixes that compile, and one line on why rustc's own suggestion fails."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.cli_runner import ARGV, child_env, rusta
from tests.explain.crates import write_lib

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("explain-cli")]

REPO = Path(__file__).resolve().parents[2]

# rustc suggests `&t.owner`, which makes `out` a Vec<&String> (E0308); its clone compiles
BORROW_IN_LOOP = """pub struct Ticket {
    pub owner: String,
}

pub fn owners(tickets: &[Ticket]) -> Vec<String> {
    let mut out = Vec::new();
    for t in tickets {
        let o = t.owner;
        out.push(o);
    }
    out
}
"""

# rustc suggests `move ||`, which moves `tag` in the loop's first pass (E0382)
THREADS_IN_LOOP = """use std::thread;

pub fn announce(tag: String) {
    let mut workers = Vec::new();
    for n in 0..3 {
        workers.push(thread::spawn(|| println!("{tag} {n}")));
    }
    for w in workers {
        w.join().unwrap();
    }
}
"""


def _env(tmp: Path) -> dict[str, str]:
    return child_env({"RUSTA_CACHE_DIR": str(tmp / "cache")}, columns=200)


def _explain(tmp: Path, crate: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cache = {"RUSTA_CACHE_DIR": str(tmp / "cache")}
    return rusta("explain", str(crate), "--no-clippy", "--no-log", *args, env=cache, columns=200, timeout=300)


def test_a_failing_rustc_borrow_is_not_shown_its_reason_is_and_the_clone_gets_a_tick(tmp_path: Path) -> None:
    crate = write_lib(tmp_path, "tickets", BORROW_IN_LOOP)
    out = _explain(tmp_path, crate)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    story, _, checked = text.partition("Checking 2 fixes in a scratch copy")
    assert "error[E0507]" in story and "Fix" not in story  # the words first, no code before its verdict
    # the borrow alone leaves the push mismatched; finished with its next step it compiles
    assert (
        "rustc's `&t.owner` alone is not enough: rustc then reports E0308 mismatched types "
        "(expected `Vec<String>`, found `Vec<&String>`)" in checked
    )
    assert "with the next step it compiles" in checked
    fixes = [ln for ln in checked.splitlines() if "Fix" in ln]
    assert len(fixes) == 1 and "Fix ✓ (compiles" in fixes[0] and "`let o = t.owner.clone();`" in fixes[0]
    assert "-> `let o = &t.owner;`" not in text
    # the count announced, then the cargo runs it took: 2 + the next step
    assert (
        "Checking 2 fixes" in out.stdout
        and "rusta: 2 fixes checked in " in out.stderr
        and "with 3 cargo checks and 0 answers" in out.stderr
    )

    again = _explain(tmp_path, crate)  # unchanged files: every verdict from the cache, no cargo run
    assert again.stdout == out.stdout
    assert "rusta: 2 fixes checked in " in again.stderr
    assert "with 0 cargo checks and 2 answers from the cache" in again.stderr

    fast = _explain(tmp_path, crate, "--no-validate")  # the fast path: unchecked, and says so
    assert "Checking" not in fast.stdout and "Fix (not checked yet, rustc" in fast.stdout

    study = _explain(tmp_path, crate, "--mode", "study")
    assert "Fix ✓: " in study.stdout and "+        let o = t.owner.clone();" in study.stdout
    # rustc's borrow, finished with the conversion the push needs, compiles too: shown as such,
    # and the borrow is never said not to compile
    assert "rustc's `&t.owner` alone is not enough" in study.stdout
    assert "rustc's `&t.owner` does not compile" not in study.stdout


def test_a_failing_rustc_move_is_explained_and_not_repeated_as_a_way_out(tmp_path: Path) -> None:
    crate = write_lib(tmp_path, "announce", THREADS_IN_LOOP)
    out = _explain(tmp_path, crate)
    assert out.returncode == 0, out.stderr
    checked = out.stdout.partition("in a scratch copy")[2]
    assert (
        "rustc's `move ||` alone is not enough: rustc then reports E0382 use of moved value: `tag` "
        "(value moved into closure here, in previous iteration of loop)" in checked
    )
    assert "Way out: move" not in checked  # the failed option, not offered again
    # finished with what rustc says of the E0382 it brings: a clone per pass, moved in
    # pair mode's fix line stays short (the steps in words are study mode's); the code is a hunk below
    fixes = [ln for ln in checked.splitlines() if "Fix" in ln]
    assert len(fixes) == 1 and "Fix ✓ (compiles, in 2 steps" in fixes[0] and "steps:" not in fixes[0], fixes
    code = checked.partition(fixes[0])[2].splitlines()
    assert "+ let value = tag.clone();" in [ln.strip() for ln in code], code
    assert any(ln.strip().startswith("+ ") and "move ||" in ln for ln in code), code


def test_json_carries_each_options_state_and_the_failed_ones_with_their_reason(tmp_path: Path) -> None:
    crate = write_lib(tmp_path, "tickets_json", BORROW_IN_LOOP)
    out = _explain(tmp_path, crate, "--json")
    assert out.returncode == 0, out.stderr
    (story,) = [json.loads(ln) for ln in out.stdout.splitlines()]
    coded = [o for o in story["options"] if o["patch"] is not None]
    assert {o["validated"] for o in coded} == {"compiles"} and ".clone()" in coded[0]["patch"]
    (failed,) = story["failed"]
    assert failed["source"] == "rustc" and failed["fails_because"].startswith("E0308 mismatched types")
    fast = json.loads(_explain(tmp_path, crate, "--json", "--no-validate").stdout)
    assert {o["validated"] for o in fast["options"] if o["patch"]} == {"not-checked"} and fast["failed"] == []


# rustc's `widths: Vec<_>` removes E0282; rustc then reports E0277 `f32: Ord` at the later `.max()`,
# an error the missing type hid: the annotation works, it is not "does not compile here"
ANNOTATION_UNCOVERS = """pub fn widest(line: &str) -> Option<f32> {
    let widths = line.split(',').map(|w| w.trim().len() as f32).collect();
    let top = widths.iter().copied().max();
    top
}
"""


def test_a_fix_that_uncovers_a_hidden_error_works_for_its_own_and_quotes_the_next(tmp_path: Path) -> None:
    crate = write_lib(tmp_path, "widths", ANNOTATION_UNCOVERS)
    out = _explain(tmp_path, crate)
    assert out.returncode == 0, out.stderr
    checked = out.stdout.partition("in a scratch copy")[2]
    assert "does not compile" not in checked and "other fix" not in checked
    assert (
        "rustc's `widths: Vec<_>` works for this error; rustc then reports E0277 the trait bound "
        "`f32: Ord` is not satisfied" in checked
    )
    # finished with Rusta's own repair for the error it uncovers, checked as one fix
    (fix,) = [ln for ln in checked.splitlines() if "Fix" in ln]
    assert "Fix ✓ (compiles, in 2 steps" in fix and "E0277" not in fix, fix  # said on the line above
    code = [ln.strip() for ln in checked.partition(fix)[2].splitlines()]
    assert "+ let widths: Vec<_> = line.split(',').map(|w| w.trim().len() as f32).collect();" in code, code
    assert any(ln.startswith("+ ") and "total_cmp" in ln for ln in code), code

    # the steps in words, with the error the second answered, are study mode's
    study = _explain(tmp_path, crate, "--mode", "study").stdout
    assert "in 2 steps: consider giving `widths` an explicit type, then " in study, study
    assert "(E0277 the trait bound `f32: Ord` is not satisfied at src/lib.rs:3)" in study
    assert "does not compile" not in study and "Fix ✓" in study
    assert "then order the floats with `total_cmp`" in study and "+    let widths: Vec<_> =" in study

    (story,) = [json.loads(ln) for ln in _explain(tmp_path, crate, "--json").stdout.splitlines()]
    coded = [o for o in story["options"] if o["patch"] is not None]
    assert [o["validated"] for o in coded] == ["compiles", "uncovers"] and story["failed"] == []
    assert len(coded[0]["steps"]) == 1 and coded[1]["steps"] == []


SLOW_IN_SCRATCH = """fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    if dir.contains("explain-validation") {
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
}
"""


def test_ctrl_c_while_checking_keeps_the_stories_and_exits_cleanly(tmp_path: Path) -> None:
    crate = write_lib(tmp_path, "interrupted", BORROW_IN_LOOP)
    (crate / "build.rs").write_text(SLOW_IN_SCRATCH)  # only the scratch copy's check is slow
    argv = [*ARGV, "explain", str(crate), "--no-clippy"]
    proc = subprocess.Popen(
        argv, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if line.startswith("Checking"):
            break
    t0 = time.monotonic()
    proc.send_signal(signal.SIGINT)
    rest, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and time.monotonic() - t0 < 30  # the scratch cargo was stopped too
    assert "error[E0507]" in "".join(seen)
    assert rest.strip().endswith("the fixes not yet checked are not shown.") and "Fix" not in rest
    assert "Traceback" not in err


def test_ctrl_c_while_the_check_thread_is_starting_stops_it_without_a_crash(tmp_path: Path) -> None:
    """Ctrl-C can land inside Thread.start, before the thread runs: stopping then must not raise."""
    from rusta_tui.cli.explain_show import Checks

    checks = Checks((), tmp_path)

    def interrupted() -> None:
        raise KeyboardInterrupt

    checks._thread.start = interrupted  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        checks.start()
    checks.stop()
    assert checks.cancel.is_set()
