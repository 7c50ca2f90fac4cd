"""Storage: what a person recorded, in SQLite by default or any SQLAlchemy database.

Only history is stored (intake, check-ins, sessions); every conclusion is derived by the
domain from it. Writes go through SQLAlchemy, one transaction each; the frequent reads on a
SQLite file go through the standard library's sqlite3 with the same SQL, because importing
SQLAlchemy alone costs more than the whole start-up budget of `lumbar today`.
"""
