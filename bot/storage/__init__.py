"""Storage: the database behind every data module, SQLite (a file, the default) or PostgreSQL (a
URL). `Database.open(target)` picks the backend and migrates it; `to_db`/`from_db` are the stored
form of timestamps. The interface is in base.py, dialect differences in dialect.py, one module per
backend, and `copy.py` moves an SQLite database into PostgreSQL."""
from .base import DRIVER_ERRORS, UNAVAILABLE, Database, DatabaseError, from_db, is_url, migrations, to_db
from .sqlite import CHECKPOINT_SECONDS

__all__ = ["CHECKPOINT_SECONDS", "DRIVER_ERRORS", "UNAVAILABLE", "Database", "DatabaseError", "from_db", "is_url",
           "migrations", "to_db"]
