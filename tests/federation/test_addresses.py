"""The address policy: which IPs a federation request may connect to."""

from __future__ import annotations

import ipaddress
import socket

import pytest
from aiohttp.abc import AbstractResolver, ResolveResult

from federation.addresses import (
    BlockedAddressError,
    GuardedResolver,
    default_policy,
    guarded_socket_factory,
    is_forbidden_address,
    is_legacy_ipv4_literal,
    is_loopback_url,
)

FORBIDDEN = [
    # IPv4 special-purpose ranges
    "0.0.0.0",
    "0.1.2.3",
    "10.1.2.3",
    "100.64.0.1",
    "100.127.255.255",
    "127.0.0.1",
    "127.255.255.254",
    "169.254.169.254",
    "172.16.0.1",
    "172.31.255.255",
    "192.0.0.8",
    "192.0.2.1",
    "192.88.99.1",
    "192.168.1.1",
    "198.18.0.1",
    "198.19.255.255",
    "198.51.100.7",
    "203.0.113.9",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    # IPv6 special-purpose ranges
    "::",
    "::1",
    "fe80::1",
    "fe80::1%eth0",
    "fec0::1",
    "fc00::1",
    "fd00:ec2::254",
    "ff02::1",
    "ff0e::1",
    "2001:db8::1",
    "3fff::1",
    "100::1",
    "2001:2::1",
    # IPv6 forms embedding a forbidden IPv4
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "::ffff:7f00:1%lo",
    "::127.0.0.1",
    "::10.0.0.1",
    "64:ff9b::7f00:1",
    "64:ff9b::a00:1",
    "64:ff9b:1::808:808",
    "2002:7f00:1::",
    "2002:a00:1::1",
    "2002:c0a8:101::1",
    "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo, client 127.0.0.1
    "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo, client 10.0.0.1
]

ALLOWED = [
    "1.1.1.1",
    "8.8.8.8",
    "93.184.216.34",
    "100.128.0.1",
    "172.32.0.1",
    "2606:4700:4700::1111",
    "2a00:1450:4001::1",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::1",
]


@pytest.mark.parametrize("address", FORBIDDEN)
def test_forbidden_addresses(address: str) -> None:
    assert is_forbidden_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ALLOWED)
def test_allowed_addresses(address: str) -> None:
    assert not is_forbidden_address(ipaddress.ip_address(address))


def test_ipv4_compatible_is_refused_although_python_calls_it_global() -> None:
    address = ipaddress.ip_address("::127.0.0.1")
    assert address.is_global  # the stdlib trap this module exists to avoid
    assert is_forbidden_address(address)


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:8080/",
        "http://LOCALHOST./x",
        "http://foo.localhost/",
        "http://127.0.0.1/",
        "http://127.8.9.10:1234/",
        "http://[::1]:80/",
    ],
)
def test_loopback_urls(url: str) -> None:
    assert is_loopback_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/",
        "http://10.0.0.1/",
        "http://localhost.example.com/",
        "http://notlocalhost/",
        "http://[::ffff:8.8.8.8]/",
    ],
)
def test_non_loopback_urls(url: str) -> None:
    assert not is_loopback_url(url)


@pytest.mark.parametrize(
    ("host", "legacy"),
    [
        ("2130706433", True),
        ("0x7f000001", True),
        ("0177.0.0.1", True),
        ("127.1", True),
        ("0", True),
        ("0x7f.1", True),
        ("127.0.0.1", False),
        ("127.0.0.1.", False),
        ("example.com", False),
        ("1a.example", False),
        ("::1", False),
    ],
)
def test_legacy_ipv4_literals(host: str, legacy: bool) -> None:
    assert is_legacy_ipv4_literal(host) is legacy


def test_default_policy() -> None:
    loopback = ipaddress.ip_address("127.0.0.1")
    public = ipaddress.ip_address("8.8.8.8")
    assert default_policy(True)(loopback, 80)
    assert not default_policy(False)(loopback, 80)
    assert default_policy(False)(public, 443)


class _StaticResolver(AbstractResolver):
    def __init__(self, hosts: list[str]) -> None:
        self.hosts = hosts
        self.closed = False

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        return [
            ResolveResult(hostname=host, host=ip, port=port, family=family, proto=0, flags=0)
            for ip in self.hosts
        ]

    async def close(self) -> None:
        self.closed = True


async def test_guarded_resolver_drops_forbidden_answers() -> None:
    inner = _StaticResolver(["127.0.0.1", "8.8.8.8", "::ffff:10.0.0.1", "2606:4700::1"])
    resolver = GuardedResolver(inner, default_policy(False))
    answers = await resolver.resolve("mixed.example", 443)
    assert [a["host"] for a in answers] == ["8.8.8.8", "2606:4700::1"]
    await resolver.close()
    assert inner.closed


async def test_guarded_resolver_raises_when_nothing_is_left() -> None:
    resolver = GuardedResolver(_StaticResolver(["127.0.0.1", "::1"]), default_policy(False))
    with pytest.raises(BlockedAddressError):
        await resolver.resolve("rebind.example", 80)


def test_socket_factory_refuses_forbidden_sockaddr() -> None:
    factory = guarded_socket_factory(default_policy(False))
    with pytest.raises(BlockedAddressError):
        factory((socket.AF_INET, socket.SOCK_STREAM, 0, "", ("127.0.0.1", 80)))
    with pytest.raises(BlockedAddressError):
        factory((socket.AF_INET6, socket.SOCK_STREAM, 0, "", ("::ffff:127.0.0.1", 80, 0, 0)))


def test_socket_factory_creates_socket_for_allowed_address() -> None:
    factory = guarded_socket_factory(default_policy(False))
    sock = factory((socket.AF_INET, socket.SOCK_STREAM, 0, "", ("8.8.8.8", 443)))
    try:
        assert sock.family == socket.AF_INET
    finally:
        sock.close()
