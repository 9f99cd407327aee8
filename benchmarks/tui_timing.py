"""Timing the workbench headless, shared by the TUI benchmarks: when a frame is drawn,
sending a key the way a terminal does, and waiting for the app to go quiet."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from time import perf_counter

from textual import events
from textual.app import App


class Frames:
    """Records when the app hands a finished frame to its (headless) driver."""

    def __init__(self, app: App[None]) -> None:
        self.times: list[float] = []
        original = app._display

        def spy(screen: object, renderable: object) -> None:
            original(screen, renderable)  # type: ignore[arg-type]
            if renderable is not None:
                self.times.append(perf_counter())

        app._display = spy  # type: ignore[method-assign]

    async def after(
        self, start: float, ready: Callable[[], bool] = lambda: True, timeout: float = 30
    ) -> float:
        """Seconds from ``start`` to the first frame drawn once ``ready()`` holds."""
        deadline = start + timeout
        while not ready():
            await asyncio.sleep(0.0005)
            if perf_counter() > deadline:
                raise TimeoutError("nothing happened")
        seen = perf_counter()
        while not self.times or self.times[-1] < seen:
            await asyncio.sleep(0.0005)
        return self.times[-1] - start


def send_key(app: App[None], key: str, char: str | None = None) -> float:
    """Hand a key to the driver as a terminal would; returns when it was sent."""
    start = perf_counter()
    assert app._driver is not None
    app._driver.send_message(events.Key(key, char))
    return start


async def settle(pilot: object) -> None:
    """Wait until no worker runs and no write is queued."""
    app = pilot.app  # type: ignore[attr-defined]
    for _ in range(500):
        await pilot.pause()  # type: ignore[attr-defined]
        await app.workers.wait_for_complete()
        if not app.writing and not any(w.is_running for w in app.workers):
            await pilot.pause()  # type: ignore[attr-defined]
            return
