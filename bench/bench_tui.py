"""Save-to-diagnostics latency of the TUI's probe cycle against raw `cargo clippy`, on the demo crate.

The goal from issue 8: from a save to updated diagnostics in <= 1.5 s on a small crate with a warm
target dir, and <= 1.2x raw cargo. The app runs headless (Textual's run_test) with the real
watchfiles worker; each round edits src/lib.rs and times until the app has the new report.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from bench.quick import size

ROUNDS = size(5, 1)


def _edit(lib: Path, i: int) -> None:
    text = lib.read_text()
    lib.write_text(text.rstrip("\n") + f"\n// edit {i}\n")


async def _app_rounds(root: Path) -> list[float]:
    from rusta_tui.app import RustaApp
    from rusta_tui.messages import ProbeFinished

    done: dict[int, asyncio.Event] = {}

    def hook(message: object) -> None:
        if isinstance(message, ProbeFinished):
            done.setdefault(message.generation, asyncio.Event()).set()

    app = RustaApp(root, watch=True, recover=False, theme="textual-dark")
    out: list[float] = []
    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        await asyncio.wait_for(done.setdefault(1, asyncio.Event()).wait(), 120)
        await pilot.pause(0.5)  # let the watcher start before the first save
        lib = root / "src" / "lib.rs"
        for i in range(ROUNDS):
            gen = app.session.generation
            t0 = time.monotonic()
            _edit(lib, i)
            while app.session.generation == gen:
                await asyncio.sleep(0.005)
            await asyncio.wait_for(done.setdefault(app.session.generation, asyncio.Event()).wait(), 120)
            out.append(time.monotonic() - t0)
            await pilot.pause(0.3)
    return out


def run() -> dict:
    from toolbelt import demo
    from toolbelt.cargo_run import run_check

    with tempfile.TemporaryDirectory() as tmp:
        root = demo.reset(Path(tmp) / "demo-crate")
        run_check(root, tool="clippy")  # warm the target dir
        raw = []
        lib = root / "src" / "lib.rs"
        for i in range(ROUNDS):
            _edit(lib, 100 + i)
            t0 = time.monotonic()
            run_check(root, tool="clippy")
            raw.append(time.monotonic() - t0)
        app = asyncio.run(_app_rounds(root))
    raw_med, app_med = statistics.median(raw), statistics.median(app)
    return {
        "title": "TUI probe cycle: save -> updated diagnostics (demo crate, warm target dir)",
        "rows": [
            {"what": "raw cargo clippy", "median_s": raw_med, "max_s": max(raw), "rounds": ROUNDS},
            {"what": "app: save -> new report", "median_s": app_med, "max_s": max(app), "rounds": ROUNDS},
            {"what": "ratio app/raw", "median_s": app_med / raw_med, "max_s": "", "rounds": ""},
        ],
        "notes": [
            "Goal: app median <= 1.5 s and <= 1.2x raw cargo.",
            "App time includes watchfiles' debounce (step 50 ms, max 150 ms) and explain_report.",
        ],
    }
