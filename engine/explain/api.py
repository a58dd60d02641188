"""The explain engine's public API: diagnostics in, Explanations out.

`explain_diagnostics` is pure given the knowledge base and the crate's files (it reads sources for
patches and the sysroot for docs); `explain_report` takes a CheckReport. Probes and the
`rustc --explain` text are opt-in: the fast path (pair mode, `--json`) never pays for them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import msgspec

from engine.explain import (
    applicable,
    auto_traits,
    evidence,
    fact_why,
    grouping,
    lintstory,
    placeholders,
    preconditions,
    references,
    retract,
    shapes,
)
from engine.explain import options as fix_options
from engine.explain.grouping import CFG_LINT, Group, Located, cause_fact, cause_key, fix_sources, group
from engine.explain.invariants import invariant_for, syntax_entry
from engine.explain.kb_loader import KBEntry, KBOption, lookup
from engine.explain.patch import suggested_patch
from engine.explain.patchwords import rustc_said
from engine.explain.probes import probe_facts
from engine.explain.prompts import prompt_for
from engine.explain.rootcause import DEFAULT_STRATEGY, locate, primary_span, to_location
from engine.explain.types import Choice, Explanation, Location
from engine.explain.uninferred import CODES as UNINFERRED_CODES
from engine.explain.uninferred import annotated_binding
from engine.facts.parse import facts_of
from engine.repair.turbofish import found_type_written, written_type_place
from toolbelt.sysroot import remember_rustc_version
from toolbelt.types import CheckReport, Diagnostic

EXPLAINED_LEVELS = ("error", "warning")


def _matches(rx: str, diag: Diagnostic, same_site: tuple[Diagnostic, ...] = ()) -> bool:
    """`same_site`: the story's other diagnostics of the lead's code at the lead's primary span. rustc
    reports one error per offending type there (two `Rc`s captured by one closure); which type
    decides the way out (an `Rc<RefCell<..>>` needs a lock) is not a matter of which came first."""
    pattern = re.compile(rx)
    return any(pattern.search(t) for d in (diag, *same_site) for t in placeholders.texts(d))


def _same_site(diag: Diagnostic, members: tuple[Diagnostic, ...]) -> tuple[Diagnostic, ...]:
    """The members rustc reports with the lead's code at the lead's primary span."""

    def at(d: Diagnostic) -> tuple[str, int, int] | None:
        return None if d.primary is None else (d.primary.file_name, d.primary.byte_start, d.primary.byte_end)

    lead = at(diag)
    if lead is None:
        return ()
    return tuple(m for m in members if m is not diag and m.code_str == diag.code_str and at(m) == lead)


class _Chosen:
    """The entry's fields after the matching variants have overridden some of them: per field, the
    first matching variant that sets it wins (one variant may say which operator's trait is at stake,
    another where the derive goes)."""

    def __init__(
        self,
        entry: KBEntry,
        diag: Diagnostic,
        tags: frozenset[str] = frozenset(),
        same_site: tuple[Diagnostic, ...] = (),
    ) -> None:
        self.entry = entry
        fields = ("summary", "why", "root_cause", "invariant", "title", "options")
        chosen: dict[str, Any] = {}
        for v in entry.variants:
            if (v.shape is None or v.shape in tags) and (not v.when or _matches(v.when, diag, same_site)):
                for f in fields:
                    if f not in chosen and getattr(v, f):
                        chosen[f] = getattr(v, f)

        def pick(f: str) -> Any:
            return chosen.get(f) or getattr(entry, f)

        self.summary: str = pick("summary")
        self.why: str = pick("why")
        self.root_cause: str = pick("root_cause")
        self.invariant: str = pick("invariant")
        self.title: str = pick("title")
        self.options: tuple[KBOption, ...] = pick("options")


def _strategy(diag: Diagnostic, chosen: _Chosen | None) -> str:
    if chosen is not None:
        return chosen.root_cause
    return DEFAULT_STRATEGY.get(diag.code_str or "", "primary")


def _locate(diag: Diagnostic, crate_root: str | Path | None = None) -> Located:
    entry = lookup(diag.code_str)
    chosen = _Chosen(entry, diag) if entry else None
    strategy = _strategy(diag, chosen)
    prim = primary_span(diag)
    primary = to_location(prim) if prim is not None else Location(file="", line=0, column=0)
    root, reason = locate(diag, strategy, crate_root)
    return Located(diag=diag, primary=primary, root=root, reason=reason, strategy=strategy)


def _sentence(text: str) -> str:
    """Capitalized, with a full stop: rustc's lower-case fragments read as Rusta's sentences."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", ":")) else text + "."


def _texts(diag: Diagnostic) -> tuple[str, ...]:
    """rustc's labels and child messages: what a syntax entry's `when` is searched in."""
    return (*(s.label or "" for s in diag.spans), *(c.message for c in diag.children))


def _generic(
    diag: Diagnostic,
    vals: dict[str, str],
    root_differs: bool,
    possible: Callable[[str], bool] = lambda _: True,
) -> tuple[str, str, str, tuple[Choice, ...]]:
    """invariant, summary, why and options for a diagnostic the knowledge base has no entry for."""
    code = diag.code_str or ""
    known = invariant_for(code, diag.message, texts=_texts(diag))
    if known is not None:
        invariant = known[1]
    elif code.startswith("clippy::"):
        invariant = f"Clippy's `{code[8:]}` lint: {diag.message}."  # what it found, not filler
    elif code and not re.fullmatch(r"E\d{4}", code):  # a rustc lint: `rustc --explain` knows only error codes
        invariant = f"rustc's `{code}` lint."
    else:
        invariant = "The compiler's rule stated in the message."
    what = f" (`{vals['root_code']}`)" if vals.get("root_code") else ""  # what starts there, not only where
    where = f" It starts at {vals['root_cause']}{what}." if root_differs else ""
    summary = f"{_sentence(diag.message)[:-1]} ({vals['primary']}).{where}"
    notes = [
        note
        for c in diag.children
        if c.level in ("note", "help") and (note := placeholders.clean_note(c.message))
    ]
    # rustc's notes, each its own sentence, never run together (a list in a note stays one note)
    why = " ".join(_sentence(n) for n in notes[:2]) if notes else _sentence(diag.message)
    opts = tuple(
        Choice(
            name=f"{'clippy' if code.startswith('clippy::') else 'rustc'}'s help",  # whose words they are
            how=_sentence(c.message),
            tradeoff="The tool's own suggestion; check it keeps the meaning you intend.",
        )
        for c in diag.children
        # a help that carries an edit is a fix, judged by validation; only advice in words is an option
        if c.level == "help"
        and c.message
        and "for further information" not in c.message
        and not any(s.suggested_replacement is not None for s in c.spans)
    )
    entry = syntax_entry(diag.message, texts=_texts(diag)) if not code else None
    if entry is not None and entry.why:  # a code-less error with its own story in kb/invariants.toml
        why = " ".join(entry.why.split())
        ways = [o for o in entry.options if all(possible(p) for p in o.requires)]
        opts = tuple(Choice(name=o.name, how=o.how, tradeoff=o.tradeoff) for o in ways) + opts
    return invariant, summary, why, opts


def _honest_choices(
    kb_options: Iterable[KBOption],
    vals: dict[str, str],
    ev: evidence.Evidence,
    costs_known: bool,
    root_differs: bool = True,
    possible: Callable[[str], bool] = lambda _: True,
) -> tuple[Choice, ...]:
    """The KB's options with every sentence whose code this program lacks removed (see evidence.py);
    an option named after such code, or left without a sentence saying what to do, is dropped. An option that acts
    "at the root cause" is dropped when the root cause is rustc's own span: there is no declaration
    elsewhere to change, and the advice would ask for the type the expression already has. An option
    whose `requires` a fact does not support (`possible`) is impossible here and dropped."""
    out: list[Choice] = []
    for o in kb_options:
        if not root_differs and "at the root cause" in o.how:
            continue
        if not all(possible(p) for p in o.requires):
            continue
        name = placeholders.fill(o.name, vals)
        if not all(evidence.backed(c, ev) for c in evidence.snippets(name)):
            continue  # the option is named after code this program lacks
        how = evidence.without_unwritable(evidence.honest(placeholders.fill(o.how, vals), ev))
        tradeoff = evidence.honest(placeholders.fill(o.tradeoff, vals), ev, costs_known=costs_known)
        if how:  # an option that no longer says what to do is filler, whatever its cost line says
            out.append(Choice(name=name, how=how, tradeoff=tradeoff))
    return tuple(out)


def _possible(
    diag: Diagnostic, vals: dict[str, str], crate_root: str | Path, tags: frozenset[str] | None
) -> Callable[[str], bool]:
    """The predicate test for this story's options; the crate's type names and the syntax shape are
    read only if an option asks."""
    f = facts_of(diag)
    names: dict[str, frozenset[str]] = {}
    shape_tags: list[frozenset[str]] = [tags] if tags is not None else []

    def test(predicate: str) -> bool:
        if not names and predicate in applicable.NAME_PREDICATES:
            names.update(applicable.crate_names(crate_root, fix_options.crate_rs_files(Path(crate_root))))
        if not shape_tags and predicate in applicable.TAG_PREDICATES:
            shape_tags.append(shapes.at_primary(diag, crate_root)[0])
        if predicate in ("type_parameter", "not_type_parameter"):
            bound = shapes.bound_on_type_parameter(diag, vals.get("type"), crate_root)
            return bound == (predicate == "type_parameter")
        if predicate in preconditions.NAMES:
            return preconditions.holds(predicate, diag, crate_root, vals)
        if predicate in ("rustc_bound_sets_output", "rustc_bound_bare"):
            sets = any("Output =" in (s.suggested_replacement or "") for c in diag.children for s in c.spans)
            return sets == (predicate == "rustc_bound_sets_output")
        if predicate in applicable.RUSTC_SAYS:
            return any(applicable.RUSTC_SAYS[predicate].search(t) for t in placeholders.texts(diag))
        if predicate == "declaration_editable":
            if found_type_written(diag, lambda rel: _read(crate_root, rel)):
                return False  # `.sum::<u32>()` fixes its own type: the turbofish is what to change
            return not any(shapes.in_trait_signature(p, crate_root) for p in (f.expected_due_to, f.primary))
        if predicate == "local_impl_trait":
            trait = shapes.impl_trait_name(diag, crate_root)
            if not names:
                names.update(applicable.crate_names(crate_root, fix_options.crate_rs_files(Path(crate_root))))
            return trait is not None and trait in names.get("trait", frozenset())
        said = vals
        who = vals.get("name") or f.escaping  # the binding rustc names, whose declaration gives its type
        if predicate in applicable.DECLARED and not vals.get("type") and who:
            said = {**vals, "type": shapes.declared_type_at(f.moved_at or f.primary, who, crate_root)}
        return applicable.holds(predicate, f, said, names, shape_tags[0] if shape_tags else frozenset())

    return test


def _read(crate_root: str | Path, rel: str) -> bytes | None:
    try:
        return (Path(crate_root) / rel).read_bytes()
    except OSError:
        return None


WRITTEN = "the found type is written in the expression"


def _written_root(diag: Diagnostic, crate_root: str | Path) -> tuple[Location, str] | None:
    """The type written in the expression (`u32` in `.sum::<u32>()`) when it is the found type of an
    E0308: the root cause, not the declaration rustc names as the expected type's source."""
    at = written_type_place(diag, lambda rel: _read(crate_root, rel))
    source = _read(crate_root, at[0]) if at else None
    if at is None or source is None:
        return None
    before = source[: at[1]]
    line, column = (
        before.count(b"\n") + 1,
        len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1,
    )
    written = source[at[1] : at[2]].decode("utf-8", "replace")
    label = f"`{written}` written here fixes the value's type"
    return Location(file=at[0], line=line, column=column, label=label), WRITTEN


def _with_root_code(ev: evidence.Evidence, crate_root: str | Path, root: Location) -> evidence.Evidence:
    """The evidence with the code around the root cause: a root the syntax layer places away from
    rustc's spans (a signature, a parameter's type) is the program's text too, so words may quote it."""
    source = _read(crate_root, root.file) if root.file and root.line > 0 else None
    if source is None:
        return ev
    lines = source.split(b"\n")
    if root.line > len(lines):
        return ev
    from engine.syntax.tree import enclosing, enclosing_fn

    at = sum(len(ln) + 1 for ln in lines[: root.line - 1]) + max(root.column - 1, 0)
    sig = enclosing_fn(source, at)
    code = sig.range.text if sig is not None else lines[root.line - 1].decode("utf-8", "replace")
    if (impl := enclosing(source, at, at + 1, ("impl_item",))) is not None:  # `impl<'a> Lexer<'a>`
        code += "\n" + impl[1].text.split("{", 1)[0]
    return msgspec.structs.replace(ev, program=f"{ev.program}{evidence.tokens(code)} ")


def _where(loc: Location, *, column: bool = False) -> str:
    return f"{loc.file}:{loc.line}" + (f":{loc.column}" if column else "")


def _explanation(g: Group, crate_root: str | Path, *, probe: bool, with_explain_text: bool) -> Explanation:
    diag = g.lead.diag
    entry = lookup(diag.code_str)
    tags: frozenset[str] | None = None  # the syntax shape, read only when a variant asks for one
    root, reason = _written_root(diag, crate_root) or (g.root, g.reason)
    vals = placeholders.values(diag, g.lead.primary, root)
    if said := auto_traits.named(diag):  # which type lacks `Send`/`Sync`, and why, from rustc's type
        vals["auto_traits"] = auto_traits.statement(diag) or f"rustc says `{said[1]}` is not `{said[0]}`."
        # which value: captures or result
        vals["crossing"] = auto_traits.crossing(diag, vals.get("primary", ""))
    if cost := fix_options.clone_cost(fix_options.value_type(diag)):
        vals["clone_cost"] = f"Each clone {cost}"  # an Arc's clone is a count update, not a copy
    if entry is not None and any(v.shape for v in entry.variants):
        tags, shape_vals = shapes.at_primary(diag, crate_root)
        vals.update(shape_vals)
    members = tuple(m.diag for m in g.members)
    chosen = _Chosen(entry, diag, tags or frozenset(), _same_site(diag, members)) if entry else None
    root_differs = (root.file, root.line) != (g.lead.primary.file, g.lead.primary.line)
    fixes = fix_options.build(
        fix_sources(g), crate_root, sites=g.kind in ("shape", "type", "declaration"), group=g.kind
    )
    if tags and "mutated_copy_capture" in tags:  # `move` copies the counter: compiles, wrong value
        fixes = tuple(f for f in fixes if not all(e.replacement.strip() == "move" for e in f.edits))
    if chosen is not None:
        ev = _with_root_code(evidence.gather(members, crate_root), crate_root, root)
        costs_known = bool(fix_options.clone_cost(fix_options.value_type(diag)))
        invariant = chosen.invariant
        _, generic_summary, generic_why, _ = _generic(diag, vals, root_differs)
        specific = evidence.honest(placeholders.fill(chosen.summary, vals), ev)
        shape_summary = bool(specific) and chosen.summary is not chosen.entry.summary
        summary = specific or generic_summary
        why = evidence.honest(placeholders.fill(chosen.why, vals), ev, costs_known=costs_known) or generic_why
        options = _honest_choices(
            chosen.options,
            vals,
            ev,
            costs_known,
            root_differs,
            _possible(diag, vals, crate_root, tags),
        )
        title = chosen.title
    else:
        shape_summary = False
        possible = _possible(diag, vals, crate_root, tags)
        invariant, summary, why, options = _generic(diag, vals, root_differs, possible)
        known = invariant_for(diag.code_str, diag.message, texts=_texts(diag))
        title = known[0] if known is not None else diag.message
    if not shape_summary and g.kind not in ("lint", "cfg", "shape", "type"):
        if (fact_line := fact_why.why_line(diag, crate_root, members, root)) is not None:
            summary, shape_summary, why = fact_line, True, fact_why.why_with(diag, fact_line, why)
    if reason == WRITTEN and (wf := facts_of(diag)).found and wf.expected:
        summary = (  # the declaration-first variants assume the found type came from the value
            f"Expected `{wf.expected}`, found `{wf.found}` at {_where(g.lead.primary)}: `{wf.found}` is written in "
            f"the expression itself ({_where(root, column=True)}), so that is the type to change, not the declaration."
        )
    if diag.code_str == CFG_LINT:
        options = lintstory.cfg_options(diag, len(g.members), crate_root) or options
    if g.kind in ("lint", "cfg"):
        summary = lintstory.summary(g, summary, from_kb=chosen is not None)
    facts: list[str] = []
    for m in g.members if g.kind != "consequence" else g.members[:1]:
        for f in placeholders.facts(m.diag):
            if f not in facts:
                facts.append(f)
    if probe:
        facts.extend(f for f in probe_facts(crate_root, diag, root, g.lead.primary) if f not in facts)
    if (
        not fixes
        and (diag.code_str or "") in UNINFERRED_CODES
        and (lack := annotated_binding(diag, crate_root)[1])
    ):
        facts.append(f"No patch: {lack}.")  # a type Rusta would have to guess is not written in
    if g.kind in ("lint", "cfg"):
        facts.append(lintstory.fact(g))
    elif g.kind == "shape":
        distinct_lines = len({(m.primary.file, m.primary.line) for m in g.members}) == len(g.members)
        places = ", ".join(_where(m.primary, column=not distinct_lines) for m in g.members[:6])
        more = f" and {len(g.members) - 6} more" if len(g.members) > 6 else ""
        facts.append(
            # whether one edit clears them all or each needs its own, the validated fix says (#14)
            f"{len(g.members)} places make this same mistake ({places}{more})."
        )
        summary = f"{len(g.members)} places, one mistake: {summary}"
    elif g.kind == "type":
        lines = len({(m.primary.file, m.primary.line) for m in g.members}) == len(g.members)
        places = ", ".join(_where(m.primary, column=not lines) for m in g.members[:6])
        more = f" and {len(g.members) - 6} more" if len(g.members) > 6 else ""
        fact = cause_fact(key) if (key := cause_key(diag)) else "one fact about one type"
        facts.append(f"{len(g.members)} errors, one cause: {fact} (at {places}{more}).")
        summary = f"{len(g.members)} errors, one cause: {grouping.required_by(g.members, summary)}"
    elif g.kind == "consequence":
        for m in g.members[1:]:
            facts.append(
                f"rustc reports the same mistake again as {m.diag.code_str} at {m.primary.file}:{m.primary.line} "
                f'("{m.diag.message[:90]}"): it follows from this error, and fixing this one clears it.'
            )
    elif len(g.members) > 1:  # rustc traces them to one place; whether one edit clears all, validation says
        facts.append(f"rustc traces {len(g.members)} diagnostics to this root cause.")
    refs = references.resolve(entry, diag, placeholders.lint_url(diag))
    text = ""
    if with_explain_text and diag.code_str:
        text = references.explain_passage(references.explain_text(diag.code_str))
    patch = suggested_patch((m.diag for m in g.members), crate_root)
    return Explanation(
        code=diag.code_str,
        level=diag.level,
        message=diag.message,
        title=title,
        primary=g.lead.primary,
        root_cause=root,
        root_cause_reason=reason,
        invariant=invariant,
        summary=summary,
        why=why,
        options=rustc_said(options, patch),
        references=refs,
        patch=patch,
        diagnostics=tuple(m.diag for m in g.members),
        facts=tuple(facts),
        explain_text=text,
        prompt=prompt_for(g.lead.strategy, vals),
        fixes=fixes,
        shape_summary=shape_summary and g.kind not in ("lint", "cfg", "shape", "type"),
    )


def explain_diagnostics(
    diags: Iterable[Diagnostic],
    crate_root: str | Path,
    *,
    probe: bool = False,
    with_explain_text: bool = False,
) -> tuple[Explanation, ...]:
    """One Explanation per story, errors first, then warnings, each in rustc's order.

    `probe` asks the compiler for facts the diagnostic leaves out (slow: a cargo run per probe);
    `with_explain_text` fills `explain_text` from `rustc --explain` (cached on disk).
    """
    wanted = [d for d in diags if d.level in EXPLAINED_LEVELS]
    ordered = [d for d in wanted if d.level == "error"] + [d for d in wanted if d.level != "error"]
    groups = group([_locate(d, crate_root) for d in ordered])
    with fix_options.one_run():  # the stories read one walk of the crate, each file once
        stories = tuple(
            _explanation(g, crate_root, probe=probe, with_explain_text=with_explain_text) for g in groups
        )
    errors = [d for d in wanted if d.level == "error" and re.fullmatch(r"E\d{4}", d.code_str or "E0000")]
    if errors:
        near = retract.error_words(errors, stories)
        stories = tuple(retract.after_errors(e, near) for e in stories)
    return lintstory.with_combined_cfg_fact(stories)


def explain_report(
    report: CheckReport, *, probe: bool = False, with_explain_text: bool = False
) -> tuple[Explanation, ...]:
    if report.toolchain is not None:
        remember_rustc_version(report.toolchain.rustc)
    from engine.explain.trimpaths import rustc_report  # clippy's run spells out std paths rustc trims

    diags = rustc_report(report).diagnostics
    return explain_diagnostics(diags, report.crate_root, probe=probe, with_explain_text=with_explain_text)
