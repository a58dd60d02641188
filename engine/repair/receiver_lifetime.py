"""E0515 where the returned value holds results of a crate method whose output elision ties to its
`&self` receiver while the values come from another reference parameter (engine/syntax/
receiver_elision.py): name one lifetime on that parameter and on the output, in the method's
signature. The same edit rustc may suggest on the method's own lifetime error; offered here so the
returned borrow's story carries a checked fix of its own. Pure; the sandbox says whether it compiles.
"""

from __future__ import annotations

from engine.repair.output_lifetime import marked_method
from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from toolbelt.types import Diagnostic


def _fresh(taken: frozenset[str]) -> str:
    return next(f"'{c}" for c in "abcdefghijklmnopqrstuvwxyz" if f"'{c}" not in taken)


def receiver_param_lifetime(d: Diagnostic, read: Reader, crate_files: tuple[str, ...]) -> list[Candidate]:
    if d.code_str != "E0515":
        return []
    method = marked_method(d, read)
    if method is None:
        return []
    from engine.syntax.receiver_elision import elided_to_receiver

    files = [(f, text) for f in crate_files if (text := read(f)) is not None]
    found = elided_to_receiver(files, method)
    if found is None:
        return []
    lt, path = _fresh(found.taken), found.returns.file
    head = f"{lt}, " if found.has_generics else f"<{lt}>"
    edits = [
        Edit(file=path, start=found.generics, end=found.generics, replacement=head),
        Edit(file=path, start=found.param_amp, end=found.param_amp, replacement=f"{lt} "),
        *(Edit(file=path, start=h, end=h, replacement=f"{lt} ") for h in found.holes),
    ]
    desc = (
        f"name the output lifetime of `{method}` on `{found.param}`: its results borrow what is passed "
        f"as `{found.param}`, not the receiver"
    )
    return [_make(sorted(edits, key=lambda e: e.start), desc, "receiver-param-lifetime", "E0515", 0.86)]
