"""`python -m lumbar` runs the command line."""

from lumbar.cli.main import run

run()
