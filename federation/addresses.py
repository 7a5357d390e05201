"""Which network addresses a federation request may reach (SSRF policy).

The policy is enforced in three places by `federation.client`: on the URL's host
before any I/O, on every DNS answer (`GuardedResolver`), and on the exact socket
address handed to ``connect()`` (`guarded_socket_factory`).  The last one is
authoritative: it sees the address actually connected to, after every cache.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable
from functools import lru_cache
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

from aiohttp import AddrInfoType
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

IPAddress = IPv4Address | IPv6Address
AddressPolicy = Callable[[IPAddress, int], bool]
"""Decides whether ``(address, port)`` may be connected to; True means allowed."""

# Explicit lists, because `ipaddress` flags differ between Python patch releases
# (3.11.7 reports fec0::/10, ff02::1 and ::127.0.0.1 as global).
_FORBIDDEN_V4 = tuple(
    IPv4Network(net)
    for net in (
        "0.0.0.0/8",  # "this network"
        "10.0.0.0/8",
        "100.64.0.0/10",  # shared address space (carrier-grade NAT)
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # TEST-NET-1
        "192.88.99.0/24",  # deprecated 6to4 relay anycast
        "192.168.0.0/16",
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # TEST-NET-2
        "203.0.113.0/24",  # TEST-NET-3
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, includes 255.255.255.255
    )
)
_GLOBAL_UNICAST_V6 = IPv6Network("2000::/3")
_FORBIDDEN_V6 = tuple(
    IPv6Network(net)
    for net in (
        "2001:2::/48",  # benchmarking
        "2001:db8::/32",  # documentation
        "3fff::/20",  # documentation (RFC 9637)
    )
)
_IPV4_MAPPED = IPv6Network("::ffff:0:0/96")
_IPV4_COMPATIBLE = IPv6Network("::/96")
_NAT64_WELL_KNOWN = IPv6Network("64:ff9b::/96")
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}\.?$", re.I)


def is_forbidden_address(ip: IPv4Address | IPv6Address) -> bool:
    """Return True if a federation request must not connect to ``ip``."""
    if isinstance(ip, IPv4Address):
        return _forbidden_v4(ip)
    if ip in _IPV4_COMPATIBLE:
        # Deprecated (RFC 4291) and never used by real peers; also covers :: and ::1.
        return True
    if ip in _IPV4_MAPPED or ip in _NAT64_WELL_KNOWN:
        # DNS64 hands out 64:ff9b::a.b.c.d for public hosts, so judge the IPv4 inside.
        return _forbidden_v4(IPv4Address(int(ip) & 0xFFFFFFFF))
    if ip.sixtofour is not None and _forbidden_v4(ip.sixtofour):
        return True
    if ip.teredo is not None and any(_forbidden_v4(part) for part in ip.teredo):
        return True
    return _forbidden_v6(ip)


def _forbidden_v4(ip: IPv4Address) -> bool:
    return any(ip in net for net in _FORBIDDEN_V4) or not ip.is_global


def _forbidden_v6(ip: IPv6Address) -> bool:
    # Only 2000::/3 is global unicast; this also rejects fc00::/7, fe80::/10,
    # fec0::/10, ff00::/8 and the local-use NAT64 prefix 64:ff9b:1::/48.
    if ip not in _GLOBAL_UNICAST_V6 or any(ip in net for net in _FORBIDDEN_V6):
        return True
    return ip.is_private or ip.is_reserved or ip.is_multicast or not ip.is_global


def is_loopback_url(url: str | URL) -> bool:
    """Return True if ``url`` points at this machine (localhost, 127/8 or ::1)."""
    host = (URL(url).host or "").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    ip = parse_ip(host)
    return ip is not None and ip.is_loopback


@lru_cache(maxsize=4096)  # a fan-out checks the same few addresses thousands of times
def parse_ip(host: str) -> IPAddress | None:
    """Return the address if ``host`` is a canonical IP literal, else None."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def is_legacy_ipv4_literal(host: str) -> bool:
    """Return True for numeric hosts such as ``2130706433``, ``0x7f000001`` or ``0177.0.0.1``.

    ``inet_aton`` (used by getaddrinfo) maps these onto IPv4 addresses although
    they are not canonical dotted quads, so they must never be treated as names.
    """
    return bool(_NUMERIC_HOST.match(host)) and parse_ip(host.rstrip(".")) is None


def default_policy(allow_private_addresses: bool) -> AddressPolicy:
    """Return the production policy: everything, or only non-forbidden addresses."""
    if allow_private_addresses:
        return lambda ip, port: True
    return lambda ip, port: not is_forbidden_address(ip)


class BlockedAddressError(OSError):
    """Raised inside aiohttp's connect path when the policy refuses an address."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(f"connection to {host} port {port} is not allowed")
        self.host = host
        self.port = port


def _allowed(policy: AddressPolicy, host: str, port: int) -> bool:
    ip = parse_ip(host)
    return ip is not None and policy(ip, port)


class GuardedResolver(AbstractResolver):
    """Resolver that drops forbidden addresses from another resolver's answers.

    aiohttp connects to exactly the addresses returned here (it passes them on
    as numeric hosts), so the name is never re-resolved between check and connect.
    """

    def __init__(self, inner: AbstractResolver, policy: AddressPolicy) -> None:
        self._inner = inner
        self._policy = policy

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """Resolve ``host`` and keep only the addresses the policy allows."""
        answers = await self._inner.resolve(host, port, family)
        allowed = [a for a in answers if _allowed(self._policy, a["host"], a["port"])]
        if not allowed:
            raise BlockedAddressError(host, port)
        return allowed

    async def close(self) -> None:
        """Close the wrapped resolver."""
        await self._inner.close()


def guarded_socket_factory(policy: AddressPolicy) -> Callable[[AddrInfoType], socket.socket]:
    """Return an aiohttp ``socket_factory`` that refuses sockets to forbidden addresses."""

    def factory(addr_info: AddrInfoType) -> socket.socket:
        family, type_, proto, _, sockaddr = addr_info
        host, port = str(sockaddr[0]), int(sockaddr[1])
        if not _allowed(policy, host, port):
            raise BlockedAddressError(host, port)
        return socket.socket(family=family, type=type_, proto=proto)

    return factory
