"""Background work for similar ideas, through the Django tasks interface (the ``django-tasks`` backport).

With the default backend (``TASKS`` in settings: immediate) a task runs at once in
the process that enqueues it; a production site can configure a database or
Redis-backed backend and run a worker instead, without changing this code.
"""

from django_tasks import task


@task()
def idea_index(idea_id: int) -> bool:
    """Index one idea from its current text (after it was submitted or revised)."""
    from .index import idea_index as index

    return index(idea_id=idea_id)


@task()
def edition_similarity_rebuild(edition_id: int) -> dict:
    """Rebuild an edition's whole index: every idea's fingerprint and band keys."""
    from .index import edition_index_rebuild

    return edition_index_rebuild(edition_id=edition_id)


def index_idea_later(idea_id: int) -> None:
    """Queue the indexing of an idea. Services call this from ``transaction.on_commit``, so a rollback queues nothing."""
    idea_index.enqueue(idea_id)
