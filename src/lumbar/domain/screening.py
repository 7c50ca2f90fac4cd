"""Screening for red flags: each symptom code belongs to a triage tier that decides its effect.

The tiers follow the evidence brief (clinical-evidence.md §2e). They are code, not content:
a content edit must never be able to downgrade an emergency.
"""

from __future__ import annotations

from datetime import date

from lumbar.domain.decisions import Decision
from lumbar.domain.model import Alert, Clearance, Level, Profile
from lumbar.domain.rules import RuleId

RED_FLAGS: dict[str, Level] = {
    # Emergency now: cauda equina, fracture after trauma, chest pain.
    "saddle_numbness": Level.EMERGENCY,
    "bladder_bowel": Level.EMERGENCY,
    "sexual_dysfunction": Level.EMERGENCY,
    "both_legs": Level.EMERGENCY,
    "leg_weakness_worsening": Level.EMERGENCY,
    "major_trauma": Level.EMERGENCY,
    "minor_trauma_fragile": Level.EMERGENCY,
    "chest_pain": Level.EMERGENCY,
    # Urgent, the same day: infection, cancer, fracture risk, pain that is not mechanical.
    "fever": Level.URGENT,
    "weight_loss": Level.URGENT,
    "deformity": Level.URGENT,
    "night_pain": Level.URGENT,
    "cough_sneeze": Level.URGENT,
    "thoracic_pain": Level.URGENT,
    "cancer_history": Level.URGENT,
    "infection_risk": Level.URGENT,
    "recent_spinal_surgery": Level.URGENT,
    "trauma": Level.URGENT,
    "steroids_osteoporosis": Level.URGENT,
    # Soon, within days: gentle phase 1 only until a clinician has seen the person.
    "leg_numbness": Level.SEE_CLINICIAN,
    "leg_weakness": Level.SEE_CLINICIAN,
    "below_knee_pain": Level.SEE_CLINICIAN,
    "pregnancy": Level.SEE_CLINICIAN,
    "not_coping": Level.SEE_CLINICIAN,
}
"""Every symptom a person can report, with its tier, in the order the questions are asked
(the brief's §2e table; docs/rules.md lists each with its source)."""

FRAGILE_AGE = 65
"""From this age a fall or knock, even a small one, counts as trauma in an older person (an
emergency in the brief's §2e, for the risk of fracture)."""

FRAGILITY = frozenset({"steroids_osteoporosis"})
"""Reported answers that make a minor injury an emergency (osteoporosis, long-term steroids)."""

MIN_AGE = 18
"""Self-guided use is for adults (brief §6: NG59 covers 16+, adolescents need separate care)."""

NEW_EPISODE_AGE = 50
"""Over this age, a new episode of back pain is a reason to see a clinician (CKS cancer flag)."""

NEW_EPISODE_MAX_WEEKS = 12
"""An episode that began this many weeks ago or less counts as new (ACP: acute and subacute)."""

PHASE_CHANGE_CHECK = "phase_change_check"
"""The code of the reminder, at a phase change, to answer the safety questions again."""
LEG_CHECK = "leg_check"
"""The same after pain down the leg (rule pain.leg_check)."""
PROBLEM_CHECK = "problem_check"
"""The same after a problem report: a fall, more pain after a session."""
ASK_BEFORE_SESSION = (PHASE_CHANGE_CHECK, LEG_CHECK, PROBLEM_CHECK)
"""The reminders the shells turn into the safety questions before the next session's
first exercise."""

YOUNG_AGE = 20
"""Under this age, a new episode is a reason to see a clinician too (CKS cancer flag)."""

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


def with_fragility(
    codes: tuple[str, ...], *, age: int, reported: frozenset[str] | set[str] = frozenset()
) -> tuple[str, ...]:
    """The codes, with `minor_trauma_fragile` added when an injury is reported by someone
    65 or older, or with osteoporosis or long-term steroids (now or reported before): the
    brief's emergency for minor trauma in older or fragile people."""
    if "trauma" not in codes or "minor_trauma_fragile" in codes:
        return codes
    if age >= FRAGILE_AGE or not FRAGILITY.isdisjoint(codes) or not FRAGILITY.isdisjoint(reported):
        return (*codes, "minor_trauma_fragile")
    return codes


def after_fall(*, major: bool, fragile: bool, age: int, reported: frozenset[str]) -> str:
    """The code a fall is recorded as: major trauma (a road crash, a fall from a height), an
    injury in someone older or fragile (both emergencies), or else an injury (urgent: a
    clinician should look before exercising again, as the program's seed asks)."""
    if major:
        return "major_trauma"
    if fragile or age >= FRAGILE_AGE or not FRAGILITY.isdisjoint(reported):
        return "minor_trauma_fragile"
    return "trauma"


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
    """Over 50, or under 20, with pain that began in the last 12 weeks: see a clinician,
    phase 1 until then (CKS flags for cancer)."""
    weeks = profile.pain_weeks
    if weeks is None or weeks > NEW_EPISODE_MAX_WEEKS:
        return None
    age = profile.age
    facts = {"age": age, "pain_weeks": weeks, "max_weeks": NEW_EPISODE_MAX_WEEKS}
    if age > NEW_EPISODE_AGE:
        decision = Decision(RuleId.SCREENING_NEW_EPISODE_OVER_50, facts)
        return Alert(Level.SEE_CLINICIAN, "over_50_new_episode", profile.start, decision)
    if age < YOUNG_AGE:
        decision = Decision(RuleId.SCREENING_NEW_EPISODE_UNDER_20, facts)
        return Alert(Level.SEE_CLINICIAN, "under_20_new_episode", profile.start, decision)
    return None


def cleared_note(alert: Alert, clearance: Clearance) -> Alert:
    """What stays visible after a clearance: who cleared which alert, and when. A clinician
    who cleared with their own account is named as having cleared; otherwise the note says
    the person told us a clinician saw them."""
    rule = RuleId.SCREENING_CLEARED if clearance.confirmed else RuleId.SCREENING_CLEARED_REPORTED
    decision = Decision(
        rule, {"symptom": alert.code, "cleared_on": clearance.on, "by": clearance.by}
    )
    return Alert(Level.INFO, f"{alert.code}_cleared", clearance.on, decision)


def follow_up(on: date) -> Decision:
    """A problem report on `on` (a fall, more pain after a session): the next session opens
    with the safety questions."""
    return Decision(RuleId.SCREENING_FOLLOW_UP, {"since": on})


def phase_change_check(phase: int, on: date) -> Alert:
    """At every phase change: ask the person to record any new symptom."""
    return Alert(
        Level.INFO,
        PHASE_CHANGE_CHECK,
        on,
        Decision(RuleId.SCREENING_PHASE_CHANGE_CHECK, {"phase": phase}),
    )
