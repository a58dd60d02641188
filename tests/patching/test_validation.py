"""Sandbox validation with real cargo on the patch_crate fixture: green, red, flaky, pre-existing failures.

One crate copy for the module, so the sandbox's target dir stays warm between tests.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.patching import api
from engine.patching.diffs import render
from engine.patching.errors import ContextMismatch, NotGreen
from engine.patching.sandbox import sandbox_home
from engine.patching.types import Patch
from tests.patching.helpers import diff_text, make_crate, repo_fingerprint, tree_hashes

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("patching-validation")]


@pytest.fixture(scope="module")
def crate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = tmp_path_factory.getbasetemp() / "rusta-cache"  # the same cache conftest sets per test
    cache.mkdir(exist_ok=True)
    os.environ["RUSTA_CACHE_DIR"] = str(cache)
    return make_crate(tmp_path_factory.mktemp("validation") / "patch_crate")


def test_green_patch_leaves_the_users_files_alone(crate: Path) -> None:
    fp, files = repo_fingerprint(crate), tree_hashes(crate)
    v = api.validate(crate, Patch.new(diff_text("good.diff"), "adds double() with a test"))
    assert v.verdict == "green", v.reason
    assert v.check_status == "clean" and v.test_status == "passed" and v.tests_run == 6
    assert {f.path for f in v.base} == set(files)
    assert repo_fingerprint(crate) == fp and tree_hashes(crate) == files
    sandbox_lib = sandbox_home(crate.resolve()) / "crate" / "src" / "lib.rs"
    assert sandbox_lib.exists() and os.stat(sandbox_lib).st_nlink == 1
    assert (crate / "src" / "lib.rs").stat().st_nlink == 1, (
        "the sandbox must never hard-link the user's files"
    )


def test_patch_that_breaks_tests_is_red_and_never_applied(crate: Path) -> None:
    files = tree_hashes(crate, ("src/math.rs",))
    patch = Patch.new(diff_text("breaks_test.diff"), "flip the parity test")
    v = api.validate(crate, patch)
    assert v.verdict == "red"
    assert set(v.failing_tests) == {"tests::describes_even", "tests::describes_odd"}
    assert not v.flaky_tests and not v.preexisting_failures
    with pytest.raises(NotGreen, match="is red"):
        api.apply(crate, patch, v)
    assert tree_hashes(crate, ("src/math.rs",)) == files
    assert api.history(crate) == []


def test_patch_with_a_compile_error_is_red(crate: Path) -> None:
    v = api.validate(crate, Patch.new(diff_text("compile_error.diff"), "add a string to a number"))
    assert v.verdict == "red" and v.test_status == "not_run"
    assert v.errors_before == 0 and v.errors_after >= 1
    assert any("E0277" in e for e in v.new_errors), v.new_errors


def test_a_test_that_fails_once_is_flaky_not_red(crate: Path, tmp_path: Path) -> None:
    v = api.validate(
        crate,
        Patch.new(diff_text("good.diff"), "adds double()"),
        env_extra={"RUSTA_TEST_FLAKY_DIR": str(tmp_path)},
    )
    assert v.verdict == "green", v.reason
    assert v.flaky_tests == ("tests::flaky_once",) and not v.failing_tests


def test_failures_from_before_the_patch_are_not_blamed_on_it(crate: Path) -> None:
    env = {"RUSTA_TEST_BASELINE_FAIL": "1"}
    v = api.validate(crate, Patch.new(diff_text("good.diff"), "adds double()"), env_extra=env)
    assert v.verdict == "green", v.reason
    assert v.preexisting_failures == ("tests::known_broken",) and not v.failing_tests
    red = api.validate(crate, Patch.new(diff_text("breaks_test.diff"), "flip parity"), env_extra=env)
    assert red.verdict == "red"
    assert red.preexisting_failures == ("tests::known_broken",)
    assert set(red.failing_tests) == {"tests::describes_even", "tests::describes_odd"}


def test_a_diff_that_does_not_fit_is_refused_before_cargo(crate: Path) -> None:
    stale = diff_text("breaks_test.diff").replace("if n % 2 == 0 {", "if n % 3 == 0 {", 1)
    with pytest.raises(ContextMismatch, match="src/math.rs: hunk"):
        api.validate(crate, Patch.new(stale, "a diff made against another version"))


def test_fixing_one_of_two_errors_is_progress(tmp_path: Path) -> None:
    root = make_crate(tmp_path / "two", git_repo=False)
    text = root / "src" / "text.rs"
    good = text.read_bytes()
    broken = good + b'\npub fn one() -> u32 { "1" }\n\npub fn two() -> u32 { "2" }\n'
    text.write_bytes(broken)
    half = good + b'\npub fn one() -> u32 { 1 }\n\npub fn two() -> u32 { "2" }\n'
    v = api.validate(
        root, Patch.new(render({"src/text.rs": (broken, half)}), "return a number, not a string")
    )
    assert v.verdict == "green", v.reason
    assert (v.errors_before, v.errors_after, v.test_status) == (2, 1, "not_run")
    worse = broken.replace(b'"1"', b"'1'")
    v = api.validate(root, Patch.new(render({"src/text.rs": (broken, worse)}), "a char is not a u32 either"))
    assert v.verdict == "red"


def test_a_sandbox_left_half_synced_is_copied_afresh(crate: Path) -> None:
    """A validation killed mid-sync leaves no manifest; the next one must not trust the old files."""
    home = sandbox_home(crate.resolve())
    if not (home / "crate" / "src").is_dir():  # run alone: make the sandbox a killed sync would leave
        assert api.validate(crate, Patch.new(diff_text("good.diff"), "adds double()")).green
    (home / "manifest.json").unlink(missing_ok=True)
    (home / "crate" / "src" / "math.rs").write_text("garbage left by a killed sync\n")
    v = api.validate(crate, Patch.new(diff_text("good.diff"), "adds double()"))
    assert v.verdict == "green", v.reason
    assert "pub fn double" in (home / "crate" / "src" / "math.rs").read_text()


def test_patching_api_import_stays_light() -> None:
    import subprocess
    import sys

    code = (
        "import sys, engine.patching.api, engine.patching.types; "
        "print(','.join(m for m in ('jax', 'flax', 'textual', 'rusta_tui') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_ignored_files_and_symlinks_are_not_patched(tmp_path: Path) -> None:
    from engine.patching.errors import DiffParseError

    root = make_crate(tmp_path / "ign")
    (root / ".gitignore").write_text("/target/\n*.gen.rs\n")
    (root / "src" / "x.gen.rs").write_text("old\n")
    os.symlink("text.rs", root / "src" / "link.rs")
    for path in ("src/x.gen.rs", "src/link.rs"):
        diff = render(
            {path: (b"old\n" if "gen" in path else (root / "src" / "text.rs").read_bytes(), b"new\n")}
        )
        with pytest.raises(DiffParseError, match="ignored|symbolic link"):
            api.validate(root, Patch.new(diff, "touch an ignored file or a link"))
    assert (root / "src" / "x.gen.rs").read_text() == "old\n"


def test_a_diff_made_at_the_top_of_the_repo_fits_a_crate_below_it(tmp_path: Path) -> None:
    import re
    import shutil

    from tests.patching.helpers import FIXTURES, git

    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "patch_crate", repo / "crates" / "pc")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    crate = repo / "crates" / "pc"
    diff = re.sub(r"(?m)^(diff --git a/|--- a/|\+\+\+ b/)", r"\1crates/pc/", diff_text("good.diff"))
    diff = diff.replace(" b/src/", " b/crates/pc/src/").replace(" b/NOTES.txt", " b/crates/pc/NOTES.txt")
    patch = Patch.new(diff, "adds double(), diff made from the repo's top")
    v = api.validate(crate, patch)
    assert v.verdict == "green", v.reason
    assert {f.path for f in v.base} == {"NOTES.txt", "src/extra.rs", "src/lib.rs", "src/math.rs"}
    api.apply(crate, patch, v)
    assert (crate / "src" / "extra.rs").exists() and not (crate / "NOTES.txt").exists()
    assert not (repo / "src").exists()
