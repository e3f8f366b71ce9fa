"""The fixed points of the demo data set: the seed, the day it is dated to, the years it
covers, and the reason every write carries."""

from datetime import date

DEMO_REASON = "Nạp dữ liệu mẫu ban đầu (demo)"
GRANT_REASON = "Dữ liệu mẫu (demo)"
DEMO_SEED = 20260101
DEFAULT_EMPLOYEES = 200

# Ages, salary steps and every date are computed against a fixed day, so the data set does
# not depend on the day the command runs; the day must not be in the future when it runs.
REFERENCE_DATE = date(2026, 7, 1)
QUOTA_YEARS = (REFERENCE_DATE.year - 1, REFERENCE_DATE.year)  # last year and this year
EVALUATION_YEARS = tuple(range(REFERENCE_DATE.year - 3, REFERENCE_DATE.year))  # the last 3 closed years
INSPECTION_YEARS = (REFERENCE_DATE.year - 1, REFERENCE_DATE.year)
REORGANISATION = date(2025, 3, 1)  # the 2025 reorganisation of the tax and treasury systems
