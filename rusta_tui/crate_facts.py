"""What the app says about the crate's surroundings: its git branch, the sandbox, network isolation,
and whether the snapshot store can hold it.

Each answer comes straight from the module that owns the fact; the engine's modules are imported
when asked, so opening the app does not pay for them. `network_isolation` and `unpatchable_reason`
may run processes: call them from a thread worker.
"""

from __future__ import annotations

from pathlib import Path


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


def sandbox_state(root: Path) -> str:
    """Where validation runs and whether it has been set up yet; no IO beyond one stat."""
    from engine.patching.sandbox import sandbox_home

    return (
        "sandbox ready in Rusta's cache"
        if sandbox_home(root).exists()
        else "sandbox created on first validation"
    )


def network_isolation() -> str:
    """How builds and tests in the sandbox are kept off the network (may run a probe: worker only)."""
    from toolbelt.isolation import DESCRIPTIONS, isolation_mode

    return DESCRIPTIONS[isolation_mode()]


def unpatchable_reason(root: Path) -> str:
    """Why the patch path could not snapshot this crate, said before the user tries; empty when it can.

    The snapshot store counts only files git would track; a crate inside a repo that ignores it
    (say `examples/demo-crate/` in `.gitignore`) has none, and every patch would be refused.
    """
    from diary.worktree import list_files

    if "Cargo.toml" in list_files(root):
        return ""
    return (
        f"{root.name} is ignored by the git repository around it, so Rusta cannot snapshot it and will "
        "refuse every fix. Move the crate out of that repository or un-ignore it."
    )
