"""Fixtures for the TUI tests: a fresh demo crate per test, a frozen clock, a message recorder."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from textual.message import Message

from toolbelt import demo


@pytest.fixture
def demo_crate(tmp_path: Path) -> Path:
    """The bundled demo crate, broken, in a fresh folder named like `make run`'s."""
    return demo.reset(tmp_path / "demo-crate")


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    """A crate or workspace written at test time, file by relative path, for the real app to open."""
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def frozen_clock() -> float:
    """Snapshot tests freeze time so elapsed times read 0.0s on every run."""
    return 0.0


class Recorder:
    """Collects every message the app handles and lets a test await the first one of a kind.

    Waiting is event-driven (an asyncio.Event set by the message hook), never a sleep.
    """

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self._waiters: list[tuple[type[Message], Callable[[Message], bool], asyncio.Event]] = []

    def __call__(self, message: Message) -> None:
        self.messages.append(message)
        for kind, pred, event in self._waiters:
            if isinstance(message, kind) and pred(message):
                event.set()

    def of(self, kind: type[Message]) -> list[Message]:
        return [m for m in self.messages if isinstance(m, kind)]

    async def wait_for(
        self, kind: type[Message], pred: Callable[[Message], bool] = lambda _m: True, timeout: float = 120.0
    ) -> Message:
        seen = [m for m in self.messages if isinstance(m, kind) and pred(m)]
        if seen:
            return seen[-1]
        event = asyncio.Event()
        self._waiters.append((kind, pred, event))
        await asyncio.wait_for(event.wait(), timeout)
        return [m for m in self.messages if isinstance(m, kind) and pred(m)][-1]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


def screen_text(app) -> str:
    """The screen as the terminal shows it, one line per row: what a user can read right now."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
