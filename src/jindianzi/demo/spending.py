"""Plays the organisations' spending (支出): expenses against budget lines, with receipts, checked by the centre.

The organisation reports what it spent on each budget line of its agreement
with a photo of the receipt; the support centre approves it, or now and then
returns it with a reason, and the organisation reports it again with the
receipt put right. An agreement settled at the end has exactly its payments
approved as spending (the settlement is what the approved spending left to
pay), spread over every budget line; the others have reported most of what
they were paid so far, on the lines they spent it on first, and the last few
reports of the edition are still waiting for the centre.
"""

import io
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jindianzi.funds.services import expense_report, expense_review

from .contracting import Signers, office_at
from .corpus.funds import EXPENSE_AGAIN, EXPENSE_DESCRIPTIONS, EXPENSE_RETURNS
from .timing import CHIFENG

RETURNED = 0.05            # expenses the support centre sends back once
SPENT_MIDTERM = (0.80, 1.0)  # share of the money paid so far that an agreement past its mid-term check reported
SPENT_OFF_TRACK = (0.50, 0.9)  # the same for an agreement behind plan
REVIEW_DAYS = (0, 2)       # the centre checks an expense this many days after it is reported
SETTLED_MARGIN = 8         # a settled project's spending is reported and approved this many days before it ends
OPEN_DAYS = 6              # reports of the edition's last days wait for the centre
FEN = Decimal("0.01")
_RECEIPT_COLOURS = ((246, 244, 236), (238, 232, 214), (250, 250, 250))


@dataclass
class Receipts:
    """Small receipt photos, made once with Pillow; each upload is a fresh file."""

    photos: list[bytes] = field(default_factory=list)

    def upload(self, number: int) -> SimpleUploadedFile:
        if not self.photos:
            for colour in _RECEIPT_COLOURS:
                buffer = io.BytesIO()
                Image.new("RGB", (36, 48), colour).save(buffer, format="JPEG")
                self.photos.append(buffer.getvalue())
        return SimpleUploadedFile(f"receipt-{number}.jpg", self.photos[number % len(self.photos)],
                                  content_type="image/jpeg")


def by_line(amount: Decimal, lines: list) -> list[tuple[object, Decimal]]:
    """``amount`` shared among the budget lines in proportion to their amounts, to the fen, none beyond its line."""
    total = sum((line.amount for line in lines), Decimal("0.00"))
    parts = [min(line.amount, (amount * line.amount / total).quantize(FEN, rounding=ROUND_DOWN)) for line in lines]
    for index in sorted(range(len(lines)), key=lambda i: parts[i] - lines[i].amount):
        if sum(parts) == amount:
            break
        parts[index] += min(amount - sum(parts), lines[index].amount - parts[index])
    return [(line, part) for line, part in zip(lines, parts) if part > 0]


def filled(rng: random.Random, amount: Decimal, lines: list) -> list[tuple[object, Decimal]]:
    """``amount`` spent a line at a time, in a random order of the lines, each line up to its amount."""
    parts = []
    for line in rng.sample(lines, len(lines)):
        if amount <= 0:
            break
        parts.append((line, min(amount, line.amount)))
        amount -= parts[-1][1]
    return parts


def spend(rng: random.Random, track, *, signers: Signers, receipts: Receipts, until: date) -> None:
    """Report and check the spending of ``track`` (a ``demo.funding.Track`` with its plan decided) up to ``until``."""
    agreement = track.agreement
    settled = track.final is not None
    if settled:
        amount, last = track.paid, track.ends_on - timedelta(days=SETTLED_MARGIN)
    else:
        low, high = SPENT_MIDTERM if track.midterm else SPENT_OFF_TRACK
        amount = (track.paid * Decimal(str(rng.uniform(low, high)))).quantize(FEN, rounding=ROUND_DOWN)
        last = min(track.ends_on, until - timedelta(days=1))
    first = max(track.starts_on, agreement.activated_at.astimezone(CHIFENG).date())
    staff = signers.staff[agreement.organization_id]
    lines = list(agreement.lines.all())
    # Settled: every line, as the final report accounts for it; otherwise the lines spent on so far.
    for line, part in by_line(amount, lines) if settled else filled(rng, amount, lines):
        spent_on = first + timedelta(days=rng.randint(0, max(0, (last - first).days)))
        reported = office_at(rng, min(spent_on + timedelta(days=rng.randint(0, 2)), until))
        description = rng.choice(EXPENSE_DESCRIPTIONS).format(item=line.item, month=spent_on.month)
        expense = expense_report(actor=staff, agreement=agreement, line=line, amount=part, spent_on=spent_on,
                                 description=description, receipts=[receipts.upload(line.pk)], at=reported)
        if not settled and reported.date() > until - timedelta(days=OPEN_DAYS):
            continue
        reviewed = _later(rng, reported)
        if rng.random() < RETURNED:
            expense_review(actor=signers.support_staff, expense=expense, approve=False,
                           reason=rng.choice(EXPENSE_RETURNS), at=reviewed)
            reported = _later(rng, reviewed, days=(1, 2))
            expense = expense_report(actor=staff, agreement=agreement, line=line, amount=part, spent_on=spent_on,
                                     description=EXPENSE_AGAIN.format(item=line.item),
                                     receipts=[receipts.upload(line.pk + 1)], at=reported)
            reviewed = _later(rng, reported)
        expense_review(actor=signers.support_staff, expense=expense, approve=True, at=reviewed)


def _later(rng: random.Random, moment: datetime, days: tuple[int, int] = REVIEW_DAYS) -> datetime:
    """Office hours some ``days`` after ``moment``, and at least half an hour after it."""
    day = moment.astimezone(CHIFENG).date() + timedelta(days=rng.randint(*days))
    return max(office_at(rng, day), moment + timedelta(minutes=30))
