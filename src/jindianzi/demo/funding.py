"""Plays the money of the implementation phase (拨付): instalments confirmed, asked for, approved and paid.

Each agreement in force is paid in the framework's instalments (40 % on
signing, 30 % after the mid-term check, 30 % after the final report). The
support centre confirms the milestones, the organisation's staff ask for the
money, and each funding source's officer approves and pays its share with a
bank reference (``HS2017-0001-2F``: the project's number, the instalment's,
F for the foundation or C for district finance). A few requests are sent
back with a reason and asked for again.

The article reports 686,404.16 yuan paid. Every signing instalment is paid;
most agreements pass the mid-term check; the projects that end first hand in
their final report in time and are settled against their approved spending.
``payment_plan`` decides which from the agreements' own amounts so that the
total lands on the figure to the fen: the last settlement takes what is left,
never more than its instalment. The organisations' spending is reported and
checked along the way (``demo.spending``).
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum

from jindianzi.agreements.models import Agreement, Instalment
from jindianzi.agreements.services import milestone_reach
from jindianzi.agreements.workflow import Milestone
from jindianzi.editions.models import Edition, PhaseKind
from jindianzi.funds.models import DisbursementShare
from jindianzi.funds.services import (
    disbursement_request, disbursement_return, disbursement_share_approve, disbursement_share_pay,
)
from jindianzi.organizations.models import OrganizationKind

from .contracting import Contracting, Signers, office_at
from .corpus.funds import DISBURSEMENT_RETURNS, FINAL_NOTES, MIDTERM_NOTES, RESUBMITTED_NOTE, SETTLEMENT_NOTE
from .spending import Receipts, spend
from .timing import CHIFENG

# shared/seed/figures.json: "implementation.funds_paid_yuan".
FUNDS_PAID = Decimal("686404.16")
OFF_TRACK = 0.06          # agreements whose mid-term check is not passed by the end of the edition
RETURNED_REQUESTS = 0.012  # mid-term requests a source's officer sends back once
FEN = Decimal("0.01")
# Days between the steps of a payment: request after the milestone, each approval, each payment after both.
REQUEST_LAG, APPROVE_LAG, PAY_LAG = (1, 3), (1, 3), (1, 3)
FINAL_REPORT_LAG = (1, 3)   # the support centre accepts the final report this many days after the project ends
# The latest a project may end and still have its final report accepted and its settlement paid in the phase.
FINAL_LEAD = FINAL_REPORT_LAG[1] + REQUEST_LAG[1] + APPROVE_LAG[1] + PAY_LAG[1]


class TargetMissed(RuntimeError):
    """The agreements' instalments cannot add up to the article's figure."""


@dataclass
class Track:
    """One agreement in force, and what the plan pays of it."""

    agreement: Agreement
    instalments: dict[str, Instalment]
    starts_on: date
    ends_on: date
    midterm_on: date           # the day of the support centre's mid-term check
    midterm: bool = False      # the mid-term check is passed and its instalment paid
    final: Decimal | None = None  # what the final settlement pays (the instalment, or less), if it is paid

    def amount(self, milestone: str) -> Decimal:
        return self.instalments[milestone].amount

    @property
    def paid(self) -> Decimal:
        return (self.amount(Milestone.SIGNING) + (self.amount(Milestone.MIDTERM) if self.midterm else 0)
                + (self.final or 0))


def payment_plan(rng: random.Random, tracks: list[Track], target: Decimal, *, last_day: date,
                 off_track: float = OFF_TRACK) -> None:
    """Decide what is paid of each track so that the payments add up to ``target`` exactly.

    Every signing instalment; the mid-term instalments of all but the agreements
    off track (fewer, the latest checks first, if the target needs it); then the
    final instalments of the projects that end first and in time, each in full
    while it fits. What is left settles one more of them, for less than its
    instalment but at least half of it (the last ones paid in full wait for
    their final report instead where that makes room). Raises ``TargetMissed``
    when no such plan exists.
    """
    for track in tracks:
        track.midterm, track.final = False, None
    left = target - sum((t.amount(Milestone.SIGNING) for t in tracks), Decimal("0.00"))
    if left < 0:
        raise TargetMissed(f"the signing instalments alone come to more than {target}")
    off = set(map(id, rng.sample(tracks, round(len(tracks) * off_track))))
    checked = sorted((t for t in tracks if id(t) not in off), key=lambda t: (t.midterm_on, t.agreement.code))
    for track in checked:
        track.midterm = True
        left -= track.amount(Milestone.MIDTERM)
    while left < 0:
        track = checked.pop()
        track.midterm = False
        left += track.amount(Milestone.MIDTERM)
    ending = sorted((t for t in checked if t.ends_on + timedelta(days=FINAL_LEAD) <= last_day),
                    key=lambda t: (t.ends_on, t.agreement.code))
    if left > sum((t.amount(Milestone.FINAL) for t in ending), Decimal("0.00")):
        raise TargetMissed(f"even every final instalment that can be paid in time leaves {left} of {target} unpaid")
    waiting = []
    for track in ending:
        if track.amount(Milestone.FINAL) <= left:
            track.final = track.amount(Milestone.FINAL)
            left -= track.final
        else:
            waiting.append(track)
    if left > 0:
        _settle(left, paid=[t for t in ending if t.final is not None], waiting=waiting)


def _settle(left: Decimal, *, paid: list[Track], waiting: list[Track]) -> None:
    """Pay ``left`` as the settlement of a waiting track: one whose final instalment it is at least half of.
    Where none is, the last tracks paid in full wait for their final report instead, to leave more; failing
    that, the smallest final instalment takes what is left."""
    def final(track: Track) -> Decimal:
        return track.amount(Milestone.FINAL)

    for unpaid in range(len(paid) + 1):
        room = left + sum((final(t) for t in paid[len(paid) - unpaid:]), Decimal("0.00"))
        settled = next((t for t in waiting if final(t) / 2 <= room <= final(t)), None)
        if settled is not None:
            for track in paid[len(paid) - unpaid:]:
                track.final = None
            settled.final = room
            return
    min(waiting, key=final).final = left


def paid_target(scale: float) -> Decimal:
    return FUNDS_PAID if scale == 1 else (FUNDS_PAID * Decimal(str(scale))).quantize(FEN)


def _day(rng: random.Random, after: date, lag: tuple[int, int]) -> date:
    return after + timedelta(days=rng.randint(*lag))


@dataclass
class Payer:
    """Moves the money of the edition's agreements through the services, each step on its day."""

    rng: random.Random
    signers: Signers
    letters: dict[int, str]   # funding source id -> its letter in payment references (F foundation, C finance)
    year: int

    def pay(self, track: Track, milestone: str, *, on: date, amount=None, returned: bool = False,
            note: str = "") -> date:
        """The organisation asks for the instalment on ``on``; a source may send the request back once; each
        source approves and pays its share. Returns the day the last share was paid."""
        rng, signers = self.rng, self.signers
        agreement, instalment = track.agreement, track.instalments[milestone]
        staff = signers.staff[agreement.organization_id]
        disbursement = disbursement_request(actor=staff, instalment=instalment, amount=amount, note=note,
                                            at=office_at(rng, on))
        if returned:
            on = _day(rng, on, APPROVE_LAG)
            disbursement_return(actor=signers.finance_officer, disbursement=disbursement,
                                reason=rng.choice(DISBURSEMENT_RETURNS), at=office_at(rng, on))
            on = _day(rng, on, REQUEST_LAG)
            disbursement = disbursement_request(actor=staff, instalment=instalment, amount=amount,
                                                note=RESUBMITTED_NOTE, at=office_at(rng, on))
        shares = list(disbursement.shares.all())
        approved = max(self._step(disbursement_share_approve, share, on, APPROVE_LAG) for share in shares)
        reference = f"HS{self.year}-{agreement.project.number:04d}-{instalment.position + 1}"
        return max(self._step(disbursement_share_pay, share, approved, PAY_LAG,
                              reference=f"{reference}{self.letters[share.source_id]}") for share in shares)

    def _step(self, service, share: DisbursementShare, after: date, lag, **kwargs) -> date:
        day = _day(self.rng, after, lag)
        service(actor=self.signers.sources[share.source_id], share=share, at=office_at(self.rng, day), **kwargs)
        return day

    def reach(self, track: Track, milestone: str, *, on: date, notes) -> None:
        milestone_reach(actor=self.signers.support_staff, instalment=track.instalments[milestone],
                        note=self.rng.choice(notes), at=office_at(self.rng, on))


def tracks_of(rng: random.Random, agreements: list[Agreement]) -> list[Track]:
    instalments = {}
    for instalment in Instalment.objects.filter(agreement__in=agreements):
        instalments.setdefault(instalment.agreement_id, {})[instalment.milestone] = instalment
    tracks = []
    for agreement in agreements:
        project = agreement.project
        middle = project.starts_on + (project.ends_on - project.starts_on) / 2
        tracks.append(Track(agreement=agreement, instalments=instalments[agreement.pk], starts_on=project.starts_on,
                            ends_on=project.ends_on, midterm_on=middle + timedelta(days=rng.randint(-3, 4))))
    return tracks


def fund(rng: random.Random, *, contracting: Contracting, scale: float) -> Edition:
    """Pay the instalments of every agreement in force as ``payment_plan`` decides (the article's total at
    scale 1, checked against the database); returns the edition."""
    edition, signers = contracting.edition, contracting.signers
    phase = edition.phases.get(kind=PhaseKind.IMPLEMENTATION)
    agreements = (Agreement.objects.filter(pk__in=[a.pk for a in contracting.agreements])
                  .select_related("project", "organization").order_by("project__number"))
    tracks = tracks_of(rng, list(agreements))
    target = paid_target(scale)
    try:
        payment_plan(rng, tracks, target, last_day=phase.ends_on)
    except TargetMissed:
        if scale == 1:
            raise
        # A scaled demo has other projects than the article's: it pays what its agreements allow instead.
        target = _reachable(tracks, target, last_day=phase.ends_on)
        payment_plan(rng, tracks, target, last_day=phase.ends_on, off_track=0)
    letters = {s.pk: "F" if s.organization.kind == OrganizationKind.COMMUNITY_FOUNDATION else "C"
               for s in edition.funding_sources.select_related("organization")}
    payer = Payer(rng=rng, signers=signers, letters=letters, year=phase.starts_on.year)
    receipts = Receipts()
    midterms = [t for t in tracks if t.midterm]
    returned = {id(t) for t in rng.sample(midterms, round(len(midterms) * RETURNED_REQUESTS))}
    for track in tracks:
        activated = track.agreement.activated_at.astimezone(CHIFENG).date()
        paid_on = payer.pay(track, Milestone.SIGNING, on=_day(rng, activated, REQUEST_LAG))
        if not track.midterm:
            spend(rng, track, signers=signers, receipts=receipts, until=phase.ends_on)
            continue
        checked = max(track.midterm_on, paid_on + timedelta(days=7))
        payer.reach(track, Milestone.MIDTERM, on=checked, notes=MIDTERM_NOTES)
        payer.pay(track, Milestone.MIDTERM, on=_day(rng, checked, REQUEST_LAG), returned=id(track) in returned)
        if track.final is None:
            spend(rng, track, signers=signers, receipts=receipts, until=phase.ends_on)
            continue
        spend(rng, track, signers=signers, receipts=receipts, until=track.ends_on)
        accepted = _day(rng, track.ends_on, FINAL_REPORT_LAG)
        payer.reach(track, Milestone.FINAL, on=accepted, notes=FINAL_NOTES)
        settles = track.final < track.amount(Milestone.FINAL)
        payer.pay(track, Milestone.FINAL, on=_day(rng, accepted, REQUEST_LAG), amount=track.final,
                  note=SETTLEMENT_NOTE if settles else "")
    paid = DisbursementShare.objects.filter(disbursement__agreement__edition=edition, paid_at__isnull=False) \
        .aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    if paid != target:
        raise TargetMissed(f"{paid} yuan were paid, not {target}")
    return edition


def _reachable(tracks: list[Track], target: Decimal, *, last_day: date) -> Decimal:
    """The total nearest to ``target`` that a plan without agreements off track can pay: at least every
    signing instalment, at most every instalment payable in time."""
    low = sum((t.amount(Milestone.SIGNING) for t in tracks), Decimal("0.00"))
    high = low + sum((t.amount(Milestone.MIDTERM) + (t.amount(Milestone.FINAL)
                      if t.ends_on + timedelta(days=FINAL_LEAD) <= last_day else 0) for t in tracks), Decimal("0.00"))
    return min(max(target, low), high)
