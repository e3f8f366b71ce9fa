"""Tracked records: the write guard (no save without a named change context), the history
columns every tracked record carries, and the read-only admin of tracked records. The lowest
layer with units: every app that keeps tracked records builds on it."""
