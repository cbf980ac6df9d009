"""The form's values: widget contents to a profile document and back.

The fields themselves, one spec per key of the contract, are ``vocab.schema``'s table. Widgets
hold text, choices and switches; this module turns what they hold into a profile
document for ``files.validate_document`` and back. Conversion is deliberately lenient: text
that is not a number is passed on as text, so the core's validator (the single source of
every range and type rule) reports it with the same wording as ``gtmcompass validate``.
An empty box means the key is left out: "unknown" for the optional market figures, the
contract's default where there is one, and "this key is required" where there is none.

No pydantic here: the app builds its first screen from the specs before the core loads.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping

from gtmcompass.vocab.schema import (  # noqa: F401  re-exported: the form is built from it
    FIELDS,
    GROUPS,
    REQUIRED_SECTIONS,
    FieldSpec,
    Kind,
    Unit,
)

_INDEX = re.compile(r"\[\d+\]")


def field_for_error(key_path: str) -> str | None:
    """The form field an error's key path points at (``compliance.qualifications[1]`` ->
    ``compliance.qualifications``), or None for errors about the file as a whole."""
    path = _INDEX.sub("", key_path)
    while path:
        if path in FIELDS:
            return path
        if "." not in path:
            return None
        path = path.rsplit(".", 1)[0]
    return None


def format_number(value: float | int) -> str:
    """Shortest text that reads back as the same number: ``1200.0`` -> ``1200``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _convert(spec: FieldSpec, raw: object) -> object:
    """A widget's value as the document value; non-numbers stay text for the validator."""
    if spec.kind == "date":
        # A TOML date is a ``datetime.date``; text that is not one stays text, and the
        # validator (strict: it never parses strings) reports it as not a date.
        text = str(raw).strip()
        if _ISO_DAY.fullmatch(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                return text
        return text
    if spec.kind in ("int", "float"):
        text = str(raw).strip()
        try:
            return int(text) if spec.kind == "int" else float(text)
        except ValueError:
            return text
    if spec.kind == "multi":
        return list(raw)  # type: ignore[call-overload]
    return raw


def is_empty(spec: FieldSpec, raw: object) -> bool:
    if raw is None:
        return True
    return spec.kind in ("int", "float", "date") and not str(raw).strip()


def build_document(values: Mapping[str, object], schema_version: int) -> dict:
    """A profile document from widget values keyed by field path; empty boxes left out."""
    doc: dict = {"schema_version": schema_version}
    for section in REQUIRED_SECTIONS:
        doc[section] = {}
    for path, spec in FIELDS.items():
        raw = values.get(path)
        if is_empty(spec, raw):
            continue
        value = _convert(spec, raw)
        if spec.section is None:
            doc[spec.key] = value
        else:
            doc.setdefault(spec.section, {})[spec.key] = value
    return doc


def _lookup(doc: Mapping, path: str) -> object:
    node: object = doc
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def widget_values(doc: Mapping) -> dict[str, object]:
    """What each widget should show for a (possibly invalid) document.

    Anything a widget cannot hold (a choice outside the vocabulary, a table where a number
    belongs) falls back to the field's default; the file's loader reports such values.
    """
    out: dict[str, object] = {}
    for path, spec in FIELDS.items():
        value = _lookup(doc, path)
        if spec.kind in ("int", "float"):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                out[path] = format_number(value)
            elif isinstance(value, str):
                out[path] = value
            else:
                out[path] = ""
        elif spec.kind == "date":
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                out[path] = value.isoformat()
            else:
                out[path] = value if isinstance(value, str) else ""
        elif spec.kind == "choice":
            out[path] = value if value in spec.choices else (spec.default or spec.choices[0])
        elif spec.kind == "bool":
            out[path] = value if isinstance(value, bool) else bool(spec.default)
        elif spec.kind == "multi":
            # The file's order is kept: a profile read and written back stays the same.
            items = value if isinstance(value, list) else []
            out[path] = tuple(dict.fromkeys(q for q in items if q in spec.choices))
        else:
            out[path] = value if isinstance(value, str) else ""
    return out
