"""What the terminal can show: Unicode box glyphs or ASCII, 16 colours or more."""

from __future__ import annotations

import os
from collections.abc import Mapping


def supports_unicode(env: Mapping[str, str] | None = None) -> bool:
    """The locale decides: LC_ALL, then LC_CTYPE, then LANG; `C`/`POSIX` or a non-UTF-8 charset mean ASCII.

    Python itself coerces the C locale to UTF-8 (and sets LC_CTYPE=C.UTF-8 to say so), so the
    interpreter's encoding says nothing about what the terminal can draw; the user's locale does.
    """
    env = os.environ if env is None else env
    forced = env.get("RUSTA_ASCII", "")
    if forced:
        return forced in ("0", "false", "no")
    if env.get("LC_CTYPE") == "C.UTF-8" and not env.get("LC_ALL") and env.get("LANG", "C") in ("C", "POSIX"):
        return False  # Python's own C-locale coercion (PEP 538) set LC_CTYPE; the terminal is still C
    for var in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = env.get(var, "")
        if value:
            v = value.lower().replace("-", "")
            return "utf8" in v
    return False


def few_colors(env: Mapping[str, str] | None = None) -> bool:
    """True when the terminal advertises neither truecolor nor 256 colours (e.g. TERM=screen, linux)."""
    env = os.environ if env is None else env
    if env.get("COLORTERM", "").lower() in ("truecolor", "24bit"):
        return False
    term = env.get("TERM", "")
    return "256" not in term and "direct" not in term


def pick_theme(configured: str, env: Mapping[str, str] | None = None) -> str:
    """A theme the terminal can draw: the ANSI theme on 16-colour terminals keeps the user's palette."""
    if configured:
        return configured
    return "ansi-dark" if few_colors(env) else "textual-dark"
