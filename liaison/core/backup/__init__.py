"""Backup and restore (`manage.py backup`, `manage.py restore`): one archive with
every row of every installed app (JSON Lines, model by model), every stored file
a FileField names, and a manifest with row counts and SHA-256 of each part and
file. Generic over the models (`apps.get_models()`), so core names no app.

- `tables.py`: which tables travel, which stay (and why).
- `archive.py`: the archive's layout, the manifest, hashing, checking an archive.
- `snapshot.py`: one consistent read of the whole database while it is in use.
- `dump.py`: writing an archive.
- `load.py`: restoring one into an empty instance.
"""
