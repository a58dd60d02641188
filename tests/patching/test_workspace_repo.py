"""A real multi-crate workspace through the CLI: a member inheriting version, edition, lints and
dependencies from its workspace, a path dependency and a `[patch]` outside the workspace.

check, fix (validated in the sandbox and the repair's scratch copy), undo, and `-p` all work on it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import cli_runner as cli

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("workspace-repo")]

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "ws_inherit"


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = tmp_path_factory.getbasetemp() / "rusta-cache"
    cache.mkdir(exist_ok=True)
    os.environ["RUSTA_CACHE_DIR"] = str(cache)
    tree = tmp_path_factory.mktemp("wsrepo") / "ws_inherit"
    shutil.copytree(FIXTURE, tree)
    root = tree / "ws"
    git = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "workspace"], cwd=root, check=True)
    return root


def rusta(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return cli.rusta(*args, cwd=cwd)


def test_check_sees_the_member_error_and_p_selects_a_member(ws: Path) -> None:
    out = rusta(ws, "check", "--json", ".")
    assert out.returncode == 1, out.stderr
    diags = [json.loads(line) for line in out.stdout.splitlines()]
    assert [(d["code"], d["file"]) for d in diags if d["level"] == "error"] == [("E0382", "app/src/lib.rs")]
    clean = rusta(ws, "check", "-p", "wscore", "--lib", ".")
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_fix_in_a_member_validates_in_the_sandbox_and_undo_restores(ws: Path) -> None:
    lib = ws / "app" / "src" / "lib.rs"
    before = lib.read_bytes()
    out = rusta(ws / "app", "fix", "--yes", ".")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "names.clone()" in lib.read_text()
    assert "tests pass" in out.stdout
    assert not (ws / "app" / ".rusta").exists()  # one DevLog for the workspace, at its root
    again = rusta(ws, "check", ".")
    assert again.returncode == 0, again.stdout
    undo = rusta(ws / "app", "undo")
    assert undo.returncode == 0, undo.stdout + undo.stderr
    assert lib.read_bytes() == before
