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
from gtmcompass.vocab.terms import CNY_PER_USD_RANGE, LANGS, RANK_BY

COMMANDS = ("score", "validate", "criteria", "new", "report", "rank", "convert", "serve")
# Kept here, not imported, so `import gtmcompass.cli` loads no numpy; a test checks they match
# gtmcompass.decide.portfolio.RANK_BY and gtmcompass.render.report.FORMATS.
REPORT_FORMATS = ("markdown", "html")
# A progress bar appears on a terminal when a batch has at least this many files.
PROGRESS_MIN_FILES = 20
DEFAULT_SERVE_HOST = "127.0.0.1"
DEFAULT_SERVE_PORT = 8000
WEB_EXTRA = "pip install 'gtmcompass[web]'"


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


def _exchange_rate(text: str) -> float:
    low, high = CNY_PER_USD_RANGE
    expected = f"expected yuan per dollar from {low:g} to {high:g}, got {text!r}"
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(expected) from None
    if not low <= value <= high:  # NaN fails both comparisons
        raise argparse.ArgumentTypeError(expected)
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number 0 to 65535, got {text!r}")
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
    command.add_argument("--weights", metavar="FILE", action="append",
                         help="TOML weight set or AHP judgements overriding the catalogue; "
                         "repeat for a committee, one file per partner (combined as group "
                         "AHP does)")
    command.add_argument("--cny-per-usd", type=_exchange_rate, metavar="RATE",
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
                         description="Write NAME's template profile to DIR/<name>.toml, or "
                         "with --csv a template spreadsheet: every column, one example row.")
    new.add_argument("name", metavar="NAME", nargs="?")
    new.add_argument("--dir", default=".", metavar="DIR", help="folder to write into (default .)")
    new.add_argument("--csv", metavar="FILE", help="write a template spreadsheet (.csv) here")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")

    convert = sub.add_parser("convert", help="turn a spreadsheet into a batch file and back",
                             description="Convert IN (a .csv spreadsheet, a profile or a batch "
                             "file) into OUT, written as OUT's name says: .csv or .toml. Every "
                             "value is kept; nothing is written unless every profile was read.")
    convert.add_argument("source", metavar="IN", help="file to read (- for stdin)")
    convert.add_argument("target", metavar="OUT", help="file to write: NAME.csv or NAME.toml")
    convert.add_argument("--force", action="store_true", help="overwrite an existing OUT")

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

    serve = sub.add_parser("serve", help="the app in a web browser, one session per tab",
                           description="Serve the app to web browsers (needs the web extra: "
                           "pip install 'gtmcompass[web]'). Each tab runs its own app, which "
                           "may read and write only the profiles folder.")
    serve.add_argument("file", nargs="?", metavar="FILE",
                       help="a profile each tab opens on; it must lie in the profiles folder")
    serve.add_argument("--host", default=DEFAULT_SERVE_HOST,
                       help=f"address to listen on (default {DEFAULT_SERVE_HOST}, this machine "
                       "only; any other lets everyone who can reach it use the app)")
    serve.add_argument("--port", type=_port, default=DEFAULT_SERVE_PORT,
                       help=f"port to listen on (default {DEFAULT_SERVE_PORT}; 0: any free one)")
    serve.add_argument("--dir", metavar="PROFILES",
                       help="the profiles folder, the only one a browser may read or write "
                       "(default: FILE's folder, else ./profiles if it exists, else .)")
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


def _engine(weights_paths: Sequence[str] | None, rate: float | None,
            as_of: dt.date | None = None):
    from gtmcompass.scoring.engine import Engine

    options = {"cny_per_usd": rate, "as_of": as_of, "as_of_override": as_of is not None}
    if not weights_paths:
        return Engine(**options)
    from gtmcompass.io.weights import WeightsError, load_weights

    try:
        sets = [load_weights(path) for path in weights_paths]
    except WeightsError as exc:
        raise UsageError("; ".join(str(e) for e in exc.errors)) from None
    if len(sets) == 1 and not sets[0].judgements:
        # One plain set as it always was, without loading the decision tools (about 0.15 s).
        return Engine(weight_set=sets[0], **options)
    # Several partners, or judgements, as a committee (gtmcompass.decide.committee: AIJ /
    # AIP, consensus); the API builds its engine with the same function.
    from gtmcompass.decide.committee import CommitteeError, engine_for

    try:
        engine, committee = engine_for(sets, **options)
    except CommitteeError as exc:
        raise UsageError(f"{', '.join(weights_paths)}: {exc}") from None
    if committee is not None and len(weights_paths) > 1:
        _stderr(committee.summary())
    return engine


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

    if args.csv is not None:
        return _new_csv(args)
    if args.name is None:
        # Worded as argparse words a missing argument, with the other way to call it.
        raise UsageError("gtmcompass new: the following arguments are required: NAME (or "
                         "--csv FILE for a spreadsheet) (see 'gtmcompass new --help')")
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


def _new_csv(args: argparse.Namespace) -> int:
    from gtmcompass.io.convert import BOM
    from gtmcompass.io.csvwrite import template_csv
    from gtmcompass.io.files import SaveError, atomic_write_text

    if args.name is not None:
        raise UsageError("gtmcompass new: --csv takes no NAME (the example row is named "
                         "'Example (delete this row)')")
    target = Path(args.csv)
    if target.suffix.lower() != ".csv":
        raise UsageError(f"gtmcompass new: {target}: expected a name ending in .csv")
    if target.exists() and not args.force:
        raise UsageError(f"gtmcompass new: {target} exists; use --force to overwrite it")
    try:
        atomic_write_text(target, BOM + template_csv())
    except SaveError as exc:
        raise UsageError(str(exc)) from None
    print(target)
    return ExitCode.OK


def cmd_convert(args: argparse.Namespace) -> int:
    from gtmcompass.io.convert import ConvertRefused, SaveError, convert

    try:
        done = convert(args.source, args.target, force=args.force, streams=True)
    except ConvertRefused as exc:
        raise UsageError(f"gtmcompass convert: {exc}") from None
    except SaveError as exc:
        raise UsageError(str(exc)) from None
    for error in done.errors:
        _stderr(f"error: {error}")
    if done.errors:
        _stderr(f"error: {args.target}: not written; every profile of the input must be read "
                "to convert it")
        return ExitCode.REJECTED
    from gtmcompass.model.problems import printable

    print(f"{printable(args.target)}: {done.written} profile(s) written")
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


def _serve_folder(args: argparse.Namespace) -> tuple[Path, Path | None]:
    """The profiles folder and the start file, both absolute; the file must lie in the folder
    (each session is confined to it and could not open it otherwise)."""
    from gtmcompass.io.confine import inside
    from gtmcompass.io.files import is_folder, is_regular

    file = Path(args.file).absolute() if args.file is not None else None
    if file is not None and not is_regular(file):
        raise UsageError(f"gtmcompass serve: {args.file}: no such profile file")
    if args.dir is not None:
        folder = Path(args.dir)
    elif file is not None:
        folder = file.parent
    else:
        folder = Path("profiles") if is_folder("profiles") else Path(".")
    if not is_folder(folder):
        raise UsageError(f"gtmcompass serve: {folder}: no such folder")
    folder = folder.absolute()
    if file is not None and not inside(file, folder):
        raise UsageError(f"gtmcompass serve: {args.file}: is outside the profiles folder "
                         f"{folder}; move it there or choose another --dir")
    return folder, file


def cmd_serve(args: argparse.Namespace) -> int:
    folder, file = _serve_folder(args)
    try:
        from gtmcompass.web.serve import ServeError, is_loopback, serve
    except ImportError as exc:  # textual-serve or aiohttp not installed
        missing = (exc.name or "textual_serve").partition(".")[0]
        raise UsageError(f"gtmcompass serve: needs the web extra ({missing} is missing): "
                         f"{WEB_EXTRA}") from None

    if not is_loopback(args.host):
        _stderr(f"warning: listening on {args.host}: anyone who can reach this address can "
                f"use the app and read and write every profile in {folder}")
    try:
        return serve(folder, file, args.host, args.port)
    except ServeError as exc:
        raise UsageError(f"gtmcompass serve: {exc}") from None


HANDLERS = {"score": cmd_score, "validate": cmd_validate, "criteria": cmd_criteria, "new": cmd_new,
            "report": cmd_report, "rank": cmd_rank, "convert": cmd_convert,
            "serve": cmd_serve}


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
