"""The command line: Typer commands over the use cases, Rich for people, JSON for scripts."""
