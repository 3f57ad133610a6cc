"""Names of the files in the data folder that storage modules share (kept apart so
db.py and encryption.py need not import each other)."""

DATABASE_FILE = "peer-support.sqlite3"
