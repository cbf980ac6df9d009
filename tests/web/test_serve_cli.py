"""``gtmcompass serve`` without a browser: where it listens, what it refuses, how it stops.

A tab is stood in for by a plain websocket client (aiohttp, which the web extra brings), so
these run wherever the extra is installed; the browser test is tests/web/test_serve_browser.py.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.web.conftest import ROOT, WAIT_SECONDS, children, serving, wait_for

aiohttp = pytest.importorskip("aiohttp")
pytest.importorskip("textual_serve")


CLOSING = (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def run_cli(*args: str, code: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "gtmcompass"]
    return subprocess.run([*command, *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=WAIT_SECONDS, check=False)


async def open_session(url: str, **headers: str):
    """A websocket session as the page opens one, and the first screen bytes it sends."""
    client = aiohttp.ClientSession()
    socket = await client.ws_connect(url + "ws?width=100&height=30", headers=headers)
    return client, socket


def test_listens_on_localhost_by_default_and_says_where(folder):
    with serving("--dir", str(folder)) as served:
        assert served.url.startswith("http://127.0.0.1:")
        assert str(folder) in served.first_line
        assert "warning" not in served.first_line


def test_another_address_needs_host_and_warns(folder):
    with serving("--host", "0.0.0.0", "--dir", str(folder)) as served:
        warning = served.first_line.splitlines()[0]
        assert warning.startswith("warning: listening on 0.0.0.0")
        assert "anyone" in warning and str(folder) in warning


def test_a_port_in_use_is_one_line_and_status_2(folder):
    with serving("--dir", str(folder)) as served:
        done = run_cli("serve", "--port", str(served.port), "--dir", str(folder))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert f"{served.port} is already in use" in done.stderr


def test_without_the_web_extra_one_line_names_it(folder):
    # As if textual-serve were not installed: an entry of None makes its import fail.
    code = ("import sys; sys.modules['textual_serve'] = None\n"
            "from gtmcompass.cli import main; sys.exit(main(sys.argv[1:]))")
    done = run_cli("serve", "--dir", str(folder), code=code)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "pip install 'gtmcompass[web]'" in done.stderr


def test_a_start_file_outside_the_folder_is_refused(folder):
    done = run_cli("serve", "--dir", str(folder), str(folder.parent / "secret.toml"))
    assert done.returncode == 2
    assert "outside the profiles folder" in done.stderr


def test_the_start_files_folder_is_the_default(folder):
    with serving(str(folder / "medical-partners.toml")) as served:
        assert f"serving {folder} at" in served.first_line


def test_ctrl_c_ends_every_session_and_stops_cleanly(folder):
    with serving("--dir", str(folder)) as served:
        async def scenario() -> list[int]:
            client, socket = await open_session(served.url)
            try:
                first = await asyncio.wait_for(socket.receive(), WAIT_SECONDS)
                assert first.type == aiohttp.WSMsgType.BINARY, first
                sessions = wait_for("one app process for the open session", served.sessions)
                # As Ctrl-C in a terminal: SIGINT to the whole group, the tabs' apps too.
                os.killpg(served.process.pid, signal.SIGINT)
                # The server closes the session's socket as it stops (screen bytes still
                # arriving first are passed over).
                async def closed() -> None:
                    while (await socket.receive()).type not in CLOSING:
                        pass

                await asyncio.wait_for(closed(), WAIT_SECONDS)
                return sessions
            finally:
                await client.close()

        sessions = asyncio.run(scenario())
        status = served.process.wait(WAIT_SECONDS)
        err = served.process.stderr.read()
        # textual-serve passes on what a tab's app wrote to its stderr here.
        out = served.process.stdout.read()
    assert status == 0
    assert "Traceback" not in err and "stopped" in err
    assert "Traceback" not in out and "KeyboardInterrupt" not in out
    wait_for("the session's app process to end", lambda: not any(map(alive, sessions)))


@pytest.mark.parametrize("headers", [{"Origin": "http://evil.example"},
                                     {"Host": "evil.example"}])
def test_a_websocket_from_another_site_is_refused(folder, headers):
    with serving("--dir", str(folder)) as served:
        async def attempt() -> int:
            async with aiohttp.ClientSession() as client:
                try:
                    socket = await client.ws_connect(served.url + "ws", headers=headers)
                except aiohttp.WSServerHandshakeError as exc:
                    return exc.status
                await socket.close()
                return 101

        assert asyncio.run(attempt()) in (403, 421)
        assert children(served.process.pid) == []
