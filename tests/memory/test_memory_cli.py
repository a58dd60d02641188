"""The memory as a user meets it: real `rusta fix --reject`, `rusta fix --yes`, `rusta undo`,
`rusta learn sync` and `rusta memory` processes on fixture crates copied to tmp_path."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from engine.memory import store
from tests.cli_runner import rusta

pytestmark = pytest.mark.slow

CLONE = "names.clone()"
BORROW = "&names"
RUSTC = "pref:E0382:rustc:MachineApplicable"


def fix_json(root: Path, *args: str) -> dict:
    r = rusta("fix", str(root), "--json", *args)
    assert r.stdout.strip(), r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def rejected_twice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    """borrow_error after the user rejected rustc's clone twice (one crate for the module).

    By default (`--accept safe`) Rusta proposes the clone both times: rustc marks it machine-applicable,
    while the borrow is a template only the compiler vouches for, so it is held back."""
    root = tmp_path_factory.mktemp("mem") / "borrow_error"
    shutil.copytree(Path(__file__).parents[1] / "fixtures" / "borrow_error", root)
    runs = [fix_json(root, "--reject", "a clone hides the ownership mistake")]
    runs.append(fix_json(root, "--reject", "still not a clone"))
    runs.append(fix_json(root, "--dry-run"))
    runs.append(fix_json(root, "--dry-run", "--accept", "maybe"))
    return root, runs


def test_two_rejections_of_a_family_change_the_proposal(rejected_twice: tuple[Path, list[dict]]) -> None:
    first, second, safe, maybe = rejected_twice[1]
    assert first["status"] == second["status"] == "rejected"
    assert CLONE in first["diff"] and CLONE in second["diff"]
    assert first["tried"][0]["family"] == "rustc:MachineApplicable"  # before: rustc's clone came first
    # after: the very clone refused twice on unchanged code is not proposed again, not even last
    assert safe["status"] == "abstained" and CLONE not in json.dumps(safe)
    # the borrow and the read taken before the move are templates only the compiler vouches for
    assert [t["family"] for t in safe["tried"]] == ["op:borrow", "read-before-move"]
    assert BORROW in maybe["diff"] and CLONE not in maybe["diff"]


def test_a_refused_family_returns_only_when_the_code_changed_and_says_why(
    rejected_twice: tuple[Path, list[dict]], tmp_path: Path
) -> None:
    root = tmp_path / "crate"
    shutil.copytree(rejected_twice[0], root, ignore=shutil.ignore_patterns("target"))
    lib = root / "src" / "lib.rs"
    lib.write_text("/// Adds up the names.\n" + lib.read_text())  # new evidence: the code is not the same
    again = fix_json(root, "--dry-run")
    assert [t["family"] for t in again["tried"]] == [
        "op:borrow",
        "read-before-move",
        "rustc:MachineApplicable",
    ]
    assert CLONE in again["diff"]
    assert "you rejected this twice; here is why I still think so" in again["explanation"]


def test_memory_show_explains_where_it_learned(rejected_twice: tuple[Path, list[dict]]) -> None:
    root = rejected_twice[0]
    r = rusta("memory", "show", str(root))
    assert r.returncode == 0, r.stderr
    said = " ".join(r.stdout.split())
    assert RUSTC in said and "rejected 2" in said and "Learned from 2 rejections on" in said
    assert 'Your reason: "still not a clone"' in said
    assert "kept on this machine only" in said


def test_deleting_the_memory_and_syncing_rebuilds_the_same(rejected_twice: tuple[Path, list[dict]]) -> None:
    root = rejected_twice[0]
    assert rusta("learn", "sync", str(root)).returncode == 0
    before = store.load(root)
    again = json.loads(rusta("learn", "sync", str(root), "--json").stdout)
    assert again["folded"] == 0 and not again["rebuilt"]  # incremental: nothing new, nothing re-read
    shutil.rmtree(root / ".rusta" / "memory")
    r = rusta("learn", "sync", str(root), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["rebuilt"] and out["folded"] == before.records and RUSTC in out["items"]
    assert store.load(root) == before


def test_forget_removes_the_item_and_its_effect(
    rejected_twice: tuple[Path, list[dict]], tmp_path: Path
) -> None:
    root = tmp_path / "crate"
    shutil.copytree(rejected_twice[0], root, ignore=shutil.ignore_patterns("target"))
    bad = rusta("memory", "forget", "pref:E9999:nothing", str(root))
    assert bad.returncode == 2 and "remembers no item" in bad.stderr and "Traceback" not in bad.stderr
    r = rusta("memory", "forget", RUSTC, str(root))
    assert r.returncode == 0, r.stderr
    assert RUSTC not in store.keys(store.load(root))
    assert fix_json(root, "--dry-run", "--accept", "maybe")["tried"][0]["family"] == "rustc:MachineApplicable"
    shutil.rmtree(root / ".rusta" / "memory")  # and a rebuild from the DevLog forgets it too
    assert RUSTC not in json.loads(rusta("learn", "sync", str(root), "--json").stdout)["items"]


def test_two_undos_retire_a_family_too(fixture_crate) -> None:
    root = fixture_crate("borrow_error")
    for _ in range(2):
        done = fix_json(root, "--yes")  # --accept safe: rustc's machine-applicable clone
        assert done["applied"] and CLONE in done["diff"], done
        u = rusta("undo", str(root))
        assert u.returncode == 0, u.stdout + u.stderr
    m = store.sync(root).memory
    pref = next(p for p in m.prefs if p.key == RUSTC)
    assert (pref.kept, pref.undone, pref.rejected) == (0, 2, 0)
    assert BORROW in fix_json(root, "--dry-run", "--accept", "maybe")["diff"]


def test_a_to_owned_repo_gets_to_owned_candidates(fixture_crate) -> None:
    plain = fixture_crate("heads_order")
    owned = plain.parent / "owned"
    shutil.copytree(plain, owned)
    (owned / "src" / "names.rs").write_text(
        'pub fn names() -> Vec<String> {\n    vec!["ada".to_owned(), "grace".to_owned()]\n}\n\n'
        'pub fn title() -> String {\n    "Dr".to_owned()\n}\n'
    )
    lib = owned / "src" / "lib.rs"
    lib.write_text("pub mod names;\n" + lib.read_text())
    control = fix_json(plain, "--dry-run", "--accept", "maybe")
    assert "name.to_string()" in control["diff"]  # without the habit, the ranking's first choice
    styled = fix_json(owned, "--dry-run", "--accept", "maybe")
    assert "name.to_owned()" in styled["diff"] and ".to_string()" not in styled["diff"]
    assert styled["tried"][0]["family"] == control["tried"][0]["family"]  # same fix, the repo's words


def test_study_mode_speaks_to_a_mistake_met_before(fixture_crate) -> None:
    root = fixture_crate("borrow_error")
    first = rusta("explain", str(root), "--mode", "study", "--no-validate")
    assert first.returncode == 0, first.stderr
    assert "E0382 this week" not in first.stdout  # a first meeting: nothing to recall
    again = rusta("explain", str(root), "--mode", "study", "--no-validate")
    assert "E0382 this week" not in again.stdout  # the same error asked about twice is one meeting
    lib = root / "src" / "lib.rs"
    lib.write_text(
        lib.read_text().replace("let taken = names;", "let taken = &names;")
        + "\npub fn count(items: Vec<u8>) -> usize {\n    let moved = items;\n    items.len() + moved.len()\n}\n"
    )
    later = rusta("explain", str(root), "--mode", "study", "--no-validate")
    assert "Second E0382 this week: the last one was at src/lib.rs:3." in later.stdout, later.stdout


def test_a_user_often_right_gets_a_humbler_rusta(fixture_crate) -> None:
    from diary.devlog import DevLog

    root = fixture_crate("borrow_error")
    firm = rusta("explain", str(root), "--reject", "1", "--reason", "the move is fine")
    assert firm.returncode == 0, firm.stderr
    assert "The compiler's words stand" in firm.stdout and "so I may be wrong" not in firm.stdout
    with DevLog.open(root) as log:  # three arguments the user won (what the loop records on a concession)
        for _ in range(3):
            t = log.append("intent", {"summary": "reject", "step": "say"})
            log.append(
                "reflection",
                {
                    "summary": "conceded",
                    "step": "reject",
                    "outcome": "rejected",
                    "conceded": True,
                    "reason": "r",
                },
                task=t,
            )
    humble = rusta("explain", str(root), "--reject", "1", "--reason", "the move is fine")
    assert "You were right 3 of 5 times in this repo, so I may be wrong" in humble.stdout, humble.stdout
    said = " ".join(rusta("memory", "show", str(root)).stdout.split())
    assert "You argued 5 time(s); the compiler's evidence held 2, yours 3: stubbornness 0.43" in said


def test_an_undo_after_explain_apply_counts_for_the_repair_too(fixture_crate) -> None:
    root = fixture_crate("borrow_error")
    applied = rusta("explain", str(root), "--apply", "1")
    assert applied.returncode == 0 and "Applied" in applied.stdout, applied.stdout + applied.stderr
    assert rusta("undo", str(root)).returncode == 0
    fix_json(root, "--reject", "no clone here either")  # rustc's clone again, from rusta fix
    pref = next(p for p in store.sync(root).memory.prefs if p.key == RUSTC)
    assert (pref.undone, pref.rejected) == (1, 1)
    assert BORROW in fix_json(root, "--dry-run", "--accept", "maybe")["diff"]


def test_two_undos_of_a_styled_fix_retire_it_in_both_spellings(tmp_path: Path) -> None:
    from tests.memory.crates import crate

    lib = "pub mod names;\n\n" + "".join(
        f'pub fn f{i}() -> String {{\n    "{i}".to_owned()\n}}\n\n' for i in range(3)
    )
    root = crate(
        tmp_path, "shop", lib, files={"src/names.rs": 'pub fn label() -> String {\n    "label"\n}\n'}
    )
    for _ in range(2):
        # threshold 0: the memory is under test, not the Confidence gate
        done = fix_json(root, "--yes", "--accept", "maybe", "--min-confidence", "0")
        assert done["applied"] and '"label".to_owned()' in done["diff"], done
        assert rusta("undo", str(root)).returncode == 0
    again = fix_json(root, "--dry-run", "--accept", "maybe")
    # neither the repo's spelling the user undid nor rustc's own spelling of the same fix
    assert ".to_owned()" not in again.get("diff", "") and ".to_string()" not in again.get("diff", ""), again
    said = " ".join(rusta("memory", "show", str(root)).stdout.split())
    assert "kept 0, undone 2" in said and "Learned from 2 applies on" in said and "2 undos on" in said
    assert "resolved by no fix of Rusta's kept yet" in said  # an undone fix resolved nothing


def test_explain_shows_and_applies_the_fix_in_the_repos_style(tmp_path: Path) -> None:
    from tests.memory.crates import crate

    lib = "pub mod names;\n\n" + "".join(
        f'pub fn f{i}() -> String {{\n    "{i}".to_owned()\n}}\n\n' for i in range(3)
    )
    names = 'pub fn label() -> String {\n    "label"\n}\n'
    root = crate(tmp_path, "shop", lib, files={"src/names.rs": names})
    shown = rusta("explain", str(root))
    assert '`"label"` -> `"label".to_owned()`' in shown.stdout, shown.stdout
    applied = rusta("explain", str(root), "--apply", "1")
    assert applied.returncode == 0 and "Applied" in applied.stdout, applied.stdout + applied.stderr
    assert (root / "src" / "names.rs").read_text() == names.replace('"label"\n', '"label".to_owned()\n')
    # without the habit, rustc's own words
    plain = crate(tmp_path, "plain", "pub mod names;\n", files={"src/names.rs": names})
    assert rusta("explain", str(plain), "--apply", "1").returncode == 0
    assert '"label".to_string()' in (plain / "src" / "names.rs").read_text()


def test_explain_falls_back_on_the_original_when_the_repos_spelling_fails(tmp_path: Path) -> None:
    """A `?` repo: the inserted `.unwrap()` is written `?`, which cannot compile where the fn's error
    type has no `From<ParseIntError>`; the story shows the original `.unwrap()`, as fix would."""
    from tests.memory.crates import habits

    root = habits(tmp_path, "qrepo", errors="?")
    (root / "src" / "lib.rs").write_text((root / "src" / "lib.rs").read_text() + "pub mod count;\n")
    count = "pub fn count(s: &str) -> Result<u32, String> {\n    let n: u32 = s.parse::<u32>();\n    Ok(n + 1)\n}\n"
    (root / "src" / "count.rs").write_text(count)
    shown = rusta("explain", str(root))
    assert "-> `let n: u32 = s.parse::<u32>().unwrap();`" in shown.stdout, shown.stdout
    assert "Fix ✓ (compiles" in shown.stdout, shown.stdout
    assert "with 2 cargo checks" in shown.stdout + shown.stderr  # the rendering `?`, then its original
