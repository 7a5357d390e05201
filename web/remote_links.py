"""Where this node shows an object it holds from another server (a proposal, a comment):
`/remote/objects/{id}`, by the object's row id here, so a member reads and answers it on their
own node."""


def remote_page_path(object_id: int) -> str:
    """The path of the page that shows remote object `object_id` on this node."""
    return f"/remote/objects/{object_id}"
