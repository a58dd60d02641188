"""Compatibility: `modes.render` is the function *and* this module.

Importing a submodule sets it as an attribute of its package, so a module named `modes/render.py`
would replace the function `modes.render` the moment anyone imported it. This shim keeps older
imports (`from modes.render import study_question`) working and makes the module itself callable,
so `modes.render(explanation, mode)` renders whichever one the name points at. New code imports
`modes.rendering`.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from modes.rendering import (  # noqa: F401 - re-exported
    WIDTH,
    Line,
    Rendered,
    lines_for,
    pair_lines,
    render,
    render_ansi,
    render_text,
    study_answer,
    study_question,
    to_rich,
)


class _CallableModule(types.ModuleType):
    def __call__(self, explanation: Any, mode: Any) -> Rendered:
        return render(explanation, mode)


sys.modules[__name__].__class__ = _CallableModule
