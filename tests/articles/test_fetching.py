"""Tests for articles.fetching — no internet: a local server on 127.0.0.1 and fake DNS."""

from __future__ import annotations

import gzip
import http.server
import ipaddress
import socket
import ssl
import subprocess
import threading
import time
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from articles import fetching
from articles.fetching import USER_AGENT, FetchedPage, FetchError, fetch_url, is_public_address

LOCAL = frozenset({"127.0.0.1"})
HTML = b"<!doctype html><html><head><title>News</title></head><body><p>Hi</p></body></html>"
BOMB_SIZE = 8 * 1024 * 1024


# --------------------------------------------------------------------------------------
# Local test server


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "TestServer/1.0"

    def log_message(self, format, *args):  # silence request logging
        pass

    # helpers -----------------------------------------------------------------------

    def _send(
        self,
        status=200,
        body=HTML,
        content_type="text/html; charset=utf-8",
        headers=None,
        length=True,
    ):
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location, status=302):
        self.send_response(status)
        if location is not None:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _trickle(self, data: bytes, delay: float = 0.05, seconds: float = 3.0):
        end = time.monotonic() + seconds
        try:
            for byte in data:
                if time.monotonic() > end:
                    return
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(delay)
        except OSError:
            return

    def _stream_forever(self, chunked: bool):
        block = b"<p>" + b"x" * 65000 + b"</p>"
        try:
            for _ in range(1000):  # up to ~65 MB unless the client hangs up
                if chunked:
                    self.wfile.write(f"{len(block):x}\r\n".encode() + block + b"\r\n")
                else:
                    self.wfile.write(block)
        except OSError:
            return

    def _chunked(self, cut: bool):
        self.protocol_version = "HTTP/1.1"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        for part in (b"<html><p>one</p>", b"<p>two</p>", b"</html>"):
            self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            self.wfile.flush()
        if cut:  # a chunk that promises more than it brings, then the connection ends
            self.wfile.write(b"400\r\n<p>cut")
        else:
            self.wfile.write(b"0\r\n\r\n")

    def _late_body(self):
        # The headers say the connection closes after this response; the body comes
        # later, in a separate packet, after the client has finished reading headers.
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(HTML)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.flush()
        time.sleep(0.1)
        self.wfile.write(HTML)

    # routing -----------------------------------------------------------------------

    def do_GET(self):  # a flat list of test routes
        parts = urlsplit(self.path)
        path = parts.path
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        self.server.requests.append(path)
        port = self.server.server_address[1]

        if path == "/page":
            self._send()
        elif path.startswith("/echo"):
            lines = [f"PATH {self.path}"] + [f"{k}: {v}" for k, v in self.headers.items()]
            self._send(body=("<html><pre>" + "\n".join(lines) + "</pre></html>").encode())
        elif path.startswith("/redirect/"):
            remaining = int(path.rsplit("/", 1)[1])
            self._redirect("/page" if remaining <= 1 else f"/redirect/{remaining - 1}")
        elif path.startswith("/redirect-full/"):
            remaining = int(path.rsplit("/", 1)[1])
            nxt = "/page" if remaining <= 1 else f"/redirect-full/{remaining - 1}"
            self._redirect(f"http://127.0.0.1:{port}{nxt}")
        elif path == "/relative/a/b":
            self._redirect("../../page")
        elif path.startswith("/status-redirect/"):
            self._redirect("/page", status=int(path.rsplit("/", 1)[1]))
        elif path == "/to":
            self._redirect(query["url"])
        elif path == "/no-location":
            self._redirect(None)
        elif path.startswith("/status/"):
            self._send(status=int(path.rsplit("/", 1)[1]), body=b"<html>error</html>")
        elif path == "/type":
            self._send(content_type=query["ct"], body=query.get("body", "<html></html>").encode())
        elif path == "/no-type":
            self._send(content_type=None, body=b"\n  \t<!DOCTYPE html><html><p>sniffed</p></html>")
        elif path == "/no-type-bom":
            self._send(content_type=None, body=b"\xef\xbb\xbf <html><p>bom</p></html>")
        elif path == "/no-type-binary":
            self._send(content_type=None, body=b"%PDF-1.4 binary stuff <html>")
        elif path == "/big":
            self._send(body=b"<html>" + b"a" * (int(query.get("size", 5000)) - 6))
        elif path == "/big-no-length":
            self._send(body=b"<html>" + b"a" * 4994, length=False)
        elif path == "/endless":
            self._send(body=b"<html>", length=False)
            self._stream_forever(chunked=False)
        elif path == "/endless-chunked":
            self.protocol_version = "HTTP/1.1"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Connection", "close")
            self.end_headers()
            self._stream_forever(chunked=True)
        elif path.startswith("/chunked"):
            self._chunked(cut=path == "/chunked-cut")
        elif path == "/late-body":
            self._late_body()
        elif path == "/huge-length":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(50 * 1024 * 1024))
            self.end_headers()
            self.wfile.flush()
            self._trickle(b"<html>" + b"h" * 100)
        elif path == "/short":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"<html>only a bit")
        elif path == "/gzip":
            self._send(body=gzip.compress(HTML), headers={"Content-Encoding": "gzip"})
        elif path == "/gzip-members":
            body = gzip.compress(b"<html><p>one</p>") + gzip.compress(b"<p>two</p></html>")
            self._send(body=body, headers={"Content-Encoding": "gzip"})
        elif path == "/gzip-truncated":
            self._send(body=gzip.compress(HTML * 50)[:-30], headers={"Content-Encoding": "gzip"})
        elif path == "/gzip-corrupt":
            body = b"\x1f\x8b\x08\x00garbage-garbage"
            self._send(body=body, headers={"Content-Encoding": "gzip"})
        elif path == "/gzip-bomb":
            self._send(body=self.server.bomb, headers={"Content-Encoding": "gzip"})
        elif path == "/brotli":
            self._send(body=b"\x0b\x02\x80", headers={"Content-Encoding": "br"})
        elif path == "/slow-start":
            time.sleep(2)
            self._send()
        elif path == "/slow-headers":
            self.wfile.write(b"HTTP/1.0 200 OK\r\n")
            self._trickle(b"Content-Type: text/html\r\nX-Padding: " + b"p" * 200 + b"\r\n\r\n")
        elif path == "/slow-body":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "200")
            self.end_headers()
            self._trickle(b"<html>" + b"s" * 194)
        elif path.startswith("/sleepy-redirect/"):
            remaining = int(path.rsplit("/", 1)[1])
            time.sleep(0.2)
            self._redirect("/page" if remaining <= 1 else f"/sleepy-redirect/{remaining - 1}")
        else:
            self._send(status=404, body=b"<html>not found</html>")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address):  # clients hang up on purpose
        pass


def _start(server: Server) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    return thread


@pytest.fixture(scope="module")
def server():
    srv = Server(("127.0.0.1", 0), Handler)
    srv.requests = []
    srv.bomb = gzip.compress(b"<html>" + b"\0" * BOMB_SIZE, compresslevel=9)
    _start(srv)
    srv.port = srv.server_address[1]
    srv.base = f"http://127.0.0.1:{srv.port}"
    yield srv
    srv.shutdown()
    srv.server_close()


class FakeResolver:
    """Fake DNS: records every look-up."""

    def __init__(self, mapping: dict[str, list[str]]):
        self.mapping = mapping
        self.calls: list[tuple[str, int]] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append((host, port))
        try:
            return list(self.mapping[host])
        except KeyError:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None


@pytest.fixture
def no_connect(monkeypatch):
    """Fail the test if fetch_url tries to open any connection."""

    def forbidden(*args, **kwargs):
        raise AssertionError(f"unexpected connection attempt: {args}")

    monkeypatch.setattr(fetching, "_connect", forbidden)


@pytest.fixture
def record_connect(monkeypatch):
    """Record connection attempts and refuse them (nothing leaves the machine)."""
    attempts: list[tuple[str, int]] = []

    def fake(ip, port, deadline):
        attempts.append((str(ip), port))
        raise ConnectionRefusedError("refused by test")

    monkeypatch.setattr(fetching, "_connect", fake)
    return attempts


def fetch(url, **kwargs):
    kwargs.setdefault("allowed_addresses", LOCAL)
    kwargs.setdefault("timeout", 0.5)
    return fetch_url(url=url, **kwargs)


# --------------------------------------------------------------------------------------
# Happy paths


def test_fetches_html_page(server):
    page = fetch(f"{server.base}/page")
    assert isinstance(page, FetchedPage)
    assert page.url == f"{server.base}/page"
    assert page.status == 200
    assert page.content_type == "text/html; charset=utf-8"
    assert page.body == HTML
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["content-length"] == str(len(HTML))


def test_sends_user_agent_accept_and_host(server):
    page = fetch(f"{server.base}/echo")
    text = page.body.decode()
    assert f"User-Agent: {USER_AGENT}" in text
    assert USER_AGENT == "Sourcemark/1.0 (+news annotation; article import)"
    assert "Accept: text/html,application/xhtml+xml" in text
    assert f"Host: 127.0.0.1:{server.port}" in text


def test_connects_to_resolved_ip_with_host_header_set_to_name(server):
    resolver = FakeResolver({"news.example": ["127.0.0.1"]})
    page = fetch(f"http://news.example:{server.port}/echo", resolver=resolver)
    assert f"Host: news.example:{server.port}" in page.body.decode()
    assert resolver.calls == [("news.example", server.port)]


def test_non_ascii_path_and_query_are_percent_encoded(server):
    page = fetch(f"{server.base}/echo/ünï?q=ä b".replace(" ", "%20"))
    assert "PATH /echo/%C3%BCn%C3%AF?q=%C3%A4%20b" in page.body.decode()


def test_numeric_host_spelling_is_normalised(server):
    page = fetch(f"http://0x7f.1:{server.port}/echo")
    assert f"Host: 127.0.0.1:{server.port}" in page.body.decode()


@pytest.mark.parametrize(
    "content_type",
    [
        "text/html",
        "text/html; charset=iso-8859-1",
        "TEXT/HTML",
        "application/xhtml+xml",
    ],
)
def test_accepts_html_content_types(server, content_type):
    page = fetch(f"{server.base}/type?ct={quote(content_type)}")
    assert page.content_type == content_type


@pytest.mark.parametrize("path", ["/no-type", "/no-type-bom"])
def test_missing_content_type_is_sniffed(server, path):
    page = fetch(server.base + path)
    assert page.content_type == "text/html"
    assert b"<html>" in page.body


def test_gzip_is_decoded(server):
    page = fetch(f"{server.base}/gzip")
    assert page.body == HTML
    assert page.headers["content-encoding"] == "gzip"


def test_concatenated_gzip_members_are_decoded(server):
    assert fetch(f"{server.base}/gzip-members").body == b"<html><p>one</p><p>two</p></html>"


def test_chunked_body_is_joined(server):
    page = fetch(f"{server.base}/chunked")
    assert page.body == b"<html><p>one</p><p>two</p></html>"
    assert page.headers["transfer-encoding"] == "chunked"


def test_body_arriving_after_the_headers_is_read(server):
    assert fetch(f"{server.base}/late-body").body == HTML


def test_body_exactly_at_limit_is_accepted(server):
    assert len(fetch(f"{server.base}/big?size=5000", max_bytes=5000).body) == 5000


# --------------------------------------------------------------------------------------
# Redirects


def test_redirect_chain_of_three_is_followed(server):
    page = fetch(f"{server.base}/redirect/3")
    assert page.url == f"{server.base}/page"
    assert page.body == HTML


def test_redirect_chain_of_five_with_absolute_locations(server):
    page = fetch(f"{server.base}/redirect-full/5")
    assert page.url == f"{server.base}/page"


def test_redirect_chain_of_six_is_refused(server):
    with pytest.raises(FetchError, match="redirected too many times"):
        fetch(f"{server.base}/redirect/6")


def test_max_redirects_zero(server):
    with pytest.raises(FetchError, match="redirected too many times"):
        fetch(f"{server.base}/redirect/1", max_redirects=0)


def test_relative_location_is_resolved(server):
    assert fetch(f"{server.base}/relative/a/b").url == f"{server.base}/page"


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_all_redirect_statuses_are_followed(server, status):
    assert fetch(f"{server.base}/status-redirect/{status}").url == f"{server.base}/page"


def test_redirect_without_location_is_refused(server):
    with pytest.raises(FetchError, match="without a target"):
        fetch(f"{server.base}/no-location")


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.2:{port}/page",
        "http://[::1]:{port}/page",
        "http://[::ffff:127.0.0.2]:{port}/page",
        "http://2130706434:{port}/page",
        "http://0x7f.0.0.2:{port}/page",
        "http://10.0.0.1:{port}/page",
        "http://169.254.169.254/latest/meta-data/",
    ],
)
def test_redirect_to_unsafe_address_is_refused(server, target):
    url = target.format(port=server.port)
    with pytest.raises(FetchError, match="private network"):
        fetch(f"{server.base}/to?url={url}")


@pytest.mark.parametrize(
    "address",
    [
        ["10.0.0.5"],
        ["192.168.1.1"],
        ["169.254.169.254"],
        ["::ffff:10.0.0.5"],
        ["fd00::5"],
        ["127.0.0.1", "10.0.0.5"],  # one allowed + one unsafe: refused (ALL are checked)
        ["93.184.216.34", "192.168.1.1"],
    ],
)
def test_redirect_to_name_resolving_to_private_address_is_refused(server, address):
    resolver = FakeResolver({"news.example": ["127.0.0.1"], "internal.example": address})
    url = f"http://internal.example:{server.port}/page"
    with pytest.raises(FetchError, match="private network"):
        fetch(f"http://news.example:{server.port}/to?url={url}", resolver=resolver)
    # resolved exactly once per hop, never twice
    assert resolver.calls == [("news.example", server.port), ("internal.example", server.port)]


def test_resolver_is_asked_once_per_hop(server):
    resolver = FakeResolver({"news.example": ["127.0.0.1"]})
    page = fetch(f"http://news.example:{server.port}/redirect/3", resolver=resolver)
    assert page.url == f"http://news.example:{server.port}/page"
    assert resolver.calls == [("news.example", server.port)] * 4


def test_no_second_lookup_dns_rebinding(server):
    answers = iter([["127.0.0.1"], ["10.0.0.5"], ["10.0.0.5"]])
    calls = []

    def rebinding(host, port):
        calls.append(host)
        return next(answers)

    page = fetch(f"http://rebind.example:{server.port}/page", resolver=rebinding)
    assert page.body == HTML
    assert calls == ["rebind.example"]


def test_unknown_host_name(server):
    with pytest.raises(FetchError, match="could not be found"):
        fetch("http://nowhere.example/", resolver=FakeResolver({}))


def test_empty_resolver_answer(server):
    with pytest.raises(FetchError, match="could not be found"):
        fetch("http://nowhere.example/", resolver=FakeResolver({"nowhere.example": []}))


@pytest.mark.parametrize(
    "target",
    [
        "ftp://example.com/file",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:text/html,<h1>hi</h1>",
    ],
)
def test_redirect_to_other_scheme_is_refused(server, target):
    with pytest.raises(FetchError, match="Only http and https"):
        fetch(f"{server.base}/to?url={target}")


def test_redirect_to_url_with_credentials_is_refused(server):
    with pytest.raises(FetchError, match="username or password"):
        fetch(f"{server.base}/to?url=http://user:pw@127.0.0.1:{server.port}/page")


# --------------------------------------------------------------------------------------
# URL validation (nothing is resolved or connected)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:text/html,<html>hi</html>",
        "gopher://example.com/",
        "example.com/news",
        "//example.com/news",
        "mailto:editor@example.com",
    ],
)
def test_refuses_non_http_schemes(url, no_connect):
    resolver = FakeResolver({})
    with pytest.raises(FetchError, match="Only http and https URLs can be imported."):
        fetch_url(url=url, resolver=resolver)
    assert resolver.calls == []


@pytest.mark.parametrize(
    "url",
    [
        "http://user:pass@example.com/",
        "https://user@example.com/",
        "http://:secret@example.com/",
        "http://@example.com/",
        "http://example.com@127.0.0.1/",
    ],
)
def test_refuses_credentials(url, no_connect):
    with pytest.raises(FetchError, match="username or password"):
        fetch_url(url=url, resolver=FakeResolver({}))


@pytest.mark.parametrize("url", ["http://", "http:///path", "https://:443/", "http://?q=1"])
def test_refuses_missing_host(url, no_connect):
    with pytest.raises(FetchError, match="host name"):
        fetch_url(url=url, resolver=FakeResolver({}))


@pytest.mark.parametrize(
    "url",
    [
        "http://256.0.0.1/",
        "http://1.2.3.4.5/",
        "http://08.0.0.1/",
        "http://0x1g.1/",
        "http://[::1/",
        "http://[not-ipv6]/",
        "http://exa mple.com/",
        "http://example.com/\r\nX-Injected: 1",
        "http://bad_host!.com/",
        "http://a..b.com/",
        "http://example.com:99999/",
        "http://example.com:port/",
    ],
)
def test_refuses_malformed_urls(url, no_connect):
    with pytest.raises(FetchError, match="not valid"):
        fetch_url(url=url, resolver=FakeResolver({}))


@pytest.mark.parametrize(
    "host",
    [
        # IPv4 loopback in every notation
        "127.0.0.1",
        "127.1",
        "127.0.1",
        "2130706433",
        "0x7f000001",
        "0x7f.1",
        "0x7F.0.0.1",
        "0177.0.0.1",
        "0177.1",
        "017700000001",
        "127.0.0.1.",
        "127.255.255.254",
        "１２７.０.０.１",  # fullwidth digits (IDNA-normalised)
        # other unsafe IPv4
        "0.0.0.0",  # noqa: S104
        "0",
        "0x0",
        "10.0.0.1",
        "012.0.0.1",
        "167772161",
        "172.16.5.4",
        "172.31.255.255",
        "192.168.0.1",
        "3232235521",
        "0xc0.0xa8.0.1",
        "169.254.169.254",
        "100.64.0.1",
        "100.127.255.254",
        "224.0.0.1",
        "239.255.255.250",
        "255.255.255.255",
        "240.0.0.1",
        "198.18.0.1",
        "192.0.0.8",
        "192.0.2.1",
        "198.51.100.7",
        "203.0.113.9",
        # IPv6
        "[::1]",
        "[::]",
        "[0:0:0:0:0:0:0:1]",
        "[::ffff:127.0.0.1]",
        "[::ffff:7f00:1]",
        "[::ffff:10.0.0.1]",
        "[::ffff:169.254.169.254]",
        "[::127.0.0.1]",
        "[::a00:1]",
        "[fe80::1]",
        "[fe80::1%25eth0]",
        "[fc00::1]",
        "[fd12:3456::1]",
        "[ff02::1]",
        "[fec0::1]",
        "[64:ff9b::7f00:1]",
        "[64:ff9b::10.0.0.5]",
        "[64:ff9b:1::1]",
        "[2002:7f00:1::]",
        "[2002:a00:1::1]",
        "[2001:0:4136:e378:8000:63bf:3fff:fdd2]",
        "[2001:db8::1]",
        "[100::1]",
        "[3fff::1]",
    ],
)
def test_refuses_literal_private_addresses(host, no_connect):
    resolver = FakeResolver({})
    with pytest.raises(FetchError, match="private network"):
        fetch_url(url=f"http://{host}/", resolver=resolver, timeout=0.5)
    assert resolver.calls == []  # literal addresses are never looked up


@pytest.mark.parametrize("url", ["http://127.0.0.2:{port}/page", "http://[::1]:{port}/page"])
def test_other_loopback_addresses_stay_refused_when_one_is_allowed(server, url, no_connect):
    with pytest.raises(FetchError, match="private network"):
        fetch(url.format(port=server.port))


def test_allowed_address_is_exact_match(server, no_connect):
    with pytest.raises(FetchError, match="private network"):
        fetch(f"{server.base}/page", allowed_addresses=frozenset({"127.0.0.2"}))


def test_allowed_addresses_must_be_ip_strings():
    with pytest.raises(ValueError):
        fetch_url(url="http://example.com/", allowed_addresses=frozenset({"localhost"}))


# --------------------------------------------------------------------------------------
# Ports


@pytest.mark.parametrize("port", [22, 25, 110, 6, 1023])
def test_refuses_low_non_web_ports(port, no_connect):
    resolver = FakeResolver({"public.example": ["93.184.216.34"]})
    with pytest.raises(FetchError, match="port"):
        fetch_url(url=f"http://public.example:{port}/", resolver=resolver)
    with pytest.raises(FetchError, match="port"):
        fetch_url(url=f"http://93.184.216.34:{port}/")


def test_refuses_port_zero(no_connect):
    with pytest.raises(FetchError, match="port"):
        fetch_url(url="http://public.example:0/", resolver=FakeResolver({}))


@pytest.mark.parametrize(
    "url, port",
    [
        ("http://public.example/", 80),
        ("https://public.example/", 443),
        ("http://public.example:443/", 443),
        ("http://public.example:8080/", 8080),
        ("https://public.example:8443/", 8443),
        ("http://public.example:1024/", 1024),
        ("http://public.example:65535/", 65535),
    ],
)
def test_allows_web_and_high_ports_and_connects_to_ip(url, port, record_connect):
    resolver = FakeResolver({"public.example": ["93.184.216.34", "2606:2800:220:1::1946"]})
    with pytest.raises(FetchError, match="Could not connect"):
        fetch_url(url=url, resolver=resolver)
    # tried every validated address, literally, on the requested port; one look-up
    assert record_connect == [("93.184.216.34", port), ("2606:2800:220:1::1946", port)]
    assert resolver.calls == [("public.example", port)]


def test_allowed_addresses_may_use_any_port(record_connect):
    with pytest.raises(FetchError, match="Could not connect"):
        fetch_url(url="http://127.0.0.1:22/", allowed_addresses=LOCAL)
    assert record_connect == [("127.0.0.1", 22)]


def test_nat64_of_public_address_is_allowed(record_connect):
    with pytest.raises(FetchError, match="Could not connect"):
        fetch_url(url="http://[64:ff9b::5db8:d822]/")
    assert record_connect == [("64:ff9b::5db8:d822", 80)]


def test_ipv4_mapped_public_address_connects_over_ipv4(record_connect):
    resolver = FakeResolver({"public.example": ["::ffff:93.184.216.34"]})
    with pytest.raises(FetchError, match="Could not connect"):
        fetch_url(url="http://public.example/", resolver=resolver)
    assert record_connect == [("93.184.216.34", 80)]


def test_connection_refused_on_local_port(server):
    with socket.socket() as sock:  # find a free, closed port
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError, match="Could not connect"):
        fetch(f"http://127.0.0.1:{port}/")


# --------------------------------------------------------------------------------------
# Timeouts (overall deadline)


@pytest.mark.parametrize("path", ["/slow-start", "/slow-headers", "/slow-body"])
def test_slow_server_is_cut_off_at_the_deadline(server, path):
    start = time.monotonic()
    with pytest.raises(FetchError, match="took too long"):
        fetch(server.base + path, timeout=0.5)
    assert time.monotonic() - start < 0.9


def test_deadline_covers_all_redirect_hops(server):
    # each hop takes 0.2 s (well under the timeout), but four hops do not fit in 0.5 s
    start = time.monotonic()
    with pytest.raises(FetchError, match="took too long"):
        fetch(f"{server.base}/sleepy-redirect/4", timeout=0.5)
    assert time.monotonic() - start < 0.9


def test_slow_resolver_is_cut_off():
    def slow(host, port):
        time.sleep(2)
        return ["127.0.0.1"]

    start = time.monotonic()
    with pytest.raises(FetchError, match="took too long"):
        fetch_url(url="http://slow.example/", resolver=slow, timeout=0.3)
    assert time.monotonic() - start < 0.7


# --------------------------------------------------------------------------------------
# Size limits and compression


@pytest.mark.parametrize("path", ["/big", "/big-no-length", "/endless", "/endless-chunked"])
def test_oversized_body_is_refused(server, path):
    start = time.monotonic()
    with pytest.raises(FetchError, match="too large"):
        fetch(server.base + path, max_bytes=1000)
    assert time.monotonic() - start < 0.5


def test_content_length_is_checked_before_reading(server):
    # The server announces 50 MB, then trickles: reading would run into the deadline.
    start = time.monotonic()
    with pytest.raises(FetchError, match="too large"):
        fetch(f"{server.base}/huge-length", max_bytes=1000, timeout=2)
    assert time.monotonic() - start < 1


def test_gzip_bomb_is_refused(server):
    assert len(server.bomb) < 100_000  # small on the wire ...
    start = time.monotonic()
    with pytest.raises(FetchError, match="too large"):
        fetch(f"{server.base}/gzip-bomb", max_bytes=100_000)  # ... huge when decompressed
    assert time.monotonic() - start < 0.5


def test_gzip_limit_applies_to_decompressed_size(server):
    with pytest.raises(FetchError, match="too large"):
        fetch(f"{server.base}/gzip", max_bytes=len(HTML) - 1)
    assert fetch(f"{server.base}/gzip", max_bytes=len(HTML)).body == HTML


@pytest.mark.parametrize(
    "path, message",
    [
        ("/gzip-truncated", "incomplete compressed"),
        ("/gzip-corrupt", "corrupt compressed"),
        ("/brotli", "compression format"),
        ("/short", "closed before the whole page"),
        ("/chunked-cut", "closed before the whole page"),
    ],
)
def test_broken_bodies_are_refused(server, path, message):
    with pytest.raises(FetchError, match=message):
        fetch(server.base + path)


# --------------------------------------------------------------------------------------
# Content types and statuses


@pytest.mark.parametrize(
    "content_type",
    [
        "application/pdf",
        "image/png",
        "application/json",
        "text/plain",
        "application/xml",
    ],
)
def test_refuses_non_html_content_types(server, content_type):
    with pytest.raises(FetchError, match="Only HTML pages can be imported") as info:
        fetch(f"{server.base}/type?ct={quote(content_type)}")
    assert content_type in str(info.value)


def test_refuses_unsniffable_body_without_content_type(server):
    with pytest.raises(FetchError, match="Only HTML pages"):
        fetch(f"{server.base}/no-type-binary")


@pytest.mark.parametrize("status", [400, 403, 404, 410, 500, 502, 503])
def test_http_error_statuses(server, status):
    with pytest.raises(FetchError, match=f"HTTP {status}") as info:
        fetch(f"{server.base}/status/{status}")
    assert info.value.status == status


@pytest.mark.parametrize("status", [204, 300, 304])
def test_unexpected_statuses(server, status):
    with pytest.raises(FetchError):
        fetch(f"{server.base}/status/{status}")


def test_fetch_error_is_value_error():
    assert issubclass(FetchError, ValueError)
    with pytest.raises(ValueError):
        fetch_url(url="ftp://example.com/")


# --------------------------------------------------------------------------------------
# Address policy


@pytest.mark.parametrize(
    "address",
    [
        "93.184.216.34",
        "8.8.8.8",
        "1.1.1.1",
        "2606:2800:220:1:248:1893:25c8:1946",
        "2a00:1450:4001:82a::200e",
        "64:ff9b::808:808",
        "::ffff:8.8.8.8",
    ],
)
def test_public_addresses(address):
    assert is_public_address(address)
    assert is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.20.0.1",
        "192.168.10.10",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104
        "224.0.0.251",
        "255.255.255.255",
        "192.0.0.170",
        "::1",
        "::",
        "fe80::1",
        "fe80::1%eth0",
        "fd00::1",
        "ff02::fb",
        "::ffff:192.168.0.1",
        "64:ff9b::c0a8:1",
        "64:ff9b:1::1",
        "2002:c0a8:101::1",
        "2001::1",
        "2001:db8::1",
        "::7f00:1",
        "not an ip",
        "",
    ],
)
def test_non_public_addresses(address):
    assert not is_public_address(address)


# --------------------------------------------------------------------------------------
# HTTPS: SNI and certificate verification use the host name, connection uses the IP


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("tls")
    cert, key = directory / "cert.pem", directory / "key.pem"
    try:
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                str(key),
                "-out",
                str(cert),
                "-days",
                "2",
                "-subj",
                "/CN=news.example",
                "-addext",
                "subjectAltName=DNS:news.example",
            ],
            check=True,
            capture_output=True,
            timeout=20,
        )
    except (OSError, subprocess.SubprocessError):
        pytest.skip("openssl is not available to create a test certificate")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server_names: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: server_names.append(name)
    srv = Server(("127.0.0.1", 0), Handler)
    srv.requests = []
    srv.socket = context.wrap_socket(srv.socket, server_side=True, do_handshake_on_connect=False)
    _start(srv)
    srv.port = srv.server_address[1]
    srv.cert = str(cert)
    srv.server_names = server_names
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def trust_test_cert(monkeypatch, tls_server):
    monkeypatch.setattr(
        fetching, "_create_ssl_context", lambda: ssl.create_default_context(cafile=tls_server.cert)
    )


def test_https_uses_host_name_for_sni_and_verification(tls_server, trust_test_cert):
    tls_server.server_names.clear()
    resolver = FakeResolver({"news.example": ["127.0.0.1"]})
    page = fetch(f"https://news.example:{tls_server.port}/echo", resolver=resolver)
    assert f"Host: news.example:{tls_server.port}" in page.body.decode()
    assert tls_server.server_names == ["news.example"]
    assert resolver.calls == [("news.example", tls_server.port)]


def test_https_certificate_for_other_name_is_refused(tls_server, trust_test_cert):
    resolver = FakeResolver({"other.example": ["127.0.0.1"]})
    with pytest.raises(FetchError, match="certificate"):
        fetch(f"https://other.example:{tls_server.port}/page", resolver=resolver)


def test_https_ip_literal_not_in_certificate_is_refused(tls_server, trust_test_cert):
    with pytest.raises(FetchError, match="certificate"):
        fetch(f"https://127.0.0.1:{tls_server.port}/page")


def test_https_untrusted_certificate_is_refused_by_default(tls_server):
    resolver = FakeResolver({"news.example": ["127.0.0.1"]})
    with pytest.raises(FetchError, match="certificate"):
        fetch(f"https://news.example:{tls_server.port}/page", resolver=resolver)


def test_https_to_plain_http_server_fails_cleanly(server):
    with pytest.raises(FetchError, match="secure connection|invalid response|Could not"):
        fetch(f"https://127.0.0.1:{server.port}/page")
