"""The calendar entries as iCalendar (RFC 5545), made with the `icalendar` library.

Times are floating (local, no time zone): a reminder at 18:00 stays at 18:00 on the
person's own clock wherever they are. Every event is one dated occurrence with a UID made
only of its kind, day and time (a posture break's weekly series is written out day by
day), so the same occurrence has the same UID whichever day the calendar was made, and a
calendar app that subscribes or imports again updates the events it has instead of adding
new ones. SEQUENCE counts the changes of an event's content that its records made, and
LAST-MODIFIED is the day of the last one (docs/handouts.md): an event that did not change
is the same bytes in two calendars but for DTSTAMP, the day the calendar was made.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from lumbar.content.load import Content
from lumbar.content.wording import load_text
from lumbar.domain.loads import Unit
from lumbar.domain.reminders import Entry, EntryKind
from lumbar.formats.wording import handout_text

PRODUCT = "-//lumbar//home exercise program//EN"
ALARM_BEFORE = {EntryKind.SESSION: 15, EntryKind.POSTURE: 0}
"""Minutes before the entry that its alarm rings; all-day entries ring at 9:00."""
ALL_DAY_ALARM = time(9, 0)


def to_ical(entries: list[Entry], content: Content, *, made_on: date, unit: Unit = Unit.KG) -> str:
    """The entries as an iCalendar document; a loaded exercise is named with what it is
    done with, in the person's `unit` ("Squat with 6 kg")."""
    from icalendar import Alarm, Calendar, Event

    words = handout_text()["calendar"]
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", words["name"])
    stamp = datetime.combine(made_on, time(0, 0))
    names = content.wording.exercise_names
    for entry in _occurrences(entries):
        if entry.milestone is not None:
            title = f"lumbar: {content.wording.title(entry.milestone)}"
            description = content.say(entry.milestone.decision)
        else:
            title, description = _words(entry, words, _with_loads(entry, names, unit))
        event = Event()
        event.add("uid", f"{_uid(entry)}@lumbar")
        event.add("dtstamp", stamp)
        event.add("sequence", entry.sequence)
        if entry.changed_on is not None:
            event.add("last-modified", datetime.combine(entry.changed_on, time(0, 0), UTC))
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


def _occurrences(entries: list[Entry]) -> list[Entry]:
    """Each entry on its day: a series (posture breaks, weekly on the working days until the
    horizon) as one entry per day it falls on, in day and time order. A series' UID would
    carry its first day, which moves with the day the calendar is made."""
    dated: list[Entry] = []
    for entry in entries:
        if not entry.repeat_on or entry.until is None:
            dated.append(entry)
            continue
        days = (entry.until - entry.on).days + 1
        dated += [
            replace(entry, on=day, repeat_on=frozenset(), until=None)
            for day in (entry.on + timedelta(days=n) for n in range(days))
            if day.weekday() in entry.repeat_on
        ]
    return sorted(dated, key=lambda e: (e.on, e.at or time(0, 0)))


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
