"""Fields the keys of tracking.vietnamese are stored in."""

from django.db import models


class SortKeyField(models.CharField):
    """A key compared byte by byte. PostgreSQL would otherwise compare it in the database's
    collation (en_US ignores punctuation at the first level and folds case), so the column gets
    collation "C" there, in every migration that creates or alters it; SQLite compares bytes
    already (BINARY)."""

    def db_parameters(self, connection):
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql" and not self.db_collation:
            parameters["collation"] = "C"
        return parameters
