"""The web app: pages for people (Jinja2 and htmx) and a JSON API, over the same services.

Nothing here decides anything about the program; every rule lives in the domain and every
use case in `lumbar.services`. FastAPI is imported only by `lumbar serve` and the tests.
"""
