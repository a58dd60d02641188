"""The review package's root exception: a review that could not run, said in one sentence."""

from __future__ import annotations


class ReviewError(Exception):
    """The review could not run (no such revision, no git repo, no toolchain, a timeout).

    It is never a finding: the CLI exits 2 for it, so a CI script never reads it as a pass.
    """

    user_facing = True
    exit_code = 2


class RevisionNotFound(ReviewError):
    """The revision names no commit in the repository."""


class NotARepo(ReviewError):
    """The crate is not inside a git repository, so there are no revisions to compare."""
