"""Storage: the database behind every data module."""
from .sqlite import CHECKPOINT_SECONDS, Database, DatabaseError, from_db, migrations, to_db

__all__ = ["CHECKPOINT_SECONDS", "Database", "DatabaseError", "from_db", "migrations", "to_db"]
