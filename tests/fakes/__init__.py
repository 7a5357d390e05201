"""Test doubles that run on real HTTP: ``FakeRemote``, a fake remote fediverse server.

The shapes it serves and sends are the recorded payloads listed in
``tests/fixtures/remote/FIXTURES.md``; credit for them belongs to the projects
named there.
"""

from tests.fakes.activities import PUBLIC, Quirks
from tests.fakes.actors import FakeActor, Shape, shared_key
from tests.fakes.recording import RecordedRequest
from tests.fakes.remote import FakeRemote
from tests.fakes.verification import SignatureCheck

__all__ = [
    "PUBLIC",
    "FakeActor",
    "FakeRemote",
    "Quirks",
    "RecordedRequest",
    "Shape",
    "SignatureCheck",
    "shared_key",
]
