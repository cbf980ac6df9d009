"""Profiles as a spreadsheet file (``.csv``), which ``csvread`` reads back to equal profiles.

Every column is written (``csvcells.COLUMNS``), in the contract's order, unknown values as
empty cells; floats by ``repr``, so each reads back as the same float; names and notes are
defused against formulas (``'=HYPERLINK(...)``), which the reader undoes. The lines end in
CRLF, as RFC 4180 and Excel write them; the reader takes either.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from gtmcompass.io.csvcells import COLUMNS, row_of_document
from gtmcompass.model.profile import Profile, to_document

# The name of the template's example row: it says what to do with it, since CSV has no comments.
EXAMPLE_NAME = "Example (delete this row)"


class NotWritable(ValueError):
    """A profile a CSV file cannot carry; the message names the key path and why."""


def check_writable(profile: Profile) -> None:
    """NotWritable if a CSV file cannot carry ``profile``."""
    _check(to_document(profile))


def _check(doc: dict) -> None:
    # NUL is the one character a CSV cell cannot hold here: the reader refuses NUL bytes,
    # which mark a workbook or UTF-16 text, not a spreadsheet's CSV export.
    for key in ("name", "notes"):
        if "\x00" in doc.get(key, ""):
            raise NotWritable(f"{key}: holds a NUL character, which a CSV file cannot carry; "
                              "expected text without it")


def profiles_csv(profiles: Iterable[Profile]) -> str:
    """The CSV text of ``profiles``: a header of every key path, one row each.

    NotWritable if a profile's text holds a NUL character.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for profile in profiles:
        doc = to_document(profile)
        _check(doc)
        writer.writerow(row_of_document(doc))
    return buffer.getvalue()


def example_document() -> dict:
    """The template's example row: a filled-in profile that validates and reads as an example."""
    return {
        "schema_version": 1, "name": EXAMPLE_NAME, "currency": "CNY",
        "notes": "An example: replace it with your own rows, or delete it",
        "funding": {"raised": 120.0, "cash": 60.0, "monthly_burn": 4.0},
        "team": {"headcount": 45, "founded_year": 2022, "commercial_headcount": 6,
                 "research_led": False, "enterprise_sales_experience": "some",
                 "consumer_product_experience": "none"},
        "sector": {"vertical": "finance", "offering": "application", "differentiation": "medium"},
        "cloud": {"experience": "some", "private_deployments": 2, "compute_delivery": False},
        "compliance": {"qualifications": ["mlps3"]},
        "market": {"target_region": "china", "monthly_active_users": 0,
                   "enterprise_customers": 5, "largest_deal": 3.5},
    }


def template_csv() -> str:
    """The spreadsheet ``gtmcompass new --csv`` writes: every column, one example row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow(row_of_document(example_document()))
    return buffer.getvalue()
