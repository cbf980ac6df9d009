"""Spreadsheet fixtures: a valid header and row to break one way at a time."""

from __future__ import annotations

import csv
import io

import pytest

from gtmcompass.io.csvcells import COLUMNS, row_of_document
from gtmcompass.io.csvwrite import example_document


def sheet(*rows: list[str], header: list[str] | None = None, end: str = "\n") -> str:
    """CSV text of a header (every column by default) and ``rows``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=end)
    writer.writerow(COLUMNS if header is None else header)
    writer.writerows(rows)
    return buffer.getvalue()


def good_row(cells: dict[str, str] | None = None) -> list[str]:
    """The example row with some cells replaced, by key path (``{"funding.raised": "12,5"}``)."""
    row = row_of_document(example_document())
    for path, text in (cells or {}).items():
        row[COLUMNS.index(path)] = text
    return row


@pytest.fixture
def write(tmp_path):
    def write(name: str, content: str | bytes) -> str:
        path = tmp_path / name
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
        return str(path)
    return write
