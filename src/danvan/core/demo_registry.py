"""Where apps' `demo.py` modules register what they add to the demo."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

_populators: list[tuple[int, Callable]] = []


def register(order: int):
    """Decorator: `populate(today, stdout) -> [(username, password, description)]`, run by order."""

    def wrap(func: Callable) -> Callable:
        if all(f is not func for _o, f in _populators):
            _populators.append((order, func))
        return func

    return wrap


def populate_all(*, today: date, stdout) -> list[tuple[str, str, str]]:
    credentials: list[tuple[str, str, str]] = []
    for _order, func in sorted(_populators, key=lambda item: item[0]):
        credentials.extend(func(today=today, stdout=stdout) or [])
    return credentials
