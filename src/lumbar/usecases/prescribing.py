"""A clinician's prescription for one patient: write it (checked by the safety rules, see
`formats/prescription.py`), and read it back (`Person.prescription`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from lumbar.formats.prescription import Prescribed, parse, to_json
from lumbar.usecases.person import Person


def prescribe(
    person: Person, data: Any, *, clinician: int, now: datetime, on: date | None = None
) -> Prescribed:
    """Replace this patient's prescription with a checked document; a refused one writes
    nothing. When it changes the days the patient trains on, the days before keep theirs
    (adherence counts each day against the days in force on it): the change counts from
    `on`, the app's today (`now`'s day when not given)."""
    from lumbar.store.accounts import set_prescription

    prescribed = parse(data, person.content)
    with person.store.transaction() as tx:
        history = tx.history(person.id)
        if history is not None:
            person.history_in(tx)  # reads the prescription in force until now
            before = person.program_for(history.profile).training_days
            after = prescribed.training_days or history.profile.training_days
            if after != before:
                tx.keep_earlier_days(person.id, on=on or now.date(), days=before)
        set_prescription(
            tx.connection,
            person.id,
            text=to_json(prescribed.document),
            clinician_id=clinician,
            now=now,
        )
    person.prescribed(prescribed)
    return prescribed
