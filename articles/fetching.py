"""Fetch a news page by URL, safely.

Pure Python (no Django imports); HTTP, TLS and chunked transfer are urllib3's.  The single
entry point is :func:`fetch_url`.  It is meant to be called with URLs typed in by users,
so it defends against server-side request forgery (SSRF) and resource exhaustion:

* Only ``http``/``https`` URLs without credentials are accepted.
* Every hop (the first request and every redirect) is resolved exactly once.  All
  returned addresses must be public; the connection is then made to the validated
  IP address literally (no second DNS look-up that could give another answer): the
  urllib3 connection's ``_new_conn`` is pinned to those addresses.  The ``Host``
  header carries the name, and for https the TLS handshake uses the name for SNI and
  certificate verification.  Redirects are followed here, not by urllib3, so that
  every hop goes through the same checks.
* Numeric host spellings (``2130706433``, ``0x7f.1``, ``0177.0.0.1``, ``127.1``) are
  normalised the way browsers (WHATWG URL) and ``inet_aton`` do before checking.
* Ports: 80, 443 and 1024-65535 are allowed.  Ports 1-1023 other than 80/443 (SSH,
  SMTP, ...) are refused to prevent protocol smuggling.  Addresses listed in
  ``allowed_addresses`` (a test-only escape hatch) may use any port.
* One overall deadline (``timeout`` seconds) covers DNS, connecting, TLS, headers,
  body and all redirects; a server trickling bytes is cut off at the deadline.
* The body is limited to ``max_bytes`` (Content-Length is checked, bytes are counted
  while reading and reading stops at the limit); the limit applies to the
  decompressed size too (gzip bombs).
* Only HTML (``text/html``, ``application/xhtml+xml``) is accepted.  A response
  without Content-Type is accepted if the body starts with ``<!doctype html`` or
  ``<html`` (after optional whitespace / UTF-8 BOM).

Everything that goes wrong is reported as :class:`FetchError`, whose message is a
user-facing English sentence.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import io
import ipaddress
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import SplitResult, quote, urljoin, urlsplit

import urllib3.exceptions
from django.utils.translation import gettext, gettext_noop
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.response import BaseHTTPResponse
from urllib3.util.ssl_match_hostname import CertificateError

from .limits import page_too_large_message

__all__ = [
    "USER_AGENT",
    "FetchError",
    "FetchedPage",
    "fetch_url",
    "is_public_address",
]

USER_AGENT = "Sourcemark/1.0 (+news annotation; article import)"
ACCEPT = "text/html,application/xhtml+xml"

HTML_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
DEFAULT_PORTS = {"http": 80, "https": 443}
# Below 1024 only the standard web ports are allowed (no SSH/SMTP/... smuggling).
ALLOWED_LOW_PORTS = frozenset({80, 443})
MIN_HIGH_PORT = 1024

_READ_CHUNK = 64 * 1024
_GZIP_WBITS = 16 + zlib.MAX_WBITS

Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class FetchedPage:
    """A successfully fetched HTML page.

    ``url`` is the final URL after redirects; ``body`` is the (decompressed) body;
    ``content_type`` is the Content-Type header as sent (``"text/html"`` when it was
    missing and the body was sniffed as HTML); ``headers`` maps lower-cased header
    names to values (repeated headers joined with ``", "``) exactly as received.
    """

    url: str
    status: int
    content_type: str
    body: bytes = field(repr=False)
    headers: dict[str, str] = field(repr=False)


class FetchError(ValueError):
    """The page could not be fetched; ``str(error)`` is a user-facing sentence.

    ``status`` is the HTTP status code when the server answered with an error status.
    """

    def __init__(self, message: str, *, status: int | None = None, transient: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        # A failure that may pass (timeout, no connection, a server error): worth retrying.
        self.transient = transient or status == 429 or (status or 0) >= 500


# --------------------------------------------------------------------------------------
# Address policy

_V4 = ipaddress.IPv4Network
_V6 = ipaddress.IPv6Network

# Explicit list, so the policy does not depend on the Python version's notion of
# "private"/"global" (which changed in 3.11.10 / 3.12.4).
_BLOCKED_V4 = tuple(
    _V4(net)
    for net in (
        "0.0.0.0/8",  # "this network", unspecified
        "10.0.0.0/8",  # private
        "100.64.0.0/10",  # shared address space (carrier-grade NAT)
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local (cloud metadata endpoints)
        "172.16.0.0/12",  # private
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation (TEST-NET-1)
        "192.88.99.0/24",  # 6to4 relay anycast (deprecated)
        "192.168.0.0/16",  # private
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation (TEST-NET-2)
        "203.0.113.0/24",  # documentation (TEST-NET-3)
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, includes broadcast 255.255.255.255
    )
)

_NAT64_WELL_KNOWN = _V6("64:ff9b::/96")  # embeds an IPv4 address in the low 32 bits
_GLOBAL_UNICAST_V6 = _V6("2000::/3")
_BLOCKED_V6 = tuple(
    _V6(net)
    for net in (
        "2001::/23",  # IETF protocol assignments, includes Teredo 2001::/32
        "2001:db8::/32",  # documentation
        "2002::/16",  # 6to4 (deprecated; embeds IPv4, refused outright)
        "3fff::/20",  # documentation
    )
)


def _is_public_v4(ip: ipaddress.IPv4Address) -> bool:
    if any(ip in net for net in _BLOCKED_V4):
        return False
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def _is_public_v6(ip: ipaddress.IPv6Address) -> bool:
    if ip.scope_id:
        return False
    if ip.ipv4_mapped is not None:
        return _is_public_v4(ip.ipv4_mapped)
    if ip in _NAT64_WELL_KNOWN:
        return _is_public_v4(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    # Everything outside 2000::/3 (loopback, unspecified, IPv4-compatible, discard,
    # NAT64 local-use, unique-local, link-local, site-local, multicast, ...) is refused.
    if ip not in _GLOBAL_UNICAST_V6:
        return False
    if any(ip in net for net in _BLOCKED_V6):
        return False
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_site_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def is_public_address(address: str | IPAddress) -> bool:
    """Whether ``address`` is a public unicast address that may be fetched from.

    IPv4-mapped IPv6 addresses and NAT64 (64:ff9b::/96) addresses are judged by the
    IPv4 address they embed; 6to4, Teredo, IPv4-compatible and other special IPv6
    ranges are refused outright.  Unparseable input is not public.
    """
    if isinstance(address, str):
        try:
            address = ipaddress.ip_address(address)
        except ValueError:
            return False
    if isinstance(address, ipaddress.IPv4Address):
        return _is_public_v4(address)
    return _is_public_v6(address)


def _canonical(ip: IPAddress) -> IPAddress:
    """Unwrap IPv4-mapped IPv6 addresses (they reach the IPv4 host)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _parse_allowed(allowed_addresses: frozenset[str]) -> frozenset[IPAddress]:
    if isinstance(allowed_addresses, str):
        raise TypeError("allowed_addresses must be a collection of IP strings, not a string")
    result = set()
    for item in allowed_addresses:
        try:
            result.add(_canonical(ipaddress.ip_address(item)))
        except ValueError:
            raise ValueError(
                f"allowed_addresses contains an invalid IP address: {item!r}"
            ) from None
    return frozenset(result)


def _port_allowed(port: int) -> bool:
    return port in ALLOWED_LOW_PORTS or MIN_HIGH_PORT <= port <= 65535


# --------------------------------------------------------------------------------------
# URL parsing

_FORBIDDEN_URL_CHARS = re.compile(r"[\x00-\x20\x7f]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_HOST_LABEL = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")
_NUMERIC_LABEL = re.compile(r"^(?:[0-9]+|0x[0-9a-f]*)$")
# Characters that may stay as they are in a request target; everything else (notably
# non-ASCII) is percent-encoded.  "%" is kept so existing escapes are not doubled.
_SAFE_TARGET_CHARS = "/%:@!$&'()*+,;=-._~"
_SAFE_QUERY_CHARS = _SAFE_TARGET_CHARS + "?"

_MSG_SCHEME = gettext_noop("Only http and https URLs can be imported.")
_MSG_INVALID = gettext_noop("That URL is not valid.")
_MSG_CREDENTIALS = gettext_noop("URLs that contain a username or password cannot be imported.")
_MSG_NO_HOST = gettext_noop("That URL does not include a host name.")
_MSG_PRIVATE = gettext_noop("That address points to a private network and cannot be fetched.")
_MSG_PORT = gettext_noop(
    "That URL uses a port that cannot be used for importing (allowed: 80, 443 and 1024-65535)."
)


@dataclass(frozen=True)
class _Target:
    url: str
    scheme: str
    host: str  # ASCII host name, or canonical IP text (no brackets)
    ip: IPAddress | None  # set when the URL host is an IP literal
    port: int
    request_target: str
    host_header: str


@dataclass(frozen=True)
class _Host:
    name: str  # ASCII host name, or canonical IP text (no brackets)
    ip: IPAddress | None
    for_header: str  # as in the Host header, without the port


def _parse_ipv4_number(part: str) -> int | None:
    if part.startswith("0x"):
        return int(part[2:] or "0", 16) if all(c in "0123456789abcdef" for c in part[2:]) else None
    if len(part) > 1 and part.startswith("0"):
        return int(part, 8) if all(c in "01234567" for c in part) else None
    return int(part) if part.isdigit() else None


def _parse_numeric_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """Parse ``host`` the way WHATWG URL / inet_aton do, if it "ends in a number".

    Returns None when the host is a name.  Raises FetchError when it looks numeric but
    is not a valid IPv4 address (e.g. ``256.0.0.1``, ``1.2.3.4.5``, ``08.1``).
    """
    labels = host.split(".")
    if labels and labels[-1] == "" and len(labels) > 1:
        labels = labels[:-1]
    if not labels or not _NUMERIC_LABEL.match(labels[-1]):
        return None
    if len(labels) > 4:
        raise FetchError(gettext(_MSG_INVALID))
    numbers = []
    for label in labels:
        number = _parse_ipv4_number(label) if label else None
        if number is None:
            raise FetchError(gettext(_MSG_INVALID))
        numbers.append(number)
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        raise FetchError(gettext(_MSG_INVALID))
    value = numbers[-1]
    for index, number in enumerate(numbers[:-1]):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _checked_url_text(url: object) -> str:
    """The URL without surrounding blanks, if it is http(s) and has no control characters."""
    if not isinstance(url, str) or not url.strip():
        raise FetchError(gettext(_MSG_INVALID))
    url = url.strip()
    scheme_match = _SCHEME.match(url)
    if not scheme_match or scheme_match.group(1).lower() not in DEFAULT_PORTS:
        raise FetchError(gettext(_MSG_SCHEME))
    if _FORBIDDEN_URL_CHARS.search(url):
        raise FetchError(gettext(_MSG_INVALID))
    return url


def _split_url(url: str) -> SplitResult:
    try:
        parts = urlsplit(url)
    except ValueError:
        raise FetchError(gettext(_MSG_INVALID)) from None
    if parts.scheme.lower() not in DEFAULT_PORTS:
        raise FetchError(gettext(_MSG_SCHEME))
    if "@" in parts.netloc:
        raise FetchError(gettext(_MSG_CREDENTIALS))
    if "\\" in parts.netloc:
        raise FetchError(gettext(_MSG_INVALID))
    return parts


def _explicit_port(parts: SplitResult) -> int | None:
    try:
        return parts.port
    except ValueError:
        raise FetchError(gettext(_MSG_INVALID)) from None


def _checked_port(port: int | None, scheme: str) -> int:
    if port is None:
        return DEFAULT_PORTS[scheme]
    if not 1 <= port <= 65535:
        raise FetchError(gettext(_MSG_PORT))
    return port


def _ipv6_host(raw_host: str) -> _Host:
    if "%" in raw_host:  # IPv6 zone identifiers are never fetchable
        raise FetchError(gettext(_MSG_PRIVATE))
    try:
        ip = ipaddress.IPv6Address(raw_host)
    except ValueError:
        raise FetchError(gettext(_MSG_INVALID)) from None
    return _Host(name=ip.compressed, ip=ip, for_header=f"[{ip.compressed}]")


def _name_or_ipv4_host(raw_host: str) -> _Host:
    try:
        host = raw_host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise FetchError(gettext(_MSG_INVALID)) from None
    ip = _parse_numeric_ipv4(host)
    if ip is not None:
        return _Host(name=str(ip), ip=ip, for_header=str(ip))
    host = host.removesuffix(".")
    if len(host) > 253 or not all(_HOST_LABEL.match(label) for label in host.split(".")):
        raise FetchError(gettext(_MSG_INVALID))
    return _Host(name=host, ip=None, for_header=host)


def _host_of(parts: SplitResult) -> _Host:
    raw_host = parts.hostname or ""  # lower-cased, brackets removed
    if parts.netloc.startswith("["):
        return _ipv6_host(raw_host)
    return _name_or_ipv4_host(raw_host)


def _request_target(parts: SplitResult) -> str:
    path = quote(parts.path or "/", safe=_SAFE_TARGET_CHARS)
    if not path.startswith("/"):
        path = "/" + path
    if parts.query:
        path += "?" + quote(parts.query, safe=_SAFE_QUERY_CHARS)
    return path


def _parse_target(url: object) -> _Target:
    url = _checked_url_text(url)
    parts = _split_url(url)
    scheme = parts.scheme.lower()
    explicit_port = _explicit_port(parts)
    if not parts.hostname:
        raise FetchError(gettext(_MSG_NO_HOST))
    port = _checked_port(explicit_port, scheme)
    host = _host_of(parts)
    host_header = host.for_header
    if port != DEFAULT_PORTS[scheme]:
        host_header = f"{host_header}:{port}"
    return _Target(
        url=url,
        scheme=scheme,
        host=host.name,
        ip=host.ip,
        port=port,
        request_target=_request_target(parts),
        host_header=host_header,
    )


# --------------------------------------------------------------------------------------
# Resolution (once per hop) and validation


def _default_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _remaining(deadline: float) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError("deadline exceeded")
    return remaining


def _call_resolver(resolver: Resolver, host: str, port: int, deadline: float) -> list[str]:
    """Run the resolver once, in a helper thread so the overall deadline applies."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["result"] = resolver(host, port)
        except BaseException as exc:  # handed over to the calling thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="sourcemark-resolve", daemon=True)
    thread.start()
    thread.join(_remaining(deadline))
    if thread.is_alive():
        raise TimeoutError("name resolution took too long")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["result"]  # type: ignore[return-value]


def _addresses_for(
    target: _Target,
    allowed: frozenset[IPAddress],
    resolver: Resolver,
    deadline: float,
) -> list[IPAddress]:
    if target.ip is not None:
        raw: list[object] = [target.ip]
    else:
        try:
            raw = list(_call_resolver(resolver, target.host, target.port, deadline))
        except TimeoutError:
            raise
        except (OSError, UnicodeError, ValueError):
            raise FetchError(
                gettext("The host name %(host)s could not be found.") % {"host": target.host}
            ) from None
        if not raw:
            raise FetchError(
                gettext("The host name %(host)s could not be found.") % {"host": target.host}
            )

    addresses: list[IPAddress] = []
    for item in raw:
        if isinstance(item, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
            ip = item
        else:
            try:
                ip = ipaddress.ip_address(item)  # type: ignore[arg-type]
            except ValueError:
                raise FetchError(gettext(_MSG_PRIVATE)) from None
        # Validate ALL addresses: refuse if any of them is unsafe.
        if _canonical(ip) in allowed:
            ip = _canonical(ip)
        elif not is_public_address(ip):
            raise FetchError(gettext(_MSG_PRIVATE))
        elif not _port_allowed(target.port):
            raise FetchError(gettext(_MSG_PORT))
        else:
            ip = _canonical(ip)
        if ip not in addresses:
            addresses.append(ip)
    return addresses


# --------------------------------------------------------------------------------------
# Network I/O: urllib3 connections pinned to the validated addresses, one overall deadline


class _DeadlineRaw(io.RawIOBase):
    """The socket's reader, giving every recv only the time left until the deadline.

    Built on ``socket.makefile`` so that the socket stays open while the body is read:
    http.client lets go of the socket as soon as the headers say ``Connection: close``.
    """

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        super().__init__()
        self._sock = sock
        self._file = sock.makefile("rb", buffering=0)
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self._sock.settimeout(_remaining(self._deadline))
        return self._file.readinto(buffer) or 0

    def close(self) -> None:
        self._file.close()
        super().close()


class _DeadlineSocket:
    """What http.client.HTTPResponse needs from a socket: ``makefile``."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline

    def makefile(self, mode: str = "rb", *args, **kwargs) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineRaw(self._sock, self._deadline))


def _deadline_response(sock: socket.socket, *args, deadline: float, **kwargs):
    """http.client's response, reading the status line, headers and body by the deadline.

    A socket timeout alone would not do: it bounds each read, so a server sending one
    byte at a time could hold the import open for ever.
    """
    reader = _DeadlineSocket(sock, deadline)
    return http.client.HTTPResponse(reader, *args, **kwargs)  # type: ignore[arg-type]


def _create_ssl_context() -> ssl.SSLContext:
    """TLS settings: system trust store, certificate + host name verification on."""
    return ssl.create_default_context()


def _connect(ip: IPAddress, port: int, deadline: float) -> socket.socket:
    """Connect to the IP literally (no name resolution happens here)."""
    if isinstance(ip, ipaddress.IPv6Address):
        sock = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        sockaddr: tuple = (str(ip), port, 0, 0)
    else:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sockaddr = (str(ip), port)
    try:
        sock.settimeout(_remaining(deadline))
        sock.connect(sockaddr)
    except BaseException:
        sock.close()
        raise
    return sock


def _connect_to_first(addresses: list[IPAddress], port: int, deadline: float) -> socket.socket:
    """Try the validated addresses in order; running out of time ends the attempt."""
    last_error: OSError | None = None
    for ip in addresses:
        try:
            return _connect(ip, port, deadline)
        except TimeoutError:
            raise
        except OSError as exc:
            last_error = exc
    assert last_error is not None
    raise last_error


class _PinnedHTTPConnection(HTTPConnection):
    """A urllib3 connection that opens its socket to addresses validated beforehand.

    ``host`` stays the name from the URL (for https urllib3 sends it for SNI and checks
    the certificate against it); only the socket goes to the pinned IP addresses, never
    to whatever the name resolves to by now.
    """

    def __init__(
        self, host: str, port: int, *, addresses: list[IPAddress], deadline: float, **kwargs
    ) -> None:
        super().__init__(host, port, timeout=_remaining(deadline), **kwargs)
        self.pinned_addresses = addresses
        self.deadline = deadline
        # http.client builds its response as response_class(sock, method=...).
        self.response_class = functools.partial(  # type: ignore[assignment]
            _deadline_response, deadline=deadline
        )

    def _new_conn(self) -> socket.socket:
        return _connect_to_first(self.pinned_addresses, self.port, self.deadline)


class _PinnedHTTPSConnection(_PinnedHTTPConnection, HTTPSConnection):
    """The same for https: urllib3 wraps the pinned socket in TLS for the host name."""


def _new_connection(
    target: _Target, addresses: list[IPAddress], deadline: float
) -> _PinnedHTTPConnection:
    if target.scheme == "https":
        # SNI and certificate verification use the host *name* from the URL.
        return _PinnedHTTPSConnection(
            target.host,
            target.port,
            addresses=addresses,
            deadline=deadline,
            ssl_context=_create_ssl_context(),
            server_hostname=target.host,
        )
    return _PinnedHTTPConnection(target.host, target.port, addresses=addresses, deadline=deadline)


def _request_headers(target: _Target) -> dict[str, str]:
    return {
        "Host": target.host_header,
        "User-Agent": USER_AGENT,
        "Accept": ACCEPT,
        "Accept-Encoding": "gzip",
        "Connection": "close",
    }


@contextlib.contextmanager
def _exchange(
    target: _Target, addresses: list[IPAddress], deadline: float
) -> Iterator[BaseHTTPResponse]:
    """Send one GET on a fresh pinned connection; the body is left for the caller to read."""
    connection = _new_connection(target, addresses, deadline)
    try:
        connection.request(
            "GET",
            target.request_target,
            headers=_request_headers(target),
            preload_content=False,
            decode_content=False,  # decoded by _GzipDecoder, which enforces the size limit
        )
        response = connection.getresponse()
        try:
            yield response
        finally:
            response.close()
    finally:
        connection.close()


# --------------------------------------------------------------------------------------
# Body handling


def _too_large(max_bytes: int) -> FetchError:
    return FetchError(page_too_large_message(limit=max_bytes))


class _GzipDecoder:
    """Streaming gzip decoder that never produces more than ``limit`` bytes.

    Not urllib3's decoder: that one accepts a gzip stream cut off in the middle and
    returns what it got, which would import half an article without a word.
    """

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._output = bytearray()
        self._decompressor = zlib.decompressobj(_GZIP_WBITS)
        self._extra_member = False
        self._member_output = 0
        self._finished = False

    def feed(self, data: bytes) -> None:
        while data and not self._finished:
            if self._decompressor.eof:
                # Another gzip member follows (concatenated gzip is valid).
                self._decompressor = zlib.decompressobj(_GZIP_WBITS)
                self._extra_member = True
                self._member_output = 0
            room = self._limit + 1 - len(self._output)  # always >= 1
            try:
                chunk = self._decompressor.decompress(data, room)
            except zlib.error:
                if self._extra_member and self._member_output == 0:
                    self._finished = True  # trailing garbage after the last member
                    return
                raise FetchError(gettext("The server sent corrupt compressed data.")) from None
            self._output += chunk
            self._member_output += len(chunk)
            if len(self._output) > self._limit:
                raise _too_large(self._limit)
            if self._decompressor.eof:
                data = self._decompressor.unused_data
            else:
                data = self._decompressor.unconsumed_tail

    def finish(self) -> bytes:
        empty_extra_member = self._extra_member and self._member_output == 0
        if not self._finished and not self._decompressor.eof and not empty_extra_member:
            raise FetchError(gettext("The server sent incomplete compressed data."))
        return bytes(self._output)


def _read_body(response: BaseHTTPResponse, encoding: str, max_bytes: int) -> bytes:
    """Read the body as sent (urllib3 undoes chunking), stopping one byte past the limit."""
    decoder = _GzipDecoder(max_bytes) if encoding == "gzip" else None
    raw = bytearray()
    received = 0
    while chunk := response.read(min(_READ_CHUNK, max_bytes + 1 - received), decode_content=False):
        received += len(chunk)
        if received > max_bytes:
            raise _too_large(max_bytes)
        if decoder is not None:
            decoder.feed(chunk)
        else:
            raw += chunk
    return decoder.finish() if decoder is not None else bytes(raw)


def _content_encoding(response: BaseHTTPResponse) -> str:
    values = [
        token.strip().lower()
        for header in response.headers.getlist("Content-Encoding")
        for token in header.split(",")
    ]
    codings = [value for value in values if value and value != "identity"]
    if not codings:
        return "identity"
    if len(codings) == 1 and codings[0] in ("gzip", "x-gzip"):
        return "gzip"
    raise FetchError(
        gettext("The server sent the page in a compression format that is not supported.")
    )


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _looks_like_html(body: bytes) -> bool:
    start = body.removeprefix(b"\xef\xbb\xbf").lstrip()[:32].lower()
    return start.startswith(b"<!doctype html") or start.startswith(b"<html")


def _headers_dict(response: BaseHTTPResponse) -> dict[str, str]:
    # urllib3's header dict is case-insensitive and joins repeated headers with ", ".
    return {name.lower(): response.headers[name] for name in response.headers}


def _check_status(response: BaseHTTPResponse) -> None:
    status = response.status
    if status >= 400:
        reason = f" {response.reason}" if response.reason else ""
        raise FetchError(
            gettext("The server answered with an error (HTTP %(status)s%(reason)s).")
            % {"status": status, "reason": reason},
            status=status,
        )
    if status in (204, 205):
        raise FetchError(gettext("The server returned no page content."), status=status)
    if not 200 <= status < 300:
        raise FetchError(
            gettext("The server gave an unexpected answer (HTTP %(status)s).") % {"status": status},
            status=status,
        )


def _declared_content_type(response: BaseHTTPResponse) -> str:
    """The Content-Type as sent, if it is HTML or missing (then the body is sniffed)."""
    content_type = (response.headers.get("Content-Type") or "").strip()
    media_type = _media_type(content_type)
    if content_type and media_type not in HTML_CONTENT_TYPES:
        raise FetchError(
            gettext("Only HTML pages can be imported, but this address returned %(type)s.")
            % {"type": media_type or gettext("an unknown type")}
        )
    return content_type


def _check_declared_length(response: BaseHTTPResponse, max_bytes: int) -> None:
    length = response.headers.get("Content-Length")
    if length and length.strip().isdigit() and int(length) > max_bytes:
        raise _too_large(max_bytes)


def _page_from(response: BaseHTTPResponse, target: _Target, max_bytes: int) -> FetchedPage:
    _check_status(response)
    content_type = _declared_content_type(response)
    _check_declared_length(response, max_bytes)
    body = _read_body(response, _content_encoding(response), max_bytes)
    if not content_type:
        if not _looks_like_html(body):
            raise FetchError(
                gettext("Only HTML pages can be imported, and this address did not return one.")
            )
        content_type = "text/html"
    return FetchedPage(
        url=target.url,
        status=response.status,
        content_type=content_type,
        body=body,
        headers=_headers_dict(response),
    )


# --------------------------------------------------------------------------------------
# Redirects


def _redirect_location(response: BaseHTTPResponse) -> str:
    location = (response.headers.get("Location") or "").strip()
    if not location:
        raise FetchError(gettext("The server sent a redirect without a target address."))
    return location


def _decode_location(location: str) -> str:
    # http.client decodes header bytes as latin-1; most servers send UTF-8.
    try:
        return location.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return location


def _redirect_target(base_url: str, location: str) -> str:
    try:
        return urljoin(base_url, _decode_location(location))
    except ValueError:
        raise FetchError(gettext("The server redirected to an invalid address.")) from None


# --------------------------------------------------------------------------------------
# Entry point


@dataclass(frozen=True)
class _Policy:
    """What one fetch_url call allows; the deadline covers every hop."""

    allowed: frozenset[IPAddress]
    resolver: Resolver
    deadline: float
    max_bytes: int
    max_redirects: int


def _fetch_following_redirects(url: str, policy: _Policy) -> FetchedPage:
    """Each hop is parsed, resolved once, checked and fetched the same way as the first."""
    current = url
    redirects = 0
    while True:
        target = _parse_target(current)
        addresses = _addresses_for(target, policy.allowed, policy.resolver, policy.deadline)
        with _exchange(target, addresses, policy.deadline) as response:
            if response.status not in REDIRECT_STATUSES:
                return _page_from(response, target, policy.max_bytes)
            location = _redirect_location(response)
        redirects += 1
        if redirects > policy.max_redirects:
            raise FetchError(
                gettext("The page redirected too many times (more than %(count)s).")
                % {"count": policy.max_redirects}
            )
        current = _redirect_target(target.url, location)


def _was_cut_short(error: urllib3.exceptions.ProtocolError) -> bool:
    """Whether the connection ended before the body did (Content-Length or chunks)."""
    return any(isinstance(arg, http.client.IncompleteRead) for arg in error.args)


@contextlib.contextmanager
def _user_facing_errors(*, timeout: float) -> Iterator[None]:
    """Turn what the network, TLS and HTTP layers raise into FetchError sentences."""
    try:
        yield
    except FetchError:
        raise
    except (TimeoutError, urllib3.exceptions.TimeoutError):
        raise FetchError(
            gettext("The server took too long to respond (more than %(seconds)s seconds).")
            % {"seconds": f"{timeout:g}"},
            transient=True,
        ) from None
    except (ssl.SSLCertVerificationError, CertificateError):
        raise FetchError(
            gettext("The site's security certificate could not be verified, so it was not fetched.")
        ) from None
    except (ssl.SSLError, urllib3.exceptions.SSLError):
        raise FetchError(
            gettext("A secure connection to the server could not be established.")
        ) from None
    except urllib3.exceptions.ProtocolError as error:
        if _was_cut_short(error):
            raise FetchError(
                gettext("The connection was closed before the whole page was received."),
                transient=True,
            ) from None
        raise FetchError(gettext("The server sent an invalid response.")) from None
    except (http.client.HTTPException, urllib3.exceptions.HTTPError):
        raise FetchError(gettext("The server sent an invalid response.")) from None
    except OSError:
        raise FetchError(gettext("Could not connect to the server."), transient=True) from None


def _check_arguments(*, max_bytes: int, timeout: float, max_redirects: int) -> None:
    if max_bytes < 1:
        raise ValueError("max_bytes must be positive")
    if not timeout > 0:
        raise ValueError("timeout must be positive")
    if max_redirects < 0:
        raise ValueError("max_redirects must not be negative")


def fetch_url(
    *,
    url: str,
    allowed_addresses: frozenset[str] = frozenset(),
    max_bytes: int = 10 * 1024 * 1024,
    timeout: float = 15.0,
    max_redirects: int = 5,
    resolver: Resolver | None = None,
) -> FetchedPage:
    """Fetch an HTML page, following at most ``max_redirects`` redirects.

    ``resolver(host, port)`` returns IP address strings (default: socket.getaddrinfo);
    it is called exactly once per hop.  ``allowed_addresses`` lists IP strings that are
    allowed although not public (tests only).  Raises :class:`FetchError`.
    """
    _check_arguments(max_bytes=max_bytes, timeout=timeout, max_redirects=max_redirects)
    policy = _Policy(
        allowed=_parse_allowed(allowed_addresses),
        resolver=resolver if resolver is not None else _default_resolver,
        deadline=time.monotonic() + timeout,
        max_bytes=max_bytes,
        max_redirects=max_redirects,
    )
    with _user_facing_errors(timeout=timeout):
        return _fetch_following_redirects(url, policy)
