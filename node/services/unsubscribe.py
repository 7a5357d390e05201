"""One-click unsubscribe (RFC 8058): a link in every notification email that stops that mail
without signing in. The token is signed, not stored: an HMAC with the node's secret key over
the account id and what the mail was (one kind, or a daily or weekly digest).

Unsubscribing keeps the notifications on the member's page (the kind becomes "on the site
only"); the settings page can turn them off altogether.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

from node.i18n import N_
from node.models import Account, AccountStatus
from node.services.errors import ServiceError
from node.services.notification_preferences import (
    BY_NAME,
    Delivery,
    deliveries_of,
    delivery_of,
    stop_mail,
)

DIGESTS = (Delivery.DAILY.value, Delivery.WEEKLY.value)
_TOKEN = re.compile(r"([1-9][0-9]{0,17})\.([a-z_]{1,32})\.([A-Za-z0-9_-]{43})")
_PURPOSE = b"townhall unsubscribe\x00"


class BadToken(ServiceError):
    """A token this node did not sign (or mangled on the way)."""

    status = 400


@dataclass(frozen=True)
class Unsubscription:
    """What a valid token would stop: for member `account_id`, mail of `subject` (a kind of
    notification, or "daily" / "weekly" for a digest)."""

    account_id: int
    subject: str
    handle: str


def _signature(secret_key: str, account_id: int, subject: str) -> str:
    message = _PURPOSE + f"{account_id}.{subject}".encode()
    digest = hmac.new(secret_key.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def unsubscribe_token(secret_key: str, account_id: int, subject: str) -> str:
    """The token for the link in a mail to `account_id` about `subject`."""
    return f"{account_id}.{subject}.{_signature(secret_key, account_id, subject)}"


async def read_token(secret_key: str, token: str) -> Unsubscription:
    """What `token` stops, or BadToken when it was not signed here or names nobody."""
    match = _TOKEN.fullmatch(token)
    if match is None:
        raise BadToken(N_("This unsubscribe link is not complete or was not made by this site."))
    account_id, subject, signature = int(match[1]), match[2], match[3]
    expected = _signature(secret_key, account_id, subject)
    if not hmac.compare_digest(expected, signature) or (
        subject not in BY_NAME and subject not in DIGESTS
    ):
        raise BadToken(N_("This unsubscribe link is not complete or was not made by this site."))
    account = await Account.get_or_none(id=account_id).prefetch_related("actor")
    if account is None or account.status == AccountStatus.DELETED:
        raise BadToken(N_("This unsubscribe link is for an account that no longer exists."))
    return Unsubscription(account_id, subject, account.actor.handle)


async def unsubscribe(secret_key: str, token: str) -> Unsubscription:
    """Stop the mail `token` names: that kind, or every kind the digest carries now."""
    found = await read_token(secret_key, token)
    if found.subject in DIGESTS:
        chosen = (await deliveries_of([found.account_id])).get(found.account_id, {})
        kinds = [k for k in BY_NAME if delivery_of(chosen, k).value == found.subject]
    else:
        kinds = [found.subject]
    await stop_mail(found.account_id, kinds)
    return found
