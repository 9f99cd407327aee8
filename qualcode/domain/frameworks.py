"""A study's frameworks: what each one codes, and which themes belong to which.

A study holds several frameworks (say one for the interviews and one for the survey's
free-text answers). Each says what it applies to - every source, the transcripts, or
the survey (optionally only some questions) - so that a theme is offered only on the
passages its framework codes, and counted over the cases that hold such a passage.
Themes that were never put in a framework belong to the default one, which applies to
everything: studies made before frameworks existed behave as they did.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from qualcode.domain.model import SURVEY, TRANSCRIPT, Theme

DEFAULT_FRAMEWORK = "default"
EVERYTHING = "all"
SOURCE_KINDS = (TRANSCRIPT, SURVEY)


@dataclass(frozen=True)
class AppliesTo:
    """What a framework codes: ``kind`` None for every source; ``questions`` narrows a
    survey framework to those questions (empty: all of them)."""

    kind: str | None = None
    questions: tuple[str, ...] = ()

    @classmethod
    def parse(cls, spec: str | None) -> AppliesTo:
        """``transcript``, ``survey``, ``survey:q_help,q_change`` or ``all``.

        Raises ValueError with a message naming what is accepted.
        """
        text = (spec or "").strip()
        if not text or text.lower() == EVERYTHING:
            return cls()
        kind, _, rest = text.partition(":")
        kind = kind.strip().lower()
        if kind not in SOURCE_KINDS:
            raise ValueError(
                f"unknown source kind {kind!r} in {spec!r} "
                "(use transcript, survey, survey:QUESTION,... or all)"
            )
        questions = tuple(dict.fromkeys(q.strip() for q in rest.split(",") if q.strip()))
        if questions and kind != SURVEY:
            raise ValueError(f"only a survey framework can name questions ({spec!r})")
        if rest.strip() == "" and ":" in text:
            raise ValueError(f"no questions after the colon in {spec!r}")
        return cls(kind, questions)

    @property
    def spec(self) -> str:
        """The spelling ``parse`` reads back."""
        if self.kind is None:
            return EVERYTHING
        if self.questions:
            return f"{self.kind}:{','.join(self.questions)}"
        return self.kind

    def describe(self) -> str:
        if self.kind is None:
            return "every source"
        if self.kind == TRANSCRIPT:
            return "interview transcripts"
        if self.questions:
            return "survey answers to " + ", ".join(self.questions)
        return "survey answers"

    def covers(self, kind: str, question: str | None = None) -> bool:
        """Whether a source of this kind (and survey question) is coded with it."""
        if self.kind is None:
            return True
        if kind != self.kind:
            return False
        return not self.questions or question in self.questions


@dataclass(frozen=True)
class Framework:
    name: str
    title: str | None = None
    applies_to: AppliesTo = field(default_factory=AppliesTo)
    position: int = 0


DEFAULT = Framework(DEFAULT_FRAMEWORK, "Themes not in a named framework")


@dataclass(frozen=True)
class StudyFrameworks:
    """The study's frameworks (in order) and the framework of every theme."""

    frameworks: Mapping[str, Framework]
    of_theme: Mapping[str, str]  # theme id -> framework name

    @classmethod
    def build(
        cls,
        frameworks: Iterable[Framework],
        themes: Iterable[Theme],
        stored: Mapping[str, str | None],
    ) -> StudyFrameworks:
        """``stored`` is each theme's own framework column; a theme belongs to the
        framework of its top-level theme, and a theme in none to the default."""
        by_name = {f.name: f for f in sorted(frameworks, key=lambda f: (f.position, f.name))}
        parents = {t.id: t.parent for t in themes}
        of_theme: dict[str, str] = {}
        for tid in parents:
            root = tid
            seen = {root}
            while parents.get(root) is not None and parents[root] not in seen:
                root = parents[root]  # type: ignore[assignment]
                seen.add(root)
            name = stored.get(root) or DEFAULT_FRAMEWORK
            of_theme[tid] = name if name in by_name else DEFAULT_FRAMEWORK
        if DEFAULT_FRAMEWORK not in by_name and (
            not by_name or DEFAULT_FRAMEWORK in of_theme.values()
        ):
            by_name = {DEFAULT_FRAMEWORK: DEFAULT, **by_name}
        return cls(by_name, of_theme)

    def framework_of(self, theme_id: str) -> Framework:
        return self.frameworks.get(self.of_theme.get(theme_id, DEFAULT_FRAMEWORK), DEFAULT)

    def applies(self, theme_id: str, kind: str, question: str | None = None) -> bool:
        return self.framework_of(theme_id).applies_to.covers(kind, question)

    def applicable(
        self, themes: Iterable[str], kind: str, question: str | None = None
    ) -> list[str]:
        """The themes (in the given order) whose framework codes such a source."""
        return [t for t in themes if self.applies(t, kind, question)]

    def themes_of(self, name: str) -> list[str]:
        return [t for t, f in self.of_theme.items() if f == name]

    def scoped(self) -> bool:
        """Whether any framework is narrower than everything (else nothing changes)."""
        return any(f.applies_to.kind is not None for f in self.frameworks.values())

    def base_kinds(self, themes: Collection[str]) -> tuple[str, ...]:
        """The source kinds the frameworks of these themes apply to; () for every kind."""
        kinds: set[str] = set()
        for tid in themes:
            kind = self.framework_of(tid).applies_to.kind
            if kind is None:
                return ()
            kinds.add(kind)
        return tuple(k for k in SOURCE_KINDS if k in kinds)


def everything(themes: Iterable[Theme] = ()) -> StudyFrameworks:
    """The frameworks of a study that never named one: every theme applies everywhere."""
    return StudyFrameworks.build((), themes, {})
