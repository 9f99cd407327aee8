"""SQLAlchemy 2.0 typed models of a study.

One database holds one study. Passages are always character offsets (Unicode code
points, end exclusive) into a source's immutable ``text``. The schema is created and
upgraded only through the Alembic migrations in ``qualcode/store/migrations``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints keep migrations portable between SQLite (batch mode) and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


ID = String(200)


class StudyRow(Base):
    __tablename__ = "study"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    guid: Mapped[str | None] = mapped_column(String(36))


class StudySettingRow(Base):
    """A study-wide setting the interfaces remember (the Matrix grouping, ...)."""

    __tablename__ = "study_settings"
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class CoderRow(Base):
    __tablename__ = "coders"
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    guid: Mapped[str | None] = mapped_column(String(36))


class CaseRow(Base):
    __tablename__ = "cases"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    guid: Mapped[str | None] = mapped_column(String(36))


class AttributeRow(Base):
    """A case attribute's name and type ("text", "integer" or "number")."""

    __tablename__ = "attributes"
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    type: Mapped[str] = mapped_column(String(20), default="text")
    position: Mapped[int] = mapped_column(Integer, default=0)
    guid: Mapped[str | None] = mapped_column(String(36))


class CaseAttributeRow(Base):
    __tablename__ = "case_attributes"
    case_id: Mapped[str] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE", onupdate="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(
        ForeignKey("attributes.name", ondelete="CASCADE", onupdate="CASCADE"), primary_key=True
    )
    value: Mapped[str] = mapped_column(Text)


class ImportRow(Base):
    """Provenance of every imported file; the checksum makes re-imports no-ops."""

    __tablename__ = "imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20))
    checksum: Mapped[str] = mapped_column(String(64))
    coder: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    __table_args__ = (UniqueConstraint("kind", "name"),)


class SourceRow(Base):
    __tablename__ = "sources"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    case_id: Mapped[str] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE", onupdate="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20))
    question: Mapped[str | None] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)
    checksum: Mapped[str] = mapped_column(String(64))
    chars: Mapped[int] = mapped_column(Integer)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id", ondelete="SET NULL"))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    guid: Mapped[str | None] = mapped_column(String(36))
    # a transcription service's header block: title, keywords, speakers
    attributes: Mapped[dict[str, str] | None] = mapped_column(JSON, nullable=True)
    __table_args__ = (CheckConstraint("kind in ('transcript', 'survey')", name="kind"),)


class SegmentRow(Base):
    __tablename__ = "segments"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    source_id: Mapped[str] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE", onupdate="CASCADE")
    )
    ordinal: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="respondent")
    time: Mapped[str | None] = mapped_column(String(20))  # the turn's timestamp, as written
    __table_args__ = (
        Index("ix_segments_source_start", "source_id", "start"),
        CheckConstraint('start >= 0 AND start <= "end"', name="span"),
    )


class FrameworkRow(Base):
    """A named framework and what it codes (``kind`` None: every source)."""

    __tablename__ = "frameworks"
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    title: Mapped[str | None] = mapped_column(String(500))
    kind: Mapped[str | None] = mapped_column(String(20))
    questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ThemeRow(Base):
    __tablename__ = "themes"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    label: Mapped[str] = mapped_column(String(500))
    parent_id: Mapped[str | None] = mapped_column(
        ForeignKey("themes.id", ondelete="RESTRICT", onupdate="CASCADE"), index=True
    )
    definition: Mapped[str | None] = mapped_column(Text)
    inclusion: Mapped[str | None] = mapped_column(Text)
    exclusion: Mapped[str | None] = mapped_column(Text)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    color: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    guid: Mapped[str | None] = mapped_column(String(36))
    # the framework (frameworks.name) of a top-level theme; None: the default framework.
    # No foreign key: SQLite cannot add one to an existing table without re-creating it.
    framework: Mapped[str | None] = mapped_column(String(200))


class CodingRow(Base):
    __tablename__ = "codings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_id: Mapped[str] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE", onupdate="CASCADE")
    )
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    theme_id: Mapped[str] = mapped_column(
        ForeignKey("themes.id", ondelete="CASCADE", onupdate="CASCADE"), index=True
    )
    coder: Mapped[str] = mapped_column(String(200), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    origin: Mapped[str] = mapped_column(String(20), default="manual")
    suggestion_id: Mapped[int | None] = mapped_column(Integer)
    quote: Mapped[bool] = mapped_column(Boolean, default=False)
    guid: Mapped[str | None] = mapped_column(String(36))
    __table_args__ = (
        Index("ix_codings_source_start", "source_id", "start"),
        UniqueConstraint("source_id", "start", "end", "theme_id", "coder", name="span_theme_coder"),
        CheckConstraint('start >= 0 AND start < "end"', name="span"),
    )


class MemoRow(Base):
    __tablename__ = "memos"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))  # study, case, source, segment, theme, coding
    target: Mapped[str | None] = mapped_column(ID, index=True)
    coder: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    guid: Mapped[str | None] = mapped_column(String(36))


class SummaryRow(Base):
    """A framework-matrix cell: the researcher's summary of one case on one theme."""

    __tablename__ = "summaries"
    case_id: Mapped[str] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE", onupdate="CASCADE"), primary_key=True
    )
    theme_id: Mapped[str] = mapped_column(
        ForeignKey("themes.id", ondelete="CASCADE", onupdate="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="empty")
    coder: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    guid: Mapped[str | None] = mapped_column(String(36))


class SummaryHistoryRow(Base):
    __tablename__ = "summary_history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ID, index=True)
    theme_id: Mapped[str] = mapped_column(ID)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    coder: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SynthesisRow(Base):
    """A per-group synthesis row of the matrix (e.g. all CSD cases on one theme)."""

    __tablename__ = "syntheses"
    theme_id: Mapped[str] = mapped_column(
        ForeignKey("themes.id", ondelete="CASCADE", onupdate="CASCADE"), primary_key=True
    )
    attribute: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(String(500), primary_key=True)
    text: Mapped[str] = mapped_column(Text, default="")
    coder: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SuggestionRow(Base):
    __tablename__ = "suggestions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    segment_id: Mapped[str] = mapped_column(
        ForeignKey("segments.id", ondelete="CASCADE", onupdate="CASCADE"), index=True
    )
    theme_id: Mapped[str] = mapped_column(
        ForeignKey("themes.id", ondelete="CASCADE", onupdate="CASCADE")
    )
    score: Mapped[float] = mapped_column(Float)
    because: Mapped[list[str]] = mapped_column(JSON, default=list)
    method: Mapped[str] = mapped_column(String(100))
    model: Mapped[str | None] = mapped_column(String(200))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EmbeddingRow(Base):
    __tablename__ = "embeddings"
    segment_id: Mapped[str] = mapped_column(
        ForeignKey("segments.id", ondelete="CASCADE", onupdate="CASCADE"), primary_key=True
    )
    model: Mapped[str] = mapped_column(String(200), primary_key=True)
    checksum: Mapped[str] = mapped_column(String(64))
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class ChangeRow(Base):
    """The append-only audit trail: who changed what, when, before and after."""

    __tablename__ = "changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    coder: Mapped[str] = mapped_column(String(200), index=True)
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str | None] = mapped_column(String(500))
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    # one id per user action (every change made in one transaction, or one TUI step),
    # so that undo reverts the action as a whole; ``undoes`` names the batch reverted
    batch: Mapped[str | None] = mapped_column(String(32), index=True)
    undoes: Mapped[str | None] = mapped_column(String(32))


class AnonymisationRow(Base):
    """A proposed or accepted replacement of a name; never exported."""

    __tablename__ = "anonymisation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    original: Mapped[str] = mapped_column(String(500), unique=True)
    placeholder: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(50))  # person, place, organisation, other
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    origin: Mapped[str] = mapped_column(String(50), default="heuristic")
    occurrences: Mapped[int] = mapped_column(Integer, default=0)


class ThemeDimensionRow(Base):
    """A dimension a theme declares (e.g. stance: very positive, mixed, negative)."""

    __tablename__ = "theme_dimensions"
    theme_id: Mapped[str] = mapped_column(
        ForeignKey("themes.id", ondelete="CASCADE", onupdate="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    values: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)


class CellDimensionRow(Base):
    """A chart cell's (case x theme) value on one dimension."""

    __tablename__ = "cell_dimensions"
    case_id: Mapped[str] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE", onupdate="CASCADE"), primary_key=True
    )
    theme_id: Mapped[str] = mapped_column(
        ForeignKey("themes.id", ondelete="CASCADE", onupdate="CASCADE"), primary_key=True
    )
    dimension: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(String(500))
    coder: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CodingDimensionRow(Base):
    """A coding's value on one dimension of its theme."""

    __tablename__ = "coding_dimensions"
    coding_id: Mapped[int] = mapped_column(
        ForeignKey("codings.id", ondelete="CASCADE"), primary_key=True
    )
    dimension: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(String(500))
    coder: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class KeyIssuesRow(Base):
    """A theme's key-issues note, closing its section of the report."""

    __tablename__ = "key_issues"
    theme_id: Mapped[str] = mapped_column(
        ForeignKey("themes.id", ondelete="CASCADE", onupdate="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    coder: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
