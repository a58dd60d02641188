"""`make bench`: run every `bench/bench_*.py`, print one table, write `bench/results/<name>.json`.

A bench module exposes `run() -> dict` returning {"title": str, "rows": [dict, ...], "notes": [str]}.
Run one with `python -m bench NAME` (e.g. `python -m bench diary`).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
import traceback
from pathlib import Path

from rich.console import Console
from rich.table import Table

HERE = Path(__file__).parent
RESULTS = HERE / "results"


def _table(title: str, rows: list[dict]) -> Table:
    table = Table(title=title, title_justify="left")
    cols: list[str] = []
    for row in rows:
        cols.extend(k for k in row if k not in cols)
    for c in cols:
        table.add_column(c)
    for row in rows:
        table.add_row(*(_fmt(row.get(c, "")) for c in cols))
    return table


def _fmt(v: object) -> str:
    if isinstance(v, float):
        return f"{v:.3g}"
    return str(v)


def available() -> list[str]:
    return sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))


def parse(argv: list[str]) -> list[str]:
    names = available()
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Run benchmarks side by side with the raw tools; print a table each and write "
        "bench/results/NAME.json. With no NAME, run them all (what `make bench` does).",
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help=", ".join(names))
    asked = parser.parse_args(argv).names
    unknown = [n for n in asked if n not in names]
    if unknown:
        parser.error(f"no bench named {', '.join(unknown)}; there are {', '.join(names)}")
    return asked or names


def main(argv: list[str]) -> int:
    names = parse(argv)
    console = Console()
    RESULTS.mkdir(exist_ok=True)
    failed = 0
    for name in names:
        t0 = time.monotonic()
        try:
            result = importlib.import_module(f"bench.bench_{name}").run()
        except Exception:
            failed += 1
            console.print(f"[red]bench {name} failed[/red]\n{traceback.format_exc()}")
            continue
        result["seconds"] = round(time.monotonic() - t0, 2)
        (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2, default=str) + "\n")
        console.print(_table(result.get("title", name), result.get("rows", [])))
        for note in result.get("notes", []):
            console.print(f"  {note}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
