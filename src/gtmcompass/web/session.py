"""One browser tab's app process: ``python -m gtmcompass.web.session FOLDER [FILE]``.

The server starts this for every tab. Before the app reads anything it confines itself to
FOLDER (``$GTMCOMPASS_CONFINE_TO``, enforced by io/confine.py on every read and write), works
from it, so a relative name typed in the browser lands there, and keeps named weight sets in
FOLDER/.weights (hidden, so neither the picker nor a folder batch mistakes them for profiles)
instead of the server user's ~/.config.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from gtmcompass.vocab.settings import CONFINE_ENV, WEIGHTS_DIR_ENV

WEIGHTS_SUBFOLDER = ".weights"


def confine(folder: Path) -> None:
    real = Path(os.path.realpath(folder))
    os.environ[CONFINE_ENV] = str(real)
    os.environ[WEIGHTS_DIR_ENV] = str(real / WEIGHTS_SUBFOLDER)
    os.chdir(real)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not 1 <= len(args) <= 2:
        print("usage: python -m gtmcompass.web.session FOLDER [FILE]", file=sys.stderr)
        return 2
    folder = Path(args[0])
    confine(folder)
    # Ctrl-C in the server's terminal reaches its whole process group, these processes too.
    # Once running, Textual's web driver ends the app on SIGINT cleanly (its own handler
    # replaces this); before that, while the app is still importing, a SIGINT printed a
    # KeyboardInterrupt traceback, so it is ignored: the server ends each session itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from gtmcompass.tui import run_app

    return run_app(args[1] if len(args) == 2 else None)


if __name__ == "__main__":
    sys.exit(main())
