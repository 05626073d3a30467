"""When ideas arrive during a collection phase, as they did on paper and online.

Residents submit online at any hour, most in the evening, with a burst after
the launch and a larger one before the deadline. Community workers type paper
forms in during office hours on weekdays, and import spreadsheets in a few
batches towards the end, when the forms have been gathered.
"""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# The demo district is in Chifeng, whatever time zone the server runs in.
CHIFENG = ZoneInfo("Asia/Shanghai")

# Relative weight of each hour from 06:00 to 23:00 for online submissions.
_WEB_HOURS = list(range(6, 24))
_WEB_HOUR_WEIGHTS = [1, 3, 4, 3, 2, 2, 4, 3, 2, 2, 2, 3, 4, 6, 7, 6, 4, 2]
LAUNCH_DAYS, DEADLINE_DAYS = 7, 10


class ArrivalClock:
    def __init__(self, rng: random.Random, *, starts_on: date, ends_on: date):
        self.rng = rng
        self.days = [starts_on + timedelta(days=i) for i in range((ends_on - starts_on).days + 1)]
        self.weights = [self._day_weight(i) for i in range(len(self.days))]
        self.weekdays = [(d, w) for d, w in zip(self.days, self.weights) if d.weekday() < 5]

    def _day_weight(self, index: int) -> float:
        weight = 1.0
        if index < LAUNCH_DAYS:
            weight += 1.5
        days_left = len(self.days) - 1 - index
        if days_left < DEADLINE_DAYS:
            weight += 2.5 * (DEADLINE_DAYS - days_left) / DEADLINE_DAYS
        if self.days[index].weekday() >= 5:
            weight *= 1.2  # residents have time at the weekend
        return weight

    def _at(self, day: date, hour: int, seconds_span: int = 3600) -> datetime:
        moment = datetime.combine(day, time(hour), tzinfo=CHIFENG)
        return moment + timedelta(seconds=self.rng.randrange(seconds_span))

    def online(self) -> datetime:
        day = self.rng.choices(self.days, weights=self.weights)[0]
        return self._at(day, self.rng.choices(_WEB_HOURS, weights=_WEB_HOUR_WEIGHTS)[0])

    def office(self) -> datetime:
        """A weekday between 08:30 and 17:30: a worker typing in a paper form."""
        day = self.rng.choices([d for d, _w in self.weekdays], weights=[w for _d, w in self.weekdays])[0]
        start = datetime.combine(day, time(8, 30), tzinfo=CHIFENG)
        return start + timedelta(seconds=self.rng.randrange(9 * 3600))

    def import_batches(self, count: int) -> list[datetime]:
        """Start times of a worker's spreadsheet imports, in the last third of the phase."""
        late = [d for d, _w in self.weekdays[len(self.weekdays) * 2 // 3:]] or [d for d, _w in self.weekdays]
        days = sorted(self.rng.sample(late, min(count, len(late))))
        return [self._at(day, self.rng.choice((9, 10, 14, 15))) for day in days]

    def within_batch(self, start: datetime) -> datetime:
        # One import writes its rows within a few minutes.
        return start + timedelta(seconds=self.rng.randrange(600))
