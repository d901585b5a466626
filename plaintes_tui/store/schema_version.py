"""The schema's version this program writes, known without building its migrations: a store
opened at this version needs none, and the app's start reads this module alone (the
migrations' text is built from the journal's, figures' and Ombudsman's modules)."""

SCHEMA_VERSION = 29  # the number of migrations in schema.py (a test holds them equal)
MARKED_FROM = 17  # the first version whose stores carry the program's application_id
