"""What a computation read from the data: the tables, and the few values drawn from all.

A build runs each report under :func:`recording` and keeps, beside the report, what
it read: the names of the tables (``"requests"``), and three keys that stand for more
than one table:

* ``"as_of"``: the data's "as of" date (every page shows it). It is read from every
  dated table, but a page depends on the date only, not on those tables' rows;
* ``"changelog"``: the package's ``CHANGELOG.md`` (the corrections page);
* ``"*"``: the whole package (its checksum, the citation that names it).

The next build re-runs a report only when one of these changed (see
:func:`belarus_monitor.pipeline.cache.fingerprint`). Every table a report reads passes
through :func:`note`: the one reader of typed tables (:func:`load._typed`) notes its
table, and every cache above it (a frame derived once per data state, a property of a
:class:`~belarus_monitor.data.dataset.Dataset`) remembers what it read when it was
computed and notes it again at every use, so that a report served from a cache filled
by an earlier report still records the tables behind what it was given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache, wraps
from typing import Any, Generic, TypeVar

#: The key of the data's "as of" date, of the changelog, and of the whole package.
AS_OF, CHANGELOG, WHOLE = "as_of", "changelog", "*"

_STACK: list[set[str]] = []
T = TypeVar("T")


def note(*keys: str) -> None:
    """Record that the running computation read these tables (or keys), if one records."""
    if _STACK:
        _STACK[-1].update(keys)


@contextmanager
def recording() -> Iterator[set[str]]:
    """Collect what is read inside the block; the set is filled as the block runs.

    What is read inside is not passed to an enclosing recording: a caller that wants
    it there notes it itself (:func:`remembered`).
    """
    seen: set[str] = set()
    _STACK.append(seen)
    try:
        yield seen
    finally:
        _STACK.pop()


def remembered(maxsize: int) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """:func:`functools.lru_cache` that notes, at every call, what the first call read."""

    def decorate(fn: Callable[..., T]) -> Callable[..., T]:
        @lru_cache(maxsize=maxsize)
        def computed(*args: Any) -> tuple[T, frozenset[str]]:
            with recording() as seen:
                value = fn(*args)
            return value, frozenset(seen)

        @wraps(fn)
        def wrapper(*args: Any) -> T:
            value, seen = computed(*args)
            note(*seen)
            return value

        wrapper.cache_clear = computed.cache_clear  # type: ignore[attr-defined]
        return wrapper

    return decorate


class remembered_property(Generic[T]):  # noqa: N801 - used like functools.cached_property
    """:func:`functools.cached_property` that notes, at every use, what it read.

    Parameters
    ----------
    fn
        The property's function.
    stands_for
        Keys noted instead of what ``fn`` reads (e.g. ``("as_of",)`` for a value
        computed from every dated table that a page shows by itself).
    """

    def __init__(self, fn: Callable[[Any], T], stands_for: tuple[str, ...] | None = None):
        self.fn = fn
        self.stands_for = stands_for
        self.__doc__ = fn.__doc__
        self.attr = f"_remembered_{fn.__name__}"

    def __set_name__(self, owner: type, name: str) -> None:
        self.attr = f"_remembered_{name}"

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        hit = obj.__dict__.get(self.attr)
        if hit is None:
            with recording() as seen:
                value = self.fn(obj)
            keys = frozenset(self.stands_for if self.stands_for is not None else seen)
            hit = obj.__dict__[self.attr] = (value, keys)
        note(*hit[1])
        return hit[0]


def stands_for(*keys: str) -> Callable[[Callable[[Any], T]], remembered_property[T]]:
    """A :class:`remembered_property` that notes ``keys`` instead of what it reads."""
    return lambda fn: remembered_property(fn, keys)


__all__ = [
    "AS_OF",
    "CHANGELOG",
    "WHOLE",
    "note",
    "recording",
    "remembered",
    "remembered_property",
    "stands_for",
]
