"""The web server of ``gtmcompass serve``: textual-serve, with gtmcompass's own page and rules.

textual-serve (the ``[web]`` extra) starts one app process per browser tab and relays its
screen and keys over a websocket; nothing goes through a third-party service. On top of it:

* the page is ours (templates/app_index.html): textual-serve's loads Roboto Mono from
  fonts.googleapis.com, which fails offline and sends every visit to a third party. Ours uses
  the Roboto Mono file textual-serve ships, with CJK characters drawn by a local monospace
  CJK font or, failing that, the browser's own fallback (the terminal grid gives each CJK
  character two cells whichever font draws it, so columns still line up);
* each tab runs ``gtmcompass.web.session``, confined to the profiles folder;
* a websocket must come from this server's own page (the Origin header), and when bound to
  the loopback address the Host header must name it, so another web site open in the same
  browser cannot drive the app (cross-site websocket, DNS rebinding);
* only ``/``, ``/ws`` and ``/static`` are served; textual-serve's ``/download`` route
  (files an app hands to the browser) is left out, as the app never offers one;
* stderr gets one line saying where to open it; Ctrl-C or SIGTERM close every tab's session
  and stop the server.
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import logging
import shlex
import signal
import socket
import sys
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

TEMPLATES = Path(__file__).with_name("templates")
LOOPBACK_NAMES = {"localhost"}
# The websocket's keep-alive, as textual-serve's: a tab whose network went away is noticed
# and its process ended within about this many seconds.
HEARTBEAT_SECONDS = 15
# How long Ctrl-C waits for the open sessions to quit before the server stops anyway.
SHUTDOWN_SECONDS = 5.0

log = logging.getLogger("gtmcompass.serve")


class ServeError(Exception):
    """The server could not start (port in use, address not available); one line."""


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def session_command(folder: Path, file: Path | None) -> str:
    """The shell command textual-serve runs for each tab (``exec``: no shell left waiting)."""
    parts = [sys.executable, "-m", "gtmcompass.web.session", str(folder)]
    if file is not None:
        parts.append(str(file))
    return "exec " + " ".join(shlex.quote(part) for part in parts)


def _url_host(host: str) -> str:
    if host in ("", "0.0.0.0", "::"):
        return socket.gethostname()
    return f"[{host}]" if ":" in host else host


class CompassServer(Server):
    def __init__(self, folder: Path, file: Path | None, host: str, port: int) -> None:
        super().__init__(session_command(folder, file), host=host, port=port,
                         title="gtmcompass", templates_path=TEMPLATES)
        self.folder = folder
        self.sockets: set[web.WebSocketResponse] = set()
        self.bound_port = port

    async def _make_app(self) -> web.Application:
        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws", self.handle_websocket, name="websocket"),
            web.static("/static", self.statics_path, name="static"),
        ])
        return app

    def _host_allowed(self, request: web.Request) -> bool:
        if not is_loopback(self.host):
            return True
        name = request.host.rsplit(":", 1)[0] if not request.host.endswith("]") \
            else request.host
        return is_loopback(name)

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if not self._host_allowed(request):
            raise web.HTTPMisdirectedRequest(text="this server answers to localhost only")
        scheme = "wss" if request.secure else "ws"
        context = {
            "font_size": _to_int(request.query.get("fontsize", "16"), 16),
            # Built from the address the browser used, so it works whatever --host was.
            "app_websocket_url": f"{scheme}://{request.host}/ws",
            "config": {"static": {"url": "/static/"}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        origin = request.headers.get("Origin")
        expected = {f"http://{request.host}", f"https://{request.host}"}
        if not self._host_allowed(request) or (origin is not None and origin not in expected):
            raise web.HTTPForbidden(text="websocket from another site")
        websocket = web.WebSocketResponse(heartbeat=HEARTBEAT_SECONDS)
        width = _to_int(request.query.get("width", "80"), 80)
        height = _to_int(request.query.get("height", "24"), 24)
        await websocket.prepare(request)
        self.sockets.add(websocket)
        service = AppService(self.command, write_bytes=websocket.send_bytes,
                             write_str=websocket.send_str, close=websocket.close,
                             download_manager=self.download_manager)
        try:
            await service.start(width, height)
            # textual-serve's loop: keys, resizes, pings from the page until the tab closes.
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception:  # one tab's failure is logged; the server goes on
            log.exception("session failed")
        finally:
            self.sockets.discard(websocket)
            # Closing the tab ends its app: "quit" over the pipe, then wait for it to exit.
            await service.stop()
        return websocket

    async def close_sessions(self) -> None:
        await asyncio.gather(*(ws.close(code=WSCloseCode.GOING_AWAY, message=b"server stopping")
                               for ws in list(self.sockets)), return_exceptions=True)

    async def run(self, ready=None) -> None:
        app = await self._make_app()
        runner = web.AppRunner(app, handle_signals=False, access_log=None,
                               shutdown_timeout=SHUTDOWN_SECONDS)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except OSError as exc:
            await runner.cleanup()
            if exc.errno == errno.EADDRINUSE:
                raise ServeError(f"{self.host}:{self.port} is already in use; choose "
                                 "another --port") from None
            reason = exc.strerror or str(exc)
            raise ServeError(f"cannot listen on {self.host}:{self.port}: {reason}") from None
        if runner.addresses:  # the port the system chose for --port 0
            self.bound_port = runner.addresses[0][1]
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(signum, stop.set)
            except (NotImplementedError, RuntimeError):  # not on the main thread, Windows
                pass
        if ready is not None:
            ready(self)
        try:
            await stop.wait()
        finally:
            await self.close_sessions()
            await runner.cleanup()

    @property
    def url(self) -> str:
        return f"http://{_url_host(self.host)}:{self.bound_port}/"


def _to_int(text: str, default: int) -> int:
    try:
        return int(text)
    except ValueError:
        return default


def serve(folder: Path, file: Path | None, host: str, port: int) -> int:
    """Run until Ctrl-C; 0 when stopped, ServeError when it could not start."""
    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s",
                        stream=sys.stderr)
    server = CompassServer(folder, file, host, port)

    def ready(server: CompassServer) -> None:
        print(f"gtmcompass: serving {folder} at {server.url} (Ctrl-C stops it)",
              file=sys.stderr, flush=True)

    asyncio.run(server.run(ready))
    print("gtmcompass: stopped", file=sys.stderr, flush=True)
    return 0
