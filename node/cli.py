"""The `townhall` command: init, run, migrate, worker, backup, restore, check, user add, token
create / list / revoke, organisation add / list / suspend / unsuspend / join / leave
(node/cli_organisations.py)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import ssl
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from tortoise.exceptions import BaseORMException

from node.backup_archive import ArchiveError
from node.cli_organisations import add_organisation_commands
from node.config import ConfigError, check_handle, load_config, resolve_data_dir
from node.db import DatabaseUnreachable, migrate, opened_database
from node.install import NodeSettings, initialise
from node.logs import configure_logging
from node.numbers import whole_number
from node.services import members, tokens
from node.services.endorsements import parse_profile_role
from node.services.errors import ServiceError
from node.urls import NodeUrls

# node.server and node.workers are imported by the commands that need them: the web and
# federation stack roughly doubles the start-up time of the short administrative commands.

Command = Callable[[argparse.Namespace], Awaitable[int]]


class CliError(Exception):
    """A refusal to print as one line, with a non-zero exit."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with a sub-command per operation."""
    parser = argparse.ArgumentParser(
        prog="townhall", description="Run and administer a Townhall node."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    data_dir_help = "the node's data dir (default: $TOWNHALL_DATA_DIR, then ./townhall-data)"

    init = commands.add_parser("init", help="create a node in a new data dir")
    init.add_argument("--data-dir", help=data_dir_help)
    init.add_argument("--url", required=True, help="public base URL, e.g. https://talk.example.org")
    init.add_argument("--name", required=True, help="the organisation's name")
    init.add_argument("--handle", required=True, help="the organisation's handle ([a-z0-9_]{1,30})")
    init.set_defaults(func=cmd_init)

    run = commands.add_parser("run", help="serve the node (a setup page first if it is new)")
    run.add_argument("--data-dir", help=data_dir_help)
    run.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    run.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    run.add_argument("--tls-cert", help="serve HTTPS with this PEM certificate (chain) file")
    run.add_argument("--tls-key", help="the PEM private key of --tls-cert")
    run.set_defaults(func=cmd_run)

    migrate_cmd = commands.add_parser("migrate", help="apply pending database migrations")
    migrate_cmd.add_argument("--data-dir", help=data_dir_help)
    migrate_cmd.set_defaults(func=cmd_migrate)

    worker = commands.add_parser(
        "worker",
        help="deliver queued activities, send queued mail and recompute opinion maps, without the"
        " web server",
    )
    worker.add_argument("--data-dir", help=data_dir_help)
    worker.set_defaults(func=cmd_worker)

    backup = commands.add_parser(
        "backup", help="write one archive of the node (database, keys, config); it may be running"
    )
    backup.add_argument("--data-dir", help=data_dir_help)
    backup.add_argument("file", metavar="FILE", help="the archive to write (never replaced)")
    backup.set_defaults(func=cmd_backup)

    restore = commands.add_parser(
        "restore", help="bring a node back from its archive into a new, empty data dir"
    )
    restore.add_argument("file", metavar="FILE", help="an archive `townhall backup` wrote")
    restore.add_argument("--data-dir", required=True, help="the new (or empty) data dir")
    restore.add_argument(
        "--database-url",
        default="",
        help="PostgreSQL backups: the new, empty database to restore into "
        "(default: $TOWNHALL_DATABASE_URL, then the backup's own [database] url)",
    )
    restore.add_argument(
        "--sha256",
        default="",
        help="refuse unless the archive has this SHA-256 (as backup printed)",
    )
    restore.set_defaults(func=cmd_restore)

    check = commands.add_parser(
        "check",
        help="say whether config, database, migrations, public URL, TLS and mail are right",
    )
    check.add_argument("--data-dir", help=data_dir_help)
    check.set_defaults(func=cmd_check)

    user = commands.add_parser("user", help="manage members").add_subparsers(
        dest="user_command", required=True, metavar="ACTION"
    )
    user_add = user.add_parser("add", help="add a member")
    user_add.add_argument("--data-dir", help=data_dir_help)
    user_add.add_argument("handle", metavar="HANDLE")
    user_add.add_argument("--role", default="member", help="member, moderator or admin")
    user_add.add_argument(
        "--profile-role",
        default="",
        help="practitioner, service_user or staff: shown on the profile, splits endorsements",
    )
    user_add.add_argument("--name", default="", help="display name")
    user_add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    user_add.set_defaults(func=cmd_user_add)

    token = commands.add_parser("token", help="manage API tokens").add_subparsers(
        dest="token_command", required=True, metavar="ACTION"
    )
    token_create = token.add_parser("create", help="print a new bearer token for a member")
    token_create.add_argument("--data-dir", help=data_dir_help)
    token_create.add_argument("handle", metavar="HANDLE")
    token_create.set_defaults(func=cmd_token_create)
    token_list = token.add_parser(
        "list", help="print a member's tokens: id, created, last used to write (never the token)"
    )
    token_list.add_argument("--data-dir", help=data_dir_help)
    token_list.add_argument("handle", metavar="HANDLE")
    token_list.set_defaults(func=cmd_token_list)
    token_revoke = token.add_parser(
        "revoke", help="revoke a token by the id `token list` shows (HANDLE checks whose it is)"
    )
    token_revoke.add_argument("--data-dir", help=data_dir_help)
    token_revoke.add_argument(
        "handle", metavar="HANDLE", nargs="?", help="refuse unless the token is this member's"
    )
    token_revoke.add_argument("token_id", metavar="ID", help="the number `token list` shows")
    token_revoke.set_defaults(func=cmd_token_revoke)
    add_organisation_commands(commands, data_dir_help)
    return parser


async def cmd_init(args: argparse.Namespace) -> int:
    """townhall init."""
    data_dir = resolve_data_dir(args.data_dir)
    config = await initialise(data_dir, NodeSettings(args.url, args.name, args.handle))
    print(f"Initialised {data_dir} for @{args.handle}@{NodeUrls(config.url).host}")
    return 0


async def cmd_run(args: argparse.Namespace) -> int:
    """townhall run."""
    if not 0 < args.port < 65536:
        raise CliError(f"invalid port {args.port}")
    from node.server import Listen, serve

    data_dir = resolve_data_dir(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    await serve(data_dir, Listen(args.host, args.port, _tls_context(args.tls_cert, args.tls_key)))
    return 0


def _tls_context(cert: str | None, key: str | None) -> ssl.SSLContext | None:
    """A server TLS context from --tls-cert and --tls-key (both or neither)."""
    if cert is None and key is None:
        return None
    if cert is None or key is None:
        raise CliError("--tls-cert and --tls-key go together")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


async def cmd_migrate(args: argparse.Namespace) -> int:
    """townhall migrate."""
    config = load_config(resolve_data_dir(args.data_dir))
    applied = await migrate(config.database_url)
    print(f"Applied {len(applied)} migration(s)" + (f": {', '.join(applied)}" if applied else ""))
    return 0


async def cmd_worker(args: argparse.Namespace) -> int:
    """townhall worker: runs delivery workers until SIGTERM."""
    from node.workers.delivery_process import run_delivery_worker

    await run_delivery_worker(load_config(resolve_data_dir(args.data_dir)))
    return 0


async def cmd_backup(args: argparse.Namespace) -> int:
    """townhall backup FILE."""
    from node.backup import make_backup

    made = await make_backup(load_config(resolve_data_dir(args.data_dir)), Path(args.file))
    print(f"Wrote {made.path} ({made.size:,} bytes, {made.engine} database)")
    print(f"SHA-256 {made.sha256} (keep it apart; `townhall restore --sha256` checks it)")
    return 0


async def cmd_restore(args: argparse.Namespace) -> int:
    """townhall restore FILE --data-dir DIR."""
    from node.restore import restore_backup

    restored = await restore_backup(
        Path(args.file), Path(args.data_dir), args.database_url, args.sha256
    )
    print(
        f"Restored {restored.url} (backup of {restored.created_at}, {restored.engine} database) "
        f"into {restored.data_dir}; start it with `townhall run --data-dir {restored.data_dir}`"
    )
    return 0


async def cmd_check(args: argparse.Namespace) -> int:
    """townhall check: one line per finding; exit 1 when something needs fixing."""
    from node.health_check import check_node

    findings = await check_node(resolve_data_dir(args.data_dir))
    for finding in findings:
        print(f"{'ok' if finding.ok else 'PROBLEM':8}{finding.topic}: {finding.words}")
    problems = sum(not finding.ok for finding in findings)
    print("All is well." if not problems else f"{problems} thing(s) to fix.")
    return 1 if problems else 0


async def cmd_user_add(args: argparse.Namespace) -> int:
    """townhall user add."""
    config = load_config(resolve_data_dir(args.data_dir))
    check_handle(args.handle)
    role = members.parse_access_role(args.role)
    profile_role = parse_profile_role(args.profile_role)
    password = _read_password() if args.password_stdin else None
    if password is not None and len(password) < members.MIN_PASSWORD_LENGTH:
        raise CliError(
            f"the password must be at least {members.MIN_PASSWORD_LENGTH} characters"
            + ("" if password else " (nothing was read from standard input)")
        )
    async with opened_database(config):
        account = await members.add_member(
            NodeUrls(config.url),
            args.handle,
            access_role=role,
            name=args.name,
            password=password,
            profile_role=profile_role,
        )
    print(f"Added {account.access_role.value} @{args.handle}@{NodeUrls(config.url).host}")
    return 0


async def cmd_token_create(args: argparse.Namespace) -> int:
    """townhall token create: prints one bearer token line."""
    async with opened_database(load_config(resolve_data_dir(args.data_dir))):
        token = await tokens.create_token(args.handle)
    print(token)
    return 0


async def cmd_token_list(args: argparse.Namespace) -> int:
    """townhall token list: one line per token, `ID<TAB>CREATED<TAB>LAST USED` (or `never`)."""
    async with opened_database(load_config(resolve_data_dir(args.data_dir))):
        found = await tokens.tokens_of_handle(args.handle)
    for info in found:
        used = _timestamp(info.last_used_at) if info.last_used_at else "never"
        print(f"{info.id}\t{_timestamp(info.created_at)}\t{used}")
    return 0


async def cmd_token_revoke(args: argparse.Namespace) -> int:
    """townhall token revoke: deletes the token; it stops working at once."""
    token_id = _token_id(args.token_id)
    async with opened_database(load_config(resolve_data_dir(args.data_dir))):
        if args.handle is None:
            await tokens.revoke_token(token_id)
        else:
            await tokens.revoke_token_of_handle(args.handle, token_id)
    print(f"Revoked token {token_id}")
    return 0


def _token_id(value: str) -> int:
    """A token id as `token list` prints it."""
    token_id = whole_number(value, 1)
    if token_id is None:
        raise CliError(f"not a token id: {value!r} (`townhall token list HANDLE` shows them)")
    return token_id


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _read_password() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("Password: ")
    return sys.stdin.readline().rstrip("\r\n")


def _refuse(message: object) -> int:
    """Print a refusal as exactly one line on stderr; the exit status is 1."""
    print(f"townhall: error: {' '.join(str(message).split())}", file=sys.stderr)
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run one command; refusals print one line and exit 1, never a traceback."""
    args = build_parser().parse_args(argv)
    configure_logging()
    try:
        return asyncio.run(args.func(args))
    except (CliError, ConfigError, ServiceError, DatabaseUnreachable, ArchiveError) as error:
        return _refuse(error)
    except BaseORMException as error:  # a lock held too long, a constraint lost in a race
        return _refuse(f"database error: {error}")
    except OSError as error:
        where = f": {error.filename}" if error.filename else ""
        return _refuse(f"{error.strerror or error}{where}")
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
