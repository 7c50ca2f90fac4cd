"""The web app: pages for people (Jinja2 and htmx) and a JSON API, over the same use cases.

Nothing here decides anything about the program; every rule lives in the domain and every
use case in `lumbar.usecases`. FastAPI is imported only by `lumbar serve` and the tests.
"""
