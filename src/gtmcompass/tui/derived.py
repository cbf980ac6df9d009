"""Figures derived from the profile, shown beside the fields they come from.

They are the engine's own features (``features.py`` documents each formula), so what the
form shows is exactly what the criteria saw: runway under the funding fields, company age
and commercial share under the team, lifetime value against acquisition cost under market.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from gtmcompass.vocab.i18n import tr

if TYPE_CHECKING:  # the form imports this module before the core (numpy) is loaded
    from gtmcompass.tui.scored import Result


def runway(result: Result, lang: str) -> str:
    if result.profitable:
        return tr("derived.runway_profitable", lang)
    return tr("derived.runway", lang, months=f"{result.runway_months:.1f}")


def age(result: Result, lang: str) -> str:
    return tr("derived.age", lang, years=f"{result.company_age_years:g}")


def commercial_share(result: Result, lang: str) -> str:
    return tr("derived.commercial_share", lang, share=f"{result.commercial_share:.0%}")


def ltv_cac(result: Result, lang: str) -> str:
    if math.isnan(result.ltv_cac):
        return tr("derived.ltv_cac_unknown", lang)
    return tr("derived.ltv_cac", lang, ratio=f"{result.ltv_cac:.2f}")


BY_GROUP: dict[str, tuple[Callable[[Result, str], str], ...]] = {
    "funding": (runway,),
    "team": (age, commercial_share),
    "market": (ltv_cac,),
}


def derived_lines(result: Result, lang: str) -> list[str]:
    return [figure(result, lang) for group in BY_GROUP.values() for figure in group]
