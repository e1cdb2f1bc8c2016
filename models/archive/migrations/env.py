"""alembic environment for the archive: run on the connection lianfang hands over.

SQLite cannot ALTER most things, so migrations run in batch mode there (copy and move).
"""

from __future__ import annotations

from alembic import context

from lianfang.models.archive.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
