"""The one base class of every error the library raises on purpose.

Each error says what was wrong in words a reader can act on (a file, row, column or
parameter, and what was expected). ``except bm.BelarusMonitorError`` catches them all;
each is also a ``ValueError`` (or, for an interrupted build, an ``Exception``) as before.
"""

from __future__ import annotations


class BelarusMonitorError(Exception):
    """Base class of the library's own errors."""


__all__ = ["BelarusMonitorError"]
