"""The diagnostic index: coverage of the KB fixtures and explain cases, gym episodes under their
codes, deterministic builds, and a committed index.json that matches its sources.

Building reads files only (no cargo), so every test here runs in well under a second.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine.diagindex.errors import IndexUnreadable, SourceInvalid
from engine.diagindex.index import INDEX_PATH, REPO_ROOT, build_index, encode, load, lookup, normalize
from engine.diagindex.sources import CASES, KB_ENTRIES, KB_FIXTURES, REPAIR_RESULTS, kb_titles
from engine.diagindex.types import DiagIndex
from tests.explain.cases.fixture_markers import CRATE_TOOL, markers
from tests.explain.cases.runner import load_cases

INDEX = build_index(REPO_ROOT)


def _copy_sources(dest: Path) -> Path:
    """The four sources, alone, under `dest`: a repo root the index can be built from."""
    shutil.copytree(REPO_ROOT / KB_FIXTURES, dest / KB_FIXTURES, ignore=shutil.ignore_patterns("target"))
    (dest / CASES).mkdir(parents=True)
    for f in (REPO_ROOT / CASES).glob("*.toml"):
        shutil.copy(f, dest / CASES / f.name)
    shutil.copytree(REPO_ROOT / KB_ENTRIES, dest / KB_ENTRIES)
    for _, rel in REPAIR_RESULTS:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO_ROOT / rel, dest / rel)
    return dest


def test_committed_index_is_up_to_date() -> None:
    assert INDEX_PATH.read_bytes() == encode(INDEX), (
        "index.json is stale: run `python -m engine.diagindex build`"
    )


def test_build_is_deterministic_and_independent_of_where_the_repo_is(tmp_path: Path) -> None:
    again = build_index(_copy_sources(tmp_path / "elsewhere"))
    assert encode(again) == encode(INDEX) == encode(build_index(REPO_ROOT))
    assert list(INDEX.entries) == sorted(INDEX.entries)


def test_a_new_case_makes_the_committed_index_stale(tmp_path: Path) -> None:
    root = _copy_sources(tmp_path / "repo")
    (root / CASES / "zz_new.toml").write_text(
        '[[case]]\nname = "zz_new"\nfamily = "ownership"\ncode = "E0382"\n[case.files]\n'
        "\"src/lib.rs\" = '''\npub fn f(v: Vec<u8>) -> usize {\n    let w = v; //~ ROOT\n    v.len() + w.len()\n}\n'''\n"
    )
    grown = build_index(root)
    assert encode(grown) != INDEX_PATH.read_bytes()
    new = [e for e in lookup("E0382", grown) if e.ref == "tests/explain/cases/zz_new.toml"]
    assert [(e.kind, e.line) for e in new] == [("explain-case", 8)]


def test_every_kb_code_with_a_fixture_has_its_fixture_item() -> None:
    titles = kb_titles(REPO_ROOT)
    missing = []
    for crate in sorted(CRATE_TOOL):
        for code, file, lo, hi in markers(crate):
            ref = f"{KB_FIXTURES.as_posix()}/{crate}/{file}"
            hits = [
                e for e in lookup(code, INDEX) if e.kind == "kb-fixture" and e.ref == ref and e.line == lo
            ]
            if len(hits) != 1 or f"lines {lo}-{hi}" not in hits[0].note:
                missing.append(f"{code} at {ref}:{lo}")
            if code in titles and INDEX.entries[code].title != titles[code]:
                missing.append(f"{code}: title {INDEX.entries[code].title!r}")
    assert not missing, missing
    with_fixture = {m[0] for c in CRATE_TOOL for m in markers(c)} & set(titles)
    assert with_fixture, "no KB code has a fixture"
    assert all(any(e.kind == "kb-fixture" for e in lookup(c, INDEX)) for c in with_fixture)


def test_every_explain_case_is_indexed_at_its_root_marker() -> None:
    cases = load_cases()
    indexed = [
        (code, e) for code, entry in INDEX.entries.items() for e in entry.examples if e.kind == "explain-case"
    ]
    assert len(indexed) == len(cases)
    for case in cases:
        mine = [e for code, e in indexed if code == case.code and e.note.startswith(f"case {case.name} (")]
        assert len(mine) == 1, case.name
        ex = mine[0]
        assert ex.ref == f"{CASES.as_posix()}/{case.source}.toml"
        assert "//~ ROOT" in (REPO_ROOT / ex.ref).read_text().splitlines()[ex.line - 1]
        assert f"{case.family}, {case.expected_file}" in ex.note


def test_e0382_has_a_kb_fixture_and_explain_cases() -> None:
    kinds = [e.kind for e in lookup("E0382")]  # the shipped index, loaded lazily
    assert "kb-fixture" in kinds and kinds.count("explain-case") >= 1
    assert lookup("e382") == lookup("E0382") == lookup("0382", INDEX)
    assert INDEX.entries["E0382"].title == "use of a moved value"


def test_gym_episodes_are_indexed_under_each_of_their_codes() -> None:
    import json

    for split, rel in REPAIR_RESULTS:
        data = json.loads((REPO_ROOT / rel).read_text())
        assert data["episodes"], f"{rel} has no episodes list: rerun the bench"
        assert {e["id"] for e in data["episodes"]} == {o["episode"] for o in data["outcomes"]}
        for ep in data["episodes"]:
            for code in filter(None, ep["codes"]):  # "" is an error without a code: not indexable
                hits = [e for e in lookup(code, INDEX) if e.kind == "gym-episode" and e.ref == ep["id"]]
                assert len(hits) == 1 and hits[0].note.startswith(f"{split} gym, {ep['kind']}: ")
                assert hits[0].line == int(ep["id"].split(":")[-2])


@pytest.mark.parametrize(
    ("given", "want"),
    [
        ("E0382", "E0382"),
        ("e382", "E0382"),
        ("382", "E0382"),
        ("len_zero", "clippy::len_zero"),
        ("clippy::len_zero", "clippy::len_zero"),
    ],
)
def test_normalize(given: str, want: str) -> None:
    assert normalize(given) == want


def test_unknown_code_has_no_examples() -> None:
    assert lookup("E9999", INDEX) == ()


def test_a_case_with_two_root_markers_is_refused(tmp_path: Path) -> None:
    root = _copy_sources(tmp_path / "repo")
    (root / CASES / "bad.toml").write_text(
        '[[case]]\nname = "bad"\nfamily = "x"\ncode = "E0382"\n[case.files]\n'
        "\"src/lib.rs\" = '''\nfn a() {} //~ ROOT\nfn b() {} //~ ROOT\n'''\n"
    )
    with pytest.raises(SourceInvalid, match="case bad has 2"):
        build_index(root)


def test_a_corrupt_index_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "index.json"
    bad.write_text('{"version": 1, "entries": {"E0382": {"code": 5}}}')
    with pytest.raises(IndexUnreadable, match="python -m engine.diagindex build"):
        load(bad)
    assert isinstance(load(INDEX_PATH), DiagIndex)


def test_cli_show_and_check_load_no_ml_or_ui() -> None:
    code = (
        "import sys, runpy; sys.argv = ['x', 'show', 'E0382']; "
        "import engine.diagindex.__main__ as m; rc = m.main(); "
        "assert rc == 0, rc; assert m.main(['check']) == 0; "
        "heavy = sorted(k for k in ('jax', 'flax', 'optax', 'orbax', 'textual') if k in sys.modules); "
        "print('HEAVY=' + ','.join(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True
    )
    assert "E0382: use of a moved value" in out.stdout
    assert "kb-fixture   tests/fixtures/kb/kb_borrow/src/lib.rs:" in out.stdout
    assert "The diagnostic index is up to date." in out.stdout
    assert "HEAVY=\n" in out.stdout
    missing = subprocess.run(
        [sys.executable, "-m", "engine.diagindex", "show", "E9999"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
    )
    assert missing.returncode == 1 and "E9999: not in the index" in missing.stdout
