"""Writing export files whole or not at all (see :mod:`qualcode.exchange.safe_write`)."""

from __future__ import annotations

from qualcode.exchange.safe_write import replacing

__all__ = ["replacing"]
