"""The core loop on a real crate with the real DevLog and the real patch path:
Say -> Explain -> (Reject) -> Do -> Undo -> Reflect, each step one DevLog record."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from diary.devlog import DevLog
from engine.explain.api import explain_report
from engine.loop import CoreLoop, IllegalTransition, NoExplanation
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("explain-loop")]

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def crate(tmp_path: Path) -> Path:
    dest = tmp_path / "explain_loop"
    shutil.copytree(
        REPO / "tests" / "fixtures" / "explain_loop", dest, ignore=shutil.ignore_patterns("target", ".rusta")
    )
    return dest


def _entries(root: Path) -> list[tuple[str, str]]:
    log = DevLog.open(root, readonly=True)
    return [(e.kind, e.payload.get("step", "")) for e in log.entries()]


def test_illegal_transitions_raise_and_write_nothing(crate: Path) -> None:
    loop = CoreLoop(crate)
    for step in (
        lambda: loop.do(),
        loop.undo,
        lambda: loop.explain(()),
        lambda: loop.reflect("x"),
        lambda: loop.reject("no"),
    ):
        with pytest.raises(IllegalTransition):
            step()
    assert loop.state == "idle"
    loop.say("fix it")
    with pytest.raises(IllegalTransition):
        loop.say("again")
    with pytest.raises(IllegalTransition):
        loop.undo()
    loop.close()
    assert _entries(crate) == [("intent", "say")]


def test_do_needs_an_explanation_with_a_change(crate: Path) -> None:
    loop = CoreLoop(crate)
    loop.say("change something")
    loop.explain(())
    with pytest.raises(NoExplanation):
        loop.do()
    loop.close()


def test_the_whole_loop_argues_concedes_applies_and_undoes(crate: Path) -> None:
    original = (crate / "src" / "lib.rs").read_bytes()
    loop = CoreLoop(crate)
    task = loop.say("make total compile")
    stories = explain_report(run_check(crate))
    loop.explain(stories)
    (e,) = loop.explanations
    assert e.code == "E0382" and e.patch is not None and ".clone()" in e.patch.diff

    # 1. a rejection without evidence: she holds, quoting the compiler
    held = loop.reject("cloning a Vec is wasteful")
    assert not held.conceded
    assert any(ev.kind == "compiler" and ev.text == "value moved here" for ev in held.evidence)
    assert "borrow of moved value: `names`" in held.text and "!" not in held.text

    # 2. an alternative that does not compile: she holds, with the validation's evidence
    red = e.patch.diff.replace("names.clone()", "names; let _x: u8 = taken")
    held = loop.reject("this works too", alternative_diff=red)
    assert not held.conceded and any(ev.kind == "validation" for ev in held.evidence)

    # 3. an alternative that validates green: she concedes and records a reflection
    borrow = e.patch.diff.replace("names.clone()", "&names")
    conceded = loop.reject("borrow it instead of cloning", alternative_diff=borrow)
    assert conceded.conceded and "I was wrong" in conceded.text

    # Do applies the alternative she conceded to, only after validation
    done = loop.do()
    assert done.applied and done.verdict == "green"
    assert "let taken = &names;" in (crate / "src" / "lib.rs").read_text()
    assert loop.state == "done"

    loop.undo()
    assert (crate / "src" / "lib.rs").read_bytes() == original
    loop.reflect("borrowing was enough; no clone needed")
    assert loop.state == "reflected"
    loop.close()

    log = DevLog.open(crate, readonly=True)
    mine = [en for en in log.entries() if en.task == task]
    steps = [(en.kind, en.payload["step"]) for en in mine]
    assert steps == [
        ("intent", "say"),
        ("note", "explain"),
        ("note", "reject"),
        ("note", "reject"),
        ("reflection", "reject"),
        ("action", "do"),
        ("action", "undo"),
        ("reflection", "reflect"),
    ]
    assert mine[4].payload["conceded"] is True
    assert mine[-1].settles == task
    assert all(en.payload.get("summary") for en in mine)
    assert mine[0].payload["goal"] == "make total compile"
    assert mine[-1].payload["outcome"] == "done" and mine[4].payload["outcome"] == "rejected"
    # the diary's replay agrees: the loop's own records never count as patch ops twice
    from diary.replay import replay

    state = replay(log.entries())
    assert state.problems == () and state.open_tasks == ()
    assert [p.patch_id for p in state.undone] == [done.patch_id] and state.applied == ()


def test_do_refuses_a_red_patch_and_leaves_files_alone(crate: Path) -> None:
    original = (crate / "src" / "lib.rs").read_bytes()
    loop = CoreLoop(crate)
    loop.say("try a bad fix")
    loop.explain(explain_report(run_check(crate)))
    bad = loop.explanations[0].patch.diff.replace("names.clone()", "names; let _x: u8 = taken")  # type: ignore[union-attr]
    result = loop.do(diff=bad)
    assert not result.applied and result.verdict == "red"
    assert loop.state == "explained"
    assert (crate / "src" / "lib.rs").read_bytes() == original
    loop.close()
    assert ("validation", "do") in _entries(crate)


def test_concedes_when_the_compiler_no_longer_complains(crate: Path) -> None:
    loop = CoreLoop(crate)
    loop.say("explain")
    loop.explain(explain_report(run_check(crate)))
    src = crate / "src" / "lib.rs"
    src.write_text(src.read_text().replace("let taken = names;", "let taken = names.clone();"))
    answer = loop.reject("I fixed it myself", recheck=True)
    assert answer.conceded and "no longer reports" in answer.text
    loop.close()


MATCH_THROUGH_REF = """pub struct Profile { pub nickname: Option<String> }

pub fn display(p: &Profile) -> String {
    match p.nickname {
        Some(n) => n,
        None => String::from("anonymous"),
    }
}
"""


def test_do_lands_the_first_option_that_is_green_when_rustcs_first_is_not(tmp_path: Path) -> None:
    """rustc's `match &p.nickname` alone leaves `n` a `&String` where a `String` is returned (red);
    the next option, a clone, is green: `do` tries them in order, records the refusal, lands the clone."""
    root = write_lib(tmp_path, "matchref", MATCH_THROUGH_REF)
    (e,) = explain_report(run_check(root))
    assert e.fixes and "&p.nickname" in e.fixes[0].patch  # rustc's borrow is offered first, unchecked
    loop = CoreLoop(root)
    loop.say("fix the match")
    loop.explain((e,))
    result = loop.do(0)
    assert result.applied, result.reason
    assert ".clone()" in (root / "src" / "lib.rs").read_text()
    assert run_check(root).status == "clean"
    kinds = _entries(root)
    assert ("validation", "do") in kinds  # the red try is on the record, not hidden
    loop.close()
