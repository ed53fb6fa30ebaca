"""Alembic's entry point: migrations run on the connection `engine.upgrade` passes in."""

from alembic import context

from ontrack.store.tables import metadata

context.configure(
    connection=context.config.attributes["connection"],
    target_metadata=metadata,
    render_as_batch=True,  # SQLite alters a table by copying it; batch mode does that
)
with context.begin_transaction():
    context.run_migrations()
