"""`rusta review --base`: real commits in a real git repo, real cargo on both sides.

One repo per module, three commits: c1 (base: two warnings, two tests), c2 (fixes one warning, adds
another, moves the dead helper down), c3 (adds `unsafe`, a truncating cast, a new test, and breaks
one). Reviews run in-process through the engine, and through the CLI for the formats and exit codes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from engine.review.runner import review_revisions
from engine.review.sarif import SCHEMA_FILE

pytestmark = pytest.mark.slow  # real cargo on a tiny crate, both sides

RUSTA = Path(sys.executable).with_name("rusta")
MANIFEST = '[package]\nname = "ledger"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n'
TESTS = """
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums() {
        assert_eq!(total(&[1, 2, 3]), 6);
    }

    #[test]
    fn empty() {
        assert_eq!(total(&[]), 0);
    }
}
"""
C1 = (
    """pub fn total(xs: &[i64]) -> i64 {
    let unused = 0;
    xs.iter().sum()
}

fn helper() -> i64 {
    1
}
"""
    + TESTS
)
C2 = (
    """/// Sums the ledger.
/// An empty ledger sums to zero.
pub fn total(xs: &[i64]) -> i64 {
    let _unused = 0;
    xs.iter().sum()
}

pub fn half(xs: &[i64]) -> i64 {
    let spare = 1;
    total(xs) / 2
}

fn helper() -> i64 {
    1
}
"""
    + TESTS
)
C3 = (
    C2.replace("    xs.iter().sum()\n", "    xs.iter().sum::<i64>().max(1)\n")
    + """
pub fn parse_byte(s: &str) -> Option<u8> {
    let n: i64 = s.trim().parse().ok()?;
    Some(n as u8)
}

pub fn low_byte(x: i64) -> u8 {
    let p = &x as *const i64;
    let v: i64 = unsafe { *p };
    v as u8
}

#[cfg(test)]
mod more {
    #[test]
    fn low_byte_works() {
        assert_eq!(super::low_byte(258), 2);
    }
}
"""
)
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Ada",
    "GIT_AUTHOR_EMAIL": "ada@example.com",
    "GIT_COMMITTER_NAME": "Ada",
    "GIT_COMMITTER_EMAIL": "ada@example.com",
}


def git(repo: Path, *args: str) -> str:
    out = subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, env={**os.environ, **GIT_ENV}, check=True
    )
    return out.stdout.strip()


def line_of(text: str, needle: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if needle in ln)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    cache = tmp_path_factory.getbasetemp() / "rusta-cache"
    cache.mkdir(exist_ok=True)
    os.environ["RUSTA_CACHE_DIR"] = str(cache)  # the suite's cache, also for module-scoped set-up
    root = tmp_path_factory.mktemp("ledger-repo")
    (root / "src").mkdir()
    (root / "Cargo.toml").write_text(MANIFEST)
    (root / ".gitignore").write_text("/target\nCargo.lock\n")
    git(root, "init", "-q", "-b", "main")
    ids = []
    for text, msg in ((C1, "ledger: total"), (C2, "ledger: half, a doc comment"), (C3, "ledger: low_byte")):
        (root / "src" / "lib.rs").write_text(text)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", msg)
        ids.append(git(root, "rev-parse", "HEAD"))
    return {"root": root, "c1": ids[0], "c2": ids[1], "c3": ids[2]}


def test_a_new_warning_is_blamed_on_its_line_and_a_fixed_or_moved_one_is_not(repo: dict) -> None:
    r = review_revisions(repo["root"], repo["c1"], repo["c2"], validate_fixes=False)
    diags = [f for f in r.findings if f.kind == "diagnostic"]
    assert [(f.rule, f.place.line) for f in diags] == [("unused_variables", line_of(C2, "let spare"))]
    assert "spare" in diags[0].message
    assert not any("helper" in f.message or "`unused`" in f.message for f in r.findings)
    assert r.preexisting == 1  # `helper` is never used, at base and (moved down) at head
    assert any("`unused`" in line for line in r.fixed)
    assert r.tests.broken == () and r.tests.added == ()
    api = [f for f in r.findings if f.rule == "rusta/api-without-bump"]
    assert [(f.level, f.place.line) for f in api] == [("note", line_of(C2, "pub fn half"))]


def test_unsafe_a_truncating_cast_and_a_broken_test(repo: dict) -> None:
    r = review_revisions(repo["root"], repo["c2"], repo["c3"], validate_fixes=False)
    by_rule = {f.rule: f for f in r.findings}
    assert by_rule["rusta/new-unsafe"].place.line == line_of(C3, "unsafe {")
    cast = by_rule["rusta/lossy-cast"]
    assert cast.place.line == line_of(C3, "v as u8")
    assert "can truncate or change sign: `v` is `i64`" in cast.message
    assert r.tests.broken == ("tests::empty",)
    assert r.tests.added == ("more::low_byte_works",)
    broken = by_rule["rusta/test-broken"]
    assert broken.level == "error" and "tests::empty" in broken.message
    assert r.verdict == "fail"
    # the warning c2 brought is c2's, not c3's
    assert not any(f.rule == "unused_variables" for f in r.findings)


def rusta(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(RUSTA), "review", *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_a_range_of_two_commits_as_sarif_that_validates_with_fixes_and_exits_on_fail_on(repo: dict) -> None:
    root = repo["root"]
    out = rusta(".", "--base", "HEAD~2", "--head", "HEAD", "--format", "sarif", cwd=root)
    assert out.returncode == 1, out.stderr  # a broken test is an error
    doc = json.loads(out.stdout)
    schema = json.loads(SCHEMA_FILE.read_text())
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(doc)
    run = doc["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert {"unused_variables", "rusta/new-unsafe", "rusta/lossy-cast", "rusta/test-broken"} <= set(rules)
    for rule in rules.values():
        assert rule["help"]["text"]
        if "helpUri" in rule:
            assert rule["helpUri"].startswith("file://")
            assert Path(rule["helpUri"].removeprefix("file://").split("#")[0]).is_file()
    assert any("helpUri" in r for r in rules.values())
    spare = next(x for x in run["results"] if x["ruleId"] == "unused_variables")
    region = spare["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == line_of(C3, "let spare")
    assert spare["partialFingerprints"]["rustaFinding/v1"]
    (fix,) = spare["fixes"]
    assert fix["properties"]["validation"] == "green"
    assert fix["properties"]["applicability"] == "MachineApplicable"
    proofs = {p["kind"]: p for p in fix["properties"]["proofs"]}  # what the sandbox ran, with counts
    assert proofs["check"]["status"] == "passed" and proofs["tests"]["status"] == "passed"
    assert proofs["tests"]["count"] >= 1 and "already failed before the patch" in proofs["tests"]["detail"]
    rep = fix["artifactChanges"][0]["replacements"][0]
    assert rep["insertedContent"]["text"] == "_" and rep["deletedRegion"]["charLength"] == 0
    lib = (root / "src" / "lib.rs").read_text()
    assert lib[rep["deletedRegion"]["charOffset"] :].startswith("spare")
    # Rusta's own patch for a lossy cast in a fn that returns Option, validated green in the sandbox
    cast = next(
        x for x in run["results"] if x["ruleId"] == "rusta/lossy-cast" and "`n as u8`" in x["message"]["text"]
    )
    assert "can truncate or change sign: `n` is `i64`" in cast["message"]["text"]
    (cast_fix,) = cast["fixes"]
    assert cast_fix["properties"]["validation"] == "green" and cast_fix["properties"]["source"] == "rusta"
    assert (
        cast_fix["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"]
        == "u8::try_from(n).ok()?"
    )
    low = next(x for x in run["results"] if "`v as u8`" in x["message"]["text"])
    assert "fixes" not in low  # `low_byte` returns a plain u8: no early return to offer
    never = rusta(
        ".",
        "--base",
        "HEAD~2",
        "--head",
        "HEAD",
        "--format",
        "json",
        "--fail-on",
        "never",
        "--no-validate",
        cwd=root,
    )
    assert never.returncode == 0, never.stderr
    assert json.loads(never.stdout)["tests"]["broken"] == ["tests::empty"]


def test_the_working_tree_is_reviewed_without_touching_the_repo_and_md_reads_like_a_review(
    repo: dict,
) -> None:
    root = repo["root"]
    lib = root / "src" / "lib.rs"
    lib.write_text(C3 + "\npub fn later() -> u8 {\n    todo!()\n}\n")
    state = lambda: (  # noqa: E731
        git(root, "rev-parse", "HEAD"),
        git(root, "status", "--porcelain"),
        git(root, "branch", "--list"),
        (root / ".git" / "index").read_bytes(),
    )
    before = state()
    try:
        out = rusta(".", "--base", "HEAD", "--format", "md", "--no-tests", "--no-validate", cwd=root)
        assert out.returncode == 0, out.stderr  # a todo! is a warning; --fail-on error passes
        md = out.stdout
        assert md.startswith("## Rusta's review of ")
        assert "This change brings 0 error(s), 1 warning(s)" in md
        assert "`todo!` panics when this code runs" in md
        assert f"`src/lib.rs:{line_of(lib.read_text(), 'todo!')}`" in md
        assert "no model" in md
        assert state() == before
        log = subprocess.run(
            [str(RUSTA), "diary", "list"], cwd=root, capture_output=True, text=True, timeout=60
        ).stdout
        assert "review HEAD..working tree" in log and "review pass" in log
    finally:
        git(root, "checkout", "-q", "--", "src/lib.rs")


def test_export_writes_a_series_that_git_am_applies_with_rustas_rationale(repo: dict, tmp_path: Path) -> None:
    root = repo["root"]
    out_dir = tmp_path / "bundle"
    out = rusta(
        ".",
        "--base",
        repo["c1"],
        "--head",
        repo["c3"],
        "--export",
        str(out_dir),
        "--fail-on",
        "never",
        cwd=root,
    )
    assert out.returncode == 0, out.stderr
    patches = sorted(out_dir.glob("*.patch"))
    assert len(patches) == 4, [p.name for p in patches]  # two commits, then Rusta's two green fixes
    mbox = (out_dir / "review.mbox").read_text()
    assert "Rusta's review of the files this patch touches:" in mbox
    assert "Proof: the sandbox ran cargo check and cargo test" in mbox
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(root), str(clone)], check=True)
    git(clone, "checkout", "-q", "-b", "review", repo["c1"])
    git(clone, "am", "-q", str(out_dir / "review.mbox"))
    assert (clone / "src" / "lib.rs").read_text() == C3.replace("let spare", "let _spare").replace(
        "Some(n as u8)", "Some(u8::try_from(n).ok()?)"
    )
    assert "unsafe" in git(clone, "log", "-1", "--format=%B", "HEAD~2")  # c3's message, with the review
    last = git(clone, "log", "-1", "--format=%an%n%B", "HEAD")
    assert last.startswith("Rusta\nrusta: Convert with `u8::try_from(n).ok()?`") and "Proof:" in last


def test_a_revision_that_does_not_exist_exits_2(repo: dict) -> None:
    out = rusta(".", "--base", "no-such-branch", cwd=repo["root"])
    assert out.returncode == 2
    assert "names no commit" in out.stderr and "Traceback" not in out.stderr


def test_fail_on_warning_fails_where_fail_on_error_passes(repo: dict) -> None:
    args = (
        ".",
        "--base",
        repo["c1"],
        "--head",
        repo["c2"],
        "--no-tests",
        "--no-validate",
        "--format",
        "json",
    )
    lenient = rusta(*args, cwd=repo["root"])
    strict = rusta(*args, "--fail-on", "warning", cwd=repo["root"])
    assert lenient.returncode == 0, lenient.stderr
    assert strict.returncode == 1, strict.stderr
    assert json.loads(strict.stdout)["verdict"] == "fail"


def test_export_branch_makes_a_branch_of_the_working_tree_and_green_fixes_and_moves_nothing(
    repo: dict,
) -> None:
    root = repo["root"]
    lib = root / "src" / "lib.rs"
    edited = C3.replace("    total(xs) / 2\n", "    let extra = 3;\n    total(xs) / 2\n")
    lib.write_text(edited)
    before = (
        git(root, "rev-parse", "HEAD"),
        git(root, "status", "--porcelain"),
        (root / ".git" / "index").read_bytes(),
    )
    try:
        out = rusta(".", "--base", "HEAD", "--export-branch", "rusta/review", "--fail-on", "never", cwd=root)
        assert out.returncode == 0, out.stderr
        assert "branch rusta/review at" in out.stderr and "git branch -D rusta/review" in out.stderr
        assert (
            git(root, "rev-parse", "HEAD"),
            git(root, "status", "--porcelain"),
            (root / ".git" / "index").read_bytes(),
        ) == before
        assert lib.read_text() == edited
        assert git(root, "rev-parse", "rusta/review~2") == repo["c3"]
        assert git(root, "show", "rusta/review~1:src/lib.rs") == edited.rstrip("\n")
        tip = git(root, "show", "rusta/review:src/lib.rs")
        assert "let _extra = 3;" in tip and "let spare = 1;" in tip  # only the change's warning is fixed
        assert git(root, "show", "rusta/review:Cargo.toml") == MANIFEST.rstrip("\n")
        # the repo's files only: not the Cargo.lock cargo wrote into the sandbox
        assert git(root, "ls-tree", "-r", "--name-only", "rusta/review").split() == [
            ".gitignore",
            "Cargo.toml",
            "src/lib.rs",
        ]
        assert git(root, "log", "-1", "--format=%an", "rusta/review") == "Rusta"
        again = rusta(".", "--base", "HEAD", "--export-branch", "rusta/review", "--no-tests", cwd=root)
        assert again.returncode == 2 and "exists already" in again.stderr
    finally:
        git(root, "checkout", "-q", "--", "src/lib.rs")
        git(root, "branch", "-q", "-D", "rusta/review")


def test_a_fix_on_a_head_that_already_fails_to_compile_is_not_proven_not_green(tmp_path: Path) -> None:
    """semver's shape: a bench or test target that never compiles on this toolchain, at base and head."""
    root = tmp_path / "gauge"
    (root / "src").mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "Cargo.toml").write_text(MANIFEST.replace("ledger", "gauge"))
    (root / ".gitignore").write_text("/target\nCargo.lock\n")
    (root / "src" / "lib.rs").write_text("pub fn level(x: u64) -> Option<u64> {\n    Some(x)\n}\n")
    (root / "tests" / "old.rs").write_text('#[test]\nfn old() {\n    let n: u8 = "not a number";\n}\n')
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "gauge")
    (root / "src" / "lib.rs").write_text("pub fn level(x: u64) -> Option<u8> {\n    Some(x as u8)\n}\n")
    r = review_revisions(root, "HEAD", run_tests=False)
    assert not any(f.kind == "diagnostic" for f in r.findings)  # the test target's E0308 is not the change's
    (cast,) = [f for f in r.findings if f.rule == "rusta/lossy-cast"]
    assert cast.fix is not None and cast.fix.verdict == "not_run"
    assert cast.fix.applicability == "MaybeIncorrect"
    assert "adds no compile error, but head already has 1 error(s)" in cast.fix.reason
