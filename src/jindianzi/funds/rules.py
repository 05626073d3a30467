"""Who may move which money. Pages, the API and the services ask these.

An organisation sees and asks for only its own money; a funding source's
officer approves and pays only that source's share; the support centre checks
the spending of the agreements it supports.
"""

import rules

from jindianzi.accounts.models import Role
from jindianzi.accounts.predicates import has_any_role, role_over_area

from .services import officer_of_source, supports, works_for_implementer

organiser_of_source = role_over_area(Role.DISTRICT_ORGANISER, area_of=lambda source: source.edition.district)


@rules.predicate
def implements(user, agreement):
    return agreement is not None and works_for_implementer(user, agreement)


@rules.predicate
def officer_of_share_source(user, share):
    return share is not None and officer_of_source(user, share.source)


@rules.predicate
def officer_of_a_source(user, disbursement):
    return disbursement is not None and any(officer_of_source(user, s.source)
                                            for s in disbursement.shares.select_related("source"))


@rules.predicate
def officer_of_this_source(user, source):
    return source is not None and officer_of_source(user, source)


@rules.predicate
def supports_agreement(user, agreement):
    return agreement is not None and supports(user, agreement)


rules.add_perm("funds.view_balances", has_any_role(
    Role.DISTRICT_ORGANISER, Role.STREET_OFFICER, Role.FOUNDATION_OFFICER, Role.SUPPORT_STAFF, Role.ORG_STAFF))
rules.add_perm("funds.set_commitment", organiser_of_source | officer_of_this_source)
rules.add_perm("funds.request_disbursement", implements)
rules.add_perm("funds.approve_share", officer_of_share_source)
rules.add_perm("funds.pay_share", officer_of_share_source)
rules.add_perm("funds.return_disbursement", officer_of_a_source)
rules.add_perm("funds.report_expense", implements)
rules.add_perm("funds.review_expense", supports_agreement)
