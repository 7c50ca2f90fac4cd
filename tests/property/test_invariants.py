"""Property tests: the program's safety invariants hold over random histories.

A random scenario (a prescription-like variant of the program: training days, a phase gate
and thresholds drawn within the ranges a clinician may prescribe; an adult of 18 to 90; a
baseline pain and PSFS; a pain script, skipped sessions, symptoms and clearances, weekly
check-ins; a horizon of 10 to 180 days) is lived day by day by the same `Follower` the
unit tests use; each test then checks one invariant of issue #2, or of the 4-week review,
against the history the person produced and every plan the engine gave them. The expected
values are derived from the history itself (which symptom came when, which session hurt,
which check-in rated what), not from the decisions the engine reports.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from fractions import Fraction
from itertools import combinations

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from lumbar.content.load import default_content
from lumbar.domain.decisions import Decision
from lumbar.domain.escalation import ENGINE_ALERTS
from lumbar.domain.model import (
    CheckIn,
    Clearance,
    DayPlan,
    Event,
    Exercise,
    History,
    Kind,
    Level,
    Moment,
    Pain,
    SessionLog,
    SpinalFlexion,
    Status,
    TrainingDays,
)
from lumbar.domain.outcomes import psfs_score, review
from lumbar.domain.plan import plan_day, program_status
from lumbar.domain.program import (
    Gate,
    Prescription,
    Program,
    Thresholds,
    load_range_lb,
    within,
)
from lumbar.domain.routine import DAILY_ROUTINE_CATEGORIES, routine_ids
from lumbar.domain.rules import RULES
from lumbar.domain.screening import (
    FRAGILE_AGE,
    FRAGILITY,
    NEW_EPISODE_AGE,
    NEW_EPISODE_MAX_WEEKS,
    RED_FLAGS,
    YOUNG_AGE,
)
from tests.builders import START, Follower, clearance, history, intake, profile

ONE_DAY = timedelta(days=1)
MIN_HORIZON = 10
MAX_HORIZON = 180

PROGRAM = default_content().program
"""The shipped program: every variant is made from it with `dataclasses.replace`."""
EXERCISE_IDS = tuple(sorted(PROGRAM.exercises))
CODES = tuple(RED_FLAGS)
EVERY_CODE = (*CODES, *ENGINE_ALERTS)
"""Every alert a history can raise (reported symptoms, and the engine's own): a clearance
that names them all clears whatever stands."""
NEW_EPISODE_CODES = frozenset({"over_50_new_episode", "under_20_new_episode"})


def _codes(level: Level) -> tuple[str, ...]:
    return tuple(code for code, tier in RED_FLAGS.items() if tier is level)


EMERGENCY_CODES = _codes(Level.EMERGENCY)
URGENT_CODES = _codes(Level.URGENT)
SEE_CLINICIAN_CODES = _codes(Level.SEE_CLINICIAN)
BLOCKING = frozenset(EMERGENCY_CODES + URGENT_CODES)


def _fixed_day_choices() -> tuple[TrainingDays, ...]:
    """Every valid fixed choice: 3 weekdays, no two in a row (Sunday to Monday included)."""
    choices = tuple(
        TrainingDays(weekdays=frozenset(days))
        for days in combinations(range(7), 3)
        if not any((d + 1) % 7 in days for d in days)
    )
    assert len(choices) == 7
    return choices


FIXED_DAYS = _fixed_day_choices()
EVERY_OTHER_DAY = TrainingDays(every_other_day=True)


# Strategies, built from the builders.

pains = st.sampled_from(
    # Mostly no pain or a dull ache, sometimes sharp or down the leg.
    [Pain.NONE] * 5 + [Pain.ACHE] * 3 + [Pain.SHARP] * 2 + [Pain.RADIATING]
)
bad_pains = st.sampled_from([Pain.SHARP, Pain.RADIATING])
training_days = st.sampled_from([*FIXED_DAYS, EVERY_OTHER_DAY])
horizons = st.integers(min_value=MIN_HORIZON, max_value=MAX_HORIZON)


def _days(shipped: int, usual: int, most: int, least: int = 1) -> st.SearchStrategy[int]:
    """A number of days or sessions as a clinician might prescribe it: the shipped value,
    a usual one, or anything the prescription schema accepts (`least` to `most`)."""
    return st.just(shipped) | st.integers(least, usual) | st.integers(least, most)


def _percent(shipped: float) -> st.SearchStrategy[float]:
    return st.just(shipped) | st.integers(0, 100).map(float) | st.floats(0, 100)


@st.composite
def gates(draw: st.DrawFn) -> Gate:
    """A phase gate within the prescription schema's ranges (content/schema.py, GateFile)."""
    shipped = PROGRAM.gate
    return dataclasses.replace(
        shipped,
        min_days=draw(_days(shipped.min_days, 14, 90)),
        min_sessions=draw(_days(shipped.min_sessions, 6, 30)),
        pain_free_days=draw(_days(shipped.pain_free_days, 14, 90)),
    )


@st.composite
def thresholds(draw: st.DrawFn) -> Thresholds:
    """Thresholds within the prescription schema's ranges (ThresholdsFile), the pain bands
    in order (suggest_pain_pct at most on_track_pain_pct)."""
    shipped = PROGRAM.thresholds
    band = sorted(
        [draw(_percent(shipped.suggest_pain_pct)), draw(_percent(shipped.on_track_pain_pct))]
    )
    return dataclasses.replace(
        shipped,
        clean_sessions_to_step_up=draw(_days(shipped.clean_sessions_to_step_up, 4, 10)),
        radiating_window_days=draw(_days(shipped.radiating_window_days, 28, 90)),
        checkin_interval_days=draw(_days(shipped.checkin_interval_days, 14, 31)),
        review_after_days=draw(_days(shipped.review_after_days, 42, 180, least=7)),
        min_adherence_pct=draw(_percent(shipped.min_adherence_pct)),
        suggest_pain_pct=band[0],
        on_track_pain_pct=band[1],
        psfs_gain=draw(
            st.just(shipped.psfs_gain)
            | st.sampled_from([0.5, 1.0, 1.5, 3.0])
            | st.floats(*Thresholds.LIMITS["psfs_gain"])
        ),
        low_baseline_pain=draw(st.just(shipped.low_baseline_pain) | st.integers(0, 10)),
        referral_repeat_days=draw(_days(shipped.referral_repeat_days, 42, 365)),
    )


@dataclass(frozen=True)
class Variant:
    """What a clinician's prescription may change here: days, gate and thresholds."""

    days: TrainingDays
    gate: Gate
    thresholds: Thresholds


@functools.cache
def program_for(variant: Variant) -> Program:
    return dataclasses.replace(
        PROGRAM.with_training_days(variant.days),
        gate=variant.gate,
        thresholds=variant.thresholds,
    )


def variants(
    days: st.SearchStrategy[TrainingDays] = training_days,
) -> st.SearchStrategy[Variant]:
    shipped = st.builds(Variant, days, st.just(PROGRAM.gate), st.just(PROGRAM.thresholds))
    return shipped | st.builds(Variant, days, gates(), thresholds())


@dataclass(frozen=True)
class PainScript:
    """The pain reported after each exercise: `marks` for one exercise on one day, `spells`
    (first day, length in days, pain) for every exercise of every session in a bad spell,
    and `usual` for the rest."""

    usual: Pain
    marks: dict[tuple[int, str], Pain]
    spells: tuple[tuple[int, int, Pain], ...]

    def __call__(self, on: date, exercise_id: str) -> Pain:
        offset = (on - START).days
        mark = self.marks.get((offset, exercise_id))
        if mark is not None:
            return mark
        for first, length, pain in self.spells:
            if first <= offset < first + length:
                return pain
        return self.usual


def pain_scripts(offsets: st.SearchStrategy[int]) -> st.SearchStrategy[PainScript]:
    return st.builds(
        PainScript,
        usual=st.sampled_from([Pain.NONE, Pain.ACHE]),
        marks=st.dictionaries(
            st.tuples(offsets, st.sampled_from(EXERCISE_IDS)), pains | bad_pains, max_size=12
        ),
        spells=st.lists(st.tuples(offsets, st.integers(1, 6), bad_pains), max_size=3).map(tuple),
    )


@dataclass(frozen=True)
class Extra:
    """Records outside the weekly check-in, on one day: a clinician's clearance of the alerts
    it names (`clears`, None for no clearance), then a check-in with new symptoms (unless
    the day holds a clearance and no symptom)."""

    offset: int
    symptoms: tuple[str, ...]
    clears: tuple[str, ...] | None
    screened: bool = False
    confirmed: bool = False

    def events(self) -> list[Event]:
        on = START + timedelta(days=self.offset)
        found: list[Event] = []
        if self.clears is not None:
            found.append(clearance(on, *self.clears, confirmed=self.confirmed))
        if self.clears is None or self.symptoms:
            found.append(CheckIn(on, symptoms=self.symptoms, screened=self.screened))
        return found


def named(pool: Iterable[str]) -> st.SearchStrategy[tuple[str, ...]]:
    """The codes a clearance names: every code (what a clinician who looked at everything
    clears), or a few of `pool` (what it does not name stands)."""
    few = st.lists(st.sampled_from(tuple(pool)), min_size=1, max_size=3, unique=True)
    return st.just(EVERY_CODE) | few.map(tuple)


def extras_with(
    codes: Iterable[str], offsets: st.SearchStrategy[int], pool: Iterable[str] = EVERY_CODE
) -> st.SearchStrategy[Extra]:
    """A check-in reporting up to two of `codes`, sometimes after a clearance that day."""
    return st.builds(
        Extra,
        offset=offsets,
        symptoms=st.lists(st.sampled_from(tuple(codes)), max_size=2, unique=True).map(tuple),
        clears=st.none() | named(pool),
        screened=st.booleans(),
        confirmed=st.booleans(),
    )


def clearances(
    offsets: st.SearchStrategy[int], pool: Iterable[str] = EVERY_CODE
) -> st.SearchStrategy[Extra]:
    """A clearance of its own, naming every code or a few of `pool`."""
    return st.builds(
        Extra, offset=offsets, symptoms=st.just(()), clears=named(pool), confirmed=st.booleans()
    )


Rating = tuple[int | None, tuple[int, ...] | None]
"""A check-in's pain (0-10) and PSFS scores (three activities, 0-10), either left out."""

psfs_ratings = st.lists(st.integers(0, 10), min_size=3, max_size=3).map(tuple)
ratings: st.SearchStrategy[Rating] = st.tuples(
    st.none() | st.integers(0, 10), st.none() | psfs_ratings
)


def weekly_checkins(horizon: int) -> st.SearchStrategy[dict[int, Rating]]:
    """Check-ins on random days, or one a week (some weeks missed, some a day or two late)."""
    scattered = st.dictionaries(st.integers(0, horizon), ratings, max_size=10)
    weeks = horizon // 7

    def regular(rated: list[tuple[int, Rating | None]]) -> dict[int, Rating]:
        found = {7 * (week + 1) + late: r for week, (late, r) in enumerate(rated) if r}
        return {offset: r for offset, r in found.items() if offset <= horizon}

    weekly = st.lists(
        st.tuples(st.sampled_from([0, 0, 0, 1, 2]), st.none() | ratings),
        min_size=weeks,
        max_size=weeks,
    ).map(regular)
    return scattered | weekly


@dataclass(frozen=True)
class Scenario:
    variant: Variant
    horizon: int
    pain: PainScript
    skips: frozenset[int]
    extras: tuple[Extra, ...]
    checkins: dict[int, Rating]
    age: int = 42
    pain_weeks: int | None = 10
    baseline: tuple[int, tuple[int, ...]] = (6, (4, 5, 3))
    """The intake's pain and PSFS scores."""

    @property
    def days(self) -> TrainingDays:
        return self.variant.days

    @property
    def program(self) -> Program:
        return program_for(self.variant)

    @property
    def until(self) -> date:
        return START + timedelta(days=self.horizon)


ADULTS = st.integers(18, 90)
ANY_PAIN_WEEKS = st.none() | st.integers(0, 52)


@st.composite
def scenarios(
    draw: st.DrawFn,
    *,
    days: st.SearchStrategy[TrainingDays] = training_days,
    must_report: tuple[str, ...] = (),
    ages: st.SearchStrategy[int] = ADULTS,
    pain_weeks: st.SearchStrategy[int | None] = ANY_PAIN_WEEKS,
    horizons: st.SearchStrategy[int] = horizons,
) -> Scenario:
    """A random person; `must_report` forces a check-in with one of these codes, with no
    clearance that day. A clearance names every code, or a few of those the person may
    report (a fall in someone older or fragile raises one more) and the engine's own."""
    horizon = draw(horizons)
    offsets = st.integers(min_value=0, max_value=horizon)
    forced = (draw(st.sampled_from(must_report)),) if must_report else ()
    codes = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=4, unique=True))
    pool = (*codes, *forced, "minor_trauma_fragile", *ENGINE_ALERTS)
    extras = draw(
        st.lists(extras_with(codes, offsets, pool) | clearances(offsets, pool), max_size=4)
    )
    if forced:
        report = Extra(offset=draw(offsets), symptoms=forced, clears=None)
        extras.insert(draw(st.integers(0, len(extras))), report)
    return Scenario(
        variant=draw(variants(days)),
        horizon=horizon,
        pain=draw(pain_scripts(offsets)),
        skips=draw(st.frozensets(offsets, max_size=horizon // 9)),
        extras=tuple(extras),
        checkins=draw(weekly_checkins(horizon)),
        age=draw(ages),
        pain_weeks=draw(pain_weeks),
        baseline=(draw(st.integers(0, 10)), draw(psfs_ratings)),
    )


@dataclass
class Lived:
    """What came of a scenario: the history, and the plan the person saw on each day."""

    scenario: Scenario
    program: Program
    history: History
    plans: list[DayPlan] = field(default_factory=list)

    @property
    def sessions(self) -> list[SessionLog]:
        return [e for e in self.history.events if isinstance(e, SessionLog)]

    @property
    def session_dates(self) -> list[date]:
        return [s.on for s in self.sessions]

    def days(self) -> Iterable[date]:
        on = START
        while on <= self.scenario.until:
            yield on
            on += ONE_DAY


def live(scenario: Scenario) -> Lived:
    chosen = scenario.program
    who = profile(days=scenario.days, age=scenario.age, pain_weeks=scenario.pain_weeks)
    pain, psfs = scenario.baseline
    extra: dict[date, list[Event]] = {}
    for item in scenario.extras:
        extra.setdefault(START + timedelta(days=item.offset), []).extend(item.events())
    follower = Follower(
        chosen,
        history(who=who, first=intake(pain=pain, psfs=psfs)),
        pain=scenario.pain,
        checkins={START + timedelta(days=k): v for k, v in scenario.checkins.items()},
        extra=dict(extra),
        skip={START + timedelta(days=k) for k in scenario.skips},
    )
    followed = follower.follow(scenario.until)
    assert len(follower.plans) == scenario.horizon + 1
    return Lived(scenario, chosen, followed, follower.plans)


def new_episode(scenario: Scenario) -> str | None:
    """The flag the intake raises for a new episode (over 50, or under 20), or None."""
    weeks = scenario.pain_weeks
    if weeks is None or weeks > NEW_EPISODE_MAX_WEEKS:
        return None
    if scenario.age > NEW_EPISODE_AGE:
        return "over_50_new_episode"
    if scenario.age < YOUNG_AGE:
        return "under_20_new_episode"
    return None


def standing(lived: Lived) -> dict[date, frozenset[str]]:
    """The screening codes that stand at the end of each day: the intake's new-episode flag
    and every symptom reported (an injury reported at 65 or over, or with osteoporosis or
    steroids reported then or before, is a fragility injury too), until a clearance that
    names the code; one reported again after its clearance stands again."""
    events = lived.history.events  # by date, same-day events in recorded order
    first = new_episode(lived.scenario)
    active: set[str] = set() if first is None else {first}
    reported: set[str] = set()
    found: dict[date, frozenset[str]] = {}
    index = 0
    for on in lived.days():
        while index < len(events) and events[index].on == on:
            recorded = events[index]
            index += 1
            if isinstance(recorded, CheckIn):
                codes = set(recorded.symptoms)
                fragile = lived.scenario.age >= FRAGILE_AGE or FRAGILITY & (codes | reported)
                if "trauma" in codes and fragile:
                    codes.add("minor_trauma_fragile")
                reported |= codes
                active |= codes
            elif isinstance(recorded, Clearance):
                active -= set(recorded.codes)
        found[on] = frozenset(active)
    return found


def flagged_days(lived: Lived, codes: frozenset[str]) -> set[date]:
    """The days on which, after all that day's events, one of `codes` stands uncleared."""
    return {on for on, active in standing(lived).items() if active & codes}


def every_plan(lived: Lived) -> Iterable[tuple[DayPlan, DayPlan]]:
    """For each day: the plan the person saw that morning, and the plan on the final history."""
    for seen, on in zip(lived.plans, lived.days(), strict=True):
        yield seen, plan_day(on, lived.history, lived.program)


SETTINGS = settings(max_examples=80, deadline=None)


# 1. No loaded spinal flexion, and nothing outside the phase's prescription.


@SETTINGS
@given(scenarios())
def test_no_plan_prescribes_loaded_flexion_or_anything_outside_its_phase(
    scenario: Scenario,
) -> None:
    lived = live(scenario)
    chosen = lived.program
    for seen, final in every_plan(lived):
        for plan in (seen, final):
            prescriptions = {p.exercise_id: p for p in chosen.phase(plan.phase).prescriptions}
            for planned in plan.exercises:
                exercise = chosen.exercises[planned.exercise_id]
                assert exercise.spinal_flexion is not SpinalFlexion.LOADED
                assert planned.exercise_id in prescriptions, (plan.on, plan.phase, planned)
                # The program's step, but for the load the person has (domain/equipment.py).
                step = prescriptions[planned.exercise_id].steps[planned.step]
                assert replace(planned.dose, load_lb=step.load_lb, household=None) == step
                if planned.dose.load_lb is not None:
                    assert step.load_lb is not None  # a load only ever replaces a load
                    assert exercise.spinal_flexion is SpinalFlexion.NONE
                    assert within(planned.dose.load_lb, *load_range_lb(chosen))
            for exercise_id in plan.daily:
                assert exercise_id in routine_ids(chosen.daily_routine)
                assert chosen.exercises[exercise_id].category in DAILY_ROUTINE_CATEGORIES
                assert chosen.exercises[exercise_id].spinal_flexion is not SpinalFlexion.LOADED
    for session in lived.sessions:
        for result in session.results:
            assert chosen.exercises[result.exercise_id].spinal_flexion is not SpinalFlexion.LOADED


@SETTINGS
@given(st.sampled_from(EXERCISE_IDS), st.sampled_from(range(1, PROGRAM.last_phase + 1)))
def test_a_program_with_a_loaded_flexion_exercise_cannot_be_built(
    exercise_id: str, phase_number: int
) -> None:
    exercise = PROGRAM.exercises[exercise_id]
    with pytest.raises(ValueError, match="loaded spinal flexion"):
        dataclasses.replace(exercise, spinal_flexion=SpinalFlexion.LOADED)

    # Even an exercise smuggled past its own check (never through __init__) is refused by
    # the program, whether or not a phase prescribes it.
    smuggled: Exercise = copy.copy(exercise)
    object.__setattr__(smuggled, "spinal_flexion", SpinalFlexion.LOADED)
    exercises = {**PROGRAM.exercises, exercise_id: smuggled}
    with pytest.raises(ValueError, match="content.no_loaded_flexion"):
        dataclasses.replace(PROGRAM, exercises=exercises)
    phase = PROGRAM.phase(phase_number)
    steps = next(iter(exercise.doses.values()))
    prescribed = dataclasses.replace(
        phase,
        prescriptions=(*phase.prescriptions, Prescription(exercise_id, steps)),
    )
    phases = tuple(prescribed if p.number == phase_number else p for p in PROGRAM.phases)
    with pytest.raises(ValueError, match="content.no_loaded_flexion"):
        dataclasses.replace(PROGRAM, exercises=exercises, phases=phases)


# 2. No two program sessions on consecutive days.


@SETTINGS
@given(scenarios())
def test_no_two_program_sessions_fall_on_consecutive_days(scenario: Scenario) -> None:
    lived = live(scenario)
    dates = lived.session_dates
    assert dates == sorted(dates)
    for first, second in zip(dates, dates[1:], strict=False):
        assert (second - first).days >= 2, (first, second)
    recorded = set(dates)
    moved = any(d.rule == "schedule.moved_session" for p in lived.plans for d in p.decisions)
    event(f"a missed session moved: {moved}")
    for seen, final in every_plan(lived):
        if seen.on - ONE_DAY in recorded:
            assert seen.kind is not Kind.SESSION, seen
            assert final.kind is not Kind.SESSION, final


# 3. Never progress in a week with bad pain.


@SETTINGS
@given(scenarios())
def test_no_phase_advances_after_a_week_with_bad_pain_or_too_soon(scenario: Scenario) -> None:
    lived = live(scenario)
    bad_days = {s.on for s in lived.sessions if any(r.pain.is_bad for r in s.results)}
    gate = lived.program.gate
    advances: set[date] = set()
    for on in lived.days():
        changes = program_status(on, lived.history, lived.program).phase_history
        for previous, change in zip(changes, changes[1:], strict=False):
            if change.decision.rule != "progression.advance_phase":
                continue
            advances.add(change.on)
            assert change.from_phase is not None
            assert change.to_phase == change.from_phase + 1
            window = {change.on - timedelta(days=k) for k in range(1, gate.pain_free_days + 1)}
            assert not window & bad_days, (change, sorted(window & bad_days))
            assert (change.on - previous.on).days >= gate.min_days, (previous, change)
            # The session on the day of a reversal still belonged to the phase it left.
            reverted = previous.decision.rule == "regression.revert_phase"
            in_phase = [
                d
                for d in lived.session_dates
                if previous.on <= d < change.on and not (reverted and d == previous.on)
            ]
            assert len(in_phase) >= gate.min_sessions, (previous, change, in_phase)
    event(f"phase advances: {min(len(advances), 3)}")
    gaps = {(x - d).days for x in advances for d in bad_days}
    event(f"bad pain 8 to 10 days before an advance: {bool(gaps & {8, 9, 10})}")
    reverted = any(c.decision.rule == "regression.revert_phase" for c in changes)
    event(f"a phase reverted: {reverted}")


# 4. Emergency (and urgent) symptoms always block.


@SETTINGS
@given(st.data())
def test_an_emergency_or_urgent_symptom_blocks_every_plan_until_a_clearance_names_it(
    data: st.DataObject,
) -> None:
    codes = data.draw(st.sampled_from([EMERGENCY_CODES, URGENT_CODES]), label="tier")
    lived = live(data.draw(scenarios(must_report=codes), label="scenario"))
    active_on = standing(lived)
    blocked = flagged_days(lived, BLOCKING)
    event(f"blocked days: {bool(blocked)}, cleared later: {0 < len(blocked) < len(lived.plans)}")
    partly = any(
        active_on[on] & BLOCKING and active_on[on - ONE_DAY] - active_on[on]
        for on in blocked
        if on > START
    )
    event(f"a clearance left a blocking code standing: {partly}")
    fragile = any("minor_trauma_fragile" in codes for codes in active_on.values())
    event(f"an injury in someone older or fragile: {fragile}")
    for seen, final in every_plan(lived):
        active = active_on[seen.on]
        levels = {alert.level for alert in seen.alerts}
        if seen.on in blocked:
            for plan in (seen, final):
                assert plan.kind is Kind.BLOCKED, plan
                assert plan.exercises == ()
                assert plan.daily == ()
            if active & set(EMERGENCY_CODES):
                assert Level.EMERGENCY in levels
            if active & set(URGENT_CODES):
                assert Level.URGENT in levels
        else:
            assert seen.kind is not Kind.BLOCKED, seen
            assert final.kind is not Kind.BLOCKED, final
    blocked_sessions = blocked.intersection(lived.session_dates)
    assert not blocked_sessions


# 5. The engine is total and deterministic.


@SETTINGS
@given(scenarios(ages=st.integers(18, 90)), st.integers(0, 30))
def test_the_engine_plans_every_day_and_the_same_history_gives_the_same_plan(
    scenario: Scenario, beyond: int
) -> None:
    lived = live(scenario)
    last = scenario.until + timedelta(days=beyond)
    on = START
    while on <= last:
        first = plan_day(on, lived.history, lived.program)
        assert plan_day(on, lived.history, lived.program) == first
        status = program_status(on, lived.history, lived.program)
        assert program_status(on, lived.history, lived.program) == status
        assert status.plan == first
        on += ONE_DAY
    completed = program_status(scenario.until, lived.history, lived.program).completed_on
    event(f"program completed: {completed is not None}")
    # A day's plan depends only on the events up to that day: the plan the person saw in the
    # morning is the plan the whole history gives, unless they then did that day's session,
    # and then the plan shows the session as it was prescribed.
    recorded = set(lived.session_dates)
    for seen, final in every_plan(lived):
        if seen.on in recorded:
            assert final.completed and final.kind is Kind.SESSION
            assert (final.phase, final.exercises) == (seen.phase, seen.exercises)
        else:
            assert final == seen


# 6. Weekly session counts.


@SETTINGS
@given(scenarios(days=st.sampled_from(FIXED_DAYS)))
def test_fixed_training_days_never_hold_more_than_three_sessions_in_a_calendar_week(
    scenario: Scenario,
) -> None:
    lived = live(scenario)
    weeks: dict[tuple[int, int], list[date]] = {}
    for on in lived.session_dates:
        iso = on.isocalendar()
        weeks.setdefault((iso.year, iso.week), []).append(on)
    for week in weeks.values():
        assert len(week) <= 3, [f"{d} {d:%a}" for d in week]


@SETTINGS
@given(scenarios(days=st.just(EVERY_OTHER_DAY)))
def test_every_other_day_never_holds_more_than_four_sessions_in_seven_days(
    scenario: Scenario,
) -> None:
    lived = live(scenario)
    dates = lived.session_dates
    for first in dates:
        window = [d for d in dates if first <= d < first + timedelta(days=7)]
        assert len(window) <= 4, window


# 7. A see-clinician flag keeps the person in phase 1.


@SETTINGS
@given(st.data(), st.booleans())
def test_a_see_clinician_flag_keeps_every_later_plan_in_phase_1_until_cleared(
    data: st.DataObject, from_profile: bool
) -> None:
    """The flag comes from a reported symptom, or from the intake (a new episode over 50 or
    under 20); it holds until a clearance names it."""
    if from_profile:
        strategy = scenarios(
            ages=st.integers(NEW_EPISODE_AGE + 1, 90) | st.integers(18, YOUNG_AGE - 1),
            pain_weeks=st.integers(0, NEW_EPISODE_MAX_WEEKS),
        )
    else:
        strategy = scenarios(must_report=SEE_CLINICIAN_CODES, ages=st.integers(18, 90))
    scenario = data.draw(strategy, label="scenario")
    lived = live(scenario)
    held = flagged_days(lived, frozenset(SEE_CLINICIAN_CODES) | NEW_EPISODE_CODES)
    event(f"held days: {bool(held)}, cleared later: {0 < len(held) < len(lived.plans)}")
    for seen, final in every_plan(lived):
        if seen.on in held:
            assert seen.phase == 1, seen
            assert final.phase == 1, final
            assert program_status(seen.on, lived.history, lived.program).phase == 1
            assert any(a.level is Level.SEE_CLINICIAN for a in seen.alerts), seen


# 8. The 4-week review.


def _checkins(lived: Lived) -> list[CheckIn]:
    """Every check-in after the intake, in recorded order."""
    return [e for e in lived.history.events[1:] if isinstance(e, CheckIn)]


def _records(lived: Lived) -> list[CheckIn | Clearance]:
    """Every check-in after the intake and every clearance, in recorded order."""
    return [e for e in lived.history.events[1:] if isinstance(e, CheckIn | Clearance)]


def _maintained(status: Status) -> list[tuple[date, date]]:
    """The days of maintenance, as (completed, ended): after each completion of the
    program until the person went back a phase, after a gap or for pain (or for good)."""
    spans = []
    for done in status.milestones:
        if done.moment is Moment.COMPLETE:
            back = [
                m.on for m in status.milestones if m.moment is Moment.PHASE_BACK and m.on > done.on
            ]
            spans.append((done.on, min(back, default=date.max)))
    return spans


def _is_training_day(lived: Lived, on: date, maintained: Sequence[tuple[date, date]] = ()) -> bool:
    """Whether `on` holds a session; after a completed program, maintenance's two days a
    week: the first and the last of the chosen ones (every other day as Mon, Wed, Fri)."""
    days = lived.program.training_days
    if any(done < on < ended for done, ended in maintained):
        chosen = (0, 2, 4) if days.every_other_day else sorted(days.weekdays)
        return on.weekday() in (chosen[0], chosen[-1])
    if days.every_other_day:
        return (on - START).days % 2 == 0
    return on.weekday() in days.weekdays


def _triggers_review(lived: Lived, checkin: CheckIn) -> bool:
    """A pain rating runs the review; PSFS scores alone do only with a low baseline pain."""
    low_baseline = lived.scenario.baseline[0] <= lived.program.thresholds.low_baseline_pain
    return checkin.pain is not None or (checkin.psfs is not None and low_baseline)


REVIEWS = settings(max_examples=80, deadline=None)


@st.composite
def review_scenarios(draw: st.DrawFn) -> Scenario:
    """A person followed for at least 4 weeks who rates their pain most weeks: as it comes,
    or unchanged (so the review refers them, and clinicians' clearances are spread over the
    weeks); and who may stop training for up to five weeks on end."""
    scenario = draw(scenarios(horizons=st.integers(28, MAX_HORIZON)))
    offsets = st.integers(0, scenario.horizon)
    weeks = range(1, scenario.horizon // 7 + 1)
    extras = scenario.extras
    if draw(st.booleans()):
        unchanged: Rating = (scenario.baseline[0], None)
        weekly = {7 * week: unchanged for week in weeks}
        referrals = (*REFERRAL_CODES.values(), "flare", "flare_persists")
        extras += tuple(draw(st.lists(clearances(offsets, referrals), min_size=1, max_size=6)))
    else:
        weekly = {7 * week: draw(ratings) for week in weeks}
    first = draw(offsets)
    lapse = frozenset(range(first, first + draw(st.integers(0, 35))))
    return dataclasses.replace(
        scenario,
        extras=extras,
        checkins={**scenario.checkins, **weekly},
        skips=scenario.skips | lapse,
    )


REFERRAL_CODES = {"outcomes.not_improving": "not_improving", "outcomes.worse": "worse"}
"""The review's answers that refer, and the code of their alert."""


def _pain_worse(thresholds: Thresholds, baseline: int, latest: int) -> bool:
    """outcomes.worse: `worse_pain_points` above the baseline, or `worse_pain_pct` above a
    baseline over `low_baseline_pain`."""
    rise = latest - baseline
    above_floor = baseline > thresholds.low_baseline_pain
    by_pct = above_floor and rise > 0 and rise / baseline * 100 >= thresholds.worse_pain_pct
    return rise >= thresholds.worse_pain_points or by_pct


@REVIEWS
@given(review_scenarios())
def test_the_review_runs_at_each_rating_from_review_after_days_but_not_after_a_clearance(
    scenario: Scenario,
) -> None:
    """Every check-in that rates pain (or PSFS alone, with a low baseline) runs the review
    from `review_after_days` on; a referral (not improving, or worse: that one at any pain
    check-in, before the review too) stays until a clinician clears it, and none is raised
    again within `referral_repeat_days` of that clearance (unless pain is by then worse than
    what the clinician saw), though the review still runs. A clearance that does not name a
    referral leaves it standing."""
    lived = live(scenario)
    thresholds = lived.program.thresholds
    baseline_pain = scenario.baseline[0]
    first_day = START + timedelta(days=thresholds.review_after_days)
    records = _records(lived)
    referrals: set[str] = set()
    cleared: date | None = None
    latest, seen = baseline_pain, baseline_pain
    reviewed: set[date] = set()
    paused_reviews = 0
    for on in sorted({r.on for r in records}):
        status = program_status(on, lived.history, lived.program)
        for recorded in (r for r in records if r.on == on):
            if isinstance(recorded, Clearance):
                named_now = referrals.intersection(recorded.codes)
                if named_now:
                    referrals -= named_now
                    cleared, seen = on, latest
                    event("a referral was cleared")
                elif referrals:
                    event("a clearance left a referral standing")
                continue
            checkin = recorded
            latest = latest if checkin.pain is None else checkin.pain
            # Within the window, a referral waits unless pain is worse than what the
            # clinician saw at the clearance.
            paused = (
                cleared is not None
                and (on - cleared).days < thresholds.referral_repeat_days
                and not _pain_worse(thresholds, seen, latest)
            )
            if checkin.pain is not None and not paused:
                if _pain_worse(thresholds, baseline_pain, checkin.pain):
                    referrals.add("worse")
            if _triggers_review(lived, checkin) and on >= first_day:
                reviewed.add(on)
                review = status.improvement.review
                assert status.improvement.review_on == on, (checkin, status.improvement)
                assert review is not None
                code = REFERRAL_CODES.get(review.rule)
                if code is not None and not paused:
                    referrals.add(code)
                paused_reviews += paused
        if on not in reviewed:
            assert status.improvement.review_on != on, (on, status.improvement)
        codes = {alert.code for alert in status.alerts}
        assert codes & set(REFERRAL_CODES.values()) == referrals, (on, codes, cleared)
    last = program_status(scenario.until, lived.history, lived.program).improvement
    assert last.review_on is None or last.review_on in reviewed
    assert last.review_on is None or last.review_on >= first_day
    event(f"reviews: {min(len(reviewed), 3)}")
    event(f"a review after a cleared referral: {any(cleared < d for d in reviewed if cleared)}")
    event(f"a review while referrals wait after a clearance: {paused_reviews > 0}")


def _exact_psfs(scores: tuple[int, ...]) -> Fraction:
    """The PSFS score as an exact fraction: a change of 2 in thirds is 2."""
    return Fraction(sum(scores), len(scores))


@REVIEWS
@given(review_scenarios())
def test_the_review_judges_adherence_pain_and_psfs_by_the_programs_thresholds(
    scenario: Scenario,
) -> None:
    """At each review, in the order of docs/rules.md: worse (pain `worse_pain_points` or
    `worse_pain_pct` above the baseline) whatever else is true, with the missed-sessions
    question when too few sessions were done; recovered (pain at most `recovered_pain`,
    PSFS at least `recovered_psfs`); low adherence exactly when fewer than
    `min_adherence_pct` of the planned sessions (training days before the review, less the
    days a red flag blocked) were done; on track near both limits; PSFS needed near the
    pain floor; on track when pain is `on_track_pain_pct` or `better_pain_points` better
    with function not worse, or PSFS `psfs_gain` better with pain not above the start; an
    assessment suggested at `suggest_pain_pct`; otherwise not improving."""
    lived = live(scenario)
    t = lived.program.thresholds
    baseline_pain, baseline_scores = scenario.baseline
    baseline_psfs = _exact_psfs(baseline_scores)
    blocked = flagged_days(lived, BLOCKING)
    checkins = _checkins(lived)
    for on in sorted({c.on for c in checkins}):
        status = program_status(on, lived.history, lived.program)
        improvement = status.improvement
        review = improvement.review
        if improvement.review_on != on or review is None:
            continue
        completed = sum(1 for d in lived.session_dates if d < on)
        planned = sum(
            1
            for k in range((on - START).days)
            if _is_training_day(lived, START + timedelta(days=k), _maintained(status))
            and START + timedelta(days=k) not in blocked
        )
        assert (improvement.completed_sessions, improvement.planned_sessions) == (
            completed,
            planned,
        )
        adherence = None if planned == 0 else min(100.0, completed / planned * 100)
        low_adherence = adherence is not None and adherence < t.min_adherence_pct
        pains = [c.pain for c in checkins if c.on <= on and c.pain is not None]
        scores = [c.psfs for c in checkins if c.on <= on and c.psfs is not None]
        latest_pain = pains[-1] if pains else baseline_pain
        latest_psfs = _exact_psfs(scores[-1]) if scores else None
        rule = review.rule
        codes = {alert.code for alert in status.alerts}
        facts = (baseline_pain, latest_pain, baseline_psfs, latest_psfs, adherence, review)
        event(f"review: {rule}")

        worse = _pain_worse(t, baseline_pain, latest_pain)
        assert (rule == "outcomes.worse") is worse, facts
        assert ("missed_sessions" in codes) is (worse and low_adherence), (facts, codes)
        if worse:
            continue
        psfs_now = baseline_psfs if latest_psfs is None else latest_psfs
        recovered = latest_pain <= t.recovered_pain and psfs_now >= t.recovered_psfs
        assert (rule == "outcomes.recovered") is recovered, facts
        if recovered:
            continue
        assert (rule == "outcomes.low_adherence") is low_adherence, facts
        if low_adherence:
            continue
        psfs_change = None if latest_psfs is None else latest_psfs - baseline_psfs
        function_worse = psfs_change is not None and psfs_change <= -t.psfs_gain
        pain_not_above = latest_pain <= baseline_pain
        floor = baseline_pain <= t.low_baseline_pain
        ceiling = baseline_psfs > t.psfs_ceiling
        near_limits = floor and ceiling and pain_not_above and not function_worse
        psfs_needed = not near_limits and floor and psfs_change is None
        assert (rule == "outcomes.psfs_needed") is psfs_needed, facts
        if psfs_needed:
            continue
        pain_pct = (
            None if baseline_pain == 0 else (baseline_pain - latest_pain) / baseline_pain * 100
        )
        by_pct = not floor and pain_pct is not None
        pain_better = baseline_pain - latest_pain >= t.better_pain_points or (
            by_pct and pain_pct is not None and pain_pct >= t.on_track_pain_pct
        )
        psfs_better = psfs_change is not None and psfs_change >= t.psfs_gain and pain_not_above
        on_track = near_limits or (pain_better and not function_worse) or psfs_better
        assert (rule == "outcomes.on_track") is on_track, facts
        if on_track:
            continue
        some_better = (
            by_pct and pain_pct is not None and pain_pct >= t.suggest_pain_pct
        ) and not function_worse
        expected = "outcomes.suggest_assessment" if some_better else "outcomes.not_improving"
        assert rule == expected, facts


@REVIEWS
@given(review_scenarios())
def test_a_cleared_referral_is_not_raised_again_within_referral_repeat_days(
    scenario: Scenario,
) -> None:
    """Read from the plans the person saw: each not-improving referral after the first comes
    at least `referral_repeat_days` after the clearance of the one before, unless pain is by
    then worse than what the clinician saw at that clearance."""
    lived = live(scenario)
    thresholds = lived.program.thresholds
    repeat = thresholds.referral_repeat_days
    ratings = [(c.on, c.pain) for c in _checkins(lived) if c.pain is not None]

    def pain_at(on: date, *, including: bool) -> int:
        """The latest weekly pain rated before `on` (or on it, `including`)."""
        rated = [pain for day, pain in ratings if day < on or (including and day == on)]
        return rated[-1] if rated else scenario.baseline[0]

    raised = sorted(
        {
            alert.since
            for plan in lived.plans
            for alert in plan.alerts
            if alert.code == "not_improving"
        }
    )
    clearances = sorted(
        {
            c.on
            for c in lived.history.events
            if isinstance(c, Clearance) and "not_improving" in c.codes
        }
    )
    for first, second in zip(raised, raised[1:], strict=False):
        cleared = min(c for c in clearances if c >= first)
        # A check-in of the clearance's day comes before it (`Follower` records the day's
        # check-in first): the clinician saw that pain.
        seen = pain_at(cleared, including=True)
        worse_than_seen = _pain_worse(thresholds, seen, pain_at(second, including=True))
        assert (second - cleared).days >= repeat or worse_than_seen, (first, cleared, second)
    for on in raised:
        assert (on - START).days >= lived.program.thresholds.review_after_days, on
    event(f"referrals: {min(len(raised), 3)}")


# 9. The review, for any numbers: worse is never on track, recovery never a referral.


def _psfs_of(scores: list[int]) -> float:
    return psfs_score(tuple(scores))


psfs_scores = st.lists(st.integers(0, 10), min_size=1, max_size=5).map(_psfs_of)
"""A PSFS score: the mean of 1 to 5 activities rated 0-10."""
pain_ratings = st.integers(0, 10)
session_counts = st.integers(0, 60)
REVIEW_THRESHOLDS = st.just(PROGRAM.thresholds) | thresholds()
"""The shipped thresholds, or a clinician's (their worse_pain_points and recovery are the
shipped 2 points, pain 1 and PSFS 9)."""
NUMBERS = settings(max_examples=400, deadline=None)


def _review_of(
    t: Thresholds,
    baseline_pain: int,
    latest_pain: int,
    baseline_psfs: float,
    latest_psfs: float | None,
    sessions: tuple[int, int],
) -> Decision:
    completed, planned = sessions
    return review(
        baseline_pain=baseline_pain,
        latest_pain=latest_pain,
        baseline_psfs=baseline_psfs,
        latest_psfs=latest_psfs,
        completed=completed,
        planned=planned,
        thresholds=t,
    )


@NUMBERS
@given(
    REVIEW_THRESHOLDS,
    pain_ratings,
    pain_ratings,
    psfs_scores,
    st.none() | psfs_scores,
    st.tuples(session_counts, session_counts),
)
def test_the_review_is_worse_and_never_on_track_with_pain_2_points_above_the_baseline(
    t: Thresholds,
    baseline_pain: int,
    latest_pain: int,
    baseline_psfs: float,
    latest_psfs: float | None,
    sessions: tuple[int, int],
) -> None:
    assert t.worse_pain_points == 2
    decision = _review_of(t, baseline_pain, latest_pain, baseline_psfs, latest_psfs, sessions)
    two_above = latest_pain >= baseline_pain + 2
    event(f"pain 2 points above the baseline: {two_above}")
    if two_above:
        assert decision.rule not in {
            "outcomes.on_track",
            "outcomes.suggest_assessment",
            "outcomes.recovered",
        }, decision
        assert decision.rule == "outcomes.worse", decision
    else:
        event(f"not 2 above: {decision.rule}")


@NUMBERS
@given(
    REVIEW_THRESHOLDS,
    pain_ratings,
    st.integers(0, 1),
    st.data(),
    st.tuples(session_counts, session_counts),
)
def test_the_review_never_says_not_improving_with_pain_1_or_less_and_psfs_9_or_more(
    t: Thresholds,
    baseline_pain: int,
    latest_pain: int,
    data: st.DataObject,
    sessions: tuple[int, int],
) -> None:
    """The PSFS that counts is the latest, or the baseline's when not rated again."""
    high = (
        st.just(9.0)
        | st.floats(9, 10)
        | st.lists(st.integers(9, 10), min_size=1, max_size=5).map(_psfs_of)
    )
    rated_again = data.draw(st.booleans(), label="rated again")
    if rated_again:
        baseline_psfs = data.draw(psfs_scores, label="baseline PSFS")
        latest_psfs: float | None = data.draw(high, label="latest PSFS")
    else:
        baseline_psfs, latest_psfs = data.draw(high, label="baseline PSFS"), None
    event(f"PSFS rated again: {rated_again}")
    decision = _review_of(t, baseline_pain, latest_pain, baseline_psfs, latest_psfs, sessions)
    assert decision.rule != "outcomes.not_improving", decision
    assert decision.rule == "outcomes.recovered", decision


@NUMBERS
@given(
    REVIEW_THRESHOLDS,
    pain_ratings,
    pain_ratings,
    psfs_scores,
    st.none() | psfs_scores,
    st.tuples(session_counts, session_counts),
)
def test_every_review_states_its_rules_facts_with_the_numbers_it_was_given(
    t: Thresholds,
    baseline_pain: int,
    latest_pain: int,
    baseline_psfs: float,
    latest_psfs: float | None,
    sessions: tuple[int, int],
) -> None:
    decision = _review_of(t, baseline_pain, latest_pain, baseline_psfs, latest_psfs, sessions)
    event(f"review: {decision.rule}")
    assert set(decision.facts) == set(RULES[decision.rule].facts), decision
    if decision.rule == "outcomes.low_adherence":
        assert (decision.facts["completed"], decision.facts["planned"]) == sessions
    elif decision.rule == "outcomes.psfs_needed":
        assert decision.facts == {"baseline_pain": baseline_pain}
    else:
        assert decision.facts["baseline_pain"] == baseline_pain
        assert decision.facts["latest_pain"] == latest_pain
        assert decision.facts["baseline_psfs"] == round(baseline_psfs, 1)
        expected_latest = None if latest_psfs is None else round(latest_psfs, 1)
        assert decision.facts["latest_psfs"] == expected_latest
