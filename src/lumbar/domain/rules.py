"""The registry of rules: stable ids, what each one is about, and the facts it reports.

Rule ids appear in `why`, in `--json`, in docs/rules.md and in test names. They never change
meaning; a rule that changes meaning gets a new id. Tests hold every id here to a section in
docs/rules.md and a message template in content/messages.toml, and every decision the engine
makes to the facts declared here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RuleId(StrEnum):
    """Every rule's stable id; mypy refuses an id that is not one of these."""

    SCREENING_ADULT_ONLY = "screening.adult_only"
    SCREENING_EMERGENCY = "screening.emergency"
    SCREENING_EMERGENCY_AT_INTAKE = "screening.emergency_at_intake"
    SCREENING_URGENT = "screening.urgent"
    SCREENING_SEE_CLINICIAN = "screening.see_clinician"
    SCREENING_NEW_EPISODE_OVER_50 = "screening.new_episode_over_50"
    SCREENING_NEW_EPISODE_UNDER_20 = "screening.new_episode_under_20"
    SCREENING_CLEARED = "screening.cleared"
    SCREENING_CLEARED_REPORTED = "screening.cleared_reported"
    SCREENING_PHASE_CHANGE_CHECK = "screening.phase_change_check"
    SCREENING_FOLLOW_UP = "screening.follow_up"
    SCHEDULE_TRAINING_DAY = "schedule.training_day"
    SCHEDULE_MOVED_SESSION = "schedule.moved_session"
    SCHEDULE_FIRST_DAY = "schedule.first_day"
    SCHEDULE_WEEKLY_GOAL = "schedule.weekly_goal"
    SCHEDULE_WEEK_SHORT = "schedule.week_short"
    SCHEDULE_MAINTENANCE = "schedule.maintenance"
    SCHEDULE_REST_DAY = "schedule.rest_day"
    SCHEDULE_REST_AFTER_SESSION = "schedule.rest_after_session"
    SCHEDULE_SESSION_DONE = "schedule.session_done"
    SCHEDULE_NO_CONSECUTIVE_DAYS = "schedule.no_consecutive_days"
    SCHEDULE_SESSIONS_PER_WEEK = "schedule.sessions_per_week"
    PAIN_CONTINUE = "pain.continue"
    PAIN_STOP_EXERCISE = "pain.stop_exercise"
    PAIN_STOP_SESSION = "pain.stop_session"
    PAIN_REDUCE_RANGE = "pain.reduce_range"
    PAIN_RADIATING_TWICE = "pain.radiating_twice"
    PAIN_PERSISTENT = "pain.persistent"
    PAIN_LEG_CHECK = "pain.leg_check"
    PAIN_LEG_FOLLOW_UP = "pain.leg_follow_up"
    REGRESSION_REVERT_PHASE = "regression.revert_phase"
    REGRESSION_PHASE1_FLOOR = "regression.phase1_floor"
    REGRESSION_WITHDRAWN = "regression.withdrawn"
    REGRESSION_AFTER_GAP = "regression.after_gap"
    PROGRESSION_START = "progression.start"
    PROGRESSION_ADVANCE_PHASE = "progression.advance_phase"
    PROGRESSION_NOT_YET = "progression.not_yet"
    PROGRESSION_READY = "progression.ready"
    PROGRESSION_PARTIAL_SESSION = "progression.partial_session"
    PROGRESSION_SKIPPED = "progression.skipped"
    PROGRESSION_SKIPPED_OTHER = "progression.skipped_other"
    PROGRESSION_ALL_SKIPPED = "progression.all_skipped"
    PROGRESSION_HELD = "progression.held"
    PROGRESSION_ON_HOLD = "progression.on_hold"
    PROGRESSION_NOT_FRESH = "progression.not_fresh"
    PROGRESSION_PROGRAM_COMPLETE = "progression.program_complete"
    DOSAGE_STEP_UP = "dosage.step_up"
    DOSAGE_STEP_BACK = "dosage.step_back"
    DOSAGE_RESTORE_RANGE = "dosage.restore_range"
    DOSAGE_PHASE_ENTRY = "dosage.phase_entry"
    DOSAGE_AFTER_GAP = "dosage.after_gap"
    DOSAGE_FLARE = "dosage.flare"
    DOSAGE_SKIPPED = "dosage.skipped"
    DOSAGE_SWAPPED = "dosage.swapped"
    OUTCOMES_CHECKIN_DUE = "outcomes.checkin_due"
    OUTCOMES_ON_TRACK = "outcomes.on_track"
    OUTCOMES_SUGGEST_ASSESSMENT = "outcomes.suggest_assessment"
    OUTCOMES_NOT_IMPROVING = "outcomes.not_improving"
    OUTCOMES_LOW_ADHERENCE = "outcomes.low_adherence"
    OUTCOMES_PSFS_NEEDED = "outcomes.psfs_needed"
    OUTCOMES_WORSE = "outcomes.worse"
    OUTCOMES_RECOVERED = "outcomes.recovered"
    OUTCOMES_MISSED_SESSIONS = "outcomes.missed_sessions"
    OUTCOMES_REVIEW_DUE = "outcomes.review_due"
    OUTCOMES_REVIEW_MISSED = "outcomes.review_missed"
    OUTCOMES_FLARE = "outcomes.flare"
    OUTCOMES_FLARE_PERSISTS = "outcomes.flare_persists"
    CONTENT_NO_LOADED_FLEXION = "content.no_loaded_flexion"
    CONTENT_NO_HAMSTRING_STRETCH = "content.no_hamstring_stretch"
    CONTENT_MAX_LOAD = "content.max_load"
    CONTENT_NO_LOAD_IN_FLEXION = "content.no_load_in_flexion"
    CONTENT_GENTLE_STEPS = "content.gentle_steps"
    CONTENT_HOUSEHOLD_RANGE = "content.household_range"
    EQUIPMENT_OWN_WEIGHT = "equipment.own_weight"
    EQUIPMENT_HOUSEHOLD = "equipment.household"
    EQUIPMENT_NONE_IN_RANGE = "equipment.none_in_range"
    RECORDS_INTAKE_STAYS = "records.intake_stays"
    RECORDS_DANGER_SIGNS_STAY = "records.danger_signs_stay"
    SCORES_START_BACK_LOW = "scores.start_back_low"
    SCORES_START_BACK_MEDIUM = "scores.start_back_medium"
    SCORES_START_BACK_HIGH = "scores.start_back_high"


@dataclass(frozen=True, slots=True)
class Rule:
    id: RuleId
    title: str
    facts: tuple[str, ...]


_JUDGEMENT = (
    "baseline_pain",
    "latest_pain",
    "pain_change_pct",
    "baseline_psfs",
    "latest_psfs",
    "psfs_change",
    "judged_by",
)
"""The facts of every judgement of pain and function: the numbers at the start and now."""


def _rules(*rules: Rule) -> dict[RuleId, Rule]:
    return {rule.id: rule for rule in rules}


RULES: dict[RuleId, Rule] = _rules(
    # Screening: red flags, triage tiers, clearance.
    Rule(RuleId.SCREENING_ADULT_ONLY, "The program is for adults", ("age", "min_age")),
    Rule(RuleId.SCREENING_EMERGENCY, "Emergency symptom: the program is blocked", ("symptom",)),
    Rule(
        RuleId.SCREENING_EMERGENCY_AT_INTAKE,
        "Emergency symptom at the intake: no program starts",
        ("symptom",),
    ),
    Rule(RuleId.SCREENING_URGENT, "Urgent symptom: the program is paused", ("symptom",)),
    Rule(
        RuleId.SCREENING_SEE_CLINICIAN, "See a clinician: phase 1 only until cleared", ("symptom",)
    ),
    Rule(
        RuleId.SCREENING_NEW_EPISODE_OVER_50,
        "Over 50 with a new episode: see a clinician",
        ("age", "pain_weeks", "max_weeks"),
    ),
    Rule(
        RuleId.SCREENING_NEW_EPISODE_UNDER_20,
        "Under 20 with a new episode: see a clinician",
        ("age", "pain_weeks", "max_weeks"),
    ),
    Rule(
        RuleId.SCREENING_CLEARED,
        "A clinician cleared an alert with their own account",
        ("symptom", "cleared_on", "by"),
    ),
    Rule(
        RuleId.SCREENING_CLEARED_REPORTED,
        "The person told us a clinician saw them about an alert",
        ("symptom", "cleared_on", "by"),
    ),
    Rule(RuleId.SCREENING_PHASE_CHANGE_CHECK, "A new phase: check for new symptoms", ("phase",)),
    Rule(
        RuleId.SCREENING_FOLLOW_UP,
        "After a problem report: the safety questions before the next session",
        ("since",),
    ),
    # Schedule: which days hold a session.
    Rule(RuleId.SCHEDULE_TRAINING_DAY, "A planned training day", ("days",)),
    Rule(RuleId.SCHEDULE_MOVED_SESSION, "A missed session moves forward", ("due",)),
    Rule(RuleId.SCHEDULE_FIRST_DAY, "The first day holds a session", ("days",)),
    Rule(
        RuleId.SCHEDULE_WEEKLY_GOAL,
        "This week's sessions against the days chosen",
        ("done", "goal"),
    ),
    Rule(RuleId.SCHEDULE_WEEK_SHORT, "Last week fell short: a fresh start", ("done", "goal")),
    Rule(
        RuleId.SCHEDULE_MAINTENANCE,
        "Once complete: maintenance, fewer sessions a week",
        ("days", "per_week"),
    ),
    Rule(RuleId.SCHEDULE_REST_DAY, "A rest day, with an optional daily routine", ("next_session",)),
    Rule(
        RuleId.SCHEDULE_REST_AFTER_SESSION,
        "Never two sessions on consecutive days",
        ("last_session", "next_session"),
    ),
    Rule(RuleId.SCHEDULE_SESSION_DONE, "Today's session is recorded", ("next_session",)),
    Rule(RuleId.SCHEDULE_NO_CONSECUTIVE_DAYS, "A choice of days with no rest between", ("pair",)),
    Rule(RuleId.SCHEDULE_SESSIONS_PER_WEEK, "How many days a week", ("count", "min", "max")),
    # Pain check-ins after each exercise.
    Rule(RuleId.PAIN_CONTINUE, "No pain or a dull ache: carry on", ("exercise", "pain")),
    Rule(RuleId.PAIN_STOP_EXERCISE, "Sharp pain: stop this exercise", ("exercise",)),
    Rule(RuleId.PAIN_STOP_SESSION, "Pain down the leg: stop the session", ("exercise",)),
    Rule(
        RuleId.PAIN_REDUCE_RANGE,
        "Bad pain: reduced range next time",
        ("exercise", "pain", "on", "clean_sessions"),
    ),
    Rule(
        RuleId.PAIN_RADIATING_TWICE,
        "Pain down the leg in two sessions close together",
        ("first", "second", "window_days"),
    ),
    Rule(
        RuleId.PAIN_PERSISTENT,
        "Bad pain in 3 of the last 5 sessions: see a clinician",
        ("sessions", "window", "first", "last"),
    ),
    Rule(
        RuleId.PAIN_LEG_CHECK,
        "After pain down the leg: the safety questions before the next session",
        ("since",),
    ),
    Rule(
        RuleId.PAIN_LEG_FOLLOW_UP,
        "After pain down the leg: every exercise at reduced range, no dose increase",
        ("exercise", "on", "clean_sessions"),
    ),
    # Regression: backing off after bad pain at reduced range, or after a long gap.
    Rule(
        RuleId.REGRESSION_REVERT_PHASE,
        "Bad pain at reduced range: back one phase",
        ("exercise", "from_phase", "to_phase", "min_days"),
    ),
    Rule(
        RuleId.REGRESSION_PHASE1_FLOOR, "Bad pain at reduced range in phase 1", ("exercise", "on")
    ),
    Rule(
        RuleId.REGRESSION_WITHDRAWN,
        "An exercise that still hurt at reduced range is left out for now",
        ("exercise", "on", "days"),
    ),
    Rule(
        RuleId.REGRESSION_AFTER_GAP,
        "Two weeks or more without a session: one phase lower",
        ("last_session", "days", "from_phase", "to_phase"),
    ),
    # Progression: moving between phases.
    Rule(RuleId.PROGRESSION_START, "The program starts in phase 1", ("start",)),
    Rule(
        RuleId.PROGRESSION_ADVANCE_PHASE,
        "A week in the phase without bad pain: next phase",
        ("from_phase", "to_phase", "days", "sessions", "pain_free_since"),
    ),
    Rule(
        RuleId.PROGRESSION_NOT_YET,
        "Not ready for the next phase yet",
        ("phase", "days", "min_days", "sessions", "min_sessions", "pain_free_days", "earliest"),
    ),
    Rule(
        RuleId.PROGRESSION_READY,
        "The gate is met: next phase at the next session",
        ("to_phase", "next_session"),
    ),
    Rule(RuleId.PROGRESSION_PARTIAL_SESSION, "A session with exercises left out", ("exercises",)),
    Rule(
        RuleId.PROGRESSION_SKIPPED,
        "Exercises skipped for a practical reason: the session still counts",
        ("exercises", "reasons"),
    ),
    Rule(
        RuleId.PROGRESSION_SKIPPED_OTHER,
        "An exercise skipped for another reason: the session does not count",
        ("exercises",),
    ),
    Rule(
        RuleId.PROGRESSION_ALL_SKIPPED,
        "Every exercise skipped: recorded, not counted",
        ("exercises",),
    ),
    Rule(RuleId.PROGRESSION_HELD, "Phase 1 until a clinician clears the person", ("symptoms",)),
    Rule(
        RuleId.PROGRESSION_ON_HOLD,
        "An open referral or flare-up holds the phase",
        ("phase", "alerts"),
    ),
    Rule(
        RuleId.PROGRESSION_NOT_FRESH,
        "The gate needs a recent check-in and a recent session",
        ("phase", "last_checkin", "checkin_days", "last_session", "session_days"),
    ),
    Rule(
        RuleId.PROGRESSION_PROGRAM_COMPLETE,
        "The last phase passed its gate: the program is complete",
        ("days", "sessions"),
    ),
    # Dosage: graded exposure within a phase.
    Rule(
        RuleId.DOSAGE_STEP_UP,
        "Two clean sessions: a little more",
        ("exercise", "phase", "step", "clean_sessions", "dose"),
    ),
    Rule(RuleId.DOSAGE_STEP_BACK, "Bad pain: a step back", ("exercise", "phase", "step", "dose")),
    Rule(
        RuleId.DOSAGE_RESTORE_RANGE,
        "Clean sessions at reduced range: full range again",
        ("exercise", "clean_sessions"),
    ),
    Rule(
        RuleId.DOSAGE_PHASE_ENTRY,
        "A new phase starts each exercise from what the person last did",
        ("exercise", "phase", "dose", "last_dose"),
    ),
    Rule(
        RuleId.DOSAGE_AFTER_GAP,
        "A week or more without a session: one dose step lower",
        ("last_session", "days", "phase"),
    ),
    Rule(
        RuleId.DOSAGE_FLARE,
        "A flare-up: one dose step lower while it settles",
        ("exercise", "on", "dose"),
    ),
    Rule(RuleId.DOSAGE_SKIPPED, "A skipped exercise keeps its dose", ("exercise", "reason")),
    Rule(
        RuleId.DOSAGE_SWAPPED,
        "Done in another version for one session: the dose holds",
        ("exercise", "version"),
    ),
    # Outcomes: weekly check-ins and the 4-week review.
    Rule(RuleId.OUTCOMES_CHECKIN_DUE, "The weekly check-in is due", ("last_checkin", "days")),
    Rule(RuleId.OUTCOMES_ON_TRACK, "Improving: on track", _JUDGEMENT),
    Rule(
        RuleId.OUTCOMES_SUGGEST_ASSESSMENT, "Improving a little: an assessment may help", _JUDGEMENT
    ),
    Rule(RuleId.OUTCOMES_NOT_IMPROVING, "Not improving after 4 weeks: see a clinician", _JUDGEMENT),
    Rule(RuleId.OUTCOMES_WORSE, "Pain worse than at the start: see a clinician", _JUDGEMENT),
    Rule(
        RuleId.OUTCOMES_RECOVERED, "Recovered: little or no pain, activities as before", _JUDGEMENT
    ),
    Rule(
        RuleId.OUTCOMES_LOW_ADHERENCE,
        "Too few sessions to judge the program",
        ("adherence_pct", "completed", "planned", "min_pct"),
    ),
    Rule(RuleId.OUTCOMES_PSFS_NEEDED, "Low baseline pain: judged by PSFS", ("baseline_pain",)),
    Rule(
        RuleId.OUTCOMES_MISSED_SESSIONS,
        "Worse, with sessions missed: what got in the way?",
        ("adherence_pct", "completed", "planned"),
    ),
    Rule(RuleId.OUTCOMES_REVIEW_DUE, "The 4-week review needs a check-in", ("due", "by")),
    Rule(
        RuleId.OUTCOMES_REVIEW_MISSED,
        "No check-in for the review: see a clinician",
        ("due", "days"),
    ),
    Rule(
        RuleId.OUTCOMES_FLARE,
        "A flare-up: hold the phase, ease the doses",
        ("weekly_pain", "last_week", "baseline_pain"),
    ),
    Rule(
        RuleId.OUTCOMES_FLARE_PERSISTS,
        "A flare-up two weeks running: see a clinician",
        ("weekly_pain", "last_week", "baseline_pain", "since"),
    ),
    # Safety of the content and of any program variant.
    Rule(RuleId.CONTENT_NO_LOADED_FLEXION, "No loaded spinal flexion, ever", ("exercise",)),
    Rule(RuleId.CONTENT_NO_HAMSTRING_STRETCH, "No aggressive hamstring stretching", ("exercise",)),
    Rule(RuleId.CONTENT_MAX_LOAD, "Loads stay light", ("exercise", "load_lb", "max_lb")),
    Rule(RuleId.CONTENT_NO_LOAD_IN_FLEXION, "No load on a bending spine", ("exercise",)),
    Rule(
        RuleId.CONTENT_GENTLE_STEPS,
        "Dose steps rise gently",
        ("exercise", "phase", "step", "rise_pct", "max_pct"),
    ),
    Rule(
        RuleId.CONTENT_HOUSEHOLD_RANGE,
        "Household loads stay in the range of weights",
        ("household", "kg"),
    ),
    # The load a person has (issue #17).
    Rule(
        RuleId.EQUIPMENT_OWN_WEIGHT,
        "The weight the person has, never more than the step asks",
        ("exercise", "asked_lb", "used_lb"),
    ),
    Rule(RuleId.EQUIPMENT_HOUSEHOLD, "No weights: a household load", ("exercise", "household")),
    Rule(
        RuleId.EQUIPMENT_NONE_IN_RANGE,
        "No weight of theirs in the range: a household load",
        ("exercise", "household"),
    ),
    # Correcting what was recorded.
    Rule(RuleId.RECORDS_INTAKE_STAYS, "The intake stays, on the first day", ("start",)),
    Rule(
        RuleId.RECORDS_DANGER_SIGNS_STAY,
        "A correction never takes away a danger sign",
        ("symptoms",),
    ),
    # The measures a clinic administers itself (issue #20).
    Rule(RuleId.SCORES_START_BACK_LOW, "STarT Back: low risk", ("total", "psychosocial")),
    Rule(RuleId.SCORES_START_BACK_MEDIUM, "STarT Back: medium risk", ("total", "psychosocial")),
    Rule(RuleId.SCORES_START_BACK_HIGH, "STarT Back: high risk", ("total", "psychosocial")),
)
