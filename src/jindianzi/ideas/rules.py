"""Who may do what with ideas. Every page, API route and service asks these."""

import rules

from jindianzi.accounts.models import Role
from jindianzi.accounts.predicates import has_any_role, is_verified, role_over_area

from .models import Channel

works_in_community = role_over_area(Role.COMMUNITY_WORKER)
works_in_idea_community = role_over_area(Role.COMMUNITY_WORKER, area_of=lambda idea: idea.community)
staff_over_idea = role_over_area(
    Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.DISTRICT_ORGANISER, area_of=lambda idea: idea.community,
)


@rules.predicate
def is_proposer(user, idea):
    return idea is not None and idea.proposer_id is not None and idea.proposer_id == user.pk


@rules.predicate
def entered_on_paper(user, idea):
    return idea is not None and idea.channel in (Channel.PAPER, Channel.IMPORT)


# A resident submits under their own verified account.
rules.add_perm("ideas.submit_idea", rules.is_authenticated & is_verified)
# A community worker records paper ideas for residents of their own community.
rules.add_perm("ideas.enter_paper_idea", works_in_community)
rules.add_perm("ideas.import_ideas", has_any_role(Role.COMMUNITY_WORKER))
# The proposer withdraws their own idea; for a paper idea, the worker of its community may do it for them.
rules.add_perm("ideas.withdraw_idea", is_proposer | (entered_on_paper & works_in_idea_community))
# Names of anonymous proposers and masked contact numbers: the proposer and staff of the area.
rules.add_perm("ideas.view_idea_private", is_proposer | staff_over_idea)
# The whole phone number: only the community's own workers, who call residents back.
rules.add_perm("ideas.view_proposer_phone", works_in_idea_community)
