"""The calendar entries as iCalendar (RFC 5545), made with the `icalendar` library.

Times are floating (local, no time zone): a reminder at 18:00 stays at 18:00 on the
person's own clock wherever they are. Every event has a stable UID (its kind and day), so a
calendar app that subscribes updates the events it has instead of adding new ones, and an
alarm. The same plan always gives the same bytes: the stamp is the day it was made.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from lumbar.content.load import Content
from lumbar.content.wording import load_text
from lumbar.domain.loads import Unit
from lumbar.domain.model import WEEKDAY_NAMES
from lumbar.domain.reminders import Entry, EntryKind
from lumbar.formats.wording import handout_text

PRODUCT = "-//lumbar//home exercise program//EN"
ALARM_BEFORE = {EntryKind.SESSION: 15, EntryKind.POSTURE: 0}
"""Minutes before the entry that its alarm rings; all-day entries ring at 9:00."""
ALL_DAY_ALARM = time(9, 0)


def to_ical(entries: list[Entry], content: Content, *, made_on: date, unit: Unit = Unit.KG) -> str:
    """The entries as an iCalendar document; a loaded exercise is named with what it is
    done with, in the person's `unit` ("Squat with 6 kg")."""
    from icalendar import Alarm, Calendar, Event, vRecur

    words = handout_text()["calendar"]
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", words["name"])
    stamp = datetime.combine(made_on, time(0, 0))
    names = content.wording.exercise_names
    for entry in entries:
        if entry.milestone is not None:
            title = f"lumbar: {content.wording.title(entry.milestone)}"
            description = content.say(entry.milestone.decision)
        else:
            title, description = _words(entry, words, _with_loads(entry, names, unit))
        event = Event()
        event.add("uid", f"{_uid(entry)}@lumbar")
        event.add("dtstamp", stamp)
        event.add("summary", title)
        event.add("description", description)
        if entry.at is None:
            event.add("dtstart", entry.on)
            event.add("dtend", entry.on + timedelta(days=1))
            trigger = timedelta(hours=ALL_DAY_ALARM.hour, minutes=ALL_DAY_ALARM.minute)
        else:
            start = datetime.combine(entry.on, entry.at)
            event.add("dtstart", start)
            event.add("dtend", start + timedelta(minutes=entry.minutes))
            trigger = -timedelta(minutes=ALARM_BEFORE.get(entry.kind, 0))
        if entry.repeat_on and entry.until is not None:
            days = [WEEKDAY_NAMES[d][:2].upper() for d in sorted(entry.repeat_on)]
            until = datetime.combine(entry.until, time(23, 59))
            event.add("rrule", vRecur({"freq": "weekly", "byday": days, "until": until}))
        if entry.milestone is not None:
            calendar.add_component(event)  # a day that has come: nothing to ring for
            continue
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add(
            "description", words["session_alarm"] if entry.kind is EntryKind.SESSION else title
        )
        alarm.add("trigger", trigger)
        event.add_component(alarm)
        calendar.add_component(event)
    text: str = calendar.to_ical().decode("utf-8")
    return text


def _uid(entry: Entry) -> str:
    if entry.milestone is not None:
        return f"milestone-{entry.milestone.moment.value}-{entry.on.isoformat()}"
    return f"{entry.kind.value}-{entry.on.isoformat()}{_at(entry)}"


def _with_loads(entry: Entry, names: Mapping[str, str], unit: Unit) -> Mapping[str, str]:
    """The exercises' names, each loaded one with its load ("Squat with 6 kg")."""
    named = dict(names)
    for exercise_id, dose in entry.loads:
        load = load_text(dose, unit)
        if load is not None:
            named[exercise_id] = f"{names[exercise_id]} with {load}"
    return named


def _at(entry: Entry) -> str:
    return "" if entry.at is None else f"T{entry.at.strftime('%H%M')}"


def _words(entry: Entry, words: dict[str, object], names: Mapping[str, str]) -> tuple[str, str]:
    def say(key: str) -> str:
        text = words[key]
        assert isinstance(text, str)
        return text.format(
            phase=entry.phase, exercises=", ".join(names[e] for e in entry.exercises)
        )

    if entry.kind is EntryKind.POSTURE:
        tips = words["posture_tips"]
        assert isinstance(tips, list)
        return say("posture_title"), str(tips[entry.tip])
    key = entry.kind.value
    return say(f"{key}_title"), say(f"{key}_description")
