"""Who may do what with projects and offers: one row per permission and object, one column per person.

``x`` means allowed, ``.`` refused. The rules say who; the services add when (only a draft project
changes) and are tested in test_services.py. A new projects permission without a row fails
``test_every_project_permission_has_a_row``.
"""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from jindianzi.accounts.models import Role

from ..factories import OrganizationFactory, UserFactory, match_project, merged_project, staff_user

PEOPLE = ["visitor", "resident", "worker", "neighbour_worker", "other_street_worker", "street_officer",
          "other_street_officer", "organiser", "implementer_staff", "other_org_staff"]

#                                                 vis res wrk nbw osw sto oso org imp oos
TABLE = """
projects.view_project_list          -            .   .   x   x   x   x   x   x   .   .
projects.create_project             -            .   .   .   .   .   x   x   x   .   .
projects.view_project_workspace     project      .   .   x   .   .   x   .   x   .   .
projects.change_project             project      .   .   .   .   .   x   .   x   .   .
projects.match_project              project      .   .   .   .   .   x   .   x   .   .
projects.submit_project             project      .   .   .   .   .   x   .   x   .   .
projects.edit_plan                  project      .   .   .   .   .   x   .   x   x   .
projects.view_offers                -            .   .   .   .   .   .   .   .   x   x
projects.answer_offer               offer        .   .   .   .   .   .   .   .   x   .
"""


def rows():
    for line in TABLE.strip().splitlines():
        permission, target, *marks = line.split()
        assert len(marks) == len(PEOPLE), line
        for person, mark in zip(PEOPLE, marks):
            yield pytest.param(permission, target, person, mark == "x", id=f"{permission}-{target}-{person}")


@pytest.fixture
def cast(world, shortlist):
    officer = staff_user(Role.STREET_OFFICER, area=world.street)
    implementer = OrganizationFactory(home_area=world.community)
    implementer_staff = staff_user(Role.ORG_STAFF, organization=implementer)
    project = merged_project(ideas=[shortlist()], actor=officer)
    offer = match_project(project, actor=officer, organization=implementer, org_staff=implementer_staff)
    project.refresh_from_db()
    people = {
        "visitor": AnonymousUser(),
        "resident": UserFactory(),
        "worker": staff_user(Role.COMMUNITY_WORKER, area=world.community),
        "neighbour_worker": staff_user(Role.COMMUNITY_WORKER, area=world.neighbour),
        "other_street_worker": staff_user(Role.COMMUNITY_WORKER, area=world.other_community),
        "street_officer": officer,
        "other_street_officer": staff_user(Role.STREET_OFFICER, area=world.other_street),
        "organiser": staff_user(Role.DISTRICT_ORGANISER, area=world.district),
        "implementer_staff": implementer_staff,
        "other_org_staff": staff_user(Role.ORG_STAFF, organization=OrganizationFactory(home_area=world.community)),
    }
    return people, {"-": None, "project": project, "offer": offer}


@pytest.mark.django_db
@pytest.mark.parametrize("permission, target, person, allowed", list(rows()))
def test_project_permissions(cast, permission, target, person, allowed):
    people, targets = cast
    assert people[person].has_perm(permission, targets[target]) is allowed


def test_every_project_permission_has_a_row():
    declared = {name for name in rules.permissions.permissions if name.startswith("projects.")}
    assert declared == {line.split()[0] for line in TABLE.strip().splitlines()}
