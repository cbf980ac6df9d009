"""Confinement to one folder: what a browser session of the app may read and write.

``gtmcompass serve`` runs the app for anyone who can reach its port, so each session gets
``$GTMCOMPASS_CONFINE_TO`` (vocab/settings.py) naming the profiles folder. Every user file
read (``reading.read_file``) and written (``writes.atomic_write_text``) is then checked here,
and the app's picker and save prompt check first to say why. A path counts as inside when its
real path, every symbolic link followed (``os.path.realpath``), lies at or below the folder's
real path: ``../x``, ``/etc/passwd`` and a link from inside pointing out are all outside.
Unset, nothing is confined, as for the terminal app.
"""

from __future__ import annotations

import os
from pathlib import Path

from gtmcompass.vocab.settings import confined_root

OUTSIDE = "is outside the profiles folder this session may use"


def root() -> Path | None:
    """The folder this process is confined to, by its real path; None if not confined."""
    text = confined_root()
    return None if text is None else Path(os.path.realpath(text))


def inside(path: str | os.PathLike, folder: str | os.PathLike) -> bool:
    """Whether ``path``, links followed, lies at or below ``folder``."""
    try:
        real = Path(os.path.realpath(path))
        base = Path(os.path.realpath(folder))
    except (OSError, ValueError):  # a NUL in the name, or a link loop on some systems
        return False
    return real == base or real.is_relative_to(base)


def allowed(path: str | os.PathLike) -> bool:
    """Whether this process may read or write ``path`` (always, when not confined)."""
    base = root()
    return base is None or inside(path, base)
