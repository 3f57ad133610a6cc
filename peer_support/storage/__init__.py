"""SQLite storage: engine, unit of work with change log, tables, migrations, backups."""
