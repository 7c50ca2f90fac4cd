"""The use cases: what a person, a clinician or an admin can do, one module per capability.

The command line and the web app are shells over these: they parse input, call one use
case, and show its answer or its `UserError`. Each use case takes the day (or time) it is
about, reads through the store, asks the domain, and writes at most one transaction; input
the rules refuse raises `UserError` before anything is written. docs/architecture.md lists
which module holds which use case.
"""
