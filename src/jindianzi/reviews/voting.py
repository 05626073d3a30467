"""The optional resident vote of a review round: who may vote, ballots, counting, Pabulib files.

One ballot per verified resident of the street. A resident is verified when a
community worker of the street confirms them in person, or when their
account's mobile number is on the census list the street imported (only a
keyed digest of each number is kept). Ballots approve projects, up to the
round's limit (a number of projects, or a total cost). When the vote closes
it is counted once, by the rule fixed when it opened (``allocation``): most
votes first, or the Method of Equal Shares with completion; each project's
outcome keeps the reason a voter is shown.
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jindianzi.areas.models import Area
from jindianzi.core.audit import audit
from jindianzi.core.errors import TransitionNotAllowed
from jindianzi.core.fields import digest
from jindianzi.core.money import yuan
from jindianzi.core.privacy import is_mobile_number, normalise_phone
from jindianzi.projects.models import Project
from jindianzi.projects.selectors import project_budget_totals
from jindianzi.projects.workflow import ProjectState

from . import allocation
from .models import Ballot, CensusEntry, ReviewRound, VoteOutcome, VoterVerification
from .ranking import round_projects
from .services import CAP_LIMIT, _locked, _require, _state_refusal
from .workflow import BallotLimit, RoundState, VerificationMethod, VoteRule, VoteState, VoteUse

CENSUS_MAX_ROWS = 200_000


# --- Settings, opening and closing -------------------------------------------------------------------

@transaction.atomic
def vote_configure(*, actor, review_round: ReviewRound, rule: str, use: str, weight: int = 0,
                   ballot_limit: str = BallotLimit.COUNT, ballot_limit_value=None) -> ReviewRound:
    """Prepare the resident vote (or change its settings) before it opens; from then on they are fixed."""
    review_round = _locked(review_round)
    _require(actor, "reviews.manage_round", review_round, _("Only the street's staff can set up the vote."))
    if review_round.vote_state not in (VoteState.OFF, VoteState.READY) or review_round.is_published:
        raise TransitionNotAllowed(_("The vote has opened; its rule and limits can no longer change."))
    errors: dict = {}
    if rule not in VoteRule.values:
        errors["rule"] = _("Choose the allocation rule.")
    if use not in VoteUse.values:
        errors["use"] = _("Choose how the vote counts.")
    try:
        weight = int(weight or 0)
    except (TypeError, ValueError):
        weight = -1
    if use == VoteUse.WEIGHTED and not 1 <= weight <= 100:
        errors["weight"] = _("Give the vote's weight as a whole percentage from 1 to 100.")
    if use == VoteUse.ADVISORY:
        weight = 0
    limit_value = None
    if ballot_limit not in BallotLimit.values:
        errors["ballot_limit"] = _("Choose the kind of limit on a ballot.")
    elif ballot_limit_value not in (None, ""):
        try:
            limit_value = yuan(ballot_limit_value)
        except (TypeError, ValueError, ArithmeticError):  # ArithmeticError: "1e30" cannot be quantised
            limit_value = None
        if limit_value is None or not 0 < limit_value < CAP_LIMIT or (ballot_limit == BallotLimit.COUNT
                                                       and limit_value != limit_value.to_integral_value()):
            errors["ballot_limit_value"] = _("Give the limit as a positive number (a whole number of projects, "
                                             "or an amount in yuan).")
    if errors:
        raise ValidationError(errors)
    before = {"vote_state": review_round.vote_state}
    review_round.vote_state, review_round.vote_rule, review_round.vote_use = VoteState.READY, rule, use
    review_round.vote_weight, review_round.ballot_limit = weight, ballot_limit
    review_round.ballot_limit_value = limit_value
    review_round.save(update_fields=["vote_state", "vote_rule", "vote_use", "vote_weight", "ballot_limit",
                                     "ballot_limit_value"])
    audit(actor=actor, action="review_vote.configure", target=review_round, before=before, after={
        "rule": rule, "use": use, "weight": weight, "ballot_limit": ballot_limit,
        "ballot_limit_value": str(limit_value) if limit_value is not None else None})
    return review_round


@transaction.atomic
def vote_open(*, actor, review_round: ReviewRound, at=None) -> ReviewRound:
    review_round = _locked(review_round)
    _require(actor, "reviews.manage_round", review_round, _("Only the street's staff can open the vote."))
    if review_round.vote_state != VoteState.READY:
        raise TransitionNotAllowed(_("Set up the vote first; it opens once."))
    if review_round.state not in (RoundState.SETUP, RoundState.SCORING, RoundState.CLOSED):
        raise _state_refusal(review_round)
    if not ballot_projects(review_round):
        raise ValidationError(_("No project is waiting for this street's review; there is nothing to vote on."))
    review_round.vote_state, review_round.vote_opened_at = VoteState.OPEN, at or timezone.now()
    review_round.save(update_fields=["vote_state", "vote_opened_at"])
    audit(actor=actor, action="review_vote.open", target=review_round, before={"vote_state": VoteState.READY},
          after={"vote_state": VoteState.OPEN, "rule": review_round.vote_rule})
    return review_round


@transaction.atomic
def vote_close(*, actor, review_round: ReviewRound, at=None) -> list[VoteOutcome]:
    """Close the ballot box and count it by the round's rule; the outcome is kept with each project's reason."""
    review_round = _locked(review_round)
    _require(actor, "reviews.manage_round", review_round, _("Only the street's staff can close the vote."))
    if review_round.vote_state != VoteState.OPEN:
        raise TransitionNotAllowed(_("The vote is not open."))
    projects = ballot_projects(review_round)
    result = count(review_round, projects, ballots_of(review_round))
    outcomes = VoteOutcome.objects.bulk_create([
        VoteOutcome(round=review_round, project=project, votes=o.votes, funded=o.funded, reason=o.reason,
                    selection_round=o.round, details=o.details)
        for project in projects for o in [result.outcomes[project.code]]])
    review_round.vote_state, review_round.vote_closed_at = VoteState.COUNTED, at or timezone.now()
    review_round.save(update_fields=["vote_state", "vote_closed_at"])
    audit(actor=actor, action="review_vote.close", target=review_round, before={"vote_state": VoteState.OPEN},
          after={"vote_state": VoteState.COUNTED, "ballots": result.ballots, "rule": review_round.vote_rule,
                 "funded": [code for code in result.selected]})
    return outcomes


# --- Counting -------------------------------------------------------------------------------------------

@dataclass
class Count:
    selected: list[str]
    outcomes: dict            # project code → allocation.ProjectOutcome
    ballots: int


def ballot_projects(review_round: ReviewRound) -> list[Project]:
    return list(round_projects(review_round).filter(state=ProjectState.SUBMITTED).order_by("number"))


def ballots_of(review_round: ReviewRound) -> Counter:
    """Identical ballots counted once, with how many residents cast them (the count is what matters)."""
    through = Ballot.projects.through
    chosen: dict[int, set[int]] = {}
    for ballot_id, project_id in through.objects.filter(ballot__round=review_round).values_list("ballot_id",
                                                                                              "project_id"):
        chosen.setdefault(ballot_id, set()).add(project_id)
    empty = Ballot.objects.filter(round=review_round).exclude(pk__in=chosen.keys()).count()
    tally = Counter(frozenset(ids) for ids in chosen.values())
    if empty:
        tally[frozenset()] += empty
    return tally


def instance_for(review_round: ReviewRound, projects: list[Project], tally: Counter) -> allocation.Instance:
    costs = project_budget_totals(projects)
    codes = {p.pk: p.code for p in projects}
    return allocation.Instance(
        budget=review_round.budget_cap,
        projects={p.code: costs.get(p.pk, Decimal("0.00")) for p in projects},
        ballots=[allocation.Ballot(frozenset(codes[pk] for pk in ids if pk in codes), n) for ids, n in tally.items()],
    )


def count(review_round: ReviewRound, projects: list[Project], tally: Counter) -> Count:
    instance = instance_for(review_round, projects, tally)
    if review_round.vote_rule == VoteRule.GREEDY:
        result = allocation.greedy(instance)
    else:
        result = allocation.equal_shares(instance, completion=True)
    return Count(selected=list(result.selected), outcomes=result.outcomes, ballots=sum(tally.values()))


# --- Who may vote ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CensusReport:
    imported: int
    already_listed: int
    problems: list[str]


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file is not text in UTF-8 or GBK; save it as CSV and try again."))


@transaction.atomic
def census_import(*, actor, street: Area, data: bytes) -> CensusReport:
    """Import the street's census list (CSV: community, mobile number). A bad row imports nothing."""
    _require(actor, "reviews.import_census", street, _("Only the street's staff can import its census list."))
    rows = list(csv.reader(io.StringIO(_decode(data))))
    first = 1
    if rows and not any(ch.isdigit() for ch in "".join(rows[0])):
        rows, first = rows[1:], 2     # a header row; the others keep their row numbers in the file
    if len(rows) > CENSUS_MAX_ROWS:
        raise ValidationError(_("The list has more than %(max)d rows; split it.") % {"max": CENSUS_MAX_ROWS})
    communities = {a.name: a for a in Area.objects.filter(path__startswith=street.path, kind="community")}
    problems, entries, seen = [], {}, set()
    for number, row in enumerate(rows, start=first):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if len(cells) < 2:
            problems.append(_("Row %(row)d: it needs two columns, the community and the mobile number.")
                            % {"row": number})
            continue
        community, phone = communities.get(cells[0]), normalise_phone(cells[1])
        if community is None:
            problems.append(_("Row %(row)d: “%(name)s” is not a community of %(street)s.")
                            % {"row": number, "name": cells[0], "street": street.name})
        if not is_mobile_number(phone):
            problems.append(_("Row %(row)d: “%(value)s” is not a mobile number.") % {"row": number,
                                                                                    "value": cells[1]})
        if community is not None and is_mobile_number(phone):
            key = digest(phone)
            if key not in seen:
                seen.add(key)
                entries[key] = community
    if problems:
        raise ValidationError(problems)
    if not entries:
        raise ValidationError(_("The file has no rows."))
    listed = set(CensusEntry.objects.filter(street=street, phone_digest__in=list(entries))
                 .values_list("phone_digest", flat=True))
    CensusEntry.objects.bulk_create([CensusEntry(street=street, community=c, phone_digest=key, imported_by=actor)
                                     for key, c in entries.items() if key not in listed])
    audit(actor=actor, action="census.import", target=street, after={"rows": len(entries) - len(listed),
                                                                     "already_listed": len(listed)})
    return CensusReport(imported=len(entries) - len(listed), already_listed=len(listed), problems=[])


@transaction.atomic
def voter_verify(*, actor, street: Area, user, community: Area | None = None) -> VoterVerification:
    """A community worker confirms in person that a resident lives in the street.

    ``community`` is where the worker confirms the resident lives; without it, the account's home community.
    (Nothing else sets an account's home community yet, so the worker's page always names one.)
    """
    community = community or user.home_community
    if actor is None or not (community is not None and actor.has_perm("reviews.verify_voter", community)
                             or actor.has_perm("reviews.import_census", street)):
        raise PermissionDenied(_("Only a community worker of the resident's community can confirm them."))
    if community is None:
        raise ValidationError({"community": _("Choose the community where %(name)s lives.") % {"name": user}})
    if not community.path.startswith(street.path):
        raise ValidationError({"community": _("%(community)s is not in %(street)s.")
                               % {"community": community.name, "street": street.name}})
    verification, created = VoterVerification.objects.get_or_create(
        street=street, user=user,
        defaults={"method": VerificationMethod.WORKER, "verified_by": actor})
    if created:
        audit(actor=actor, action="voter.verify", target=verification, after={"user": user.pk,
                                                                               "street": street.name})
    return verification


def voter_verification(user, street: Area) -> VoterVerification | None:
    """The resident's verification for the street: in person, or found now on the census list."""
    if not user.is_authenticated:
        return None
    found = VoterVerification.objects.filter(street=street, user=user).first()
    if found or not user.phone_digest or not user.is_verified:
        return found
    entry = CensusEntry.objects.filter(street=street, phone_digest=user.phone_digest).first()
    if entry is None:
        return None
    # Verified against the census: recorded once so the ballot can point to it.
    found, _created = VoterVerification.objects.get_or_create(street=street, user=user,
                                                             defaults={"method": VerificationMethod.CENSUS})
    return found


# --- Ballots ---------------------------------------------------------------------------------------------

def ballot_problems(review_round: ReviewRound, projects: list[Project]) -> list[str]:
    """What is wrong with a choice of projects for this round's ballot (empty when it can be cast)."""
    problems = []
    if not projects:
        problems.append(_("Choose at least one project."))
    limit = review_round.ballot_limit_value
    if limit is not None:
        if review_round.ballot_limit == BallotLimit.COUNT and len(projects) > int(limit):
            problems.append(_("You can choose at most %(limit)d projects; you chose %(count)d.")
                            % {"limit": int(limit), "count": len(projects)})
        if review_round.ballot_limit == BallotLimit.COST:
            costs = project_budget_totals(projects)
            total = sum((costs.get(p.pk, Decimal(0)) for p in projects), Decimal("0.00"))
            if total > limit:
                problems.append(_("The projects you chose cost %(total)s yuan together; the limit is %(limit)s "
                                  "yuan.") % {"total": f"{total:,.2f}", "limit": f"{limit:,.2f}"})
    return problems


def ballot_cast(*, voter, review_round: ReviewRound, projects, at=None) -> Ballot:
    """Cast a verified resident's one ballot. A second ballot is refused, also when two arrive at once."""
    try:
        return _ballot_cast(voter=voter, review_round=review_round, projects=list(projects), at=at)
    except IntegrityError:
        # The database's one-ballot-per-resident constraint caught a simultaneous second ballot.
        raise ValidationError(_("You have already voted in this round; each resident votes once.")) from None


@transaction.atomic
def _ballot_cast(*, voter, review_round: ReviewRound, projects: list[Project], at=None) -> Ballot:
    # Locked, so that a ballot is either in before the vote closes and counted, or refused: never cast uncounted.
    review_round = ReviewRound.objects.select_for_update(of=("self",)).select_related("street").get(
        pk=review_round.pk)
    if not getattr(voter, "is_authenticated", False):
        raise PermissionDenied(_("Please sign in to vote."))
    if review_round.vote_state != VoteState.OPEN:
        raise TransitionNotAllowed(_("The vote is not open."))
    if voter_verification(voter, review_round.street) is None:
        raise PermissionDenied(_("Only verified residents of %(street)s can vote. Ask your community worker to "
                                 "confirm you.") % {"street": review_round.street.name})
    if Ballot.objects.filter(round=review_round, voter=voter).exists():
        raise ValidationError(_("You have already voted in this round; each resident votes once."))
    allowed = {p.pk for p in ballot_projects(review_round)}
    strangers = [p for p in projects if p.pk not in allowed]
    if strangers:
        raise ValidationError(_("These projects are not on this ballot: %(codes)s.")
                              % {"codes": ", ".join(p.code for p in strangers)})
    problems = ballot_problems(review_round, projects)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        ballot = Ballot.objects.create(round=review_round, voter=voter, cast_at=at or timezone.now())
    ballot.projects.set(projects)
    # The audit keeps that a resident voted, not what: the ballot is secret.
    audit(actor=voter, action="review_vote.ballot", target=review_round, after={"ballot": ballot.pk})
    return ballot


def has_voted(user, review_round: ReviewRound) -> bool:
    return user.is_authenticated and Ballot.objects.filter(round=review_round, voter=user).exists()


def voting_rounds_for(user):
    """Rounds whose vote is open in the street of the resident's home community."""
    community = getattr(user, "home_community", None)
    rounds = ReviewRound.objects.filter(vote_state=VoteState.OPEN).select_related("street", "edition")
    if community is None:
        return rounds.none()
    return [r for r in rounds if community.path.startswith(r.street.path)]

