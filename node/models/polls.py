"""Consultation questions: a poll (an ActivityStreams Question), its options and the votes cast."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from node.models.actors import Actor
from node.models.social import Object


class ResultsShown(StrEnum):
    """When voters see a question's results."""

    AFTER_CLOSE = "after_close"  # the default: nobody is swayed by the count so far
    AFTER_ANSWER = "after_answer"


class Poll(Model):
    """The voting rules of a Question object: single or multiple choice, and when it closes."""

    id = fields.BigIntField(primary_key=True)
    object: fields.OneToOneRelation[Object] = fields.OneToOneField(
        "models.Object", related_name="poll", on_delete=fields.CASCADE
    )
    multiple = fields.BooleanField(default=False)
    end_time = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    closes_with_proposal = fields.BooleanField(default=False)  # its end follows the proposal's
    results_shown = fields.CharEnumField(
        ResultsShown, max_length=16, default=ResultsShown.AFTER_CLOSE
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "poll"


class PollOption(Model):
    """One answer a voter can choose, in the order the author gave them."""

    id = fields.BigIntField(primary_key=True)
    poll: fields.ForeignKeyRelation[Poll] = fields.ForeignKeyField(
        "models.Poll", related_name="options", on_delete=fields.CASCADE
    )
    position = fields.IntField()
    name = fields.CharField(max_length=200)

    class Meta:
        table = "poll_option"
        unique_together = (("poll", "position"), ("poll", "name"))


class Vote(Model):
    """One actor's choice of one option.

    `slot` makes "one vote per actor" a database rule: it is 0 for every vote in a
    single-choice poll and the option's position in a multiple-choice one, and
    (poll, actor, slot) is unique.
    """

    id = fields.BigIntField(primary_key=True)
    poll: fields.ForeignKeyRelation[Poll] = fields.ForeignKeyField(
        "models.Poll", related_name="votes", on_delete=fields.CASCADE
    )
    option: fields.ForeignKeyRelation[PollOption] = fields.ForeignKeyField(
        "models.PollOption", related_name="votes", on_delete=fields.CASCADE
    )
    actor: fields.ForeignKeyRelation[Actor] = fields.ForeignKeyField(
        "models.Actor", related_name="poll_votes", on_delete=fields.CASCADE
    )
    uri = fields.CharField(max_length=2048, unique=True)
    slot = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "vote"
        unique_together = (("poll", "actor", "option"), ("poll", "actor", "slot"))
