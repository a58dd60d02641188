"""A patch exported as a format-patch mail: git am makes it a commit with Rusta's rationale, git apply
and Rusta's own diff parser read past the mail header. Real git, no cargo."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from engine.patching.diffs import parse_diff
from engine.review.mbox import patch_message
from rusta_tui.screens.review import export_bundle

DIFF = """--- a/src/lib.rs
+++ b/src/lib.rs
@@ -1,3 +1,3 @@
 pub fn f() -> u32 {
-    let spare = 1;
+    let _spare = 1;
     2
"""
ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Ada",
    "GIT_AUTHOR_EMAIL": "a@x",
    "GIT_COMMITTER_NAME": "Ada",
    "GIT_COMMITTER_EMAIL": "a@x",
}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, env=ENV, capture_output=True, text=True, check=True
    ).stdout


def make_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "r"
    (repo / "src").mkdir(parents=True)
    (repo / "src" / "lib.rs").write_text("pub fn f() -> u32 {\n    let spare = 1;\n    2\n}\n")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    return repo


def test_a_patch_mail_is_taken_by_git_am_with_the_rationale(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    mail = tmp_path / "p.patch"
    mail.write_bytes(
        patch_message("rusta: prefix the unused binding", "Explanation: it is never read.", DIFF, at=0)
    )
    assert parse_diff(mail.read_text())[0].new_path == "src/lib.rs"
    git(repo, "apply", "--check", str(mail))
    git(repo, "am", "-q", str(mail))
    assert "let _spare" in (repo / "src" / "lib.rs").read_text()
    message = git(repo, "log", "-1", "--format=%an%n%s%n%b")
    assert message.splitlines()[:2] == ["Rusta", "rusta: prefix the unused binding"]
    assert "Explanation: it is never read." in message


def test_the_review_screen_exports_a_bundle_as_a_mail_with_its_validation(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    out = export_bundle(repo, "E0000:src/lib.rs:2", DIFF, rationale="Prefix `spare` with `_`.", proof="green")
    text = out.read_text()
    assert "Subject: [PATCH 1/1] rusta: Prefix `spare` with `_`" in text and "Proof: green" in text
    git(repo, "am", "-q", str(out))
    assert "let _spare" in (repo / "src" / "lib.rs").read_text()
    assert git(repo, "status", "--porcelain") == ""  # .rusta/ ignores itself
