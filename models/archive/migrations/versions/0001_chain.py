"""The hash chain: entries and chain_head.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade() -> None:
    op.create_table(
        "entries",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("record_id", sa.String(200)),
        sa.Column("kind", sa.String(64)),
        sa.Column("date", sa.String(10)),
        sa.Column("subject", sa.String(200)),
        sa.Column("period", sa.String(16)),
        sa.Column("by", sa.Text),
        sa.Column("result", sa.Text),
        sa.Column("ref", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("target", sa.String(200)),
        sa.Column("reason", sa.Text),
        sa.Column("run_id", sa.Integer, unique=True),
        sa.Column("data", sa.Text),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_entries_record_id", "entries", ["record_id"])
    op.create_index("ix_entries_kind_subject", "entries", ["kind", "subject"])
    op.create_index("ix_entries_type", "entries", ["type"])
    op.create_index("ix_entries_target", "entries", ["target"])
    head = op.create_table(
        "chain_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS}])


def downgrade() -> None:
    op.drop_table("chain_head")
    op.drop_table("entries")
