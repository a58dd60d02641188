"""✓ and counts mean one thing everywhere (#14). Three mistakes: (1) a story's fixes after the first
that passed the tests kept the ✓ though their tests never ran (engine.explain.testing stops at the
first green fix): a clone that never clears a buffer read as "tests pass" beside the lead; (2) the
"Checking N fixes" header counted the fixes sent to the check while the list showed another number
(failed ones dropped, a fix finished in steps shown beside its first step) with nothing to say why
(modes.verdicts.count_line); (3) `--apply` refused a fix with "1 test(s) fail with the patch" when the
test panics in a line an earlier Rusta patch wrote (engine.patching.holes_blame). Real cargo on crates
written here: a pager that stores full pages (E0382 in a loop) and an address parser with an
`Option<u16>` read as `u16` and a struct returned where a `Result` is due (two E0308)."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import msgspec
import pytest

from engine.explain.types import Explanation, Location, PatchOption
from modes.fixcount import count_line
from tests.cli_runner import rusta
from tests.explain.crates import write_lib

PAGER = """\
pub struct Archive {
    pub pages: Vec<Vec<String>>,
}

impl Archive {
    pub fn store(&mut self, page: Vec<String>) {
        self.pages.push(page);
    }
}

pub fn paginate(lines: &[&str], per_page: usize, archive: &mut Archive) -> usize {
    let mut page = Vec::new();
    let mut count = 0;
    for l in lines {
        page.push(l.to_string());
        if page.len() == per_page {
            archive.store(page);
            count += 1;
        }
    }
    if !page.is_empty() {
        archive.store(page);
        count += 1;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_into_pages() {
        let mut a = Archive { pages: Vec::new() };
        assert_eq!(paginate(&["a", "b", "c"], 2, &mut a), 2);
        assert_eq!(a.pages, vec![vec!["a".to_string(), "b".to_string()], vec!["c".to_string()]]);
    }
}
"""

ADDR = """\
#[derive(Debug, PartialEq)]
pub struct Addr {
    pub host: String,
    pub port: u16,
}

pub fn parse(text: &str) -> Result<Addr, String> {
    let mut parts = text.splitn(2, ':');
    let host = parts.next().unwrap_or("").to_string();
    let port: u16 = parts
        .next()
        .map(|p| p.parse::<u16>().map_err(|e| format!("port: {e}")))
        .transpose()?;
    Addr { host, port }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        assert_eq!(parse("h:81").unwrap().port, 81);
        assert_eq!(parse("h").unwrap().port, 80);
    }
}
"""


def _stories(root: Path) -> list[dict]:
    r = rusta("explain", str(root), "--json", "--no-clippy")
    return [json.loads(ln) for ln in r.stdout.splitlines() if ln.startswith("{") and '"options"' in ln]


@pytest.mark.slow
def test_a_fix_whose_tests_did_not_run_has_no_tick(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "pager", PAGER)
    story = next(s for s in _stories(root) if s["code"] == "E0382")
    builds = [o for o in story["options"] if o.get("patch") and o["validated"] == "compiles"]
    assert builds[0]["tests_run"] == "passed" and builds[0]["ticked"], builds[0]
    rest = [o for o in builds[1:] if not o["tests_run"]]
    assert rest, builds  # the pager has more than one whole-crate fix: the test stops at the first green
    for o in rest:  # compiled, tests not run: never ✓, and it says so
        assert not o["ticked"] and o["tests"] == "not-run", o
        assert "tests not run" in o["state"] and "tests pass" not in o["state"], o["state"]
    for o in story["options"]:  # a fix finished in steps lists as many steps as it counts
        if o.get("steps"):
            n = len(o["steps"]) + 1
            assert f"in {n} steps: " in o["state"] and o["state"].count(", then ") == n - 1, o["state"]
    pair = rusta("explain", str(root), "--no-clippy", "--mode", "pair")
    more = next(ln for ln in pair.stdout.splitlines() if "other fix" in ln)
    assert "tests not run" in more, pair.stdout


def _fix(i: str, validated: str = "compiles", **kw) -> PatchOption:
    fields = {
        "name": f"fix {i}", "patch": f"--- a\n+++ b\n-old {i}\n+new {i}\n", "shows": (f"new {i}",), "line": 1,
    }  # fmt: skip
    fields.update(kw)
    return PatchOption(id=i, edits=(), file="src/lib.rs", source="template", validated=validated, **fields)


def _story(*fixes: PatchOption) -> Explanation:
    at = Location(file="src/lib.rs", line=1, column=1)
    return Explanation(
        code="E0382", level="error", message="m", primary=at, root_cause=at,
        root_cause_reason="", invariant="", summary="", why="", fixes=fixes,
    )  # fmt: skip


def test_the_count_line_follows_each_announced_fix() -> None:
    a, b, c = _fix("a"), _fix("b"), _fix("c", "fails")
    # 3 announced, c failed: study shows 2 and says the third did not compile
    line = count_line([_story(a, b, c)], [(_story(a, b), (c,))], "study")
    assert line is not None and line.text == "(3 fixes checked, 2 shown: 1 did not compile).", line
    # all shown: nothing to reconcile
    assert count_line([_story(a, b)], [(_story(a, b), ())], "study") is None
    # a fix finished in steps shown beside its first step: 1 announced, 2 shown, the second named
    done = _fix("a2", steps=("then add the arm",), origin="a")
    line = count_line([_story(a)], [(_story(done, a), ())], "study")
    assert line is not None and line.text == (
        "(1 fix checked, 2 shown: 1 more shown is a checked one finished in steps)."
    ), line
    # only its finished form shown, the first step alone failed: it counts as shown, not as failed
    line = count_line([_story(a, c)], [(_story(done), (c, a))], "pair")
    assert line is not None and line.text == (
        "(2 fixes checked, 1 shown: 1 did not compile; 1 fix shown is finished in steps)."
    ), line
    # pair prints the lead alone: a second fix that compiles is left out, never counted as shown
    line = count_line([_story(a, b)], [(_story(a, b), ())], "pair")
    assert line is not None and line.text == (
        "(2 fixes checked, 1 shown: 1 is left out here (--mode study shows it))."
    ), line
    # a later story whose lead is the edit an earlier one printed: pointed at, not shown twice
    line = count_line([_story(a), _story(_fix("a"))], [(_story(a), ()), (_story(_fix("a")), ())], "pair")
    assert line is not None and line.text == "(2 fixes checked, 1 shown: 1 repeats an edit shown).", line
    # the fixes of warnings told in one line while the crate has errors
    line = count_line([_story(a)], [(_story(a), ())], "pair", left=1)
    assert line is not None and "1 is for warnings left until the errors are fixed" in line.text, line


@pytest.mark.slow
def test_a_panic_in_an_earlier_patchs_line_is_not_blamed_on_the_next_fix(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "addr", ADDR)
    from engine.patching import api, sandbox
    from engine.patching.types import Patch

    lib = root / "src" / "lib.rs"
    new = ADDR.replace(".transpose()?;", ".transpose()?.unwrap();")
    diff = "".join(
        difflib.unified_diff(
            ADDR.splitlines(keepends=True), new.splitlines(keepends=True), "a/src/lib.rs", "b/src/lib.rs"
        )
    )
    patch = Patch.new(diff, "E0308: take the value", source="file")
    patch_id = api.apply(root, patch, sandbox.validate(root, patch)).patch_id
    assert ".transpose()?.unwrap();" in lib.read_text()
    stories = _stories(root)
    n = next(i for i, s in enumerate(stories, 1) if s["code"] == "E0308")
    r = rusta("explain", str(root), "--apply", str(n), "--no-clippy")
    assert r.returncode == 3, r.stdout + r.stderr
    said = next(ln for ln in r.stdout.splitlines() if ln.startswith("Refused"))
    assert "fail with the patch" not in said and "fail once the crate compiles" in said, said
    line = next(i for i, ln in enumerate(new.splitlines(), 1) if ".unwrap();" in ln)
    assert f"tests::parses panics at src/lib.rs:{line}" in said, said
    assert f"Rusta's earlier patch {patch_id} wrote" in said and "rusta undo" in said, said


def test_a_step_that_answers_several_errors_reads_as_one_step() -> None:
    from engine.explain.stepwords import batch_words

    clone = "consider cloning the value"
    words = batch_words(
        [
            (clone, "E0507 at src/lib.rs:30"),
            (clone, "E0507 at src/lib.rs:31"),
            ("use `as_str`", "E0308 at :9"),
        ]
    )
    assert words == f"{clone} (E0507 at src/lib.rs:30; E0507 at src/lib.rs:31) and use `as_str` (E0308 at :9)"
    # the same action for the same error twice is said once
    assert batch_words([(clone, "E0308 at :35"), (clone, "E0308 at :35")]) == f"{clone} (E0308 at :35)"
    o = _fix("s", steps=("dereference the borrow (E0308)", words))
    assert o.steps_words.count(", then ") == 2 and ", in 3 steps:" in o.steps_words, o.steps_words


def test_a_title_that_says_its_cost_is_not_repeated_in_the_brackets() -> None:
    from modes.rendering import fix_terms, pair_terms

    cost = "removes it from `self.queue`: the later elements shift down, order kept"
    said = _fix("r", name=f"take it out with `remove(i)`, which {cost}", cost=cost)
    assert cost not in fix_terms(said), fix_terms(said)
    assert pair_terms(said).endswith(f"; {cost}")  # pair's line shows no title: the cost is said once
    plain = _fix("p", name="clone it", cost="allocates and copies the `String`")
    assert fix_terms(plain).endswith("; allocates and copies the `String`")


def test_a_fix_for_another_place_of_the_mistake_names_its_place() -> None:
    from modes.rendering import fix_line
    from toolbelt.types import Diagnostic, Span

    def span(line: int) -> Span:
        return Span("src/lib.rs", 0, 1, line, line, 5, 9, True)

    diag = Diagnostic(
        message="the loop variable `i` is used to index", level="warning", spans=(span(5), span(9))
    )
    patch = "--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -8,3 +8,3 @@\n a\n-for i in 0..n {\n+for x in v {\n c\n"
    o = _fix("o", patch=patch, shows=("for x in v {",), line=9)
    at = Location(file="src/lib.rs", line=5, column=5)
    e = msgspec.structs.replace(_story(o), diagnostics=(diag,), root_cause=at, primary=at)
    line = fix_line(e)
    assert line is not None and "for line 9, another place of this mistake, not line 5" in line.text, line
    # the fix for the named place itself: nothing added
    here = patch.replace("-8,3 +8,3", "-4,3 +4,3")
    line = fix_line(
        msgspec.structs.replace(e, fixes=(_fix("h", patch=here, shows=("for x in v {",), line=5),))
    )
    assert line is not None and "another place" not in line.text, line


def test_a_fix_that_leaves_other_errors_is_untested_where_the_crate_has_tests(tmp_path: Path) -> None:
    from engine.explain.testing import unrun

    tested = write_lib(tmp_path, "tested", "pub struct S { pub n: u8 }\n#[test]\nfn t() {}\n")
    bare = write_lib(tmp_path, "bare", "pub struct S { pub n: u8 }\n")
    # an edit in no fn (a field's type): test_reach is "", the package's tests decide
    o = _fix("f", errors_left=1)
    assert unrun(tested, _story(o)).fixes[0].untested
    assert not unrun(bare, _story(o)).fixes[0].untested  # no tests to run: its ✓ says compiles
    assert (
        not unrun(tested, _story(_fix("g", errors_left=1, tests_run="passed", set_with=(1,))))
        .fixes[0]
        .untested
    )
    marked = unrun(tested, _story(o)).fixes[0]
    assert not marked.ticked and "tests not run" in marked.state_words, marked.state_words
