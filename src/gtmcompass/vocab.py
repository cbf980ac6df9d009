"""The contract's vocabularies and the current year, with nothing heavier than ``typing``.

``profile.py`` builds its pydantic models on these; the terminal app builds its choice
widgets from them before its first frame, when importing pydantic (about 110 ms) would
make the first screen visibly slower.
"""

from __future__ import annotations

import datetime as _dt
from typing import Literal, get_args

Currency = Literal["CNY", "USD"]
Level = Literal["none", "some", "strong"]
Differentiation = Literal["low", "medium", "high"]
Offering = Literal["model", "application", "compute", "data"]
Region = Literal["china", "overseas", "global"]
Vertical = Literal[
    "finance", "government", "energy", "healthcare", "education", "manufacturing", "legal",
    "retail", "office", "media", "gaming", "companionship", "creative", "general",
]
Qualification = Literal["mlps3", "iso27001", "xinchuang", "genai_filing", "soc2", "gdpr"]

# Vocabularies in a fixed order: the engine encodes categories as indices into these.
CURRENCIES: tuple[str, ...] = get_args(Currency)
LEVELS: tuple[str, ...] = get_args(Level)
DIFFERENTIATIONS: tuple[str, ...] = get_args(Differentiation)
OFFERINGS: tuple[str, ...] = get_args(Offering)
REGIONS: tuple[str, ...] = get_args(Region)
VERTICALS: tuple[str, ...] = get_args(Vertical)
QUALIFICATIONS: tuple[str, ...] = get_args(Qualification)


def current_year() -> int:
    return _dt.date.today().year
