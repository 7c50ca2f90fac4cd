"""What a home program hands out: the calendar, the printable handout, the clinician
summary. Each is made from the same use cases as the screens, and imported only by the
command or page that makes it."""
