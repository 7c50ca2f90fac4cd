"""The registry of rules: stable ids, what each one is about, and the facts it reports.

Rule ids appear in `why`, in `--json`, in docs/rules.md and in test names. They never change
meaning; a rule that changes meaning gets a new id. Tests hold every id here to a section in
docs/rules.md and a message template in content/messages.toml, and every decision the engine
makes to the facts declared here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    facts: tuple[str, ...]


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {rule.id: rule for rule in rules}


RULES: dict[str, Rule] = _rules(
    # Screening: red flags, triage tiers, clearance.
    Rule("screening.adult_only", "The program is for adults", ("age", "min_age")),
    Rule("screening.emergency", "Emergency symptom: the program is blocked", ("symptom",)),
    Rule(
        "screening.emergency_at_intake",
        "Emergency symptom at the intake: no program starts",
        ("symptom",),
    ),
    Rule("screening.urgent", "Urgent symptom: the program is paused", ("symptom",)),
    Rule("screening.see_clinician", "See a clinician: phase 1 only until cleared", ("symptom",)),
    Rule(
        "screening.new_episode_over_50",
        "Over 50 with a new episode: see a clinician",
        ("age", "pain_weeks", "max_weeks"),
    ),
    Rule("screening.cleared", "A clinician cleared the person", ("symptom", "cleared_on")),
    Rule("screening.phase_change_check", "A new phase: check for new symptoms", ("phase",)),
    # Schedule: which days hold a session.
    Rule("schedule.training_day", "A planned training day", ("days",)),
    Rule("schedule.moved_session", "A missed session moves forward", ("due",)),
    Rule("schedule.rest_day", "A rest day, with an optional daily routine", ("next_session",)),
    Rule(
        "schedule.rest_after_session",
        "Never two sessions on consecutive days",
        ("last_session", "next_session"),
    ),
    Rule("schedule.session_done", "Today's session is recorded", ("next_session",)),
    Rule("schedule.no_consecutive_days", "A choice of days with no rest between", ("pair",)),
    Rule("schedule.sessions_per_week", "How many days a week", ("count", "min", "max")),
    # Pain check-ins after each exercise.
    Rule("pain.continue", "No pain or a dull ache: carry on", ("exercise", "pain")),
    Rule("pain.stop_exercise", "Sharp pain: stop this exercise", ("exercise",)),
    Rule("pain.stop_session", "Pain down the leg: stop the session", ("exercise",)),
    Rule(
        "pain.reduce_range",
        "Bad pain: reduced range next time",
        ("exercise", "pain", "on", "clean_sessions"),
    ),
    Rule(
        "pain.radiating_twice_in_14_days",
        "Pain down the leg in two sessions within 14 days",
        ("first", "second", "window_days"),
    ),
    # Regression: backing off after bad pain at reduced range.
    Rule(
        "regression.revert_phase",
        "Bad pain at reduced range: back one phase",
        ("exercise", "from_phase", "to_phase", "min_days"),
    ),
    Rule("regression.phase1_floor", "Bad pain at reduced range in phase 1", ("exercise", "on")),
    # Progression: moving between phases.
    Rule("progression.start", "The program starts in phase 1", ("start",)),
    Rule(
        "progression.advance_phase",
        "A week in the phase without bad pain: next phase",
        ("from_phase", "to_phase", "days", "sessions", "pain_free_since"),
    ),
    Rule(
        "progression.not_yet",
        "Not ready for the next phase yet",
        ("phase", "days", "min_days", "sessions", "min_sessions", "pain_free_days", "earliest"),
    ),
    Rule(
        "progression.ready",
        "The gate is met: next phase at the next session",
        ("to_phase", "next_session"),
    ),
    Rule("progression.partial_session", "A session with exercises left out", ("exercises",)),
    Rule("progression.held", "Phase 1 until a clinician clears the person", ("symptoms",)),
    Rule(
        "progression.program_complete",
        "The last phase passed its gate: the program is complete",
        ("days", "sessions"),
    ),
    # Dosage: graded exposure within a phase.
    Rule(
        "dosage.step_up",
        "Two clean sessions: a little more",
        ("exercise", "phase", "step", "clean_sessions"),
    ),
    Rule("dosage.step_back", "Bad pain: a step back", ("exercise", "phase", "step")),
    Rule(
        "dosage.restore_range",
        "Clean sessions at reduced range: full range again",
        ("exercise", "clean_sessions"),
    ),
    # Outcomes: weekly check-ins and the 4-week review.
    Rule("outcomes.checkin_due", "The weekly check-in is due", ("last_checkin", "days")),
    Rule(
        "outcomes.on_track",
        "Improving: on track",
        ("pain_change_pct", "psfs_change", "judged_by"),
    ),
    Rule(
        "outcomes.suggest_assessment",
        "Improving a little: an assessment may help",
        ("pain_change_pct", "psfs_change"),
    ),
    Rule(
        "outcomes.not_improving",
        "Not improving after 4 weeks: see a clinician",
        ("pain_change_pct", "psfs_change", "judged_by"),
    ),
    Rule(
        "outcomes.low_adherence",
        "Too few sessions to judge the program",
        ("adherence_pct", "completed", "planned", "min_pct"),
    ),
    Rule("outcomes.psfs_needed", "Low baseline pain: judged by PSFS", ("baseline_pain",)),
    # Safety of the content and of any program variant.
    Rule("content.no_loaded_flexion", "No loaded spinal flexion, ever", ("exercise",)),
    Rule("content.no_hamstring_stretch", "No aggressive hamstring stretching", ("exercise",)),
    Rule("content.max_load", "Loads stay light", ("exercise", "load_lb", "max_lb")),
    Rule("content.no_load_in_flexion", "No load on a bending spine", ("exercise",)),
)
