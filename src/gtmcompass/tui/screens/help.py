"""The help screen (F1 or ?): keys, what each field means, how the result is made, sources."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from gtmcompass.tui.form_fields import FIELDS
from gtmcompass.tui.screens.dialogs import DialogScreen
from gtmcompass.vocab.escape import md_cell
from gtmcompass.vocab.i18n import tr


def help_markdown(lang: str, keys: list[tuple[str, list[tuple[str, str]]]]) -> str:
    """``keys``: per place in the app, its heading and (key as shown, what it does) rows."""
    from gtmcompass.model.catalogue import load_catalogue, load_evidence
    from gtmcompass.model.wording import text

    out = [f"# {tr('help.title', lang)}", "", tr("help.intro", lang), "",
           f"## {tr('help.keys', lang)}"]
    for heading, rows in keys:
        out += ["", f"### {heading}", "",
                f"| {tr('help.col.key', lang)} | {tr('help.col.action', lang)} |", "|---|---|"]
        out += [f"| `{key}` | {md_cell(what)} |" for key, what in rows]
    out += ["", f"## {tr('help.fields', lang)}", "",
            f"| {tr('help.col.field', lang)} | {tr('help.col.meaning', lang)} |", "|---|---|"]
    out += [f"| {tr(f'field.{path}', lang)} (`{path}`) | {md_cell(tr(f'about.{path}', lang))} |"
            for path in FIELDS]
    out += ["", f"## {tr('help.scoring', lang)}", ""]
    out += [f"- {text(e, lang)}" for e in load_catalogue().explanation]
    out += ["", f"## {tr('help.sources', lang)}", ""]
    for article in load_evidence().article:
        out.append(f"- **{article.id}**: " + tr("evidence.article", lang, title=article.title,
                                                 title_en=article.title_en,
                                                 source=article.source, date=article.date))
    return "\n".join(out) + "\n"


class HelpScreen(DialogScreen[None]):
    DEFAULT_CSS = """
    HelpScreen .help-box {
        width: 104;
        max-width: 100%;
        height: 92%;
        border: thick $primary;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("escape,f1,question_mark,q", "close", "Close"),
    ]

    def __init__(self, lang: str, keys: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.lang = lang
        self.keys = keys
        self.source = help_markdown(lang, keys)  # the help as Markdown, as shown

    def compose(self) -> ComposeResult:
        # Rich's Markdown in one Static, not Textual's Markdown widget: that one mounts a
        # widget per table cell (about 200 here) and took 1.5 s to open; this takes 0.1 s.
        from rich.markdown import Markdown

        with VerticalScroll(id="help-scroll", classes="help-box") as box:
            box.border_title = tr("help.title", self.lang)
            yield Static(Markdown(self.source), id="help-text")

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)
