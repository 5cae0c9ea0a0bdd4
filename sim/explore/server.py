"""Serve the explorer on localhost: Solara's Starlette app under uvicorn, in this process.

Solara's own command line (`solara run`) would start a second program and check for updates
online; this starts the page in-process, offline (its JavaScript comes from the solara-assets
package, not a CDN), and stops cleanly on Ctrl-C.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import threading
import time
from typing import Callable

from ..errors import OutputError

DEFAULT_PORT = 8765
HOST = "127.0.0.1"


def check_port(host: str, port: int) -> None:
    """Fail early, in words, when the port is taken (uvicorn would log a traceback)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn: a just-closed port is free
        try:
            s.bind((host, port))
        except OverflowError:
            raise OutputError(f"--port {port}: expected a port from 1 to 65535") from None
        except OSError as exc:
            why = "is in use by another program" if exc.errno == errno.EADDRINUSE else f"cannot be used ({exc.strerror})"
            raise OutputError(f"--port {port}: port {port} on {host} {why}; choose another with --port N") from None


def _server_class():
    import uvicorn

    class Server(uvicorn.Server):
        """uvicorn's server, which after a graceful stop on Ctrl-C or SIGTERM does not raise the
        signal again: raised inside asyncio's runner, it cancels the app's lifespan and uvicorn
        logs a traceback."""

        @contextlib.contextmanager
        def capture_signals(self):
            with super().capture_signals():
                yield
                captured = getattr(self, "_captured_signals", None)  # uvicorn's own list (0.55)
                if captured:
                    captured.clear()

    return Server


def serve(port: int = DEFAULT_PORT, host: str = HOST, announce: Callable[[str], None] = print, **settings) -> None:
    """Run the explorer until Ctrl-C or SIGTERM, after which it returns (having stopped the server
    and its workers)."""
    check_port(host, port)
    # Before Solara is imported: the app to serve, and no telemetry (the page works offline).
    os.environ["SOLARA_APP"] = "sim.explore.app"
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    os.environ["SERVER_NAME"], os.environ["SERVER_PORT"] = host, str(port)
    import warnings
    # Solara warns that its session cookie falls back to SameSite=Lax over plain http: expected on localhost.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    import solara.server.settings as solara_settings
    import uvicorn
    _Server = _server_class()
    solara_settings.main.mode = "production"
    solara_settings.telemetry.mixpanel_enable = False
    solara_settings.theme.show_banner = False  # it sits over the charts; Solara is credited in docs/EXPLORER.md
    from . import app, compute
    app.configure(**settings)
    compute.start_workers(int(app.CONFIG["workers"]))
    config = uvicorn.Config("solara.server.starlette:app", host=host, port=port, log_level="warning",
                            timeout_graceful_shutdown=2, lifespan="on")
    server = _Server(config)

    def tell_when_ready() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started:
            announce(f"Explorer: http://{host}:{port}  (Ctrl-C to stop)")
    threading.Thread(target=tell_when_ready, daemon=True).start()
    try:
        server.run()
    finally:
        compute.shutdown()
