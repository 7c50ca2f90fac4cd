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
from lumbar.domain.model import CheckIn, History, Level
from lumbar.domain.outcomes import flare, missed_sessions, psfs_score, review, review_prompt, worse
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
        self.review: Decision | None = None
        self.review_on: date | None = None
        self.review_note: Decision | None = None
        self.referral_cleared_on: date | None = None

    def record(self, checkin: CheckIn) -> Findings | None:
        """Take a check-in's ratings; with a pain rating, what it shows."""
        if checkin.psfs is not None:
            self.latest_psfs = psfs_score(checkin.psfs)
        if checkin.pain is None:
            return None
        last_week = self.baseline_pain if self.latest_pain is None else self.latest_pain
        self.latest_pain = checkin.pain
        self.last_checkin = checkin.on
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
        return Findings(flared, None if self.referral_paused(checkin.on) else worse_now)

    def reviews_at(self, checkin: CheckIn) -> bool:
        """Whether the check-in gives the review its numbers: from day 28, a pain rating (or
        with a low baseline, where the PSFS decides, a PSFS rating)."""
        t = self.thresholds
        if (checkin.on - self.start).days < t.review_after_days:
            return False
        low_baseline = self.baseline_pain <= t.low_baseline_pain
        return checkin.pain is not None or (checkin.psfs is not None and low_baseline)

    def judge(self, on: date, *, completed: int, planned: int) -> str | None:
        """Run the review; the code of the referral it raises, if any."""
        t = self.thresholds
        latest_pain = self.baseline_pain if self.latest_pain is None else self.latest_pain
        decision = review(
            baseline_pain=self.baseline_pain,
            latest_pain=latest_pain,
            baseline_psfs=self.baseline_psfs,
            latest_psfs=self.latest_psfs,
            completed=completed,
            planned=planned,
            thresholds=t,
        )
        self.review = decision
        self.review_on = on
        note = decision if decision.rule in REVIEW_NOTES else None
        if decision.rule == RuleId.OUTCOMES_WORSE:
            note = missed_sessions(completed, planned, t)
        self.review_note = note
        if self.referral_paused(on):
            return None
        return REFERRALS.get(decision.rule)

    def referral_paused(self, on: date) -> bool:
        """A clinician cleared a referral of the review less than `referral_repeat_days`
        ago: they have seen the person, and the next referral waits."""
        cleared = self.referral_cleared_on
        return cleared is not None and (on - cleared).days < self.thresholds.referral_repeat_days

    def prompt(self, on: date) -> tuple[Level, str, date, Decision] | None:
        """From day 28 until a check-in reviews: ask for it, then refer (brief §4)."""
        decision = review_prompt(
            on, start=self.start, reviewed=self.review_on is not None, thresholds=self.thresholds
        )
        if decision is None:
            return None
        due = self.start + timedelta(days=self.thresholds.review_after_days)
        if decision.rule == RuleId.OUTCOMES_REVIEW_MISSED:
            late = due + timedelta(days=self.thresholds.review_grace_days)
            return Level.SEE_CLINICIAN, "review_missed", late, decision
        return Level.INFO, "review_due", due, decision
