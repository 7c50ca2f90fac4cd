"""Whose record a use case is about, where it is kept, and the program they follow.

Every use case about one person (`program`, `sessions`, `checkins`, ...) takes a `Person`:
the store, the content, the person's id (local mode has one person), and whether this is a
clinic's server, where a clinician may have prescribed the person's program.
"""

from __future__ import annotations

from concurrent.futures import Future
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from lumbar.content.load import Content
from lumbar.domain.loads import Unit
from lumbar.domain.model import Event, History, Profile
from lumbar.domain.program import Program
from lumbar.errors import NoProgram, UserError
from lumbar.store.database import LOCAL_PERSON, Store

if TYPE_CHECKING:
    from collections.abc import Callable

    from lumbar.formats.prescription import Prescribed
    from lumbar.store.accounts import StoredPrescription
    from lumbar.store.writes import Transaction

T = TypeVar("T")


class Person:
    """One person's record in one store. Reads the clinician's prescription at most once
    (a `Person` lives for one request or one command)."""

    def __init__(
        self,
        store: Store,
        content: Content,
        id: int = LOCAL_PERSON,
        *,
        clinic: bool = False,
        today: date | None = None,
    ) -> None:
        self.store = store
        self.content = content
        self.id = id
        self.clinic = clinic
        self.today = date.today() if today is None else today
        """The clock's day (the shell's: the server's clock, `LUMBAR_TODAY` on the command
        line): nothing is recorded for a day after it."""
        self._prescribed: Prescribed | None = None
        self._prescription_read = not clinic  # local mode has no prescriptions

    def unit(self) -> Unit:
        """The unit the person reads weights in (kilograms before a program starts)."""
        try:
            return self.history().profile.unit
        except NoProgram:
            return Unit.KG

    # The program the person follows.

    def program_for(self, profile: Profile) -> Program:
        """The defaults, or their clinician's prescription, on the days they chose (unless
        the prescription sets the days)."""
        prescribed = self.prescription()
        if prescribed is None:
            return self.content.program.with_training_days(profile.training_days)
        return prescribed.program.with_training_days(
            prescribed.training_days or profile.training_days
        )

    def prescription(self) -> Prescribed | None:
        """The clinician's prescription for this person, if any."""
        if not self._prescription_read:
            with self.store.transaction() as tx:
                self._read_prescription(tx)
        return self._prescribed

    def prescribed(self, prescribed: Prescribed) -> None:
        """Keep a prescription just written, so the use case reads it back from memory."""
        self._prescribed, self._prescription_read = prescribed, True

    def _read_prescription(self, tx: Transaction) -> None:
        from lumbar.store.accounts import prescription

        self.knows_prescription(prescription(tx.connection, self.id))

    def knows_prescription(self, stored: StoredPrescription | None) -> None:
        """The prescription as stored, read with other facts of the patient in the
        transaction this person is read in (usecases/summaries.py)."""
        from lumbar.formats.prescription import from_stored

        self._prescribed = None if stored is None else from_stored(stored.text, self.content)
        self._prescription_read = True

    # The history.

    def history(self) -> History:
        """Everything the person recorded; NoProgram before they started."""
        history = self.store.read(self.id)
        if history is None:
            raise NoProgram()
        return history

    def history_in(self, tx: Transaction) -> History:
        """The history inside a write transaction, so a check and the write that follows it
        agree (on PostgreSQL it locks the person's row)."""
        history = tx.history(self.id)
        if history is None:
            raise NoProgram()
        if not self._prescription_read:
            # Read in this transaction: `program_for` must not open a second one inside it.
            self._read_prescription(tx)
        return history

    def has_program(self) -> bool:
        return self.store.read(self.id) is not None

    def revision(self) -> int | None:
        """A number that rises with every write of the person's history (None without a
        program): an answer kept with it is current while it stands."""
        return self.store.revision(self.id)

    @property
    def reads_at_once(self) -> bool:
        """Whether a read of the revision is quick enough to make without a thread: a
        SQLite file, read on the connection a server keeps open."""
        return self.store.sqlite_path is not None

    def on_writer(self, use_case: Callable[..., T], *args: Any) -> Future[T] | None:
        """Hand a writing use case to the store's writer thread where the database has one
        writer (SQLite: writes that arrive together share one transaction and one sync,
        store/batches.py); None where it takes concurrent writers (run it in a thread)."""
        if self.store.sqlite_path is None:
            return None
        return self.store.writer.submit(use_case, *args)


def check_date(history: History, on: date) -> None:
    """Refuse a day before the program started: the program knows nothing of it."""
    if on < history.profile.start:
        raise UserError(
            f"{on.isoformat()} is before the program started ({history.profile.start.isoformat()})",
            field="date",
        )


def check_written_on(person: Person, history: History, on: date) -> None:
    """Refuse to record anything for a day before the program started or after today: a
    record says what happened, and one dated ahead would lock the days before it."""
    check_date(history, on)
    check_not_ahead(person, on)


def check_not_ahead(person: Person, on: date) -> None:
    ahead = ahead_of_today(person, on)
    if ahead is not None:
        raise UserError(ahead, field="date")


def ahead_of_today(person: Person, on: date) -> str | None:
    """Why nothing can be recorded on `on`, when it is after the clock's today."""
    if on <= person.today:
        return None
    return (
        f"{on.isoformat()} is after today ({person.today.isoformat()}): only a day that has "
        "come can be recorded"
    )


def with_event(history: History, event: Event) -> History:
    """The history with one more event at its end (what it will read once written)."""
    return History.of(history.profile, [*history.events, event])
