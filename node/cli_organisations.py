"""`townhall organisation …`: the organisations an umbrella node hosts, from the command line
(add, list, suspend, unsuspend, join, leave, role; requests, approve, decline: members asking to
join one). The rules are node/services/organisations.py's (join_requests.py's); what changes is
in the audit log as done by the command line (no account)."""

from __future__ import annotations

import argparse
from typing import Any

from node.config import load_config, resolve_data_dir
from node.db import opened_database
from node.services import join_requests, organisation_admin, organisations
from node.urls import NodeUrls


def add_organisation_commands(commands: Any, data_dir_help: str) -> None:
    """`townhall organisation ACTION …` on the command's sub-parsers."""
    organisation = commands.add_parser(
        "organisation", help="manage the organisations this node hosts"
    ).add_subparsers(dest="organisation_command", required=True, metavar="ACTION")

    def action(name: str, help_text: str, *arguments: tuple[str, str]) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = organisation.add_parser(name, help=help_text)
        parser.add_argument("--data-dir", help=data_dir_help)
        for metavar, argument_help in arguments:
            parser.add_argument(metavar.lower(), metavar=metavar, help=argument_help)
        return parser

    handle = ("HANDLE", "the organisation's handle")
    member = ("MEMBER", "the member's handle")
    add = action("add", "host another organisation: a Group actor @HANDLE of its own", handle)
    add.add_argument("--name", required=True, help="the organisation's name")
    add.add_argument(
        "--summary", default="", metavar="TEXT", help="a few words about the organisation"
    )
    add.set_defaults(func=cmd_add)
    action(
        "list",
        "print every organisation hosted: handle, name, members, own / suspended / live",
    ).set_defaults(func=cmd_list)
    action(
        "suspend", "suspend an organisation: not served, publishes and relays nothing", handle
    ).set_defaults(func=cmd_suspend)
    action("unsuspend", "lift an organisation's suspension", handle).set_defaults(
        func=cmd_unsuspend
    )
    action("join", "make a member belong to an organisation too", handle, member).set_defaults(
        func=cmd_join
    )
    action(
        "leave", "end a member's belonging to an organisation (they keep one)", handle, member
    ).set_defaults(func=cmd_leave)
    role = (
        "ROLE",
        "member, moderator (decides its proposals and moderates their threads) or admin (runs it)",
    )
    action("role", "what a member may do for an organisation", handle, member, role).set_defaults(
        func=cmd_role
    )
    action(
        "requests", "print the members asking to join: member, asked at, message", handle
    ).set_defaults(func=cmd_requests)
    action("approve", "approve a member's request to join", handle, member).set_defaults(
        func=cmd_approve
    )
    action("decline", "decline a member's request to join", handle, member).set_defaults(
        func=cmd_decline
    )


async def cmd_add(args: argparse.Namespace) -> int:
    """townhall organisation add HANDLE --name NAME [--summary TEXT]."""
    config = load_config(resolve_data_dir(args.data_dir))
    async with opened_database(config):
        added = await organisations.add_hosted_organisation(
            NodeUrls(config.url), args.handle, args.name, args.summary, by_account_id=None
        )
    print(f"Added organisation @{added.handle}@{NodeUrls(config.url).host}")
    return 0


async def cmd_list(args: argparse.Namespace) -> int:
    """townhall organisation list: `HANDLE<TAB>NAME<TAB>MEMBERS<TAB>own|suspended|live`."""
    async with opened_database(load_config(resolve_data_dir(args.data_dir))):
        hosted = await organisations.hosted_organisations()
    for each in hosted:
        state = "own" if each.is_own else "suspended" if each.suspended else "live"
        print(f"{each.handle}\t{each.name}\t{each.members}\t{state}")
    return 0


async def cmd_suspend(args: argparse.Namespace) -> int:
    """townhall organisation suspend HANDLE."""
    async with opened_database(load_config(resolve_data_dir(args.data_dir))):
        await organisations.set_suspended(args.handle, True, by_account_id=None)
    print(f"Suspended @{args.handle}")
    return 0


async def cmd_unsuspend(args: argparse.Namespace) -> int:
    """townhall organisation unsuspend HANDLE."""
    async with opened_database(load_config(resolve_data_dir(args.data_dir))):
        await organisations.set_suspended(args.handle, False, by_account_id=None)
    print(f"Lifted the suspension of @{args.handle}")
    return 0


async def cmd_join(args: argparse.Namespace) -> int:
    """townhall organisation join HANDLE MEMBER."""
    async with opened_database(load_config(resolve_data_dir(args.data_dir))):
        await organisations.join_by_handle(args.handle, args.member, by_account_id=None)
    print(f"@{args.member.removeprefix('@')} belongs to @{args.handle}")
    return 0


async def cmd_leave(args: argparse.Namespace) -> int:
    """townhall organisation leave HANDLE MEMBER."""
    async with opened_database(load_config(resolve_data_dir(args.data_dir))):
        await organisations.leave_by_handle(args.handle, args.member, by_account_id=None)
    print(f"@{args.member.removeprefix('@')} no longer belongs to @{args.handle}")
    return 0


async def cmd_role(args: argparse.Namespace) -> int:
    """townhall organisation role HANDLE MEMBER ROLE."""
    role = organisation_admin.parse_role(args.role)
    async with opened_database(load_config(resolve_data_dir(args.data_dir))):
        await organisation_admin.set_role(args.handle, args.member, role, by_account_id=None)
    print(f"@{args.member.removeprefix('@')} is {role.value} of @{args.handle}")
    return 0


async def cmd_requests(args: argparse.Namespace) -> int:
    """townhall organisation requests HANDLE: `MEMBER<TAB>ASKED AT<TAB>MESSAGE`, oldest first."""
    async with opened_database(load_config(resolve_data_dir(args.data_dir))):
        waiting = await join_requests.pending(args.handle)
    for each in waiting:
        message = " ".join(each.message.split())  # one line, whatever they typed
        print(f"{each.handle}\t{each.asked_at.isoformat(timespec='seconds')}\t{message}")
    return 0


async def cmd_approve(args: argparse.Namespace) -> int:
    """townhall organisation approve HANDLE MEMBER."""
    async with opened_database(load_config(resolve_data_dir(args.data_dir))):
        await join_requests.approve(args.handle, args.member, by_account_id=None)
    print(f"@{args.member.removeprefix('@')} belongs to @{args.handle}")
    return 0


async def cmd_decline(args: argparse.Namespace) -> int:
    """townhall organisation decline HANDLE MEMBER."""
    async with opened_database(load_config(resolve_data_dir(args.data_dir))):
        await join_requests.decline(args.handle, args.member, by_account_id=None)
    print(f"Declined the request of @{args.member.removeprefix('@')} to join @{args.handle}")
    return 0
