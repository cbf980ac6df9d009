"""The profile form: one group per section of the file, the right widget for each field.

Choices are Selects, yes/no are Switches, qualifications a SelectionList, numbers Inputs
restricted to numeric characters, notes a TextArea. The form keeps what every widget holds
in ``store`` (text as typed), so nothing typed is ever lost to a failed validation, and so
groups mounted lazily after the first frame compose from the current values.

Errors appear in a line under the field they belong to, mounted only while there is one
(30 hidden error lines would cost about 40 ms of mounting for nothing).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from gtmcompass.tui import derived
from gtmcompass.tui.form_fields import FIELDS, GROUPS, FieldSpec, format_number
from gtmcompass.tui.widgets.keys_in_order import OrderedInput, ordered_text_area
from gtmcompass.vocab.i18n import tr

if TYPE_CHECKING:  # the form is on the first screen, composed before the core (numpy) loads
    from gtmcompass.tui.scored import Result

_PATH_BY_ID = {spec.widget_id: path for path, spec in FIELDS.items()}
_GROUP_ORDER = {group: i for i, (group, _) in enumerate(GROUPS)}
# Groups composed before the first frame; the rest mount when ``mount_later_groups`` is
# called. Company alone: each further group costs about 15 ms before the first frame, and
# the rest together about 300 ms of the main thread, which the app spends only after its
# first result is drawn (tui/app.py: mounting them while the core loaded in its worker thread
# doubled the core's load time, the two sharing one interpreter lock).
EAGER_GROUPS = 1


# What a number box accepts as typed (the validator judges the number). Not Textual's own
# Input(type="integer"/"number"): their patterns nest quantifiers, (?:\d*|\d+_)*, and
# backtrack exponentially on text they refuse; 24 digits and a letter took 1.5 s to refuse,
# "1111111111111.111111111111" and a letter over a minute, with the app frozen. Possessive
# quantifiers never backtrack, so each check is linear in the text.
NUMBER_RESTRICT = {
    "int": r"[-+]?+[0-9_]*+",
    "float": r"[-+]?+[0-9_]*+(?:\.[0-9_]*+)?+(?:[eE][-+]?+[0-9_]*+)?+",
    "date": r"[0-9-]*+",
}
# Longest text a box holds: a name, a day (YYYY-MM-DD); numbers are not cut.
MAX_LENGTH = {"text": 120, "date": 10}


def unit_text(spec: FieldSpec, currency: str, lang: str) -> str:
    if spec.unit == "money":
        return tr(f"unit.money.{currency}", lang)
    if spec.unit == "each":
        return tr(f"unit.each.{currency}", lang)
    if spec.unit == "share":
        return tr("unit.share", lang)
    return ""


def label_text(spec: FieldSpec, currency: str, lang: str) -> str:
    unit = unit_text(spec, currency, lang)
    name = tr(f"field.{spec.path}", lang)
    return f"{name} ({unit})" if unit else name


def hint_text(spec: FieldSpec, lang: str) -> str:
    if spec.required:
        return tr("hint.required", lang)
    if spec.optional_unknown:
        return tr("hint.unknown", lang)
    if spec.kind == "date":
        return tr("hint.as_of", lang)
    if spec.kind in ("int", "float"):
        return tr("hint.default", lang, value=format_number(spec.default))  # type: ignore[arg-type]
    return ""


def choice_options(spec: FieldSpec, lang: str) -> list[tuple[str, str]]:
    return [(tr(f"{spec.vocab}.{value}", lang), value) for value in spec.choices]


# Inner width of a group (form 56 - scrollbar - borders - padding); lines under a field span
# both grid columns.
GROUP_CELLS = 50


def lines_needed(text: str, indent: int = 0) -> int:
    """Rows a spanning line needs. Textual's grid sizes an auto-height cell that spans two
    columns as if it had one column's width, which leaves blank rows; so heights are set."""
    from rich.cells import cell_len

    return max(1, -(-(cell_len(text) + indent) // GROUP_CELLS))


class SpanLine(Static):
    """A line under a field, across both grid columns.

    Textual's grid measures an auto-height cell at one column's width even when it spans
    two, so a 40-cell message in a 22-cell column counts as two rows and leaves a blank one.
    This line reports the height it really needs across the whole group instead.
    """

    def __init__(self, text: str = "", indent: int = 0, **kwargs: object) -> None:
        # Messages quote what was typed ("got '[red]'"): never read as markup.
        super().__init__(text, markup=False, **kwargs)  # type: ignore[arg-type]
        self.indent = indent
        self.lines = lines_needed(text, indent)

    def set_text(self, text: str) -> bool:
        """Show ``text``; True when the height changed (and the screen must be laid out)."""
        lines = lines_needed(text, self.indent)
        changed = lines != self.lines
        self.lines = lines
        self.update(text, layout=changed)
        return changed

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[override]
        return self.lines


def switch_text(value: object, lang: str) -> str:
    return tr("bool.true" if value else "bool.false", lang)


def make_control(spec: FieldSpec, value: object, lang: str) -> Widget:
    # Switch, SelectionList and TextArea (about 9 ms of imports) live in groups mounted after
    # the first frame, so they are imported only when those groups are built.
    wid = spec.widget_id
    if spec.kind == "choice":
        return Select(choice_options(spec, lang), value=value, allow_blank=False, compact=True,
                      id=wid, classes="control")
    if spec.kind == "bool":
        from textual.widgets import Switch

        return Switch(bool(value), animate=False, id=wid, classes="control")
    if spec.kind == "multi":
        from textual.widgets import SelectionList

        return SelectionList[str](
            *[(label, v, v in value) for label, v in choice_options(spec, lang)],  # type: ignore[operator]
            compact=True, id=wid, classes="control",
        )
    if spec.kind == "notes":
        return ordered_text_area()(str(value), soft_wrap=True, compact=True, id=wid,
                                   classes="control notes")
    return OrderedInput(str(value), restrict=NUMBER_RESTRICT.get(spec.kind),
                 placeholder=hint_text(spec, lang), compact=True,
                 max_length=MAX_LENGTH.get(spec.kind, 0), id=wid, classes="control")


class FieldGroup(Vertical):
    """One section: a two-column grid of labels and controls, then its derived figures."""

    def __init__(self, form: ProfileForm, group: str, specs: tuple[FieldSpec, ...]) -> None:
        super().__init__(id=f"g-{group}", classes="group")
        self.form = form
        self.group = group
        self.specs = specs
        self.border_title = tr(f"section.{group}", form.lang)

    def compose(self) -> ComposeResult:
        form = self.form
        for spec in self.specs:
            if spec.kind != "notes":
                yield Label(label_text(spec, form.currency, form.lang), id="l" + spec.widget_id,
                            classes="flabel")
            control = make_control(spec, form.store[spec.path], form.lang)
            if spec.kind == "bool":
                # A switch alone does not say which way is "yes"; the word beside it does.
                with Horizontal(classes="switch-cell"):
                    yield control
                    yield Label(switch_text(form.store[spec.path], form.lang),
                                id="s" + spec.widget_id, classes="switch-state")
            else:
                yield control
        if self.group in derived.BY_GROUP:
            yield SpanLine("", id=f"d-{self.group}", classes="derived")

    def on_mount(self) -> None:
        # A lazily mounted group shows the errors and figures found while it was waiting.
        self.form.register(self)
        self.form.refresh_group(self)


class ProfileForm(VerticalScroll):
    """Every field of the contract. Posts ``Edited`` when a value really changes."""

    class Edited(Message):
        def __init__(self, form: ProfileForm, path: str) -> None:
            super().__init__()
            self.form = form
            self.path = path

        @property
        def control(self) -> ProfileForm:
            return self.form

    def __init__(self, values: Mapping[str, object], lang: str = "en", *,
                 lazy: bool = True, id: str | None = None) -> None:
        super().__init__(id=id, classes="form")
        self.store: dict[str, object] = dict(values)
        self.lang = lang
        self.lazy = lazy
        self.errors: dict[str, str] = {}
        self.general_errors: list[str] = []
        self.result: Result | None = None
        self._controls: dict[str, Widget] = {}
        self._labels: dict[str, Label] = {}
        self._derived: dict[str, SpanLine] = {}
        self._derived_text: dict[str, str] = {}
        self._groups: list[FieldGroup] = []  # mounted ones, in form order
        self._shown_errors: dict[str, str] = {}  # what the error lines say now
        self._later: list[FieldGroup] = []  # composed, waiting for mount_later_groups
        self._later_box: Vertical | None = None

    @property
    def groups_mounted(self) -> int:
        """How many of the form's field groups are mounted (all of them once the later
        groups are in)."""
        return len(self._groups)

    @property
    def currency(self) -> str:
        return str(self.store.get("currency", "USD"))

    def compose(self) -> ComposeResult:
        yield Static("", id="form-errors", classes="general-errors", markup=False)
        groups = [FieldGroup(self, group, specs) for group, specs in GROUPS]
        if not self.lazy:
            yield from groups
            return
        yield from groups[:EAGER_GROUPS]
        # One empty box for all the later groups: each widget mounted before the first
        # frame costs about 1 ms, placeholders included.
        self._later = groups[EAGER_GROUPS:]
        self._later_box = Vertical(classes="later-groups")
        yield self._later_box

    def mount_later_groups(self) -> None:
        """Mount the groups left out of the first frame (once; later calls do nothing)."""
        if self._later and self._later_box is not None:
            later, self._later = self._later, []
            self._later_box.mount_all(later)

    # -- reading and writing values ------------------------------------------------------

    def values(self) -> dict[str, object]:
        return dict(self.store)

    def control(self, path: str) -> Widget | None:
        """The field's widget, or None while its group waits to be mounted.

        Looked up in a dict filled as groups mount: a DOM query per field costs about
        0.1 ms with the whole form mounted, 3 ms for all of them, on every keystroke.
        """
        return self._controls.get(path)

    def register(self, group: FieldGroup) -> None:
        self._groups.append(group)
        self._groups.sort(key=lambda g: _GROUP_ORDER[g.group])
        for spec in group.specs:
            found = group.query(f"#{spec.widget_id}")
            if found:
                self._controls[spec.path] = found.first()
            label = group.query(f"#l{spec.widget_id}")
            if label:
                self._labels[spec.path] = label.first(Label)
        derived_line = group.query(f"#d-{group.group}")
        if derived_line:
            self._derived[group.group] = derived_line.first(SpanLine)

    def set_values(self, values: Mapping[str, object]) -> None:
        """Show new values (a loaded file); one ``Edited`` follows, not one per field."""
        self.store = dict(values)
        for path, value in self.store.items():
            widget = self.control(path)
            if widget is not None:
                self._show_value(widget, FIELDS[path], value)
                if FIELDS[path].kind == "bool":
                    self._show_switch_state(path)
        self._relabel()
        self.post_message(self.Edited(self, ""))

    def _show_value(self, widget: Widget, spec: FieldSpec, value: object) -> None:
        if spec.kind in ("text", "int", "float", "date"):
            widget.value = str(value)  # type: ignore[attr-defined]
        elif spec.kind in ("choice", "bool"):
            widget.value = value  # type: ignore[attr-defined]
        elif spec.kind == "multi":
            widget.deselect_all()  # type: ignore[attr-defined]
            for v in value:  # type: ignore[attr-defined]
                widget.select(v)  # type: ignore[attr-defined]
        elif spec.kind == "notes":
            widget.load_text(str(value))  # type: ignore[attr-defined]

    def _changed(self, widget: Widget, value: object) -> None:
        path = _PATH_BY_ID.get(str(widget.id))
        if path is None or self.store.get(path) == value:
            return  # a programmatic set echoing back, or no real change
        self.store[path] = value
        if path == "currency":
            self._relabel()
        if FIELDS[path].kind == "bool":
            self._show_switch_state(path)
        self.post_message(self.Edited(self, path))

    @on(Input.Changed, ".control")
    def _input(self, event: Input.Changed) -> None:
        event.stop()
        self._changed(event.input, event.value)

    @on(Select.Changed, ".control")
    def _select(self, event: Select.Changed) -> None:
        event.stop()
        self._changed(event.select, event.value)

    # Named handlers rather than @on: @on needs the message classes imported up front.
    def on_switch_changed(self, event: Message) -> None:
        event.stop()
        self._changed(event.switch, event.value)  # type: ignore[attr-defined]

    def on_selection_list_selected_changed(self, event: Message) -> None:
        event.stop()
        chosen = set(event.selection_list.selected)  # type: ignore[attr-defined]
        spec = FIELDS["compliance.qualifications"]
        before = tuple(self.store.get(spec.path, ()))  # type: ignore[arg-type]
        # Kept ones stay in their order, new ones go last: toggling one changes only it.
        kept = tuple(q for q in before if q in chosen)
        added = tuple(q for q in spec.choices if q in chosen and q not in before)
        self._changed(event.selection_list, kept + added)  # type: ignore[attr-defined]

    def on_text_area_changed(self, event: Message) -> None:
        event.stop()
        self._changed(event.text_area, event.text_area.text)  # type: ignore[attr-defined]

    # -- errors, derived figures, language ----------------------------------------------

    def show_errors(self, errors: Mapping[str, str], general: list[str]) -> None:
        self.errors = dict(errors)
        self.general_errors = list(general)
        general_line = self.query_one("#form-errors", Static)
        if general_line.display != bool(general) or general:
            general_line.update("\n".join(general))
            general_line.display = bool(general)
        if self._shown_errors != self.errors:
            for group in self._groups:
                self._group_errors(group)

    def show_result(self, result: Result | None) -> None:
        self.result = result
        for group in self._groups:
            self._group_derived(group)

    def refresh_group(self, group: FieldGroup) -> None:
        self._group_errors(group)
        self._group_derived(group)

    def _group_errors(self, group: FieldGroup) -> None:
        for spec in group.specs:
            widget = self.control(spec.path)
            if widget is None:
                continue
            message = self.errors.get(spec.path)
            if self._shown_errors.get(spec.path) == message:
                continue
            if message is None:
                self._shown_errors.pop(spec.path, None)
            else:
                self._shown_errors[spec.path] = message
            widget.set_class(message is not None, "-bad")
            line_id = "e" + spec.widget_id
            existing = group.query(f"#{line_id}")
            text = f"✗ {message}"
            if message is None:
                existing.remove()
            elif existing:
                existing.first(SpanLine).set_text(text)
            else:
                cell = widget.parent if isinstance(widget.parent, Horizontal) else widget
                group.mount(SpanLine(text, 2, id=line_id, classes="ferror"), after=cell)

    def _group_derived(self, group: FieldGroup) -> None:
        figures = derived.BY_GROUP.get(group.group)
        line = self._derived.get(group.group)
        if not figures or line is None:
            return
        text = "" if self.result is None else "  ·  ".join(
            figure(self.result, self.lang) for figure in figures)
        if text != self._derived_text.get(group.group, ""):
            # A line that keeps its height needs no new layout of the screen (about 5 ms).
            line.set_text(text)
            self._derived_text[group.group] = text

    def apply_language(self, lang: str) -> None:
        self.lang = lang
        for group in self._groups:
            group.border_title = tr(f"section.{group.group}", lang)
            self._group_derived(group)
        for path, spec in FIELDS.items():
            widget = self.control(path)
            if isinstance(widget, Select):
                # set_options resets the selection to the first option; the store keeps the
                # choice, so put it back. When the choice *is* the first option the value does
                # not change and the shown label would stay in the old language: force it.
                widget.set_options(choice_options(spec, lang))
                widget.value = self.store[path]
                widget.mutate_reactive(Select.value)
            elif spec.kind == "multi" and widget is not None:
                for index, (label, _) in enumerate(choice_options(spec, lang)):
                    widget.replace_option_prompt_at_index(index, label)  # type: ignore[attr-defined]
            elif isinstance(widget, Input):
                widget.placeholder = hint_text(spec, lang)
            elif spec.kind == "bool":
                self._show_switch_state(path)
        self._relabel()

    def _show_switch_state(self, path: str) -> None:
        widget = self.control(path)
        if widget is not None and widget.parent is not None:
            for label in widget.parent.query(".switch-state"):
                label.update(switch_text(self.store[path], self.lang))  # type: ignore[attr-defined]

    def _relabel(self) -> None:
        for path, label in self._labels.items():
            label.update(label_text(FIELDS[path], self.currency, self.lang))

    def focus_first_error(self) -> bool:
        for path in FIELDS:
            if path in self.errors:
                widget = self.control(path)
                if widget is not None:
                    widget.focus()
                    return True
        return False
