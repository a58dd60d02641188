"""Study mode's question, asked before the root cause is revealed: one per root-cause strategy."""

from __future__ import annotations

from engine.explain.placeholders import fill

PROMPTS: dict[str, str] = {
    "moved_at": "Before reading on: where do you think `{name}` stopped being usable?",
    "borrowed_at": "Before reading on: which borrow do you think is still alive at {primary}?",
    "borrow_used_at": "Before reading on: which later use do you think keeps the borrow alive?",
    "dropped_at": "Before reading on: where do you think the borrowed value dies?",
    "expected_due_to": "Before reading on: where do you think the expected type `{expected}` was decided?",
    "declared_at": "Before reading on: which declaration do you think decides this?",
    "mutable_binding": "Before reading on: which line do you think decides that `{name}` cannot change?",
    "trait_bound_at": "Before reading on: what do you think demands `{trait}` here?",
    "definition_at": "Before reading on: where do you think the missing piece should live?",
    "first_occurrence": "Before reading on: why do you think rustc cannot see `{name}`?",
    "suggestion_at": "Before reading on: where do you think the fix belongs, at {primary} or somewhere else?",
    "signature_at": "Before reading on: where do you think the fix belongs, at {primary} or somewhere else?",
    "static_required_at": "Before reading on: which call do you think needs the borrow to last forever?",
    "static_item": "Before reading on: what do you think stops a `static` from changing?",
    "first_note": "Before reading on: which part of rustc's notes do you think names the real problem?",
    "closure_kind_cause": "Before reading on: which line of the closure's body do you think decides its `Fn` trait?",
}
DEFAULT_PROMPT = "Before reading on: what do you think rustc is protecting you from at {primary}?"
# A clippy lint is advice on style or idiom, not rustc protecting anything: ask for the better spelling.
LINT_PROMPT = "Before reading on: how do you think clippy's `{lint}` would have you write {primary}?"


_NEEDS = {
    "moved_at": "name",
    "expected_due_to": "expected",
    "mutable_binding": "name",
    "trait_bound_at": "trait",
    "first_occurrence": "name",
}


def prompt_for(strategy: str, vals: dict[str, str]) -> str:
    """The strategy's question when the diagnostic names what it asks about; the general question
    otherwise (never "what demands `the trait`", a placeholder's fallback shown as code). A clippy
    lint (`lint` is among the values) gets the lint's question, not "what is rustc protecting you from"."""
    needed = _NEEDS.get(strategy)
    default = LINT_PROMPT if "lint" in vals else DEFAULT_PROMPT
    template = PROMPTS.get(strategy, default) if needed is None or needed in vals else default
    return fill(template, vals)
