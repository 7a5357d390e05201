"""RSA key helpers: generation, PEM round trips, refusal of garbage."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from federation.errors import FederationError, KeyFormatError
from federation.keys import (
    generate_private_key,
    load_private_key,
    load_public_key,
    private_key_to_pem,
    public_key_to_pem,
)


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return generate_private_key()


def test_generated_key_is_rsa_2048_with_exponent_65537(key: rsa.RSAPrivateKey) -> None:
    assert isinstance(key, rsa.RSAPrivateKey)
    assert key.key_size == 2048
    assert key.public_key().public_numbers().e == 65537


def test_private_pem_is_unencrypted_pkcs8_and_round_trips(key: rsa.RSAPrivateKey) -> None:
    pem = private_key_to_pem(key)
    assert pem.startswith("-----BEGIN PRIVATE KEY-----\n")
    assert "ENCRYPTED" not in pem
    assert load_private_key(pem).private_numbers() == key.private_numbers()


def test_public_pem_is_spki_and_round_trips(key: rsa.RSAPrivateKey) -> None:
    pem = public_key_to_pem(key)
    assert pem.startswith("-----BEGIN PUBLIC KEY-----\n")
    loaded = load_public_key(pem)
    assert isinstance(loaded, rsa.RSAPublicKey)
    assert loaded.public_numbers() == key.public_key().public_numbers()


def test_public_key_to_pem_accepts_the_public_half_too(key: rsa.RSAPrivateKey) -> None:
    assert public_key_to_pem(key.public_key()) == public_key_to_pem(key)


def test_load_public_key_accepts_pkcs1_rsa_public_keys(key: rsa.RSAPrivateKey) -> None:
    pkcs1 = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.PKCS1
    )
    assert pkcs1.startswith(b"-----BEGIN RSA PUBLIC KEY-----")
    loaded = load_public_key(pkcs1.decode())
    assert isinstance(loaded, rsa.RSAPublicKey)
    assert loaded.public_numbers() == key.public_key().public_numbers()


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "not a key",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
        "-----BEGIN PUBLIC KEY-----\nMIIBIjé\n-----END PUBLIC KEY-----\n",
    ],
)
def test_load_public_key_refuses_garbage(garbage: str) -> None:
    with pytest.raises(KeyFormatError) as caught:
        load_public_key(garbage)
    assert caught.value.reason
    assert caught.value.status == 400
    assert isinstance(caught.value, FederationError)


def test_load_public_key_refuses_a_private_key(key: rsa.RSAPrivateKey) -> None:
    with pytest.raises(KeyFormatError):
        load_public_key(private_key_to_pem(key))


@pytest.mark.parametrize(
    "garbage", ["", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"]
)
def test_load_private_key_refuses_garbage(garbage: str) -> None:
    with pytest.raises(KeyFormatError):
        load_private_key(garbage)


def test_load_private_key_refuses_a_public_key(key: rsa.RSAPrivateKey) -> None:
    with pytest.raises(KeyFormatError):
        load_private_key(public_key_to_pem(key))


def test_load_private_key_refuses_non_rsa_keys() -> None:
    ed_pem = (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    with pytest.raises(KeyFormatError, match="RSA"):
        load_private_key(ed_pem)
