"""The review's own rules, declared as data: id, level, Rusta's explanation and an offline reference.

Each pattern rule answers one general shape of risk on changed lines; the explanation says why the
shape is a risk, never more than the syntax shows. References are paths under the sysroot's
share/doc/rust/html/ (rustup's offline docs); a reference the toolchain did not install is left out.
"""

from __future__ import annotations

from pathlib import Path

from engine.review.types import Rule

LINT_LISTINGS = ("warn-by-default.html", "deny-by-default.html", "allowed-by-default.html")

RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule(
            id="rusta/new-unsafe",
            name="NewUnsafe",
            level="warning",
            short="The change adds `unsafe` code.",
            help="Inside `unsafe` the compiler stops checking the rules that keep memory safe; the "
            "author promises them instead. A new `unsafe` needs a `// SAFETY:` comment that says which "
            "invariant holds and why, and a reviewer who checks that promise.",
            doc="book/ch20-01-unsafe-rust.html",
        ),
        Rule(
            id="rusta/panic-in-library",
            name="PanicInLibrary",
            level="warning",
            short="Library code that can panic: `unwrap`, `expect` or `panic!`.",
            help="A library that panics takes the decision away from its caller: the whole thread "
            "unwinds. Return the failure (`Result` or `Option`, `?` to pass it on) unless the value "
            "cannot be absent by construction; then `expect` should say why.",
            doc="book/ch09-03-to-panic-or-not-to-panic.html",
        ),
        Rule(
            id="rusta/lossy-cast",
            name="LossyCast",
            level="warning",
            short="An `as` cast that can truncate or change sign.",
            help="`as` between integer types never fails: it keeps the low bits, so a value too large "
            "for the target wraps and a negative one reads as a large unsigned. `T::try_from(x)` says "
            "when the value does not fit.",
            doc="reference/expressions/operator-expr.html#type-cast-expressions",
        ),
        Rule(
            id="rusta/blocking-in-async",
            name="BlockingInAsync",
            level="warning",
            short="A blocking call inside an `async fn`.",
            help="An `async fn` runs on an executor thread shared with other tasks; a call that blocks "
            "(sleeping, file IO from std::fs, a std Mutex's `lock`) stops every task on that thread. Use "
            "the runtime's async version or move the call to a blocking thread.",
            doc="book/ch17-06-futures-tasks-threads.html",
        ),
        Rule(
            id="rusta/todo",
            name="Unfinished",
            level="warning",
            short="`todo!` or `unimplemented!` in the change.",
            help="`todo!` and `unimplemented!` compile, then panic when reached: the code path is not "
            "written yet. A change that ships one ships a panic.",
            doc="std/macro.todo.html",
        ),
        Rule(
            id="rusta/new-allow",
            name="NewAllow",
            level="note",
            short="A new `#[allow(...)]` hides a lint.",
            help="An `allow` silences a lint for everything under it, including mistakes made later. "
            "Fix what the lint points at, or narrow the `allow` and say why in a comment "
            "(`#[expect(...)]` also warns once the lint no longer fires).",
            doc="rustc/lints/levels.html",
        ),
        Rule(
            id="rusta/api-without-bump",
            name="ApiChangeWithoutVersionBump",
            level="warning",
            short="The public API changed but Cargo.toml's version did not.",
            help="Dependents pick versions by SemVer: removing or changing a public item breaks them, "
            "adding one is a minor change. Bump `version` in Cargo.toml to say which.",
            doc="cargo/reference/semver.html",
        ),
        Rule(
            id="rusta/test-broken",
            name="TestBroken",
            level="error",
            short="A test that passed at base fails at head.",
            help="The change breaks behaviour a test pinned down: either the code is wrong or the test "
            "must change with it, in the same commit, with the reason.",
            doc="book/ch11-01-writing-tests.html",
        ),
        Rule(
            id="rusta/behaviour-changed",
            name="BehaviourChanged",
            level="error",
            short="A change said to keep behaviour gives another result on some input.",
            help="Rusta ran the fn as it was at base and as it is at head on the same generated inputs "
            "(`--refactor`: the change claims to keep behaviour), and they differ on the input shown. "
            "Either the refactor has a bug there, or the change of behaviour is meant and wants a test.",
            doc="book/ch11-01-writing-tests.html",
        ),
    )
}


def diagnostic_rule(code: str | None, level: str, tool: str) -> Rule:
    """The rule for a compiler or clippy diagnostic: its code, or `rustc` for a code-less one."""
    ident = code or ("clippy" if tool == "clippy" else "rustc")
    if ident.startswith("clippy::"):
        doc = ""
        help_text = f"Clippy's lint `{ident}`; `cargo clippy --explain {ident}` describes it offline."
    elif ident.startswith("E") and ident[1:].isdigit():
        doc = f"error_codes/{ident}.html"
        help_text = f"`rustc --explain {ident}` describes this error offline."
    elif ident not in ("rustc", "clippy"):
        doc = f"rustc/lints/listing/{{listing}}#{ident.replace('_', '-')}"
        help_text = f"rustc's lint `{ident}`; the lint listing describes it."
    else:
        doc, help_text = "", "A diagnostic rustc gave without a code."
    return Rule(
        id=ident,
        name=ident,
        level="error" if level.startswith("error") else "warning",
        short=help_text,
        help=help_text,
        doc=doc,
    )


def doc_uri(rule: Rule, doc_root: Path | None) -> str | None:
    """`file://` address of the rule's reference in the installed docs; None when it is not there."""
    if not rule.doc or doc_root is None:
        return None
    page, _, anchor = rule.doc.partition("#")
    if "{listing}" in page:  # a lint: the listing (warn, deny or allow by default) that names it
        for listing in LINT_LISTINGS:
            path = doc_root / page.format(listing=listing)
            if path.is_file() and f'id="{anchor}"' in path.read_text(encoding="utf-8", errors="replace"):
                return f"{path.as_uri()}#{anchor}"
        return None
    path = doc_root / page
    if not path.is_file():
        return None
    return f"{path.as_uri()}#{anchor}" if anchor else path.as_uri()
