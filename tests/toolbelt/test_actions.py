"""The action language: every action in text and JSON, every malformed class, and fuzzed input."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolbelt.actions import (
    Abstain,
    Action,
    ActionParseError,
    Check,
    Clippy,
    Explain,
    Fmt,
    Patch,
    Redo,
    RunTests,
    TypeOf,
    Undo,
    decode_action_json,
    encode_action_json,
    format_action,
    parse_action,
)
from toolbelt.errors import ToolbeltError

DIFF = """--- a/src/lib.rs
+++ b/src/lib.rs
@@ -1,3 +1,3 @@
 fn main() {
-    let x = 1;
+    let x = 2;
 }
"""


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("check", Check()),
        ("clippy", Clippy()),
        ("fmt", Fmt()),
        ("undo", Undo()),
        ("redo", Redo()),
        ("test", RunTests()),
        ("test parse_", RunTests(filter="parse_")),
        ('test "tests::with space"', RunTests(filter="tests::with space")),
        ("type_of src/lib.rs:12:9", TypeOf(file="src/lib.rs", line=12, col=9)),
        ('type_of "my dir/a:b.rs:3:1"', TypeOf(file="my dir/a:b.rs", line=3, col=1)),
        ("explain E0382", Explain(code="E0382")),
        ("explain clippy::needless_clone", Explain(code="clippy::needless_clone")),
        ("explain dead_code", Explain(code="dead_code")),
        ('abstain "no green candidate"', Abstain(reason="no green candidate")),
        ("abstain flaky", Abstain(reason="flaky")),
        (f"patch\n{DIFF}end", Patch(diff=DIFF)),
        (f"patch\n{DIFF}end\n\n", Patch(diff=DIFF)),
        ("  check  ", Check()),
        ("test\tparse_\r", RunTests(filter="parse_")),
    ],
)
def test_parse_every_action(text: str, action: Action) -> None:
    assert parse_action(text) == action
    assert parse_action(format_action(action)) == action
    assert decode_action_json(encode_action_json(action)) == action


def test_canonical_text_forms() -> None:
    assert format_action(Abstain(reason="no green candidate")) == 'abstain "no green candidate"'
    assert format_action(TypeOf(file="src/lib.rs", line=12, col=9)) == "type_of src/lib.rs:12:9"
    assert format_action(RunTests(filter="a b")) == 'test "a b"'
    assert format_action(Patch(diff=DIFF)) == f"patch\n{DIFF}end"
    assert encode_action_json(Explain(code="E0382")) == b'{"action":"explain","code":"E0382"}'


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty action"),
        ("   \n", "empty action"),
        ("compile", "unknown action 'compile'"),
        ("check now", "`check` takes no argument"),
        ("undo 2", "column 6"),
        ("test a b", "`test` takes 1 argument"),
        ('test ""', "test filter is empty"),
        ("type_of", "missing its argument; expected `type_of PATH:LINE:COL`"),
        ("type_of src/lib.rs", "expected PATH:LINE:COL"),
        ("type_of src/lib.rs:0:3", "LINE in `type_of PATH:LINE:COL` must be a positive number"),
        ("type_of src/lib.rs:3:x", "COL in"),
        ("type_of :3:4", "expected PATH:LINE:COL"),
        ("explain", "missing its argument"),
        ("explain Unused", "expected a code like E0382"),
        ("explain E03", "expected a code like E0382"),
        ("explain clippy::", "expected a code like E0382"),
        ("abstain", 'expected `abstain "REASON"`'),
        ('abstain "  "', "needs a reason"),
        ('abstain "unterminated', "unterminated or invalid quoted string"),
        ('abstain "a"b', "expected a space after the quoted string"),
        ('abstain a"b', "stray"),
        ("check\nclippy", "one-line action"),
        ("patch", "not closed"),
        ("patch\nend", "needs a unified diff"),
        (f"patch\n{DIFF}", "not closed"),
        (f"patch now\n{DIFF}end", "stands alone"),
        ("patch\nhello world\nend", "holds no hunk"),
        ("patch\n--- a/x\n+++ b/x\n@@ -1,5 +1,5 @@\n-a\n+b\nend", "not a valid unified diff"),
        (f"patch\n{DIFF}end\n{DIFF}end", "`end` before the last line"),
        ("check\x00", "NUL byte"),
    ],
)
def test_malformed_input_names_what_was_expected(text: str, fragment: str) -> None:
    with pytest.raises(ActionParseError) as info:
        parse_action(text)
    assert fragment in str(info.value)
    assert isinstance(info.value, ToolbeltError) and info.value.user_facing


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"{",
        b'{"action":"launch"}',
        b'{"action":"type_of","file":"a.rs","line":0,"col":1}',
        b'{"action":"explain","code":"nope!"}',
        b'{"action":"abstain","reason":" "}',
        b'{"action":"patch","diff":"not a diff\\n"}',
        b'{"action":"test","filter":""}',
    ],
)
def test_malformed_json(data: bytes) -> None:
    with pytest.raises(ActionParseError):
        decode_action_json(data)


# --- hypothesis ---------------------------------------------------------------------------------

_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=30
)
_line = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\n\r"), max_size=20)


@st.composite
def _diffs(draw: st.DrawFn) -> str:
    name = draw(st.from_regex(r"[a-z][a-z0-9_/]{0,12}\.rs", fullmatch=True))
    old = draw(st.lists(_line, min_size=1, max_size=4))
    new = draw(st.lists(_line, min_size=1, max_size=4))
    body = "".join(f"-{x}\n" for x in old) + "".join(f"+{x}\n" for x in new)
    return f"--- a/{name}\n+++ b/{name}\n@@ -1,{len(old)} +1,{len(new)} @@\n{body}"


_actions = st.one_of(
    st.sampled_from([Check(), Clippy(), Fmt(), Undo(), Redo(), RunTests()]),
    st.builds(RunTests, filter=_text),
    st.builds(
        TypeOf,
        file=_text,
        line=st.integers(1, 10**6),
        col=st.integers(1, 10**4),
    ),
    st.builds(
        Explain,
        code=st.from_regex(r"E\d{4}|clippy::[a-z][a-z0-9_]{0,20}|[a-z][a-z0-9_]{0,20}", fullmatch=True),
    ),
    st.builds(Abstain, reason=_text.filter(lambda s: s.strip() != "")),
    st.builds(Patch, diff=_diffs()),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(_actions)
def test_round_trip(action: Action) -> None:
    text = format_action(action)
    assert parse_action(text) == action
    assert decode_action_json(encode_action_json(action)) == action
    if not isinstance(action, Patch):
        assert "\n" not in text


_verbs = st.sampled_from(["check", "test", "type_of", "explain", "abstain", "patch", "undo", "end", '"', ":"])


@settings(max_examples=500)
@given(st.lists(st.one_of(st.text(max_size=40), _verbs), max_size=6).map(lambda xs: " ".join(xs)))
def test_fuzzed_text_raises_only_action_parse_error(text: str) -> None:
    try:
        action = parse_action(text)
    except ActionParseError:
        return
    assert parse_action(format_action(action)) == action


@settings(max_examples=200)
@given(
    st.lists(
        st.one_of(_line, st.sampled_from(["@@ -1 +1 @@", "--- a/x", "+++ b/x", "end", "\\ No newline"])),
        max_size=8,
    )
)
def test_fuzzed_patch_blocks_raise_only_action_parse_error(lines: list[str]) -> None:
    try:
        parse_action("patch\n" + "\n".join(lines))
    except ActionParseError:
        pass


@settings(max_examples=200)
@given(st.binary(max_size=60))
def test_fuzzed_json_raises_only_action_parse_error(data: bytes) -> None:
    try:
        decode_action_json(data)
    except ActionParseError:
        pass
