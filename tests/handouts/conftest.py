"""The command-line fixtures, shared with tests/cli (the real `lumbar` entry point)."""

from tests.cli.conftest import answers_file, cli, started

__all__ = ["answers_file", "cli", "started"]
