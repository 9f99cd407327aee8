"""Rows that still lack the GUID a REFI-QDA export gives them."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.store import models as m

Row = TypeVar("Row", bound=m.Base)


def rows_without_guid(s: Session, model: type[Row]) -> list[Row]:
    column = model.guid  # type: ignore[attr-defined]
    return list(s.scalars(select(model).where(column.is_(None))))
