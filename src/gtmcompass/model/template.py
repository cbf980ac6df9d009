"""The commented template profile written by ``gtmcompass new``."""

from __future__ import annotations

from importlib import resources

import tomli_w

from gtmcompass.vocab.terms import current_year


def template_text(name: str) -> str:
    """The template with NAME filled in (TOML-escaped) and this year as the founding year."""
    text = resources.files("gtmcompass").joinpath("data").joinpath("template.toml").read_text("utf-8")
    name_line = tomli_w.dumps({"name": name}).strip()
    return text.replace("__NAME__", name_line).replace("__YEAR__", str(current_year()))
