"""Where outgoing webhooks may go: a destination check against SSRF.

A webhook URL names a host chosen by an institution; without a check the
dispatcher would POST to whatever that name resolves to -- the loopback
interface, the private network, the cloud metadata service or the API
itself.  :class:`NetPolicy` decides:

* ``https`` only in production mode (``XBORDER_ENV=production``);
* the host is resolved (``getaddrinfo``: every address, so the numeric forms
  ``2130706433``, ``0x7f000001``, ``0177.0.0.1`` and ``127.1`` are read the
  way the C library reads them) and refused when *any* address is loopback,
  private (RFC 1918, ULA), link-local, unspecified, multicast, reserved,
  shared (100.64/10) or otherwise not globally routable -- also when it hides
  in an IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6 address;
* cloud metadata (169.254.169.254, fd00:ec2::254, metadata.google.internal)
  and the service's own address (``XBORDER_PUBLIC_URL``,
  ``XBORDER_SERVE_ADDRESS``) are refused always;
* ``XBORDER_WEBHOOK_ALLOW_PRIVATE`` (comma-separated CIDRs and host names)
  admits private integrations.

The check runs when an endpoint is registered or its URL changed, and again
before every delivery; the delivery then connects to the address that was
checked (:meth:`Target.pinned_request`), so a second resolution by the HTTP
client cannot swap it (DNS rebinding).  A refusal names its reason class,
never the resolved address.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ledger.config import Settings
from ledger.errors import InvalidInput

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

#: cloud instance metadata services: never a destination, allow-list or not
METADATA_ADDRESSES = frozenset({ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254"), ipaddress.ip_address("100.100.100.200")})
METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata.goog", "metadata"})
_SHARED = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
#: the longest name resolution may take before the destination counts as unresolvable
RESOLVE_TIMEOUT = 5.0

#: the reason classes a refusal names (``reason`` of the problem)
REASONS = ("https_required", "unresolvable", "metadata", "own_address", "loopback", "unspecified", "link_local", "multicast", "private", "shared", "reserved")


class DestinationRefused(InvalidInput):
    """A webhook destination the policy refuses; ``reason`` is one of
    :data:`REASONS` (never the address it resolved to)."""

    code = "webhook_destination_refused"
    title = "Webhook destination refused"

    def __init__(self, reason: str, message: str | None = None) -> None:
        super().__init__(message or f"webhook destination refused: {reason.replace('_', ' ')}", field="url", reason=reason)
        self.reason = reason


Resolver = Callable[[str, int], Awaitable[list[str]]]


async def system_resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the C library's reading: numeric
    forms included), in the resolver's order."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    out: list[str] = []
    for info in infos:
        addr = str(info[4][0]).split("%", 1)[0]  # drop an IPv6 zone id
        if addr not in out:
            out.append(addr)
    return out


#: the resolver the checks use; tests replace this one function
resolve: Resolver = system_resolve


def embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped ``::ffff:a.b.c.d``,
    compatible ``::a.b.c.d``, NAT64 ``64:ff9b::a.b.c.d``, 6to4 ``2002:ab:cd::``)."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64 or (ip.packed[:12] == bytes(12) and int(ip) > 1):
        return ipaddress.IPv4Address(ip.packed[12:])
    return ip.sixtofour


def address_class(ip: IPAddress) -> str | None:
    """Why ``ip`` is no webhook destination (a reason of :data:`REASONS`),
    or None for a globally routable address."""
    for candidate in (embedded_ipv4(ip), ip):
        if candidate is None:
            continue
        if candidate in METADATA_ADDRESSES:
            return "metadata"
        for reason, hit in (
            ("loopback", candidate.is_loopback), ("unspecified", candidate.is_unspecified), ("link_local", candidate.is_link_local),
            ("multicast", candidate.is_multicast), ("shared", candidate in _SHARED), ("reserved", candidate.is_reserved),
            ("private", candidate.is_private), ("reserved", not candidate.is_global),
        ):
            if hit:
                return reason
    return None


def own_address(value: str) -> tuple[str, int | None]:
    """``(host, port)`` of a URL (``https://api.bank.example``) or a listen
    address (``0.0.0.0:8000``, ``[::]:8000``); port None: every port."""
    parts = urlsplit(value if "://" in value else "//" + value)
    default = {"https": 443, "http": 80}.get(parts.scheme.lower())
    try:
        port = parts.port or default
    except ValueError:
        port = None
    return (parts.hostname or "").lower().rstrip("."), port


@dataclass(frozen=True)
class Target:
    """A checked destination: connect to ``address``, name ``host``."""

    scheme: str
    host: str
    port: int
    address: str

    def pinned_request(self, url: str) -> tuple[str, dict[str, str], dict[str, Any]]:
        """The URL to request (the checked address in place of the host), the
        Host header and the httpx extensions (SNI and certificate name stay
        the host's)."""
        import httpx

        original = httpx.URL(url)
        pinned = str(original.copy_with(host=self.address))
        extensions: dict[str, Any] = {}
        if self.scheme == "https" and not _is_ip(self.host):
            extensions["sni_hostname"] = self.host
        return pinned, {"Host": original.netloc.decode("ascii")}, extensions


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class NetPolicy:
    """The destination policy of a deployment (:meth:`from_settings`); the
    default refuses every non-public address and admits http."""

    require_https: bool = False
    allow_networks: tuple[IPNetwork, ...] = ()
    allow_hosts: frozenset[str] = frozenset()
    #: the service's own addresses: (host name or address, port or None for any port)
    own: tuple[tuple[str, int | None], ...] = ()
    resolve_timeout: float = RESOLVE_TIMEOUT

    @classmethod
    def from_settings(cls, settings: Settings) -> NetPolicy:
        networks: list[IPNetwork] = []
        hosts: set[str] = set()
        for item in (x.strip() for x in (settings.webhook_allow_private or "").split(",")):
            if not item:
                continue
            try:
                networks.append(ipaddress.ip_network(item.strip("[]"), strict=False))
            except ValueError:
                hosts.add(item.lower().rstrip("."))
        own = [own_address(v) for v in (settings.public_url, settings.serve_address) if v]
        return cls(settings.env == "production", tuple(networks), frozenset(hosts), tuple(own))

    def _allowed(self, host: str, ip: IPAddress) -> bool:
        return host in self.allow_hosts or any(ip in n for n in self.allow_networks if n.version == ip.version)

    async def _addresses(self, host: str, port: int) -> list[str]:
        try:
            async with asyncio.timeout(self.resolve_timeout):
                return await resolve(host, port)
        except (OSError, TimeoutError, UnicodeError, ValueError):
            return []

    async def _own_addresses(self) -> set[tuple[IPAddress, int | None]]:
        out: set[tuple[IPAddress, int | None]] = set()
        for host, port in self.own:
            for addr in await self._addresses(host, port or 0):
                ip = ipaddress.ip_address(addr)
                out.add((ip, port))
                if ip.is_unspecified:  # a server bound to every interface: its port on loopback too
                    out.update({(ipaddress.ip_address("127.0.0.1"), port), (ipaddress.ip_address("::1"), port)})
        return out

    async def check(self, url: str) -> Target:
        """The destination of ``url`` if the policy admits it, else
        :class:`DestinationRefused`."""
        try:
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            host = (parts.hostname or "").lower().rstrip(".")
            port = parts.port or (443 if scheme == "https" else 80)
        except ValueError:  # a bracketed host that is no IPv6 address, a bad port
            raise DestinationRefused("unresolvable", "webhook destination host is not an IP address") from None
        if self.require_https and scheme != "https":
            raise DestinationRefused("https_required", "webhook destinations must use https in production")
        if host in METADATA_HOSTS:
            raise DestinationRefused("metadata")
        addresses = await self._addresses(host, port)
        if not addresses:
            raise DestinationRefused("unresolvable", "webhook destination host does not resolve")
        own = await self._own_addresses()
        for addr in addresses:
            ip = ipaddress.ip_address(addr)
            reason = address_class(ip)
            if (ip, port) in own or (ip, None) in own:
                reason = "own_address"
            elif reason is not None and reason != "metadata" and self._allowed(host, ip):
                reason = None
            if reason is not None:
                raise DestinationRefused(reason)
        return Target(scheme, host, port, addresses[0])
