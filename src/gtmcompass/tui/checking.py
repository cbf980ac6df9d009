"""Form values -> a validated profile, or each error filed under the field it belongs to.

The core's ``validate_document`` is the single judge, so the app words every problem as
``gtmcompass validate`` does. Imported only once the core has loaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from gtmcompass.io.files import validate_document
from gtmcompass.model.profile import SCHEMA_VERSION, Profile
from gtmcompass.tui.form_fields import build_document, field_for_error


@dataclass(frozen=True)
class Checked:
    profile: Profile | None
    errors: dict[str, str] = field(default_factory=dict)  # field path -> first problem
    general: list[str] = field(default_factory=list)  # problems not tied to one field

    @property
    def ok(self) -> bool:
        return self.profile is not None

    @property
    def count(self) -> int:
        return len(self.errors) + len(self.general)

    def first(self) -> str:
        if self.errors:
            path, message = next(iter(self.errors.items()))
            return f"{path}: {message}"
        return self.general[0] if self.general else ""


def check(values: Mapping[str, object], source: str = "<form>") -> Checked:
    entry = validate_document(build_document(values, SCHEMA_VERSION), source)
    if entry.ok:
        return Checked(entry.profile)
    errors: dict[str, str] = {}
    general: list[str] = []
    for error in entry.errors:
        path = field_for_error(error.key_path)
        if path is None:
            general.append(error.detail())
        else:
            errors.setdefault(path, error.message)
    return Checked(None, errors, general)
