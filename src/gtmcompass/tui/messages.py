"""The messages the app and its screens exchange, instead of calling into each other.

Screens ask the app for a change (``WeightsChosen``, ``ValuesKept``); the app makes it and
tells every open screen what changed (``EngineChanged``, ``ResultChanged``,
``LanguageChanged``). What the app broadcasts does not bubble: each screen gets its own copy,
and the app does not hear its own news back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from gtmcompass.model.profile import Profile
    from gtmcompass.scoring.engine import Engine
    from gtmcompass.tui.scored import Result, Scorer


class WeightsChosen(Message):
    """A screen asks the app to score with ``engine`` (new weights) from now on.
    ``edited``: the weights were changed by hand and are saved nowhere (quitting asks)."""

    def __init__(self, engine: Engine, edited: bool = False) -> None:
        super().__init__()
        self.engine = engine
        self.edited = edited


class ValuesKept(Message):
    """A screen asks the app to put these form values into the editor (unsaved)."""

    def __init__(self, values: Mapping[str, object]) -> None:
        super().__init__()
        self.values = dict(values)


class EngineChanged(Message, bubble=False):
    """The app scores with a new engine; ``scorer`` wraps it for screens that score."""

    def __init__(self, scorer: Scorer) -> None:
        super().__init__()
        self.scorer = scorer

    @property
    def engine(self) -> Engine:
        return self.scorer.engine


class ResultChanged(Message, bubble=False):
    """The editor shows a new result, for ``profile``."""

    def __init__(self, result: Result, profile: Profile) -> None:
        super().__init__()
        self.result = result
        self.profile = profile


class LanguageChanged(Message, bubble=False):
    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
