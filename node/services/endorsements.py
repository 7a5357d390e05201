"""Endorsements: Likes of a proposal (a Mastodon favourite, a Lemmy upvote), counted by endorser.

A Like is stored as a `Reaction` row, whether it came through the client API or an inbox; this
module only reads those rows. Endorsers fall into one bucket each: organisations (Group and
Organization actors), members by their profile role (practitioner, service user, staff: a local
member's `Actor.role`, or the "Role" profile field a remote Townhall member publishes), other
members of this node, and the wider public.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from tortoise.functions import Count

from federation.vocab import as_list
from node.activitypub import ROLE_LABELS
from node.i18n import N_
from node.models import ActorType, Reaction
from node.sanitize import plain_text
from node.services.errors import ServiceError

PROFILE_ROLES = tuple(ROLE_LABELS)
ORGANISATION_TYPES = frozenset({ActorType.GROUP.value, ActorType.ORGANIZATION.value})
_ROLE_BY_LABEL = {label.casefold(): role for role, label in ROLE_LABELS.items()}


@dataclass
class EndorsementCounts:
    """How many actors endorse an object, split by kind of endorser."""

    organisations: int = 0
    practitioner: int = 0
    service_user: int = 0
    staff: int = 0
    members_other: int = 0
    public: int = 0

    @property
    def total(self) -> int:
        """Every endorsement, whoever gave it."""
        return sum(asdict(self).values())

    def as_json(self) -> dict[str, int]:
        """The counts with their total, as the endorsements endpoint serves them."""
        return {**asdict(self), "total": self.total}


def bucket_of(actor_type: str, role: str, is_local: bool) -> str:
    """The EndorsementCounts field an endorser with these properties counts in."""
    if actor_type in ORGANISATION_TYPES:
        return "organisations"
    if role in PROFILE_ROLES:
        return role
    if is_local and actor_type == ActorType.PERSON.value:
        return "members_other"
    return "public"


async def endorsement_counts(object_uri: str) -> EndorsementCounts:
    """The endorsements of `object_uri`, in one grouped query whatever the number of endorsers."""
    rows = (
        await Reaction.filter(kind="Like", object_uri=object_uri)
        .annotate(endorsers=Count("id"))
        .group_by("actor__type", "actor__role", "actor__is_local")
        .values("actor__type", "actor__role", "actor__is_local", "endorsers")
    )
    counts = EndorsementCounts()
    for row in rows:
        bucket = bucket_of(
            str(row["actor__type"]), str(row["actor__role"]), bool(row["actor__is_local"])
        )
        setattr(counts, bucket, getattr(counts, bucket) + int(row["endorsers"]))
    return counts


def parse_profile_role(value: Any) -> str:
    """A member's profile role as given by a person ('' clears it), or a ServiceError."""
    if value is None or value == "":
        return ""
    if isinstance(value, str) and value in PROFILE_ROLES:
        return value
    choices = ", ".join(PROFILE_ROLES)
    raise ServiceError(
        N_("unknown profile role %(value)s: choose one of %(choices)s, or ''"),
        value=repr(value),
        choices=choices,
    )


def role_from_profile(document: dict[str, Any]) -> str:
    """The role a remote actor publishes as a "Role" PropertyValue, or '' when it has none."""
    for field in as_list(document.get("attachment")):
        if not isinstance(field, dict) or field.get("type") != "PropertyValue":
            continue
        name, value = field.get("name"), field.get("value")
        if isinstance(name, str) and name.strip().casefold() == "role" and isinstance(value, str):
            label = " ".join(plain_text(value).replace("_", " ").split()).casefold()
            return _ROLE_BY_LABEL.get(label, "")
    return ""
