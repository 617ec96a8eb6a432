"""A time budget for a stretch of Python code: `deadline(seconds)` raises `OverBudget`
inside it when the time is up.

It uses the interval timer of the main thread (``SIGALRM``), so the code under it is
interrupted between two Python operations, wherever it is; elsewhere (another thread, a
platform without ``setitimer``) the budget is not enforced here and callers check the
clock themselves.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["OverBudget", "deadline"]


class OverBudget(Exception):  # noqa: N818 - it is what happened, not an error of the caller
    """The time of a `deadline` is up."""


def _expire(signum: int, frame: FrameType | None) -> None:
    raise OverBudget


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise `OverBudget` in the block when ``seconds`` have passed (at once if ≤ 0)."""
    if seconds <= 0:
        raise OverBudget
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
