"""The Patch pane's diff: line numbers, context trimmed around changes, the changed columns marked."""

from __future__ import annotations

from rich.text import Text

from rusta_tui import difftext

# `rusta explain --json` on the demo crate: E0382's and E0369's patches, as the engine writes them.
CLONE = (
    "--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -29,7 +29,7 @@\n \n"
    "     /// Adds a whole delivery and says how many items it brought.\n"
    "     pub fn restock(&mut self, delivery: Vec<Item>) -> usize {\n"
    "-        self.items.extend(delivery);\n+        self.items.extend(delivery.clone());\n"
    "         delivery.len()\n     }\n \n"
)
DERIVE = (
    "--- a/src/inventory.rs\n+++ b/src/inventory.rs\n@@ -1,6 +1,7 @@\n //! One kind of item on a shelf.\n"
    " \n #[derive(Debug, Clone)]\n+#[derive(PartialEq)]\n pub struct Item {\n     pub name: String,\n"
    "     pub quantity: u32,\n"
)


def marked(text: Text, row: int) -> list[str]:
    """The substrings of rendered row `row` that carry the changed-columns style."""
    lines = text.split("\n")
    line = lines[row]
    return [line.plain[s.start : s.end] for s in line.spans if s.style == difftext.CHANGED]


def test_context_one_keeps_the_change_and_one_line_either_side() -> None:
    lines = difftext.render(CLONE, context=1).plain.splitlines()
    assert lines == [
        "src/lib.rs",
        "31       pub fn restock(&mut self, delivery: Vec<Item>) -> usize {",
        "32 -         self.items.extend(delivery);",
        "32 +         self.items.extend(delivery.clone());",
        "33           delivery.len()",
    ]
    assert difftext.first_change(CLONE, context=1) == 2


def test_only_the_inserted_columns_are_marked() -> None:
    text = difftext.render(CLONE, context=1)
    assert marked(text, 3) == [".clone()"]
    assert marked(text, 2) == []  # nothing was removed from the old line


def test_a_replaced_word_is_marked_on_both_sides() -> None:
    diff = "--- a/src/x.rs\n+++ b/src/x.rs\n@@ -3,1 +3,1 @@\n-    let total = 0;\n+    let mut total = 0;\n"
    text = difftext.render(diff)
    assert marked(text, 2) == ["mut"]
    diff = '--- a/a.rs\n+++ b/a.rs\n@@ -9 +9 @@\n-    name: &"salt",\n+    name: "salt".to_string(),\n'
    text = difftext.render(diff)
    assert marked(text, 1) == ["&"] and marked(text, 2) == [".to_string()"]


def test_unrelated_lines_are_not_marked_piecemeal() -> None:
    diff = "--- a/a.rs\n+++ b/a.rs\n@@ -1 +1 @@\n-fn alpha() {}\n+struct Zed;\n"
    text = difftext.render(diff)
    assert marked(text, 1) == [] and marked(text, 2) == []


def test_an_added_line_in_another_file_is_shown_with_its_file() -> None:
    lines = difftext.render(CLONE + DERIVE, context=1).plain.splitlines()
    assert "src/inventory.rs" in lines
    assert "4 + #[derive(PartialEq)]" in lines
    assert lines.index("src/inventory.rs") > lines.index("32 +         self.items.extend(delivery.clone());")


def test_a_removed_line_that_starts_with_dashes_is_not_a_file_header() -> None:
    diff = "--- a/a.sql\n+++ b/a.sql\n@@ -1,2 +1,1 @@\n--- a comment\n keep\n"
    files = difftext.parse(diff)
    assert [f.path for f in files] == ["a.sql"]
    assert files[0].hunks[0][0] == difftext.Line("-", 1, "-- a comment")


def test_hunks_far_apart_are_separated_by_a_gap() -> None:
    diff = "--- a/a.rs\n+++ b/a.rs\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n@@ -40,3 +40,3 @@\n x\n-y\n+Y\n z\n"
    lines = difftext.render(diff).plain.splitlines()
    assert "   " + difftext.GAP in lines
    assert lines[-2] == "41 + Y"


def test_text_that_is_not_a_diff_is_shown_as_is() -> None:
    assert difftext.render("not a diff\n").plain == "not a diff"
