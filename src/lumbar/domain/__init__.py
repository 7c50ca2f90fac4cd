"""The pure domain core: the program's rules, with no I/O, no clock and no framework.

Every function takes the day it is about and the history it needs, and returns a decision
that names its rule and the facts behind it.
"""
