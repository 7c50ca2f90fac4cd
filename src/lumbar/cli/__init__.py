"""The command line: Typer commands over the services, Rich for people, JSON for scripts."""
