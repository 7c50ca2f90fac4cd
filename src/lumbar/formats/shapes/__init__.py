"""The JSON shapes of `lumbar ... --json` and of the API, as pydantic models.

`formats/views.py` builds each document as a plain dict (fast: `lumbar today` prints words
and must start in 300 ms, and building models costs). These models say what those dicts
are: the API declares them in its OpenAPI schema (so a generated client gets typed
answers), and the command line checks every `--json` document against the same model
before printing it, so the two cannot drift apart. Only `--json` and the web app import
this package; plain `lumbar today` never does.
"""
