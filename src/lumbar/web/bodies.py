"""The JSON bodies the API accepts. FastAPI checks them and answers 422 before any use case
runs; the use cases then apply the program's rules (a session only on a session day)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from lumbar.domain.model import SKIP_NOTE_MAX, Pain, ProblemKind
from lumbar.formats.intake import EquipmentAnswer, IntakeAnswers

Day = Annotated[
    dt.date | None,
    Field(strict=False, description="The day this is about (ISO 8601); today if left out."),
]


class ProgramIn(IntakeAnswers):
    """The intake answers, as `lumbar start --answers FILE` reads them, and the start day."""

    date: Day = None


class CameraIn(BaseModel):
    """The camera's summary of an exercise (issue #21): the JSON of the page's
    `coach.summary()`, checked against the exercise's camera spec (else 422, nothing
    written). Counts only: never an image or a landmark."""

    model_config = ConfigDict(extra="forbid")

    reps: int | None = Field(description="Repetitions counted; null for a hold.")
    held_seconds: int | None = Field(description="Seconds held; null for repetitions.")
    faults: dict[str, int] = Field(
        max_length=20,
        description="Each form check that failed, by its id, and how many times (for "
        "repetitions: on how many, at most the reps counted).",
    )
    tracked_seconds: int = Field(description="Seconds the camera could follow the body.")
    seconds: int | None = Field(
        default=None, description="Seconds the camera was on for the exercise (optional)."
    )


CAMERA = (
    "What the camera counted of the exercise, when the person used it (issue #21): reps or "
    "seconds held (0 to 1000 reps, 0 to 3600 s), the form checks that failed, the seconds "
    "it followed the body. Only for an exercise the camera follows, of its kind, naming its "
    "checks; else 422 and nothing is written. No rule reads it."
)


class ExerciseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=60, description="An exercise id of the plan.")
    pain: Pain = Field(description="What you felt: none, ache, sharp or radiating.")
    version: str | None = Field(
        default=None,
        max_length=60,
        description="The alternative done instead, this session only (a swap: for example "
        "chair); its pain counts as the exercise's.",
    )
    comment: str | None = Field(
        default=None,
        description="The patient's own words on the exercise, for their clinician: up to 280 "
        "characters, no control or invisible characters (else 422, nothing written).",
    )
    camera: CameraIn | None = Field(default=None, description=CAMERA)


class SkipIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=60, description="An exercise id of the plan.")
    reason: str = Field(
        min_length=1,
        max_length=20,
        description="Why it was skipped: no_equipment, no_time, floor (can't get down to the "
        "floor) or other (with a note). A skip is never a pain answer.",
    )
    note: str = Field(
        default="",
        max_length=SKIP_NOTE_MAX,
        description="For the reason other: a few words (required then, refused otherwise).",
    )


class SessionIn(BaseModel):
    """A session: each exercise done, in order, with the pain after it, and each exercise
    skipped with its reason (at least one of either)."""

    model_config = ConfigDict(extra="forbid")

    date: Day = None
    exercises: list[ExerciseIn] = Field(default=[], max_length=30)
    skipped: list[SkipIn] = Field(default=[], max_length=30)


class AnswerIn(BaseModel):
    """The pain after one exercise of today's session in progress."""

    model_config = ConfigDict(extra="forbid")

    date: Day = None
    exercise: str = Field(min_length=1, max_length=60)
    pain: Pain
    version: str | None = Field(
        default=None,
        max_length=60,
        description="The alternative done instead, this session only (a swap).",
    )
    comment: str | None = Field(
        default=None,
        description="The patient's own words on the exercise, for their clinician: up to 280 "
        "characters, no control or invisible characters (else 422, nothing written).",
    )
    camera: CameraIn | None = Field(default=None, description=CAMERA)


class SkipAnswerIn(BaseModel):
    """One exercise of today's session in progress skipped, with the reason."""

    model_config = ConfigDict(extra="forbid")

    date: Day = None
    exercise: str = Field(min_length=1, max_length=60)
    reason: str = Field(
        min_length=1,
        max_length=20,
        description="no_equipment, no_time, floor (can't get down to the floor) or other.",
    )
    note: str = Field(default="", max_length=SKIP_NOTE_MAX, description="For other: a few words.")


class CheckInIn(BaseModel):
    """A check-in: any of weekly pain, the activity scores, new symptoms, or the safety
    questions answered (`screened`: with no symptom, none applies)."""

    model_config = ConfigDict(extra="forbid")

    date: Day = None
    pain: int | None = Field(default=None, ge=0, le=10, strict=True)
    psfs: list[Annotated[int, Field(ge=0, le=10, strict=True)]] | None = None
    symptoms: list[str] = Field(default=[], max_length=40)
    screened: bool = Field(
        default=False, strict=True, description="Every safety question was answered."
    )


class ClearanceIn(BaseModel):
    """A clinician saw the person about the alerts named (every one standing if none is).
    Self-guided, it is recorded as the person's statement; on a clinic's server it is a
    request for their clinician, who clears (or not)."""

    model_config = ConfigDict(extra="forbid")

    date: Day = None
    alerts: list[str] = Field(default=[], max_length=40, description="Alert codes.")
    by: str = Field(
        min_length=1, max_length=200, description="Who saw you: a name or a role, e.g. Dr Rao."
    )


class ClinicClearanceIn(BaseModel):
    """A clinician clears their patient's alerts (every one standing if none is named)."""

    model_config = ConfigDict(extra="forbid")

    date: Day = None
    alerts: list[str] = Field(default=[], max_length=40, description="Alert codes.")


class InvitationIn(BaseModel):
    """Who a clinician invites: shown beside the patient wherever they are listed."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100, description="The patient's name.")
    birth_date: str = Field(
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        json_schema_extra={"format": "date"},
        description="Their date of birth (YYYY-MM-DD), at most 120 years ago.",
    )
    email: str | None = Field(
        default=None,
        max_length=254,
        description="Their email address: the invitation is mailed there when the server "
        "has a mail server (issue #20).",
    )


class AcknowledgementIn(BaseModel):
    """A clinician has seen an emergency or urgent alert (its code and the day it began)."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=40)
    since: dt.date = Field(strict=False)


class DaysIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days: Annotated[list[str], Field(min_length=1)] | Annotated[str, Field(min_length=1)] = Field(
        description='Weekday names such as ["mon", "wed", "fri"], or "every-other-day".'
    )


class EquipmentIn(BaseModel):
    """A change of the equipment and/or the unit; a field left out stays as it is."""

    model_config = ConfigDict(extra="forbid")

    unit: Literal["kg", "lb"] | None = Field(
        default=None, description="The unit the person reads weights in."
    )
    equipment: EquipmentAnswer | None = Field(
        default=None,
        description="What they have: dumbbells and kettlebells (weights in `unit`, or in the "
        "unit kept), and a band. Empty lists and no band: nothing.",
    )


class AlternativeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    alternative: str = Field(
        min_length=1,
        max_length=60,
        description='The alternative\'s id (such as "chair"), or "none" for the exercise as it is.',
    )


class ProblemIn(BaseModel):
    """Something that went wrong, for the clinician to read."""

    model_config = ConfigDict(extra="forbid")

    date: Day = None
    # The schema names the three kinds (for clients, and for schemathesis to send them);
    # the use case checks them, with its own message.
    kind: str = Field(
        description="pain_after_session, fall or other.",
        json_schema_extra={"enum": [k.value for k in ProblemKind]},
    )
    note: str = Field(default="", max_length=1000, description="In the person's words.")
    hurt_back: bool | None = Field(
        default=None,
        strict=True,
        description="A fall (needed): it hurt the back or made its pain worse.",
    )
    major_injury: bool = Field(
        default=False, strict=True, description="A fall: a road accident, a fall from a height."
    )
    fragile: bool = Field(
        default=False, strict=True, description="A fall: osteoporosis or long-term steroids."
    )
    symptoms: list[str] = Field(
        default=[], max_length=40, description="A fall: signs since (screening codes)."
    )


class RemindersIn(BaseModel):
    """When to remind; what is left out stays as it was."""

    model_config = ConfigDict(extra="forbid")

    session_time: str | None = Field(default=None, description='"HH:MM", the time of sessions.')
    work_start: str | None = Field(default=None, description='"HH:MM".')
    work_end: str | None = Field(default=None, description='"HH:MM".')
    work_days: list[str] | None = Field(default=None, description='Weekday names, e.g. ["mon"].')
    # Strict: JSON's `false` is not 0 minutes, nor "30" a number (the form's text goes
    # through the page, not here).
    break_minutes: int | None = Field(
        default=None, strict=True, description="A posture break every N minutes; 0 for none."
    )


ProblemKindName = Annotated[
    str,
    # The schema names the three kinds; the use case checks them, with its own message.
    Field(json_schema_extra={"enum": [k.value for k in ProblemKind]}),
]


class RecordChangeIn(BaseModel):
    """What to correct in a record (issue #15); what is left out (or null) stays as it is.
    Each kind takes its own fields: a session `date` and `exercises`; a check-in `date`,
    `pain`, `psfs` and `symptoms`; a clearance `by`; a problem report `date`, `kind` and
    `note`. Any other field is refused (422), and so is a change the program's rules refuse
    (a day after today, a danger sign taken away): nothing is written then."""

    model_config = ConfigDict(extra="forbid")

    date: dt.date | None = Field(
        default=None, strict=False, description="The day it happened, if it was another."
    )
    exercises: list[ExerciseIn] | None = Field(
        default=None,
        min_length=1,
        max_length=30,
        description="A session's exercises with the pain after each: an exercise of the "
        "session takes the pain given, one it did not hold is added after the others.",
    )
    pain: int | None = Field(
        default=None, ge=0, le=10, strict=True, description="A check-in's pain score."
    )
    psfs: list[Annotated[int, Field(ge=0, le=10, strict=True)]] | None = Field(
        default=None, description="A check-in's activity scores, one for each activity."
    )
    symptoms: list[str] | None = Field(
        default=None,
        max_length=40,
        description="A check-in's symptoms, all of them ([] for none after all).",
    )
    kind: ProblemKindName | None = Field(
        default=None, description="A problem report's kind: pain_after_session, fall or other."
    )
    note: str | None = Field(default=None, max_length=1000, description="A problem report's note.")
    by: str | None = Field(
        default=None, min_length=1, max_length=200, description="Who cleared, for a clearance."
    )
