"""Open data: the public fields of an edition's ideas, the same for every export format.

Nothing personal is exported: no phone numbers, no account data, and the
proposer is named only as a public page would name them.
"""

import csv
import io
import json

from jindianzi.ideas.selectors import ideas_public

PUBLIC_IDEA_FIELDS = [
    "tracking_code", "title", "street", "community", "category", "state", "proposer",
    "beneficiaries", "estimated_budget", "channel", "submitted_on",
]


def public_idea_rows(edition):
    for idea in ideas_public(edition=edition).order_by("submitted_at", "id").iterator(chunk_size=1000):
        yield {
            "tracking_code": idea.tracking_code,
            "title": idea.title,
            "street": idea.community.parent.name,
            "community": idea.community.name,
            "category": idea.category.code,
            "state": idea.state,
            "proposer": idea.public_proposer_name,
            "beneficiaries": idea.beneficiaries,
            "estimated_budget": f"{idea.estimated_budget:.2f}",
            "channel": idea.channel,
            "submitted_on": idea.submitted_at.date().isoformat(),
        }


def ideas_as_csv(edition) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=PUBLIC_IDEA_FIELDS)
    writer.writeheader()
    writer.writerows(public_idea_rows(edition))
    # A byte-order mark lets Excel on a district PC open the Chinese text correctly.
    return "\ufeff" + out.getvalue()


def ideas_as_json(edition) -> str:
    return json.dumps(list(public_idea_rows(edition)), ensure_ascii=False, indent=1)
