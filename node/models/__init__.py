"""The node's data model (tortoise-orm), one module per aggregate. No ActivityPub JSON here."""

from node.models.accounts import AccessRole, Account, AccountStatus, DefaultVisibility, Token
from node.models.actors import Actor, ActorKey, ActorType
from node.models.amendments import Amendment, AmendmentState
from node.models.analysis import QuotedResponse, ResponseTheme, ThemedResponse
from node.models.federation import (
    Delivery,
    DeliveryPayload,
    DeliveryState,
    Host,
    InboxItem,
    InboxState,
)
from node.models.limits import RateEvent
from node.models.links import ObjectLink
from node.models.mail import (
    ClosingReminder,
    EmailVerification,
    MailedThrough,
    MailState,
    NotificationPreference,
    OutgoingMail,
)
from node.models.moderation import (
    AllowedServer,
    Block,
    BlockSeverity,
    Invite,
    ModerationAction,
    NodeSetting,
    PasswordReset,
    Report,
)
from node.models.organisations import JoinRequest, Membership, Organisation, OrganisationRole
from node.models.polls import Poll, PollOption, ResultsShown, Vote
from node.models.proposals import ObjectTag, Proposal, ProposalStatus, ProposalVersion
from node.models.social import (
    Activity,
    Follow,
    FollowState,
    InboxEntry,
    Object,
    ObjectRevision,
    Reaction,
)
from node.models.statements import OpinionMap, Statement, StatementState, StatementVote

__all__ = [
    "AccessRole",
    "Account",
    "AccountStatus",
    "Activity",
    "Actor",
    "ActorKey",
    "ActorType",
    "AllowedServer",
    "Amendment",
    "AmendmentState",
    "Block",
    "BlockSeverity",
    "ClosingReminder",
    "DefaultVisibility",
    "Delivery",
    "DeliveryPayload",
    "DeliveryState",
    "EmailVerification",
    "Follow",
    "FollowState",
    "Host",
    "InboxEntry",
    "InboxItem",
    "InboxState",
    "Invite",
    "JoinRequest",
    "MailState",
    "MailedThrough",
    "Membership",
    "ModerationAction",
    "NodeSetting",
    "NotificationPreference",
    "Object",
    "ObjectLink",
    "ObjectRevision",
    "ObjectTag",
    "OpinionMap",
    "Organisation",
    "OrganisationRole",
    "OutgoingMail",
    "PasswordReset",
    "Poll",
    "PollOption",
    "Proposal",
    "ProposalStatus",
    "ProposalVersion",
    "QuotedResponse",
    "RateEvent",
    "Reaction",
    "Report",
    "ResponseTheme",
    "ResultsShown",
    "Statement",
    "StatementState",
    "StatementVote",
    "ThemedResponse",
    "Token",
    "Vote",
]
