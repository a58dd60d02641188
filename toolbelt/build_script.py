"""When a build script fails: what it said, and whether it was reaching for the network Rusta blocks.

cargo prints a failed build script's output after `--- stderr`; its own summary line says only
"process didn't exit successfully". The reason is in the script's panic message, so that is what
Rusta quotes. Rusta runs cargo in a network namespace, so a script that downloads something fails
with the OS's words for a missing network; she says that it was blocked on purpose, and how out.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"failed to run custom build command for `([^`]+)`")
_PANIC = re.compile(r"panicked at ([^:\n]+:\d+:\d+):\s*\n\s*(.+)")
_NETWORK = (
    "Network is unreachable",
    "os error 101",
    "failed to lookup address",
    "Temporary failure in name resolution",
    "Name or service not known",
    "dns error",
    "Connection refused",
    "could not resolve host",
    "Could not resolve host",
)


def build_script_sentence(stderr: str) -> str | None:
    """Rusta's sentence for a failed build script; None when cargo failed for another reason."""
    head = _HEADER.search(stderr)
    if head is None:
        return None
    package = head.group(1)
    panic = _PANIC.search(stderr)
    said = f" It said, at {panic.group(1)}: {panic.group(2).strip()}." if panic else ""
    tail = stderr[head.end() :]
    if any(sign in tail for sign in _NETWORK):
        return (
            f"the build script of {package} tried to reach the network, which Rusta blocks: cargo runs offline "
            f"in a network namespace.{said} Provide what it downloads ahead of time (vendored, or through "
            "the variable its documentation names for an offline build)."
        )
    return f"the build script of {package} failed.{said}" if said else None
