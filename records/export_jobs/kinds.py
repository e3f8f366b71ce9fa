"""What an export is, and the registry of them. A kind turns the filters a user gave into
parameters (refusing what they may not ask), counts and yields the rows the task streams, and
says who may take it out: asked when the job starts, when it runs and at every download."""

from collections.abc import Iterable, Iterator

from django.http import QueryDict

from ..exports import XLSX_CONTENT_TYPE

_KINDS: dict[str, "ExportKind"] = {}


class ExportKind:
    """One kind of export. Subclasses set the class attributes and the methods below."""

    key: str = ""  # stored on ExportJob.kind
    title = ""  # what the job list calls it (a lazy Vietnamese string)
    log_kind: str = ""  # the ExportLog.Kind its downloads are logged as
    sheet_title = ""
    file_prefix = ""  # the download is named "<prefix>-<yyyymmdd>.xlsx"
    freeze_panes: str | None = None  # e.g. "C2": the header row and the name stay in view
    extension = "xlsx"  # of the stored file and the download
    content_type = XLSX_CONTENT_TYPE

    def may_export(self, user) -> bool:
        """Whether `user` may take this data out now (start, run, download)."""
        raise NotImplementedError

    def clean(self, user, data: QueryDict) -> dict:
        """The filters of a form as JSON parameters; Http404 for an object the user may not see."""
        raise NotImplementedError

    def describe(self, user, parameters: dict) -> str:
        """One line for the export log and the job list: what was exported."""
        raise NotImplementedError

    def header(self) -> list:
        raise NotImplementedError

    def header_for(self, parameters: dict) -> list:
        """The header of a job with `parameters` (a kind whose columns can be chosen says which)."""
        return self.header()

    def count(self, user, parameters: dict) -> int:
        """How many rows `rows` will yield (the progress bar's end)."""
        raise NotImplementedError

    def write(self, job, target, progress) -> int | None:
        """Write the job's file into `target` (a binary file) and return how many rows (or
        requests) it holds, calling `progress(done)` now and then; None (the default): the rows
        of `rows` as an xlsx sheet (records.export_jobs.running.write_xlsx)."""
        return None

    def rows(self, user, parameters: dict) -> Iterator[list]:
        """The rows, streamed (an iterator over the database, never a list of them all), each
        masked as the pages mask it for `user`."""
        raise NotImplementedError


def register(kind: ExportKind) -> ExportKind:
    """Add a kind to the registry (idempotent: an app's ready() may run twice in tests)."""
    if not kind.key:
        raise ValueError("An export kind needs a key.")
    _KINDS[kind.key] = kind
    return kind


def get_kind(key: str) -> ExportKind | None:
    return _KINDS.get(key)


def all_kinds() -> Iterable[ExportKind]:
    return tuple(_KINDS.values())
