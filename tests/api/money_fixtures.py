"""An agreement in force and the people around it, for the money API's tests, built through the services.

``money_deal()`` (inside a module-scoped fixture with ``kept_for_module``) gives ``deal``:

- ``deal.agreement``: the 4,200-yuan agreement of a 西屯街道 project, signed by every party; instalments
  1,680.00 on signing, 1,260.00 after the mid-term check, 1,260.00 at the end; paid 60 % by the foundation
  and 40 % by district finance (each committing 1,000,000 yuan);
- ``deal.spare``: a second approved project of the same street and organisation, with no agreement yet;
- ``deal.users``: one account per role of the permission matrix (``MONEY_ROLES``);
- ``deal.people``: the framework's people (``tests/factories_funds.py``).

Later stages are built on a test's fresh copy when it asks for them (``deal.requested()`` ...), so they
are undone with the test.
"""

import datetime
from types import SimpleNamespace

from jindianzi.accounts.models import Role
from jindianzi.agreements.services import agreement_create
from jindianzi.funds.services import expense_report

from ..factories import OrganizationFactory, UserFactory, photo_upload, staff_user
from ..factories_funds import (
    approve_all, approved_projects, cooperation_framework, drawn_agreement, funds_world, requested_disbursement,
    sign_all,
)

# ``street_out`` is a street officer of the other street; ``org_other`` works for an organisation with no
# agreement; ``hub`` for the hub organisation, a party of every agreement; the rest are the agreement's parties.
MONEY_ROLES = ["anonymous", "resident", "organiser", "street_in", "street_out", "foundation", "finance", "support",
               "hub", "org_staff", "org_other"]


class Deal(SimpleNamespace):
    def drawn(self):
        """The spare project's agreement, drawn up by the organiser and waiting for every signature."""
        if getattr(self, "_drawn", None) is None:
            self._drawn = agreement_create(actor=self.people.organiser, project=self.spare)
        return self._drawn

    def requested(self):
        """The implementer asks for the first instalment (on signing): 1,008.00 foundation, 672.00 finance."""
        if getattr(self, "_requested", None) is None:
            self._requested = requested_disbursement(self.agreement, self.people, "signing")
        return self._requested

    def approved(self):
        """The first instalment, approved by both sources."""
        if getattr(self, "_approved", None) is None:
            self._approved = approve_all(self.requested(), self.people)
        return self._approved

    def expense(self):
        """300 yuan of printing reported against the first budget line, with a receipt photo."""
        if getattr(self, "_expense", None) is None:
            self._expense = expense_report(
                actor=self.people.org_staff, agreement=self.agreement, line=self.agreement.lines.first(),
                amount="300.00", spent_on=datetime.date(2017, 7, 1), description="问候卡印刷", receipts=[photo_upload()])
        return self._expense

    @property
    def foundation_source(self):
        return self.people.foundation_source

    @property
    def finance_source(self):
        return self.people.finance_source


def money_deal() -> Deal:
    world = funds_world()
    project, spare = approved_projects(world, ("4200.00", "3000.00"))
    framework = cooperation_framework(world.edition, world.district)
    agreement, people = drawn_agreement(world, project=project, framework=framework)
    agreement = sign_all(agreement, people)
    users = {
        "resident": UserFactory(),
        "organiser": people.organiser,
        "street_in": people.street_officer,
        "street_out": staff_user(Role.STREET_OFFICER, area=world.other_street, display_name="西城街道办"),
        "foundation": people.foundation_officer,
        "finance": people.finance_officer,
        "support": people.support_staff,
        "hub": people.hub_staff,
        "org_staff": people.org_staff,
        "org_other": staff_user(Role.ORG_STAFF, organization=OrganizationFactory(
            name="红山郡社区邻里互助会", home_area=world.other_community), display_name="互助会刘会长"),
    }
    spare.refresh_from_db()
    return Deal(world=world, edition=agreement.edition, agreement=agreement, spare=spare, people=people,
                users=users)
