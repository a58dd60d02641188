"""Where a member's workspace is, and how a copy of it keeps outside path dependencies: no cargo needed."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from toolbelt.cargo_workspace import absolutize_outside_paths, member_package, project_root, workspace_root

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "ws_inherit"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    dest = tmp_path / "ws_inherit"
    shutil.copytree(FIXTURE, dest)
    return dest


def test_a_member_belongs_to_its_workspace_and_names_its_package(tree: Path) -> None:
    ws = tree / "ws"
    assert workspace_root(ws / "app") == ws.resolve()
    assert project_root(ws / "app" / "src" / "lib.rs") == ws.resolve()
    assert member_package(ws / "app") == "app"
    assert member_package(ws) is None
    # a path dependency outside the workspace is a crate of its own
    assert workspace_root(tree / "shared") == (tree / "shared").resolve()


def test_excluded_and_unlisted_crates_stand_alone(tree: Path) -> None:
    ws = tree / "ws"
    (ws / "tool" / "src").mkdir(parents=True)
    (ws / "tool" / "Cargo.toml").write_text('[package]\nname = "tool"\nversion = "0.1.0"\n')
    text = (ws / "Cargo.toml").read_text().replace('members = ["app", "wscore"]', 'members = ["*"]')
    (ws / "Cargo.toml").write_text(text.replace('resolver = "2"', 'resolver = "2"\nexclude = ["tool"]'))
    assert workspace_root(ws / "tool") == (ws / "tool").resolve()
    assert workspace_root(ws / "wscore") == ws.resolve()  # matched by the glob


def test_outside_paths_become_absolute_and_inside_ones_stay(tree: Path) -> None:
    ws = tree / "ws"
    data = (ws / "Cargo.toml").read_bytes()
    out = absolutize_outside_paths(data, ws, ws)
    parsed = tomllib.loads(out.decode())
    deps = parsed["workspace"]["dependencies"]
    assert deps["wscore"]["path"] == "wscore"
    assert deps["shared"]["path"] == (tree / "shared").resolve().as_posix()
    assert (
        parsed["patch"]["crates-io"]["tinyhex"]["path"] == (tree / "vendor" / "tinyhex").resolve().as_posix()
    )
    # everything else is byte for byte the same
    assert out.replace((tree.resolve().as_posix() + "/").encode(), b"../") == data
    member = (ws / "app" / "Cargo.toml").read_bytes()
    assert absolutize_outside_paths(member, ws / "app", ws) == member


def test_package_name_reads_both_spellings_of_a_package_id() -> None:
    from toolbelt.cargo_workspace import package_name

    assert package_name("ledger 0.2.0 (path+file:///w/crates/ledger)") == "ledger"
    assert package_name("path+file:///w/crates/dir#ledger-core@0.2.0") == "ledger-core"
    assert package_name("path+file:///w/crates/tally#1.0.0") == "tally"
    assert package_name("registry+https://github.com/rust-lang/crates.io-index#serde@1.0.1") == "serde"
    assert package_name("") == ""


def test_package_dirs_reads_member_globs_less_exclude_and_finds_a_files_package(tmp_path: Path) -> None:
    from toolbelt.cargo_workspace import library_file, package_dirs, package_of

    def crate(rel: str, name: str) -> None:
        (tmp_path / rel / "src").mkdir(parents=True)
        (tmp_path / rel / "Cargo.toml").write_text(f'[package]\nname = "{name}"\nversion = "0.1.0"\n')

    crate("crates/a", "a")
    crate("crates/b", "b")
    crate("crates/old", "old")
    (tmp_path / "Cargo.toml").write_text('[workspace]\nmembers = ["crates/*"]\nexclude = ["crates/old"]\n')
    assert package_dirs(tmp_path) == {"crates/a": "a", "crates/b": "b"}
    assert package_of(tmp_path, "crates/b/src/x.rs") == ("crates/b", "b")
    assert package_of(tmp_path, "build.rs") is None
    assert library_file(tmp_path, "crates/a/src/lib.rs")
    assert not library_file(tmp_path, "crates/a/src/main.rs")
    assert not library_file(tmp_path, "crates/a/src/bin/tool.rs")
