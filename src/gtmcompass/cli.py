"""The ``gtmcompass`` command line. Exit codes and JSON output are an API:

====  ================================================================================
0     every input was read and scored (or validated)
1     at least one input was rejected; the others were still scored and printed
2     usage error: bad arguments, an unreadable weight file, an output file that could not
      be written; nothing was scored
130   interrupted (Ctrl-C)
====  ================================================================================

Results go to standard output (or ``--out``); every diagnostic goes to standard error as one
line ``error: SOURCE: KEY.PATH: what was expected``. This module and everything it imports
for the batch commands stay free of Textual, so scripts never pay for the terminal app.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from gtmcompass import __version__
from gtmcompass.vocab.exits import ExitCode
from gtmcompass.vocab.settings import SettingError
from gtmcompass.vocab.settings import check as check_settings
from gtmcompass.vocab.terms import LANGS, RANK_BY

COMMANDS = ("score", "validate", "criteria", "new", "report", "rank")
# Kept here, not imported, so `import gtmcompass.cli` loads no numpy; a test checks they match
# gtmcompass.decide.portfolio.RANK_BY and gtmcompass.render.report.FORMATS.
REPORT_FORMATS = ("markdown", "html")
# A progress bar appears on a terminal when a batch has at least this many files.
PROGRESS_MIN_FILES = 20


class UsageError(Exception):
    """A problem with how the command was called; reported on one line, exit status 2."""


def _as_of_date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None
    if day > dt.date.today():
        raise argparse.ArgumentTypeError(f"expected a date not in the future, got {text}")
    return day


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as argparse does, but no usage dump
        raise UsageError(f"{self.prog}: {message} (see '{self.prog} --help')")


def _unknown_keys_option(command: argparse.ArgumentParser) -> None:
    policy = command.add_mutually_exclusive_group()
    policy.add_argument("--strict", dest="lenient", action="store_false", default=False,
                        help="unknown keys are errors, as the profile format says (default)")
    policy.add_argument("--lenient", dest="lenient", action="store_true",
                        help="drop unknown keys with a warning on stderr; score what is left")


def _scoring_options(command: argparse.ArgumentParser) -> None:
    """The options every scoring command shares: weights, exchange rate, the as-of day."""
    command.add_argument("--weights", metavar="FILE",
                         help="TOML weight set overriding the catalogue")
    command.add_argument("--cny-per-usd", type=_positive_float, metavar="RATE",
                         help="exchange rate for comparing money across currencies (default 7.2)")
    command.add_argument("--as-of", type=_as_of_date, metavar="DATE",
                         help="score every profile as of this day (YYYY-MM-DD), overriding "
                         "each profile's as_of; default: each profile's own, else today")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="gtmcompass",
        description="Tells an AI startup whether To-B or To-C fits it, and why. "
        "Without a command, opens the terminal app (on FILE if given).",
        epilog="Exit status: 0 all inputs scored, 1 some input rejected, 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"gtmcompass {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    score = sub.add_parser("score", help="score profile files, batch files and folders",
                           description="Score profiles (files, batch files, folders, - for "
                           "stdin). Results to stdout, diagnostics to stderr.")
    score.add_argument("paths", nargs="+", metavar="PATH")
    score.add_argument("--format", choices=("table", "json", "csv", "markdown"), default="table")
    score.add_argument("--out", metavar="FILE",
                       help="write results here (atomically) instead of stdout")
    score.add_argument("--progress", choices=("auto", "always", "never"), default="auto",
                       help="progress on stderr: when it is a terminal (auto, the default), "
                       "always or never; never on stdout")
    _scoring_options(score)
    _unknown_keys_option(score)

    validate = sub.add_parser("validate", help="check profile files without scoring them",
                              description="Check profiles; prints every problem, one per line.")
    validate.add_argument("paths", nargs="+", metavar="PATH")
    _unknown_keys_option(validate)

    criteria = sub.add_parser("criteria", help="list the criteria, red flags and their evidence",
                              description="The catalogue: criteria, weights, red flags, evidence.")
    criteria.add_argument("--format", choices=("table", "json", "markdown"), default="table")
    criteria.add_argument("--lang", choices=LANGS, default="en")

    new = sub.add_parser("new", help="write a commented template profile",
                         description="Write NAME's template profile to DIR/<name>.toml.")
    new.add_argument("name", metavar="NAME")
    new.add_argument("--dir", default=".", metavar="DIR", help="folder to write into (default .)")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")

    report = sub.add_parser("report", help="a full report on one profile: verdict, flips, plan",
                            description="Write one profile's report: verdict, confidence, play "
                            "scores, contributions, red flags, what would flip it, the action "
                            "plan and how stable the verdict is, with the evidence behind each.")
    report.add_argument("file", metavar="FILE", help="one profile file (- for stdin)")
    report.add_argument("--format", choices=REPORT_FORMATS, default="markdown",
                        help="markdown (default) or html (one self-contained page)")
    report.add_argument("--lang", choices=LANGS, default="en")
    report.add_argument("--out", metavar="FILE", help="write the report here (atomically)")
    _scoring_options(report)

    rank = sub.add_parser("rank", help="order many profiles for an investor",
                          description="Score profiles (files, batch files, folders, - for stdin) "
                          "and list them best first, in the formats of 'score'.")
    rank.add_argument("paths", nargs="+", metavar="PATH")
    rank.add_argument("--by", choices=RANK_BY, default="best", metavar="PLAY|SIDE",
                      help="a play (b_private, b_api, c_domestic, c_overseas), a side (to_b, "
                      "to_c) or best: each profile's recommended play (default)")
    rank.add_argument("--format", choices=("table", "json", "csv", "markdown"), default="table")
    rank.add_argument("--out", metavar="FILE",
                      help="write results here (atomically) instead of stdout")
    _scoring_options(rank)
    # `gtmcompass score --version` answers like `gtmcompass --version` (it was a usage error).
    for command in sub.choices.values():
        command.add_argument("--version", action="version", version=f"gtmcompass {__version__}")
    return parser


def _stderr(line: str) -> None:
    # Diagnostics quote paths and arguments as typed: an escape sequence in one must not act.
    from gtmcompass.vocab.escape import terminal_safe

    print(terminal_safe(line), file=sys.stderr)


def _table_width(out: str | None) -> int | None:
    """The terminal's width when a table goes to one (a table 140 wide wrapped into garbage
    at 80 and 120 columns); None, the fixed default, for a file or a pipe."""
    if out not in (None, "-") or not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


EMIT_PIECE = 1 << 20


def _emit(text: str, out: str | None) -> None:
    # `--out -` is standard output, as `-` among the PATHs is standard input.
    if out is None or out == "-":
        # In pieces: the stream encodes what it is given at once, and 100,000 results are a
        # 68 MB string, which written whole took another 68 MB of bytes at the peak.
        for start in range(0, len(text), EMIT_PIECE):
            sys.stdout.write(text[start:start + EMIT_PIECE])
        sys.stdout.flush()
        return
    from gtmcompass.io.files import SaveError, atomic_write_text

    try:
        # As on stdout: a file name that was not UTF-8 is written \udce9, valid in JSON.
        atomic_write_text(out, text, errors="backslashreplace")
    except SaveError as exc:
        raise UsageError(str(exc)) from None


def _score_with_progress(engine, paths: Sequence[str], progress: str = "auto") -> list[dict]:
    # Batch files are read, validated and scored a slice at a time (gtmcompass.scoring.batch).
    # Progress goes to standard error only: to a terminal ("auto"), always, or never.
    from gtmcompass.io.files import expand
    from gtmcompass.scoring.batch import score_files

    files = list(expand(paths))
    shown = progress == "always" or (progress == "auto" and sys.stderr.isatty())
    if not shown:
        return score_files(engine, files, streams=True)
    if len(files) < PROGRESS_MIN_FILES:
        # Few files, perhaps one batch file of 50,000 profiles: count profiles, not files.
        from gtmcompass.render.progress import ProfileCounter

        counter = ProfileCounter(sys.stderr)
        try:
            return score_files(engine, files, streams=True, on_scored=counter.update)
        finally:
            counter.close()
    from rich.console import Console
    from rich.progress import track

    return score_files(engine, track(files, description="Reading profiles", transient=True,
                                     console=Console(stderr=True, force_terminal=(
                                         progress == "always") or None)), streams=True)


def _engine(weights_path: str | None, rate: float | None, as_of: dt.date | None = None):
    from gtmcompass.io.weights import WeightsError, load_weights
    from gtmcompass.scoring.engine import Engine

    weight_set = None
    if weights_path is not None:
        try:
            weight_set = load_weights(weights_path)
        except WeightsError as exc:
            raise UsageError("; ".join(str(e) for e in exc.errors)) from None
    return Engine(weight_set=weight_set, cny_per_usd=rate, as_of=as_of,
                  as_of_override=as_of is not None)


def _warn_dropped(entries) -> None:
    for entry in entries:
        for warning in entry.warnings:
            _stderr(f"warning: {warning}")


def _score_lenient(engine, paths: Sequence[str]) -> list[dict]:
    # As the strict path, a slice at a time; each slice's warnings (the keys it dropped) are
    # printed as it is read.
    from gtmcompass.scoring.batch import score_files

    return score_files(engine, paths, streams=True, lenient=True, on_entries=_warn_dropped)


def cmd_score(args: argparse.Namespace) -> int:
    from gtmcompass.model.problems import printable
    from gtmcompass.render.formats import render

    if list(args.paths).count("-") > 1:
        raise UsageError("gtmcompass score: standard input ('-') can be read only once")
    engine = _engine(args.weights, args.cny_per_usd, args.as_of)
    if args.lenient:
        results = _score_lenient(engine, args.paths)
    else:
        results = _score_with_progress(engine, args.paths, args.progress)
    for r in results:
        if "error" in r:
            # A source is a file name, which may hold a newline or an escape character.
            _stderr(f"error: {printable(r['source'])}: {r['error']}")
    _emit(render(results, args.format, _table_width(args.out)), args.out)
    return ExitCode.REJECTED if any("error" in r for r in results) else ExitCode.OK


def cmd_validate(args: argparse.Namespace) -> int:
    from gtmcompass.io.batchread import iter_inputs
    from gtmcompass.model.problems import printable

    status = ExitCode.OK
    # A slice at a time, printed as it is read: nothing of it is kept (100,000 profiles once
    # held 1 GB, every Profile at once).
    for entries in iter_inputs(args.paths, lenient=args.lenient, streams=True):
        _warn_dropped(entries)
        for entry in entries:
            if entry.ok:
                print(f"ok: {printable(entry.source)} ({printable(entry.profile.name)})")
            else:
                status = ExitCode.REJECTED
                for error in entry.errors:
                    _stderr(f"error: {error}")
    return status


def cmd_criteria(args: argparse.Namespace) -> int:
    from gtmcompass.render.catalogue_text import (
        catalogue_document,
        catalogue_markdown,
        catalogue_table,
    )

    if args.format == "json":
        print(json.dumps(catalogue_document(), ensure_ascii=False, indent=1))
    elif args.format == "markdown":
        sys.stdout.write(catalogue_markdown(args.lang))
    else:
        sys.stdout.write(catalogue_table(args.lang, _table_width(None)))
    return ExitCode.OK


def cmd_new(args: argparse.Namespace) -> int:
    from gtmcompass.io.files import SaveError, atomic_write_text, is_folder, safe_file_stem
    from gtmcompass.model.template import template_text

    if not 1 <= len(args.name) <= 120:
        raise UsageError("gtmcompass new: NAME must be 1 to 120 characters")
    folder = Path(args.dir)
    if not is_folder(folder):  # Path.is_dir raised OSError for a 300-character name
        raise UsageError(f"gtmcompass new: {folder}: no such folder")
    target = folder / f"{safe_file_stem(args.name)}.toml"
    if target.exists() and not args.force:
        raise UsageError(f"gtmcompass new: {target} exists; use --force to overwrite it")
    try:
        atomic_write_text(target, template_text(args.name))
    except SaveError as exc:
        raise UsageError(str(exc)) from None
    print(target)
    return ExitCode.OK


def cmd_report(args: argparse.Namespace) -> int:
    from gtmcompass.io.files import load_path
    from gtmcompass.render.report import report_text

    engine = _engine(args.weights, args.cny_per_usd, args.as_of)
    entries = load_path(args.file, streams=True)
    rejected = [error for entry in entries for error in entry.errors]
    for error in rejected:
        _stderr(f"error: {error}")
    if rejected:
        return ExitCode.REJECTED
    if len(entries) != 1:
        _stderr(f"error: {entries[0].source}: holds {len(entries)} profiles; a report covers "
                "one (use 'gtmcompass rank' to compare many)")
        return ExitCode.REJECTED
    entry = entries[0]
    _emit(report_text(engine, entry.profile, args.format, args.lang, entry.source), args.out)
    return ExitCode.OK


def cmd_rank(args: argparse.Namespace) -> int:
    from gtmcompass.decide.portfolio import rank_results
    from gtmcompass.io.batchread import iter_inputs
    from gtmcompass.render.formats import render

    if list(args.paths).count("-") > 1:
        raise UsageError("gtmcompass rank: standard input ('-') can be read only once")
    from gtmcompass.model.problems import printable

    engine = _engine(args.weights, args.cny_per_usd, args.as_of)
    # Read a slice at a time: only the result elements are kept (every Profile at once was
    # 1 GB for 100,000 profiles).
    entries = (e for part in iter_inputs(args.paths, streams=True) for e in part)
    results = rank_results(engine, entries, args.by)
    for r in results:
        if "error" in r:
            # As in score: a file name may hold a newline or an escape character.
            _stderr(f"error: {printable(r['source'])}: {r['error']}")
    _emit(render(results, args.format, _table_width(args.out)), args.out)
    return ExitCode.REJECTED if any("error" in r for r in results) else ExitCode.OK


HANDLERS = {"score": cmd_score, "validate": cmd_validate, "criteria": cmd_criteria, "new": cmd_new,
            "report": cmd_report, "rank": cmd_rank}


def run_command(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        raise UsageError("gtmcompass: expected a command (see 'gtmcompass --help')")
    return HANDLERS[args.command](args)


def open_app(argv: Sequence[str]) -> int:
    """The main job: the interactive app (on FILE if given)."""
    if len(argv) > 1:
        raise UsageError(f"gtmcompass: unknown command '{argv[0]}'; expected one of "
                         f"{', '.join(COMMANDS)} or a single profile FILE")
    from gtmcompass.tui import run_app

    return run_app(argv[0] if argv else None)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # A file name that is not UTF-8 (\udce9 after decoding) or a Chinese name on an ASCII
    # terminal raised UnicodeEncodeError at the first print; escaped, JSON stays valid.
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="backslashreplace")
    try:
        # A malformed setting is refused once, up front, as a usage error: not as a traceback
        # half-way through a batch or inside the app.
        check_settings()
        if argv and (argv[0] in COMMANDS or argv[0].startswith("-")):
            return run_command(argv)
        return open_app(argv)
    except (UsageError, SettingError) as exc:
        _stderr(f"error: {exc}")
        return ExitCode.USAGE
    except KeyboardInterrupt:
        _stderr("interrupted")
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); nothing more to say and nobody to say it to.
        sys.stderr.close()
        return ExitCode.OK
