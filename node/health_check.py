"""`townhall check`: whether a node is set up right, in plain words, changing nothing.

It reads the config, reaches the database, lists migrations not yet applied, and asks the
public URL for the node's NodeInfo as another server would (TLS verified): that catches a
proxy that does not pass requests on, a certificate that does not match, and a URL that leads
to some other server. Last it greets the SMTP server (connect, EHLO, QUIT: nothing is sent),
or names the folder .eml files go to when none is set.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import aiosmtplib
from tortoise.exceptions import BaseORMException

from node.config import Config, ConfigError, load_config, mask_password
from node.db import DatabaseUnreachable, pending_migrations
from node.mail.transport import OUTBOX_FOLDER, SmtpTransport

TIMEOUT = 10
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing checked: whether it is right, and what to say about it."""

    ok: bool
    topic: str
    words: str


async def check_node(data_dir: Path) -> list[Finding]:
    """Every finding about the node in `data_dir`, in the order an admin would fix them."""
    try:
        config = load_config(data_dir)
    except ConfigError as error:
        return [Finding(False, "config", str(error))]
    findings = [Finding(True, "config", f"{data_dir / 'townhall.toml'} reads well")]
    findings.append(await _database(config))
    findings.extend(await _public_url(config))
    findings.append(await _mail(config))
    return findings


async def _mail(config: Config) -> Finding:
    """Whether the SMTP server answers (connect, EHLO, QUIT: nothing is sent), or where the
    .eml files go when none is set."""
    if not config.email.smtp_url:
        folder = config.data_dir / OUTBOX_FOLDER
        return Finding(
            True,
            "mail",
            f"no [email] smtp_url: mail is written as .eml files to {folder}",
        )
    smtp = SmtpTransport(config.email.smtp_url, config.email.sender)
    try:
        await smtp.probe(TIMEOUT)
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
        return Finding(
            False,
            "mail",
            f"the SMTP server at {smtp.where} did not answer as one does "
            f"({type(error).__name__}: {error or 'timed out'}): check [email] smtp_url",
        )
    return Finding(True, "mail", f"the SMTP server at {smtp.where} answers")


async def _database(config: Config) -> Finding:
    shown = mask_password(config.database_url)
    try:
        pending = await pending_migrations(config.database_url)
    except DatabaseUnreachable as error:
        return Finding(False, "database", str(error))
    except BaseORMException as error:  # no aerich table: a database Townhall never set up
        return Finding(False, "database", f"{shown} is not a Townhall database ({error})")
    if pending:
        return Finding(
            False,
            "database",
            f"{shown} needs {len(pending)} migration(s) ({', '.join(pending)}): "
            "run `townhall migrate` (or start the node, which applies them)",
        )
    return Finding(True, "database", f"{shown} is reachable and up to date")


async def _public_url(config: Config) -> list[Finding]:
    parts = urlsplit(config.url)
    findings = []
    on_this_machine = parts.hostname in LOCAL_HOSTS
    if parts.scheme != "https" and not on_this_machine:
        findings.append(
            Finding(
                False,
                "public URL",
                f"{config.url} is not https: other servers will not federate with it; put "
                "a proxy with TLS in front of the node (deploy/ has examples)",
            )
        )
    elif parts.scheme != "https":
        findings.append(
            Finding(True, "public URL", f"{config.url} is plain http: fine for trying it here")
        )
    findings.append(await _reaches_this_node(config.url))
    return findings


async def _reaches_this_node(url: str) -> Finding:
    where = f"{url}/.well-known/nodeinfo"
    timeout = aiohttp.ClientTimeout(total=TIMEOUT)
    try:
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.get(where, allow_redirects=False) as response,
        ):
            if response.status != 200:
                return Finding(
                    False,
                    "reachable",
                    f"{where} answers {response.status}: the proxy may not pass requests on "
                    "to the node",
                )
            document = await response.json(content_type=None)
    except aiohttp.ClientConnectorCertificateError as error:
        return Finding(
            False, "TLS", f"the certificate of {url} is not valid: {error.certificate_error}"
        )
    except (aiohttp.ClientConnectorError, ssl.SSLError) as error:
        return Finding(False, "reachable", f"nothing answers at {url} ({error.strerror or error}): "
                       "is the node running, and the proxy in front of it?")  # fmt: skip
    except (aiohttp.ClientError, TimeoutError, ValueError) as error:
        return Finding(
            False, "reachable", f"{where} did not answer as a node does ({error or 'timed out'})"
        )
    links = document.get("links") if isinstance(document, dict) else None
    hrefs = [link.get("href", "") for link in links or [] if isinstance(link, dict)]
    if not any(isinstance(href, str) and href.startswith(url + "/") for href in hrefs):
        return Finding(
            False, "reachable", f"{url} answers, but as another server (its NodeInfo names {hrefs})"
        )
    return Finding(True, "reachable", f"{url} answers as this node")
