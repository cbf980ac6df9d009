"""Every word the app shows, in English and Chinese, from ``data/messages.toml``.

Criterion, flag and evidence texts come from the catalogue (each has ``en`` and ``zh``, read
with :func:`field`); the messages file holds everything else. ``tr(key, lang)`` looks one up;
a missing key or language is a KeyError at once (tests check both languages of every key),
never a silent blank. The file is read on first use, with nothing heavier than ``tomllib``,
so importing this module costs nothing before the first frame.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources

from gtmcompass.vocab.terms import LANGS  # noqa: F401  re-exported

# The other language of each: the app's language key switches to it.
_OTHER = {"en": "zh", "zh": "en"}


@functools.cache
def messages() -> dict[str, dict[str, str]]:
    """The messages file as ``{key: {lang: text}}``, read once per process."""
    path = resources.files("gtmcompass").joinpath("data").joinpath("messages.toml")
    return tomllib.loads(path.read_text("utf-8"))


def tr(key: str, lang: str, **values: object) -> str:
    """The text for ``key`` in ``lang`` (``en`` or ``zh``), with ``{name}`` fields filled."""
    text = messages()[key][lang]
    return text.format(**values) if values else text


def has(key: str) -> bool:
    return key in messages()


def keys() -> tuple[str, ...]:
    return tuple(messages())


def other(lang: str) -> str:
    return _OTHER[lang]


def field(item: object, lang: str, name: str = "") -> str:
    """A bilingual catalogue field: ``en``/``zh``, or ``rationale_en``/``rationale_zh``."""
    if lang not in _OTHER:
        raise KeyError(lang)
    return getattr(item, f"{name}_{lang}" if name else lang)


def play_name(play: str, lang: str) -> str:
    return tr(f"play.{play}", lang)


def side_name(side: str, lang: str) -> str:
    return tr(f"side.{side}", lang)
