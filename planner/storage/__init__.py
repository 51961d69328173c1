"""The system of record: a SQLAlchemy 2 database (SQLite file by default, PostgreSQL by URL), its Alembic
migrations, datasets as append-only events, approved plans, accounts, backup and restore.

Nothing here knows Streamlit; callers go through ``planner.service``, which enforces the roles.
"""
