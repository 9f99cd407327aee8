"""Shared CLI plumbing: the study options (before or after the subcommand), opening the
study, JSON output and error reporting."""

from __future__ import annotations

import json
import shlex
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO, TypeVar

import click

from qualcode.config import Settings, load_settings
from qualcode.domain.framework import id_repeats_label
from qualcode.domain.matrix import GROUP_SEP
from qualcode.errors import DatabaseFailure, InputError
from qualcode.services import coders
from qualcode.services.study import Study, open_study, resolve_url

F = TypeVar("F", bound=Callable[..., Any])
KEY = "qualcode.options"
SETTINGS = "qualcode.settings"


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    # The option may be given on the group or on the subcommand; the last one given wins.
    if value is not None and param.name:
        ctx.find_root().meta.setdefault(KEY, {})[param.name] = value
    return value


def study_options(f: F) -> F:
    """``--study``, ``--db`` and ``--coder``, accepted before or after the subcommand."""
    f = click.option(
        "--coder",
        metavar="NAME",
        expose_value=False,
        callback=_remember,
        help="Who is coding (default: $QUALCODE_CODER or your login name).",
    )(f)
    f = click.option(
        "--db",
        metavar="URL",
        expose_value=False,
        callback=_remember,
        help="A database URL, e.g. postgresql+psycopg://user@host/study ($QUALCODE_DB).",
    )(f)
    f = click.option(
        "--study",
        metavar="PATH",
        expose_value=False,
        callback=_remember,
        help="The SQLite study file ($QUALCODE_STUDY).",
    )(f)
    return f


def chosen(ctx: click.Context) -> dict[str, str]:
    return dict(ctx.find_root().meta.get(KEY, {}))


def settings(ctx: click.Context) -> Settings:
    """The settings (config file and ``QUALCODE_*``), read once per command; lower
    layers get what they need from here as parameters."""
    meta = ctx.find_root().meta
    if SETTINGS not in meta:
        meta[SETTINGS] = load_settings()
    loaded: Settings = meta[SETTINGS]
    return loaded


def study_url(ctx: click.Context) -> str:
    opts = chosen(ctx)
    if opts.get("db") or opts.get("study"):
        return resolve_url(opts.get("study"), opts.get("db"))
    return resolve_url(settings(ctx).study, settings(ctx).db)


def coder(ctx: click.Context) -> str | None:
    """Who is coding: --coder, else $QUALCODE_CODER or the config file, else None (the
    login name). A blank name is refused rather than passed over."""
    given, source = chosen(ctx).get("coder"), "--coder"
    if given is None:
        given, source = settings(ctx).coder, "QUALCODE_CODER (or the config file's coder)"
    if given is None:
        return None
    if not given.strip():
        raise InputError(f"{source} is blank: give the name you code under")
    return given.strip()


def open_and_report(ctx: click.Context, url: str, who: str | None) -> Study:
    """``open_study``, saying where the backup went when its schema was upgraded."""
    study = open_study(url, who, settings(ctx).backup_dir)
    if study.upgrade_backup is not None:
        say(f"Backed up the study before upgrading its schema: {study.upgrade_backup}")
    twin = coders.lookalike(study)
    if twin is not None:
        say(
            f"note: you are {study.coder!r}, new to this study, and {twin!r} has worked on "
            f"it; names count exactly as typed (--coder {shlex.quote(twin)} works as them)"
        )
    return study


@contextmanager
def opened(ctx: click.Context) -> Iterator[Study]:
    study = open_and_report(ctx, study_url(ctx), coder(ctx))
    try:
        yield study
    except DatabaseFailure as exc:  # the error line names the study (a read-only file)
        message = exc.message[:1].lower() + exc.message[1:]
        raise DatabaseFailure(f"{study.shown}: {message}", exc.title) from exc
    finally:
        study.close()


def say(message: str) -> None:
    """Diagnostics go to stderr so that stdout stays data."""
    click.echo(message, err=True)


def _middle(text: str, width: int) -> str:
    """``text`` cut in the middle to ``width``: the ends tell values apart ("Local
    authority … north region", "... south region")."""
    head = (width - 1) * 3 // 5
    return text[:head].rstrip() + "…" + text[len(text) - (width - 1 - head) :].lstrip()


def column(text: str, width: int) -> str:
    """``text`` in a column ``width`` wide: padded, or cut with an ellipsis so that a
    cut label does not read as a whole one ("Workload management and case allocatio")."""
    text = " ".join(text.split())
    if len(text) > width and GROUP_SEP in text:
        # each value of a two-attribute group cut on its own: cut whole, the second
        # value went, and "Dublin / Local authority… north" read as "... south"
        parts = text.split(GROUP_SEP)
        room = width - len(GROUP_SEP) * (len(parts) - 1)
        fair = room // len(parts)
        short = [p for p in parts if len(p) <= fair]
        long = len(parts) - len(short)
        each = max(4, (room - sum(map(len, short))) // long) if long else fair
        text = GROUP_SEP.join(p if len(p) <= each else _middle(p, each) for p in parts)
    if len(text) > width:
        text = text[: width - 1].rstrip() + "…"
    return f"{text:<{width}}"


def theme_names(pairs: Iterable[tuple[str, str]], most: int = 48) -> tuple[dict[str, str], int]:
    """A listing's theme column: each id with its label (a slug id that spells its
    label, once), cut at ``most``; and the column's width, so that the figures after it
    line up however long serdif's slug ids are."""
    names = {
        tid: column(tid if id_repeats_label(tid, label) else f"{tid} {label}", most).rstrip()
        for tid, label in pairs
    }
    return names, max([len("theme"), *(len(n) for n in names.values())])


# What is written to stdout at once: json.dump writes every token on its own, and where
# stdout is unbuffered (PYTHONUNBUFFERED, as in many containers) each is a system call.
# `qualcode log --json` of 235,000 changes (130 MB) took 36 s so, and 14.8 s in blocks.
BLOCK = 1 << 20


def emit_json(data: Any, out: TextIO | None = None) -> None:
    """``data`` as indented JSON on stdout (or ``out``), written in blocks of about
    BLOCK characters."""
    encoded = json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(data)
    echo_blocks(encoded, end="\n", out=out)


def echo_blocks(parts: Iterable[str], end: str = "", out: TextIO | None = None) -> None:
    """Write ``parts`` to stdout (or ``out``) joined, a block of about BLOCK characters
    at a time."""
    stream = sys.stdout if out is None else out
    block: list[str] = []
    size = 0
    for part in parts:
        block.append(part)
        size += len(part)
        if size >= BLOCK:
            stream.write("".join(block))
            block, size = [], 0
    block.append(end)
    stream.write("".join(block))
    stream.flush()


def echo_lines(lines: Iterable[str], out: TextIO | None = None) -> None:
    """Print each line, in blocks (see emit_json): for listings of many thousand lines."""
    echo_blocks((line + "\n" for line in lines), out=out)


def parse_attrs(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--attr")
        out[key.strip()] = value.strip()
    return out


def warn_unreviewed(study: Study) -> None:
    """After an ``--anonymised`` export: say if names were not all reviewed (only the
    .qdpx export said so; the matrix, quotes and codings went out silently)."""
    from qualcode.services import anonymise

    for warning in anonymise.review_warnings(study):
        say(f"warning: {warning}")
