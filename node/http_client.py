"""The one outgoing HTTP client factory: fetches and deliveries go out alike, with one
User-Agent and one address policy."""

from __future__ import annotations

from importlib.metadata import version
from ipaddress import IPv4Address, IPv6Address

from federation.addresses import (
    AddressPolicy,
    default_policy,
    is_forbidden_address,
    is_loopback_url,
)
from federation.client import FederationClient, Signer
from node.config import Config


def node_client(config: Config, signer: Signer | None) -> FederationClient:
    """A client for this node's requests to other servers, signing with `signer` (the fetch
    client signs as the organisation; deliveries give a ContextSigner)."""
    return FederationClient(
        user_agent=user_agent(config),
        allow_private_addresses=allows_private_addresses(config),
        address_policy=address_policy(config),
        signer=signer,
    )


def user_agent(config: Config) -> str:
    """How the node introduces itself to other servers."""
    return f"Townhall/{version('townhall')} (+{config.url})"


def allows_private_addresses(config: Config) -> bool:
    """Whether names of this machine (localhost) may be fetched: for a loopback node or when the
    operator allows private addresses; `address_policy` decides which addresses they reach."""
    return config.federation.allow_private_addresses or is_loopback_url(config.url)


def address_policy(config: Config) -> AddressPolicy:
    """Every address when the operator allows private ones; public addresses and loopback (not
    the rest of the private ranges) for a loopback development node; else public ones only."""
    if config.federation.allow_private_addresses:
        return default_policy(True)
    if is_loopback_url(config.url):
        return _public_or_loopback
    return default_policy(False)


def _public_or_loopback(ip: IPv4Address | IPv6Address, port: int) -> bool:
    return ip.is_loopback or not is_forbidden_address(ip)
