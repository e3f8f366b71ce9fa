"""A bare django-viewflow 2.4 flow, the yardstick of the approval-cycle benchmark (issue #9):
one start form creating a proposal (a model with simple-history), one approval step (a View
updating it) under `select_for_update_lock`. Installed by bench/settings.py only."""
