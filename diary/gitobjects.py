"""Typed reads of a dulwich repository: a commit or a tree by id, and ids and ref names as dulwich's types.

`repo[sha]` answers a ShaFile, whatever the id names. A reader that expects a commit and gets
something else would fail later with an AttributeError on `.tree` or `.parents`. These readers
raise KeyError at once, the error dulwich itself raises for a missing object and the one callers
already catch for "no such commit". Object ids and ref names are bytes at run time; `oid` and
`ref` only give them the NewTypes that dulwich's signatures ask for.
"""

from __future__ import annotations

from dulwich.objects import Commit, ObjectID, Tree
from dulwich.refs import Ref
from dulwich.repo import BaseRepo


def oid(sha: bytes) -> ObjectID:
    return ObjectID(sha)


def ref(name: bytes) -> Ref:
    return Ref(name)


def commit_at(repo: BaseRepo, sha: bytes) -> Commit:
    """The commit `sha` names; KeyError when it names none, or names another kind of object."""
    obj = repo[oid(sha)]
    if not isinstance(obj, Commit):
        raise KeyError(sha)
    return obj


def tree_at(repo: BaseRepo, sha: bytes) -> Tree:
    """The tree `sha` names; KeyError when it names none, or names another kind of object."""
    obj = repo[oid(sha)]
    if not isinstance(obj, Tree):
        raise KeyError(sha)
    return obj
