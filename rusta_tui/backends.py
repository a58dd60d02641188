"""The TUI's doorway to the engine, the DevLog and the patch path: lazy imports, plain answers.

Other packages land at different times. Each adapter imports its backing API on first use; when the
API is not in this build it raises `Unavailable` with one sentence the screen shows as is, so no
screen ever shows made-up data. Everything here may block: call it from a thread worker only.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from rusta_tui.errors import Unavailable
from toolbelt.types import CheckReport


def _module(name: str, what: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError as e:
        missing = getattr(e, "name", "") or ""
        if missing and not name.startswith(missing) and missing != name:
            raise  # a real bug inside the module, not an absent module
        raise Unavailable(f"{what} is not available in this build yet ({name}).") from e


def _attr(name: str, attr: str, what: str) -> Any:
    mod = _module(name, what)
    fn = getattr(mod, attr, None)
    if fn is None:
        raise Unavailable(f"{what} is not available in this build yet ({name}.{attr}).")
    return fn


# --- explain -------------------------------------------------------------------------------------


def explain(report: CheckReport) -> tuple[Any, ...]:
    """`engine.explain.api.explain_report`: one Explanation per story in the report."""
    return tuple(_attr("engine.explain.api", "explain_report", "Explanations")(report))


def render(expl: Any, mode: str) -> Any:
    """The Explain bubble: study mode asks its question first (the Why drawer reveals the answer);
    the other modes use `modes.render(expl, mode)`.
    """
    if mode == "study":
        return _attr("modes", "study_question", "Mode rendering")(expl)
    return _attr("modes", "render", "Mode rendering")(expl, mode)


# --- DevLog --------------------------------------------------------------------------------------


def devlog(root: Path) -> Any:
    return _attr("diary.devlog", "DevLog", "The DevLog").open(root)


def _read_devlog(root: Path) -> Any:
    """Read-only: viewing the log never creates, repairs or locks anything."""
    return _attr("diary.devlog", "DevLog", "The DevLog").open(root, readonly=True)


def devlog_entries(root: Path) -> tuple[Any, ...]:
    log = _read_devlog(root)
    try:
        return tuple(log.entries())
    finally:
        log.close()


def open_intents(root: Path) -> tuple[Any, ...]:
    log = _read_devlog(root)
    try:
        return tuple(log.open_intents())
    finally:
        log.close()


def unpatchable_reason(root: Path) -> str:
    """Why the patch path could not snapshot this crate, said before the user tries; empty when it can.

    The snapshot store counts only files git would track; a crate inside a repo that ignores it
    (say `examples/demo-crate/` in `.gitignore`) has none, and every patch would be refused.
    """
    files = _attr("diary.worktree", "list_files", "The snapshot store")(root)
    if "Cargo.toml" in files:
        return ""
    return (
        f"{root.name} is ignored by the git repository around it, so Rusta cannot snapshot it and will "
        "refuse every fix. Move the crate out of that repository or un-ignore it."
    )


def network_isolation() -> str:
    """How builds and tests in the sandbox are kept off the network (may run a probe: worker only)."""
    from toolbelt import isolation

    return isolation.DESCRIPTIONS[isolation.isolation_mode()]


def sandbox_state(root: Path) -> str:
    """Where validation runs and whether it has been set up yet; no IO beyond one stat."""
    try:
        home = _attr("engine.patching.sandbox", "sandbox_home", "The sandbox")(root)
    except Unavailable as e:
        return str(e)
    return "sandbox ready in Rusta's cache" if home.exists() else "sandbox created on first validation"


def core_loop(root: Path) -> Any:
    """A fresh `engine.loop.machine.CoreLoop` on the crate: Say, Explain, Do, Undo, Reflect."""
    return _attr("engine.loop.machine", "CoreLoop", "The core loop")(root)


# --- patching ------------------------------------------------------------------------------------


def patching() -> Any:
    return _module("engine.patching.api", "The patch path")


def to_patch(expl: Any) -> Any:
    """Turn an Explanation's SuggestedPatch into the patch path's Patch, naming what it addresses."""
    types = _module("engine.patching.types", "The patch path")
    p = expl.primary
    ref = types.DiagnosticRef(code=expl.code, message=expl.message, file=p.file, line=p.line)
    return types.Patch.new(expl.patch.diff, expl.summary or expl.message, addresses=(ref,))


def validate(root: Path, patch: Any) -> Any:
    return patching().validate(root, patch)


def apply(root: Path, patch: Any, validation: Any) -> Any:
    return patching().apply(root, patch, validation)


def undo(root: Path) -> Any:
    return patching().undo(root)


def redo(root: Path) -> Any:
    return patching().redo(root)


def history(root: Path) -> tuple[Any, ...]:
    return tuple(patching().history(root))


def recover(root: Path) -> Any:
    return patching().recover(root)


# --- repository ----------------------------------------------------------------------------------


def git_branch(root: Path) -> str:
    """The branch from `.git/HEAD` without running git: cheap enough for every refresh."""
    for d in (root, *root.parents):
        head = d / ".git" / "HEAD"
        if head.is_file():
            text = head.read_text(encoding="utf-8", errors="replace").strip()
            if text.startswith("ref: refs/heads/"):
                return text.removeprefix("ref: refs/heads/")
            return f"detached at {text[:10]}"
    return "no git"
