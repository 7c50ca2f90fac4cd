"""The weekly measures a journey keeps, and what each check-in's ratings show.

Pain (0-10) and the PSFS at the intake are the baseline; every weekly check-in is compared
with it and with the week before. A check-in can show a flare-up (brief C8), pain worse
than at the start (a referral whatever the PSFS says), and from day 28 the review
(D1-14). `Journey` owns one `Measures` and turns what it finds into alerts and doses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from lumbar.domain.decisions import Decision
from lumbar.domain.model import Alert, CheckIn, History, Level
from lumbar.domain.outcomes import (
    Inputs,
    flare,
    judgement,
    missed_sessions,
    pain_worse,
    psfs_score,
    review_prompt,
    verdict,
    worse,
)
from lumbar.domain.program import Thresholds
from lumbar.domain.rules import RuleId

REVIEW_NOTES = {
    RuleId.OUTCOMES_SUGGEST_ASSESSMENT: "suggest_assessment",
    RuleId.OUTCOMES_LOW_ADHERENCE: "low_adherence",
    RuleId.OUTCOMES_PSFS_NEEDED: "psfs_needed",
    RuleId.OUTCOMES_RECOVERED: "recovered",
    RuleId.OUTCOMES_MISSED_SESSIONS: "missed_sessions",
}
"""Review answers shown as information (the code of their alert): the others refer or
say nothing beyond the numbers."""

REFERRALS = {RuleId.OUTCOMES_NOT_IMPROVING: "not_improving", RuleId.OUTCOMES_WORSE: "worse"}
"""Review answers that raise a see-a-clinician alert (its code)."""


@dataclass(frozen=True, slots=True)
class Findings:
    """What one check-in's pain rating shows: each None when it does not."""

    flare: Decision | None
    worse: Decision | None


_NOTHING = Findings(None, None)
"""Pain no higher than at the start and than the week before shows neither."""


class Measures:
    """Pain and PSFS at the start and since, and the latest review."""

    def __init__(self, history: History, thresholds: Thresholds) -> None:
        baseline_pain, baseline_psfs = history.baseline_scores
        self.thresholds = thresholds
        self.start = history.profile.start
        self.baseline_pain = baseline_pain
        self.baseline_psfs = psfs_score(baseline_psfs)
        self.latest_pain: int | None = None
        self.latest_psfs: float | None = None
        self.last_checkin = self.start
        """The day of the latest pain rating (the intake's at first)."""
        self._judged: tuple[Inputs, RuleId, str] | None = None
        self._review: Decision | None = None
        self.review_on: date | None = None
        self.first_judged: tuple[date, Inputs, RuleId, str] | None = None
        """The four-week review, as first judged (a milestone; later check-ins judge again)."""
        self.recovered: tuple[date, Inputs, RuleId, str] | None = None
        """The first review that found the person recovered (a milestone)."""
        self.referral_cleared_on: date | None = None
        self.cleared_pain: int | None = None
        """The pain the clinician saw when they cleared a referral of the review."""
        self.review_due = self.start + timedelta(days=thresholds.review_after_days)
        self.review_late = self.review_due + timedelta(days=thresholds.review_grace_days)

    def record(self, checkin: CheckIn) -> Findings | None:
        """Take a check-in's ratings; with a pain rating, what it shows."""
        if checkin.psfs is not None:
            self.latest_psfs = psfs_score(checkin.psfs)
        if checkin.pain is None:
            return None
        pain = checkin.pain
        last_week = self.baseline_pain if self.latest_pain is None else self.latest_pain
        self.latest_pain = pain
        self.last_checkin = checkin.on
        # Neither higher than at the start nor than last week: quickly (the rules below
        # would find nothing either; `<` for `<=` makes no difference).
        if pain <= self.baseline_pain and pain <= last_week:  # pragma: no mutate (as said)
            return _NOTHING
        t = self.thresholds
        flared = flare(
            weekly_pain=checkin.pain,
            last_week=last_week,
            baseline_pain=self.baseline_pain,
            thresholds=t,
        )
        worse_now = worse(
            baseline_pain=self.baseline_pain,
            latest_pain=checkin.pain,
            baseline_psfs=self.baseline_psfs,
            latest_psfs=self.latest_psfs,
            thresholds=t,
        )
        if worse_now is not None and self.referral_paused(checkin.on, pain):
            worse_now = None
        return Findings(flared, worse_now)

    def reviews_at(self, checkin: CheckIn) -> bool:
        """Whether the check-in gives the review its numbers: from day 28, a pain rating (or
        with a low baseline, where the PSFS decides, a PSFS rating)."""
        t = self.thresholds
        if (checkin.on - self.start).days < t.review_after_days:
            return False
        low_baseline = self.baseline_pain <= t.low_baseline_pain
        return checkin.pain is not None or (checkin.psfs is not None and low_baseline)

    def judge(self, on: date, *, completed: int, planned: int) -> str | None:
        """Run the review; the code of the referral it raises, if any. The decision itself
        is made when it is read (`review`): only the last one's is, unless it refers."""
        t = self.thresholds
        latest_pain = self.baseline_pain if self.latest_pain is None else self.latest_pain
        inputs = Inputs(
            self.baseline_pain,
            latest_pain,
            self.baseline_psfs,
            self.latest_psfs,
            completed,
            planned,
        )
        rule, judged_by = verdict(inputs, t)
        self._judged = (inputs, rule, judged_by)
        if self.first_judged is None:
            self.first_judged = (on, inputs, rule, judged_by)
        if rule == RuleId.OUTCOMES_RECOVERED and self.recovered is None:
            self.recovered = (on, inputs, rule, judged_by)
        self._review = None
        self.review_on = on
        if self.referral_paused(on, latest_pain):
            return None
        return REFERRALS.get(rule)

    @property
    def review(self) -> Decision | None:
        """The latest review, with its numbers."""
        if self._review is None and self._judged is not None:
            inputs, rule, judged_by = self._judged
            self._review = judgement(inputs, rule, judged_by, self.thresholds)
        return self._review

    def decided(self, judged: tuple[date, Inputs, RuleId, str]) -> tuple[date, Decision]:
        """A kept judgement (`first_judged`, `recovered`) as its day and decision."""
        on, inputs, rule, judged_by = judged
        return on, judgement(inputs, rule, judged_by, self.thresholds)

    @property
    def review_note(self) -> Decision | None:
        """The latest review as information, or the question a referral for worse pain
        with sessions missed asks (`outcomes.missed_sessions`)."""
        if self._judged is None:
            return None
        inputs, rule, _ = self._judged
        if rule == RuleId.OUTCOMES_WORSE:
            return missed_sessions(inputs.completed, inputs.planned, self.thresholds)
        return self.review if rule in REVIEW_NOTES else None

    def cleared(self, on: date) -> None:
        """A clinician cleared a referral of the review on `on`, seeing the latest pain."""
        self.referral_cleared_on = on
        self.cleared_pain = self.baseline_pain if self.latest_pain is None else self.latest_pain

    def referral_paused(self, on: date, pain: int) -> bool:
        """A clinician cleared a referral of the review less than `referral_repeat_days`
        ago: they have seen the person, and the next referral waits, unless pain is now
        worse than what they saw (by the measure of `outcomes.worse`)."""
        cleared = self.referral_cleared_on
        if cleared is None or (on - cleared).days >= self.thresholds.referral_repeat_days:
            return False
        seen = self.baseline_pain if self.cleared_pain is None else self.cleared_pain
        return not pain_worse(seen, pain, self.thresholds)

    def review_missed(self, on: date) -> bool:
        """Whether the review waited `review_grace_days` past its day for a check-in."""
        return self.review_on is None and on >= self.review_late

    def prompt(self, on: date) -> tuple[Level, str, date, Decision] | None:
        """From day 28 until a check-in reviews: ask for it, then refer (brief §4)."""
        # The common answer, asked at every session, quickly (`review_prompt` gives the same).
        if self.review_on is not None or on < self.review_due:  # pragma: no mutate (as said)
            return None
        decision = review_prompt(
            on, start=self.start, reviewed=self.review_on is not None, thresholds=self.thresholds
        )
        if decision is None:  # pragma: no mutate (the check above answers first)
            return None
        if decision.rule == RuleId.OUTCOMES_REVIEW_MISSED:
            return Level.SEE_CLINICIAN, "review_missed", self.review_late, decision
        return Level.INFO, "review_due", self.review_due, decision

    def checkin_due(self, on: date, interval: int) -> Alert | None:
        """The weekly check-in is due `interval` days after the last pain rating."""
        since_checkin = (on - self.last_checkin).days
        if since_checkin < interval:
            return None
        decision = Decision(
            RuleId.OUTCOMES_CHECKIN_DUE, {"last_checkin": self.last_checkin, "days": since_checkin}
        )
        return Alert(
            Level.INFO, "checkin_due", self.last_checkin + timedelta(days=interval), decision
        )
