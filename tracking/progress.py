"""Progress of a background job over rows (an export, an import): the percentage its page shows
and the JSON the page polls every two seconds (static/qlcb/qlcb.js), the same for every kind."""

from django.http import JsonResponse


def percent(rows_done: int, rows_total: int, *, done: bool = False) -> int:
    if done:
        return 100
    if not rows_total:
        return 0
    return min(100, round(100 * rows_done / rows_total))


def progress_response(job, *, running: bool) -> JsonResponse:
    """`job` has status (with its display), rows_done, rows_total and progress_percent."""
    return JsonResponse(
        {
            "status": job.status,
            "label": job.get_status_display(),
            "rows_done": job.rows_done,
            "rows_total": job.rows_total,
            "percent": job.progress_percent,
            "running": running,
        }
    )
