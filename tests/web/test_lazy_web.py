"""The web server's packages load only for ``gtmcompass serve``."""

from __future__ import annotations

from tests.tui.test_lazy_imports import modules_after

HEAVY = ("textual_serve", "aiohttp", "gtmcompass.web.serve")


def test_the_batch_path_and_the_app_do_not_load_the_web_server():
    loaded = modules_after(
        "from gtmcompass.cli import run_command, build_parser\n"
        "import gtmcompass.tui.app, gtmcompass.web.session\n"
        "import contextlib, io\n"
        "build_parser()\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    run_command(['score', 'profiles/medical-partners.toml'])")
    assert not [m for m in loaded if m.split(".")[0] in HEAVY[:2] or m == HEAVY[2]]
