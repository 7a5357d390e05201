"""A handle names this node however its host is written: any case, with or without the
scheme's default port."""

from __future__ import annotations

import pytest

from node.urls import NodeUrls


@pytest.mark.parametrize(
    ("authority", "ours"),
    [
        ("example.org", True),
        ("Example.ORG", True),
        ("example.org:443", True),
        ("example.org:8443", False),
        ("example.org:80", False),
        ("example.org:https", False),
        ("other.example", False),
        ("example.org.evil.example", False),
    ],
)
def test_someone_mentioning_at_org_at_our_host_with_port_443_reaches_us(
    authority: str, ours: bool
) -> None:
    assert NodeUrls("https://example.org").is_own_host(authority) is ours


def test_a_node_on_a_port_of_its_own_is_that_port_only() -> None:
    urls = NodeUrls("http://127.0.0.1:8000")
    assert urls.is_own_host("127.0.0.1:8000")
    assert not urls.is_own_host("127.0.0.1")
    assert not urls.is_own_host("127.0.0.1:80")
