"""The words of a fix's steps (`engine.explain.chain`): what `PatchOption.steps_words` lists after
"in N steps", one entry per step."""

from __future__ import annotations


def batch_words(picked: list[tuple[str, str]]) -> str:
    """One step that answers several errors at once, in words that read as one step: each action
    once, with the errors it answers (each once) in its brackets, the actions joined by "and". The
    mistake it answers: the actions joined by ", then" read as steps of their own, so "in 3 steps"
    listed five, and an action answering two errors on one line was listed twice."""
    errors: dict[str, list[str]] = {}
    for what, why in picked:
        seen = errors.setdefault(what, [])
        if why not in seen:
            seen.append(why)
    return " and ".join(f"{what} ({'; '.join(why)})" for what, why in errors.items())
