"""Reversible patches: sandbox validation, crash-safe apply, undo/redo. Import `engine.patching.api`.

Kept empty so importing the package costs nothing; the API (and cargo, dulwich) load on use.
"""
