"""The explain engine: rustc and clippy diagnostics in, Explanations out (root cause, invariant,
options with trade-offs, references, a suggested patch), grouped into one story per root cause.

Public API (import from the modules; this package imports nothing itself, so it stays cheap):
    engine.explain.api.explain_report(report, *, probe=False, with_explain_text=False)
    engine.explain.api.explain_diagnostics(diags, crate_root, *, probe=False, with_explain_text=False)
    engine.explain.types: Explanation, Location, Choice, Reference, SuggestedPatch
    engine.explain.jsonview.to_dict: the `rusta explain --json` shape
"""
