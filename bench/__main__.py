"""`make bench` and `rusta bench`: run every `bench/bench_*.py`, write `bench/results/<name>.json`
(with the machine and the git revision), then print one table of every goal (bench/targets.py).

A bench module exposes `run() -> dict` returning {"title": str, "rows": [dict, ...], "notes": [str]}.
Run one with `python -m bench NAME` (e.g. `python -m bench diary`). `--quick` runs each at tiny sizes
to prove it still runs (nothing written, no timing judged); `--table` prints the goals table from the
results on disk; `--plot` draws each goal's trend across revisions.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
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


def _cpu() -> float:
    """User + system seconds of this process and the children it waited for: on a shared machine the
    wall time says how loaded it was as much as what the bench cost."""
    import resource

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def available() -> list[str]:
    return sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))


def parse(argv: list[str]) -> argparse.Namespace:
    names = available()
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Run benchmarks side by side with the raw tools; print a table each and write "
        "bench/results/NAME.json. With no NAME, run them all (what `make bench` does).",
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help=", ".join(names))
    parser.add_argument(
        "--quick", action="store_true", help="tiny sizes: check every bench still runs (no results written)"
    )
    parser.add_argument("--table", action="store_true", help="only print the goals table from bench/results")
    parser.add_argument("--plot", action="store_true", help="draw each goal's trend across revisions")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in names]
    if unknown:
        parser.error(f"no bench named {', '.join(unknown)}; there are {', '.join(names)}")
    args.names = args.names or names
    return args


def goals_table(results_dir: Path = RESULTS) -> Table:
    from bench.targets import load_results, table_rows

    return _table(
        "Rusta's goals: her figure, the anchor's from the same run, met or missed",
        table_rows(load_results(results_dir)),
    )


def main(argv: list[str]) -> int:
    args = parse(argv)
    console = Console()
    if args.table or args.plot:
        if args.table:
            console.print(goals_table())
        if args.plot:
            from bench.trends import plot

            for line in plot(RESULTS):
                console.print(line, markup=False)
        return 0
    if args.quick:
        from bench.quick import QUICK_ENV

        os.environ.update(QUICK_ENV)  # before any bench module is imported: they size themselves on import
        console.print(
            "bench --quick: every bench once at tiny sizes (one small crate, one episode, a 2 MB log); "
            "it proves each still runs. No figure below is a result and none is written."
        )
    RESULTS.mkdir(exist_ok=True)
    failed: list[str] = []
    started = time.monotonic()
    for name in args.names:
        t0, cpu0 = time.monotonic(), _cpu()
        try:
            result = importlib.import_module(f"bench.bench_{name}").run()
        except Exception:
            failed.append(name)
            console.print(f"[red]bench {name} failed[/red]\n{traceback.format_exc()}")
            continue
        result["seconds"] = round(time.monotonic() - t0, 2)
        if args.quick:
            console.print(
                f"{name}: ran in {result['seconds']:.1f} s ({_cpu() - cpu0:.1f} s CPU), "
                f"{len(result.get('rows', []))} rows (quick sizes)"
            )
            continue
        from bench.trends import append_history, stamp

        result = stamp(result, HERE.parent)
        (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2, default=str) + "\n")
        append_history(RESULTS, name, result)
        console.print(_table(result.get("title", name), result.get("rows", [])))
        for note in result.get("notes", []):
            console.print(f"  {note}")
    if args.quick:
        ok = len(args.names) - len(failed)
        console.print(
            f"{ok} of {len(args.names)} benchmarks ran at quick sizes in {time.monotonic() - started:.0f} s"
            + (f"; failed: {', '.join(failed)}" if failed else ".")
        )
    else:
        console.print(goals_table())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
