"""The risk information archive (廉政风险信息库): records entered as they happen, check runs,
corrections, all in one hash chain, in SQLite (the default, ``.lianfang/archive.db`` in the
workspace) or PostgreSQL (``--db URL`` / ``LIANFANG_DB``).

- ``schema``  — the tables (one ``entries`` table is the chain; ``chain_head`` names its end);
- ``db``      — which database, engines with the right locking, migrations (alembic);
- ``chain``   — the hash of an entry and appending under the chain-head lock;
- ``store``   — records: add, import, void, supersede, list, export, the current version;
- ``verify``  — recompute the chain, name the first entry changed, inserted or removed;
- ``history`` — saved check runs and the difference between two of them.
"""

from contextvars import ContextVar
from pathlib import Path

#: the environment variable naming the archive database (as ``--db`` does)
ENV_VAR = "LIANFANG_DB"
#: the archive of a workspace when no database is named: SQLite, in this file of the workspace
DEFAULT_PATH = Path(".lianfang") / "archive.db"

#: the database chosen with ``--db`` for the command running (over ``$LIANFANG_DB``), so that
#: every part of it — the record source of the check included — uses the same archive
selected_db: ContextVar[str | None] = ContextVar("lianfang_selected_db", default=None)
