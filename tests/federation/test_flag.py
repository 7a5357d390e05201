"""A Flag names at most MAX_REPORTED of our objects; what is not ours is not our report."""

from __future__ import annotations

from typing import Any, cast

from federation.activities import flag
from federation.ports import ActivityPorts

OURS = "https://node.example/objects/"


class RecordingPorts:
    """The three questions a Flag asks of the node, answered for objects under OURS."""

    def __init__(self) -> None:
        self.reports: list[tuple[str, str, list[str], str]] = []

    async def is_local_object(self, uri: str) -> bool:
        return uri.startswith(OURS)

    async def local_actor(self, uri: str) -> None:
        return None

    async def record_report(
        self, flag_uri: str, actor: str, objects: list[str], reason: str
    ) -> None:
        self.reports.append((flag_uri, actor, objects, reason))


async def report_of(activity: dict[str, Any]) -> list[tuple[str, str, list[str], str]]:
    ports = RecordingPorts()
    await flag.handle(activity, "https://other.example/users/mod", cast(ActivityPorts, ports))
    return ports.reports


async def test_a_flag_naming_hundreds_of_objects_reports_only_the_first_of_ours() -> None:
    named = [f"https://elsewhere.example/posts/{n}" for n in range(150)]
    named += [f"{OURS}{n}" for n in range(150)]
    activity = {"id": "https://other.example/flags/1", "type": "Flag", "object": named}
    # the first MAX_REPORTED are all elsewhere: nothing of ours is looked at beyond them
    assert await report_of(activity) == []
    activity["object"] = [f"{OURS}{n}" for n in range(300)]
    [(_flag, _actor, objects, _reason)] = await report_of(activity | {"content": "spam"})
    assert objects == [f"{OURS}{n}" for n in range(flag.MAX_REPORTED)]


async def test_a_flag_of_other_servers_objects_records_nothing_and_mixed_keeps_ours() -> None:
    others = ["https://elsewhere.example/users/x", "https://elsewhere.example/posts/1"]
    assert await report_of({"id": "https://o.example/f/2", "object": others}) == []
    mixed = [*others, f"{OURS}7", {"id": f"{OURS}8", "type": "Note"}]
    [(_flag, _actor, objects, reason)] = await report_of(
        {"id": "https://o.example/f/3", "object": mixed, "summary": "abuse"}
    )
    assert objects == [f"{OURS}7", f"{OURS}8"] and reason == "abuse"
