"""Pure diff application: exact context, new/deleted/renamed files, no-newline ends, clear mismatches."""

from __future__ import annotations

import difflib

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.patching.diffs import apply_changes, first_place, parse_diff, rows, touched_paths
from engine.patching.errors import ContextMismatch, DiffParseError, NoExplanation
from engine.patching.types import Patch

LIB = "fn a() {}\nfn b() {}\nfn c() {}\nfn d() {}\nfn e() {}\n"


def files(**kw: bytes | None):
    return lambda p: kw.get(p.replace("/", "_").replace(".", "_"))


def test_modify_add_delete_rename_together() -> None:
    diff = """diff --git a/src/lib.rs b/src/lib.rs
--- a/src/lib.rs
+++ b/src/lib.rs
@@ -2,3 +2,3 @@
 fn b() {}
-fn c() {}
+fn c() { todo!() }
 fn d() {}
diff --git a/src/new.rs b/src/new.rs
new file mode 100644
--- /dev/null
+++ b/src/new.rs
@@ -0,0 +1,2 @@
+// new
+fn n() {}
diff --git a/README b/README
deleted file mode 100644
--- a/README
+++ /dev/null
@@ -1 +0,0 @@
-read me
diff --git a/src/old.rs b/src/renamed.rs
similarity index 100%
rename from src/old.rs
rename to src/renamed.rs
"""
    changes = parse_diff(diff)
    assert [c.kind for c in changes] == ["modify", "add", "delete", "rename"]
    assert touched_paths(changes) == ("README", "src/lib.rs", "src/new.rs", "src/old.rs", "src/renamed.rs")
    current = {"src/lib.rs": LIB.encode(), "README": b"read me\n", "src/old.rs": b"// old\n"}
    out = apply_changes(changes, current.get)
    assert out["src/lib.rs"] == LIB.replace("fn c() {}", "fn c() { todo!() }").encode()
    assert out["src/new.rs"] == b"// new\nfn n() {}\n"
    assert out["README"] is None
    assert out["src/old.rs"] is None and out["src/renamed.rs"] == b"// old\n"


def test_hunk_found_at_an_offset_but_only_on_exact_lines() -> None:
    diff = "--- a/x.rs\n+++ b/x.rs\n@@ -1,2 +1,2 @@\n fn d() {}\n-fn e() {}\n+fn e() { 1 }\n"
    out = apply_changes(parse_diff(diff), {"x.rs": LIB.encode()}.get)
    assert out["x.rs"] == LIB.replace("fn e() {}", "fn e() { 1 }").encode()


def test_mismatch_names_the_line() -> None:
    diff = "--- a/x.rs\n+++ b/x.rs\n@@ -2,2 +2,2 @@\n fn b() {}\n-fn zz() {}\n+fn c() { 1 }\n"
    with pytest.raises(
        ContextMismatch,
        match=r"x.rs: hunk @@ -2,2 \+2,2 @@ does not match the file: line 3 is `fn c\(\) \{\}` where the patch expects `fn zz\(\) \{\}`",
    ):
        apply_changes(parse_diff(diff), {"x.rs": LIB.encode()}.get)


def test_missing_file_and_existing_new_file_are_refused() -> None:
    mod = "--- a/x.rs\n+++ b/x.rs\n@@ -1 +1 @@\n-a\n+b\n"
    with pytest.raises(ContextMismatch, match="does not exist"):
        apply_changes(parse_diff(mod), {}.get)
    add = "--- /dev/null\n+++ b/x.rs\n@@ -0,0 +1 @@\n+b\n"
    with pytest.raises(ContextMismatch, match="already exists"):
        apply_changes(parse_diff(add), {"x.rs": b"a\n"}.get)


def test_no_newline_at_end_of_file_both_ways() -> None:
    diff = "--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n"
    assert apply_changes(parse_diff(diff), {"x": b"a\nb"}.get)["x"] == b"a\nc\n"


@pytest.mark.parametrize(
    "path", ["../etc/passwd", "/etc/passwd", ".git/config", "target/debug/x", ".rusta/x", "a/../../b"]
)
def test_unsafe_paths_are_refused(path: str) -> None:
    diff = f"--- {path}\n+++ {path}\n@@ -1 +1 @@\n-a\n+b\n"
    with pytest.raises(DiffParseError):
        parse_diff(diff)


def test_binary_and_empty_diffs_are_refused() -> None:
    binary = (
        "diff --git a/img.png b/img.png\nindex 1..2 100644\nBinary files a/img.png and b/img.png differ\n"
    )
    with pytest.raises(DiffParseError, match="binary"):
        parse_diff(binary)
    with pytest.raises(DiffParseError):
        parse_diff("just words\n")


def test_patch_requires_an_explanation() -> None:
    with pytest.raises(NoExplanation):
        Patch.new("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n", "   ")
    p = Patch.new("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n", "because")
    assert p.id.startswith("p-") and p.id == Patch.new(p.diff, "other words").id
    raw = msgspec.json.encode(p).replace(b'"because"', b'""')
    with pytest.raises(msgspec.ValidationError, match="explanation"):
        msgspec.json.decode(raw, type=Patch)


lines = st.lists(st.sampled_from(["a", "b", "c", "fn x() {}", "", "}"]), max_size=12)


@settings(max_examples=80, deadline=None)
@given(old=lines, new=lines, eol=st.booleans())
def test_difflib_diffs_round_trip(old: list[str], new: list[str], eol: bool) -> None:
    """Any unified diff difflib writes between two texts turns the first into the second."""
    a = "".join(s + "\n" for s in old)
    b = "".join(s + "\n" for s in new)
    if not eol and b:
        b = b[:-1]
    if a == b:
        return
    from engine.patching.diffs import render

    diff = render({"f.rs": (a.encode(), b.encode())})
    assert apply_changes(parse_diff(diff), {"f.rs": a.encode()}.get)["f.rs"] == b.encode()
    assert difflib  # the renderer is difflib underneath


def test_rows_number_both_files_for_the_readers_of_a_fix() -> None:
    """Where a fix first changes the file and which new lines it writes come from one walk."""
    insert = (
        "--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1,3 +1,5 @@\n // head\n+\n+use std::collections::HashMap;\n"
        " \n pub fn f() {}\n"
    )
    assert first_place(insert) == ("src/lib.rs", 2)
    assert [(r.kind, r.old_line, r.new_line) for r in rows(insert) if r.kind == "+"] == [
        ("+", 2, 2),
        ("+", 2, 3),
    ]
    replace = "--- a/f.rs\n+++ b/f.rs\n@@ -3,2 +3,2 @@\n a\n-let v = 1;\n+let mut v = 1;\n"
    assert [(r.kind, r.old_line, r.new_line, r.text) for r in rows(replace)[1:]] == [
        ("-", 4, 4, "let v = 1;"),
        ("+", 5, 4, "let mut v = 1;"),
    ]
    gone = "--- a/old.rs\n+++ /dev/null\n@@ -1 +0,0 @@\n-fn a() {}\n\\ No newline at end of file\n"
    assert [(r.path, r.kind, r.text) for r in rows(gone)] == [("old.rs", "-", "fn a() {}")]
    assert rows("not a diff") == () and first_place("") == ("", 0)
