"""Who may do what with ideas: one table, one row per permission and object, one column per person.

``x`` means allowed, ``.`` refused. A new idea permission without a row fails
``test_every_idea_permission_has_a_row``. Permissions on spreadsheet imports (their
object is an import record, not an idea) are tested with the import, in test_import.py.
"""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from jindianzi.accounts.models import Role
from jindianzi.accounts.services import user_register

from ..factories import PASSWORD, UserFactory, paper_idea, staff_user, submit_idea

IMPORT_PERMISSIONS = {"ideas.view_import", "ideas.decide_import"}

PEOPLE = [
    "visitor", "unverified", "resident", "proposer", "worker", "neighbour_worker", "other_street_worker",
    "street_officer", "other_street_officer", "organiser",
]

#                                                   vis unv res pro wrk nbw osw sto oso org
TABLE = """
ideas.submit_idea           community               .   .   x   x   x   x   x   x   x   x
ideas.enter_paper_idea      community               .   .   .   .   x   .   .   .   .   .
ideas.enter_paper_idea      other_community         .   .   .   .   .   .   x   .   .   .
ideas.import_ideas          -                       .   .   .   .   x   x   x   .   .   .
ideas.withdraw_idea         web_idea                .   .   .   x   .   .   .   .   .   .
ideas.withdraw_idea         paper_idea              .   .   .   .   x   .   .   .   .   .
ideas.view_idea_private     web_idea                .   .   .   x   x   .   .   x   .   x
ideas.view_idea_private     paper_idea              .   .   .   .   x   .   .   x   .   x
ideas.view_proposer_phone   web_idea                .   .   .   .   x   .   .   .   .   .
ideas.view_proposer_phone   paper_idea              .   .   .   .   x   .   .   .   .   .
ideas.screen_idea           web_idea                .   .   .   .   x   .   .   x   .   x
ideas.screen_idea           paper_idea              .   .   .   .   x   .   .   x   .   x
ideas.view_research_notes   web_idea                .   .   .   .   x   .   .   x   .   x
ideas.revise_idea           web_idea                .   .   .   x   x   .   .   x   .   x
ideas.revise_idea           paper_idea              .   .   .   .   x   .   .   x   .   x
ideas.merge_idea            web_idea                .   .   .   .   x   .   .   x   .   x
ideas.view_similar          web_idea                .   .   .   .   x   .   .   x   .   x
ideas.view_similar_groups   street                  .   .   .   .   x   x   .   x   .   x
ideas.view_similar_groups   district                .   .   .   .   .   .   .   .   .   x
"""


def rows():
    for line in TABLE.strip().splitlines():
        permission, target, *marks = line.split()
        assert len(marks) == len(PEOPLE), line
        for person, mark in zip(PEOPLE, marks):
            yield pytest.param(permission, target, person, mark == "x", id=f"{permission}-{target}-{person}")


@pytest.fixture
def cast(world):
    proposer = UserFactory(display_name="李明")
    worker = staff_user(Role.COMMUNITY_WORKER, area=world.community)
    people = {
        "visitor": AnonymousUser(),
        "unverified": user_register(login="13900009999", password=PASSWORD),
        "resident": UserFactory(),
        "proposer": proposer,
        "worker": worker,
        "neighbour_worker": staff_user(Role.COMMUNITY_WORKER, area=world.neighbour),
        "other_street_worker": staff_user(Role.COMMUNITY_WORKER, area=world.other_community),
        "street_officer": staff_user(Role.STREET_OFFICER, area=world.street),
        "other_street_officer": staff_user(Role.STREET_OFFICER, area=world.other_street),
        "organiser": staff_user(Role.DISTRICT_ORGANISER, area=world.district),
    }
    targets = {
        "-": None,
        "community": world.community,
        "other_community": world.other_community,
        "street": world.street,
        "district": world.district,
        "web_idea": submit_idea(edition=world.edition, community=world.community, proposer=proposer),
        "paper_idea": paper_idea(edition=world.edition, community=world.community, worker=worker),
    }
    return people, targets


@pytest.mark.django_db
@pytest.mark.parametrize("permission, target, person, allowed", list(rows()))
def test_idea_permissions(cast, permission, target, person, allowed):
    people, targets = cast
    user, obj = people[person], targets[target]

    assert user.has_perm(permission, obj) is allowed


def test_every_idea_permission_has_a_row():
    declared = {name for name in rules.permissions.permissions
                if name.startswith("ideas.") and name not in IMPORT_PERMISSIONS}
    in_table = {line.split()[0] for line in TABLE.strip().splitlines()}

    assert declared == in_table
