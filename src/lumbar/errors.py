"""The one error a person sees: bad input, or a request the program refuses, said in a line."""


class UserError(Exception):
    """Bad input or a refused request. The message is one line that says what is wrong.

    The command line prints it and exits with code 2; nothing has been written.
    """


class NoProgram(UserError):
    """Asked about a program that has not started."""
