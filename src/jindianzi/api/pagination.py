"""One page shape for every list: ``{"count": N, "items": [...]}`` with ``limit``/``offset``."""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 500


class PageInput(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"How many items, at most {MAX_LIMIT}.")
    offset: int = Field(0, ge=0, description="How many matching items to skip.")


class LimitOffset(LimitOffsetPagination):
    """Ninja's limit/offset pages with a documented ceiling, so one request cannot ask for everything."""

    Input = PageInput

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
