"""Argument types the subcommands share: a bad count is a usage error (exit 2), never a silent default."""

from __future__ import annotations

import argparse

from toolbelt.selection import Selection


def positive(text: str) -> int:
    """A count from 1: `--pick 0`, `--budget -3` or `hotspots -n 0` is a usage error."""
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1, got {text!r}")
    return n


def probability(text: str) -> float:
    """A share from 0 to 1 (`--min-confidence 0.8`); `1.5`, `-1` or `80%` is a usage error, not a gate
    that silently holds back or applies everything."""
    try:
        p = float(text)
    except ValueError:
        p = -1.0
    if not 0.0 <= p <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}")
    return p


def add_selection_arguments(parser: argparse.ArgumentParser) -> None:
    """`-p`, `--features`, `--all-features`, `--no-default-features` and one target set, as cargo spells them."""
    group = parser.add_argument_group("what cargo covers (as cargo's own flags)")
    group.add_argument(
        "-p",
        "--package",
        action="append",
        default=[],
        metavar="NAME",
        help="only this workspace member (repeatable; default: the member PATH is in, else the packages "
        "last chosen on the app's Settings screen (.rusta/settings.toml), else cargo's)",
    )
    group.add_argument(
        "-F",
        "--features",
        action="append",
        default=[],
        metavar="LIST",
        help="features to enable, comma- or space-separated (repeatable; default: those last chosen on "
        "the Settings screen, when no package, feature or feature flag is given here)",
    )
    group.add_argument("--all-features", action="store_true", help="enable every feature")
    group.add_argument("--no-default-features", action="store_true", help="leave the default features off")
    targets = group.add_mutually_exclusive_group()
    targets.add_argument("--lib", dest="targets", action="store_const", const="lib", help="the library only")
    targets.add_argument(
        "--tests", dest="targets", action="store_const", const="tests", help="the test targets"
    )
    targets.add_argument(
        "--all-targets",
        dest="targets",
        action="store_const",
        const="all",
        help="every target; the default for a check unless check_targets in .rusta/settings.toml says otherwise",
    )


def selection_from_args(args: argparse.Namespace) -> Selection:
    """The command's Selection, made the process's default for every cargo run (toolbelt.selection.use).

    A PATH inside a workspace member selects that member when no `-p` is given. With no package and
    no feature flag given either way, the packages and features come from the crate's settings, as
    the app saved them (settings.chosen_selection, the app's own rule), and the check's default target
    set from `check_targets`: one source of truth, so the CLI checks what the app shows.
    """
    from rusta_tui import settings as rusta_settings
    from toolbelt import selection
    from toolbelt.cargo_workspace import member_package, project_root
    from toolbelt.toolchain import follow_pin

    path = getattr(args, "path", None) or "."
    follow_pin(project_root(path))  # its copies (sandbox, scratch) build with the crate's pinned toolchain
    packages = tuple(args.package)
    if not packages:
        member = member_package(path)
        packages = (member,) if member else ()
    features = tuple(f for chunk in args.features for f in chunk.replace(",", " ").split())
    saved = rusta_settings.load(project_root(path))
    sel = Selection(
        packages=packages,
        features=features,
        all_features=args.all_features,
        no_default_features=args.no_default_features,
        targets=args.targets,
        check_default=saved.check_targets,
    )
    sel = rusta_settings.chosen_selection(sel, saved)
    selection.use(sel)
    return sel
