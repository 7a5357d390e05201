"""Links between objects: a FEP-e232 `Link` tag naming another ActivityPub object."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from node.models.social import Object


class ObjectLink(Model):
    """An object that links another one (`href`), e.g. a response to another node's proposal."""

    id = fields.BigIntField(primary_key=True)
    object: fields.ForeignKeyRelation[Object] = fields.ForeignKeyField(
        "models.Object", related_name="links", on_delete=fields.CASCADE
    )
    href = fields.CharField(max_length=2048, db_index=True)

    class Meta:
        table = "object_link"
        unique_together = (("object", "href"),)
