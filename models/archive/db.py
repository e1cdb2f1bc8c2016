"""Which database holds the archive, and engines that lock the way the chain needs.

SQLite (the default, ``WORKSPACE/.lianfang/archive.db``): WAL so readers never wait for a
writer, a busy timeout so a second writer waits instead of failing, and ``BEGIN IMMEDIATE``
so two appenders never both read the same chain head. PostgreSQL (``postgresql://…`` given
with ``--db`` or ``LIANFANG_DB``): the row of ``chain_head`` is locked ``FOR UPDATE`` by every
appender (see ``chain.append``). The schema is brought up to date by alembic migrations
(batch mode on SQLite) whenever the archive is opened for writing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # Windows: SQLite's own busy timeout alone
    fcntl = None  # type: ignore[assignment]

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

from lianfang.models.archive import DEFAULT_PATH, ENV_VAR, selected_db
from lianfang.models.errors import InputError, InputProblem

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: how long a writer waits for another one on SQLite, in seconds
BUSY_TIMEOUT = 60


def resolve_url(workspace: Path, db: str | None = None) -> str:
    """The archive's SQLAlchemy URL: ``db``, else the command's ``--db``, else ``$LIANFANG_DB``,
    else the workspace's SQLite file."""
    url = (db or selected_db.get() or os.environ.get(ENV_VAR) or "").strip()
    if not url:
        return f"sqlite:///{(Path(workspace) / DEFAULT_PATH).resolve()}"
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise _bad_url(url, "not a database URL", "不是数据库地址（URL）")
    scheme = scheme.lower()
    if scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        return f"postgresql+psycopg://{rest}"
    if scheme == "sqlite":
        return url
    raise _bad_url(url, f'unsupported database "{scheme}"', f"不支持的数据库“{scheme}”")


def _bad_url(url: str, what: str, what_zh: str) -> InputError:
    shown = _hide_password(url)
    return InputError(
        [
            InputProblem(
                f"--db / {ENV_VAR}",
                "",
                f'"{shown}": {what}; use postgresql://USER:PASSWORD@HOST:PORT/DATABASE, '
                "sqlite:///PATH, or leave it unset for the workspace's .lianfang/archive.db",
                zh=f"“{shown}”：{what_zh}；请使用 postgresql://USER:PASSWORD@HOST:PORT/DATABASE、"
                "sqlite:///PATH，或不设置（即使用工作区的 .lianfang/archive.db）",
            )
        ]
    )


def _hide_password(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return url


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for other engines or an in-memory database)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: Any) -> None:
            # take transaction control from the sqlite3 module, so that BEGIN is ours
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT * 1000}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            # IMMEDIATE: the write lock is taken before the chain head is read
            conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("readonly") else "BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=False)


class Archive:
    """An open archive: an engine and the display name used in messages."""

    def __init__(self, engine: Engine, label: str):
        self.engine = engine
        self.label = label

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One transaction that may append: under the write lock on SQLite (BEGIN IMMEDIATE);
        on PostgreSQL the chain head row is locked by ``chain.append``."""
        with _translated(self.label), self._queued(), self.engine.begin() as conn:
            yield conn

    @contextmanager
    def _queued(self) -> Iterator[None]:
        """SQLite writers queue on an OS file lock beside the database before BEGIN IMMEDIATE:
        the lock wakes the next writer as soon as one commits, where SQLite's busy handler
        sleeps and retries (many writers at once would otherwise wait tens of ms each)."""
        path = sqlite_path(str(self.engine.url))
        if path is None or fcntl is None:
            yield
            return
        with open(path.with_name(path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """One read-only transaction (a consistent snapshot on both engines)."""
        with _translated(self.label), self.engine.connect() as conn:
            conn = conn.execution_options(readonly=True)
            with conn.begin():
                yield conn

    def dispose(self) -> None:
        self.engine.dispose()


@contextmanager
def _translated(label: str) -> Iterator[None]:
    """A database that cannot be reached or opened is bad input naming it, not a traceback."""
    try:
        yield
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise InputError(
            [
                InputProblem(
                    label,
                    "",
                    f"cannot use the archive database: {reason}; check --db / {ENV_VAR}, "
                    "that the server runs and that you may write there",
                    zh=f"无法使用信息库的数据库：{reason}；请检查 --db / {ENV_VAR}、数据库服务器是否在运行，"
                    "以及您是否有写入权限",
                )
            ]
        ) from None


def label_for(url: str, workspace: Path) -> str:
    """How messages name the archive: the SQLite file relative to the workspace, or the URL."""
    path = sqlite_path(url)
    if path is not None:
        try:
            return str(path.resolve().relative_to(Path(workspace).resolve()))
        except ValueError:
            return str(path)
    return _hide_password(url)


def open_archive(workspace: Path, db: str | None = None, create: bool = True) -> Archive | None:
    """Open (and, with ``create``, create or upgrade) the archive; None when it does not exist
    and ``create`` is false — reading never creates one."""
    url = resolve_url(workspace, db)
    label = label_for(url, workspace)
    path = sqlite_path(url)
    if path is not None and not path.exists():
        if not create:
            return None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise InputError(
                [
                    InputProblem(
                        label,
                        "",
                        f"cannot create the archive: {error.strerror}",
                        zh=f"无法创建信息库：{error.strerror}",
                    )
                ]
            ) from None
    try:
        engine = _engine(url)
    except (ArgumentError, NoSuchModuleError) as error:
        raise _bad_url(url, str(error), str(error)) from None
    archive = Archive(engine, label)
    try:
        with archive.reading() as conn:
            exists = inspect(conn).has_table("chain_head")
            current = _revision(conn) if exists else None
        if not exists and not create:
            archive.dispose()
            return None
        if current != _head_revision():
            upgrade(archive)
    except InputError:
        archive.dispose()
        raise
    except DBAPIError as error:
        archive.dispose()
        raise InputError(
            [
                InputProblem(
                    label,
                    "",
                    f"cannot use the archive database: {error.orig}",
                    zh=f"无法使用信息库的数据库：{error.orig}",
                )
            ]
        ) from None
    return archive


def _config() -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


def _revision(conn: Connection) -> str | None:
    from alembic.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def upgrade(archive: Archive) -> None:
    """Bring the schema to the newest migration (idempotent; serialised by the write lock)."""
    from alembic import command

    config = _config()
    with archive.writing() as conn:
        if archive.dialect == "postgresql":
            # two processes creating the archive at once: one waits for the other
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7235118)")
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
