"""Waiting in tests: poll a condition until a stated deadline, never a bare sleep.

A fixed ``time.sleep(x)`` guesses how long something takes: too short on a loaded machine
(a flaky test), too long everywhere else (a slow one). ``wait_until`` returns as soon as the
condition holds and fails with a message naming what never happened once the deadline passes.
Each caller states in a comment why its deadline is what it is.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class WaitTimeoutError(AssertionError):
    """The condition did not hold by the deadline (an AssertionError, so pytest reports it as a failure)."""


def wait_until(predicate: Callable[[], T], *, timeout_s: float, what: str, interval_s: float = 0.05) -> T:
    """Call ``predicate`` every ``interval_s`` seconds until it returns something truthy; return that.

    Raises
    ------
    WaitTimeoutError
        When ``timeout_s`` seconds pass first; the message says ``what`` was waited for. Exceptions
        from ``predicate`` (e.g. an assertion that a child process is still alive) propagate at once.
    """
    start = time.monotonic()
    deadline = start + timeout_s
    while True:
        value = predicate()
        if value:
            return value
        now = time.monotonic()
        if now >= deadline:
            raise WaitTimeoutError(f"gave up after {now - start:.1f} s (deadline {timeout_s:g} s) waiting for {what}")
        time.sleep(min(interval_s, deadline - now))
