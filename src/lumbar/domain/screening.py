"""Screening for red flags: each symptom code belongs to a triage tier that decides its effect.

The tiers follow the evidence brief (clinical-evidence.md §2e). They are code, not content:
a content edit must never be able to downgrade an emergency.
"""

from __future__ import annotations

from datetime import date

from lumbar.domain.decisions import Decision
from lumbar.domain.model import Alert, Level, Profile
from lumbar.domain.rules import RuleId

RED_FLAGS: dict[str, Level] = {
    "bladder_bowel": Level.EMERGENCY,
    "saddle_numbness": Level.EMERGENCY,
    "both_legs": Level.EMERGENCY,
    "leg_weakness_worsening": Level.EMERGENCY,
    "major_trauma": Level.EMERGENCY,
    "fever": Level.URGENT,
    "weight_loss": Level.URGENT,
    "cancer_history": Level.URGENT,
    "night_pain": Level.URGENT,
    "trauma": Level.URGENT,
    "steroids_osteoporosis": Level.URGENT,
    "leg_numbness": Level.SEE_CLINICIAN,
    "leg_weakness": Level.SEE_CLINICIAN,
}
"""Every symptom a person can report, with its tier."""

MIN_AGE = 18
"""Self-guided use is for adults (brief §6: NG59 covers 16+, adolescents need separate care)."""

NEW_EPISODE_AGE = 50
"""Over this age, a new episode of back pain is a reason to see a clinician (CKS cancer flag)."""

NEW_EPISODE_MAX_WEEKS = 12
"""An episode that began this many weeks ago or less counts as new (ACP: acute and subacute)."""

_TIER_RULES = {
    Level.EMERGENCY: RuleId.SCREENING_EMERGENCY,
    Level.URGENT: RuleId.SCREENING_URGENT,
    Level.SEE_CLINICIAN: RuleId.SCREENING_SEE_CLINICIAN,
}


def refuse_minor(age: int) -> Decision | None:
    """The refusal to start a program for someone under 18, or None for an adult."""
    if age < MIN_AGE:
        return Decision(RuleId.SCREENING_ADULT_ONLY, {"age": age, "min_age": MIN_AGE})
    return None


def unknown_symptoms(codes: tuple[str, ...] | list[str]) -> list[str]:
    return [code for code in codes if code not in RED_FLAGS]


def known_symptoms(codes: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The codes without repeats; raises ValueError naming the first unknown one."""
    unknown = unknown_symptoms(codes)
    if unknown:
        raise ValueError(
            f"unknown symptom code {unknown[0]!r}; the codes are {', '.join(RED_FLAGS)}"
        )
    return tuple(dict.fromkeys(codes))


def emergencies(codes: tuple[str, ...]) -> set[str]:
    """The emergency-tier codes among `codes`."""
    return {code for code in codes if RED_FLAGS.get(code) is Level.EMERGENCY}


def intake_emergencies(codes: tuple[str, ...], on: date) -> tuple[Alert, ...]:
    """The emergency signs among an intake's answers: each stops the program from starting
    (the person needs care before any exercise), in a stable order."""
    return tuple(
        Alert(
            Level.EMERGENCY,
            code,
            on,
            Decision(RuleId.SCREENING_EMERGENCY_AT_INTAKE, {"symptom": code}),
        )
        for code in sorted(emergencies(codes))
    )


def symptom_alert(code: str, on: date) -> Alert:
    """The alert a reported symptom raises; raises KeyError for a code that is not a red flag."""
    level = RED_FLAGS[code]
    return Alert(level, code, on, Decision(_TIER_RULES[level], {"symptom": code}))


def new_episode_alert(profile: Profile) -> Alert | None:
    """Over 50 with pain that began in the last 12 weeks: see a clinician, phase 1 until then."""
    weeks = profile.pain_weeks
    if profile.age > NEW_EPISODE_AGE and weeks is not None and weeks <= NEW_EPISODE_MAX_WEEKS:
        facts = {"age": profile.age, "pain_weeks": weeks, "max_weeks": NEW_EPISODE_MAX_WEEKS}
        decision = Decision(RuleId.SCREENING_NEW_EPISODE_OVER_50, facts)
        return Alert(Level.SEE_CLINICIAN, "over_50_new_episode", profile.start, decision)
    return None


def cleared_note(alert: Alert, cleared_on: date) -> Alert:
    """The advice kept visible after a clinician cleared an emergency or urgent symptom."""
    decision = Decision(RuleId.SCREENING_CLEARED, {"symptom": alert.code, "cleared_on": cleared_on})
    return Alert(Level.INFO, f"{alert.code}_cleared", cleared_on, decision)


def phase_change_check(phase: int, on: date) -> Alert:
    """At every phase change: ask the person to record any new symptom."""
    return Alert(
        Level.INFO,
        "phase_change_check",
        on,
        Decision(RuleId.SCREENING_PHASE_CHANGE_CHECK, {"phase": phase}),
    )
