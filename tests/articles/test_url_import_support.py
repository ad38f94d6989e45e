"""A local HTTP server with news pages and misbehaving routes, for URL import tests.

Not a test module itself (no tests here); imported by the URL, batch and browser import tests.
"""

from __future__ import annotations

import http.server
import threading
import time
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "html"
NOT_AN_ARTICLE = (
    b"<!doctype html><html><head><title>Menu</title></head><body><nav></nav></body></html>"
)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, format, *args):
        pass

    def _send(
        self, body: bytes, content_type: str | None = "text/html; charset=utf-8", status: int = 200
    ) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):  # noqa: C901 - a flat list of routes
        port = self.server.server_address[1]
        path = self.path.split("?")[0]
        self.server.hits.append(path)
        if path == "/en":
            self._send(fixture("en_article.html"))
        elif path == "/de":
            self._send(fixture("de_artikel.html"))
        elif path == "/latin1-meta":
            self._send(fixture("de_latin1_meta.html"), "text/html")
        elif path == "/undeclared":
            self._send(fixture("de_undeclared_cp1252.html"), "text/html")
        elif path == "/to-en":
            self._redirect("/en")
        elif path == "/to-127.0.0.2":
            self._redirect(f"http://127.0.0.2:{port}/en")
        elif path == "/to-ipv6-loopback":
            self._redirect(f"http://[::1]:{port}/en")
        elif path.startswith("/loop/"):
            n = int(path.rsplit("/", 1)[1])
            self._redirect(f"/loop/{n + 1}")
        elif path == "/slow":
            time.sleep(3)
            self._send(fixture("en_article.html"))
        elif path == "/big":
            self._send(b"<!doctype html><html><body><p>" + b"x" * (11 * 1024 * 1024) + b"</p>")
        elif path == "/json":
            self._send(b'{"title": "not a page"}', "application/json")
        elif path == "/pdf":
            self._send(b"%PDF-1.4 ...", "application/pdf")
        elif path == "/not-an-article":
            self._send(NOT_AN_ARTICLE)
        elif path.startswith("/flaky/"):  # a server error on the first visit per path
            first = self.server.hits.count(path) == 1
            if first:
                self._send(b"busy", "text/plain", status=503)
            else:
                self._send(fixture("en_article.html"))
        elif path.startswith("/stall-once/"):  # the first visit hangs (a worker dies meanwhile)
            if self.server.hits.count(path) == 1:
                time.sleep(20)
            self._send(fixture("en_article.html"))
        elif path == "/gone":
            self._send(b"<html><body>Gone</body></html>", status=404)
        else:
            self._send(b"not found", "text/plain", status=404)


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # clients hanging up early is expected
        pass


class PageServer:
    def __init__(self) -> None:
        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.hits = []
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    @property
    def hits(self) -> list[str]:
        return self.httpd.hits

    def __enter__(self) -> PageServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
