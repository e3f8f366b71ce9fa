"""Reports that read across the apps: the staffing-quota report (quotas from units, headcount
from records, pending arrivals from workflows), so it sits above all three."""
