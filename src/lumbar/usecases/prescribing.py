"""A clinician's prescription for one patient: write it (checked by the safety rules, see
`formats/prescription.py`), and read it back (`Person.prescription`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from lumbar.formats.prescription import Prescribed, parse, to_json
from lumbar.usecases.person import Person


def prescribe(person: Person, data: Any, *, clinician: int, now: datetime) -> Prescribed:
    """Replace this patient's prescription with a checked document; a refused one writes
    nothing."""
    from lumbar.store.accounts import set_prescription

    prescribed = parse(data, person.content)
    with person.store.transaction() as tx:
        set_prescription(
            tx.connection,
            person.id,
            text=to_json(prescribed.document),
            clinician_id=clinician,
            now=now,
        )
    person.prescribed(prescribed)
    return prescribed
