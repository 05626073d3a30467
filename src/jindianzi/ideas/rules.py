"""Who may do what with ideas. Every page, API route and service asks these."""

import rules

from jindianzi.accounts.models import Role
from jindianzi.accounts.predicates import has_any_role, is_verified, role_over_area

from .models import Channel, ImportStatus

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


@rules.predicate
def uploaded_import(user, record):
    return record is not None and record.uploaded_by_id == user.pk


@rules.predicate
def import_pending(user, record):
    return record is not None and record.status == ImportStatus.PENDING


@rules.predicate
def works_in_every_imported_community(user, record):
    from jindianzi.areas.models import Area

    communities = Area.objects.filter(pk__in=(record.report or {}).get("communities", []))
    return communities.exists() and all(user.has_perm("ideas.enter_paper_idea", c) for c in communities)


# A spreadsheet import: its uploader, or a worker over every community it names, may look at it;
# only the uploader decides what to import, and only while it is pending.
rules.add_perm("ideas.view_import",
               has_any_role(Role.COMMUNITY_WORKER) & (uploaded_import | works_in_every_imported_community))
rules.add_perm("ideas.decide_import", uploaded_import & import_pending)


# Optimisation (优化): staff of the idea's area screen it, add research notes and merge it into projects;
# the proposer or staff improve its text.
rules.add_perm("ideas.screen_idea", staff_over_idea)
rules.add_perm("ideas.view_research_notes", staff_over_idea)
rules.add_perm("ideas.revise_idea", is_proposer | staff_over_idea)
rules.add_perm("ideas.merge_idea", staff_over_idea)


# Similar ideas (二次优化整合): staff of the idea's area see the ideas most like it; the groups proposed
# for merging are shown per street (or for the whole district) to its street officers and district
# organisers, and to community workers of a community in that street.
@rules.predicate
def works_in_street(user, area):
    from jindianzi.accounts.selectors import areas_where
    from jindianzi.areas.models import AreaKind

    return (area is not None and area.kind in (AreaKind.STREET, AreaKind.TOWN)
            and any(area.contains(c) for c in areas_where(user, Role.COMMUNITY_WORKER)))


rules.add_perm("ideas.view_similar", staff_over_idea)
rules.add_perm("ideas.view_similar_groups",
               role_over_area(Role.STREET_OFFICER, Role.DISTRICT_ORGANISER) | works_in_street)
