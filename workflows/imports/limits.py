"""What an import file may weigh, checked before a cell is parsed: its size as uploaded, its
size once unzipped, how much any part of it expands (a zip bomb), and its number of rows.

The limits are settings (IMPORT_MAX_*). The upload handler keeps an oversized upload off the
disk; the zip's directory is checked at upload; rows are counted in the raw XML by the task,
before openpyxl parses anything.
"""

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.utils.translation import gettext as _

MB = 1024 * 1024
RATIO_CHECKED_FROM = 1 * MB  # small parts (styles, a short sheet) may compress well and cost nothing
WORKSHEETS = "xl/worksheets/"


def max_upload_bytes() -> int:
    return settings.IMPORT_MAX_UPLOAD_MB * MB


def _mb(size: int) -> str:
    return f"{size / MB:.1f}".replace(".", ",")


def check_upload_size(size: int) -> None:
    """Refuse a file larger than IMPORT_MAX_UPLOAD_MB."""
    if size > max_upload_bytes():
        raise ValidationError(
            _("Tệp nặng %(size)s MB, vượt giới hạn %(limit)s MB của một lần nhập. Hãy chia thành nhiều tệp nhỏ hơn.")
            % {"size": _mb(size), "limit": settings.IMPORT_MAX_UPLOAD_MB},
            code="too_large",
        )


@dataclass(frozen=True)
class Archive:
    expanded: int  # bytes once unzipped, as the zip's directory declares (zipfile reads no more)
    worksheets: tuple  # names of the worksheet parts


def check_archive(handle) -> Archive:
    """The zip's directory against the limits: expanded size and expansion of each part. Cheap:
    nothing is decompressed. Leaves `handle` at its start."""
    try:
        with zipfile.ZipFile(handle) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ValidationError(
            _("Tệp không phải là tệp Excel .xlsx hợp lệ (không đọc được cấu trúc tệp)."), code="not_zip"
        ) from exc
    finally:
        handle.seek(0)
    expanded = sum(part.file_size for part in parts)
    if expanded > settings.IMPORT_MAX_EXPANDED_MB * MB:
        raise ValidationError(
            _("Nội dung tệp khi giải nén là %(size)s MB, vượt giới hạn %(limit)s MB. Hãy chia thành nhiều tệp nhỏ hơn.")
            % {"size": _mb(expanded), "limit": settings.IMPORT_MAX_EXPANDED_MB},
            code="too_large_expanded",
        )
    for part in parts:
        if part.file_size >= RATIO_CHECKED_FROM and part.file_size > settings.IMPORT_MAX_COMPRESSION_RATIO * max(
            part.compress_size, 1
        ):
            raise ValidationError(
                _(
                    "Tệp có phần “%(part)s” giải nén ra lớn gấp %(ratio)s lần (giới hạn %(limit)s lần): tệp "
                    "chứa rất nhiều ô "
                    "hoặc dòng lặp lại, hay là tệp độc hại. Hãy xoá các dòng, cột trống thừa rồi lưu lại."
                )
                % {
                    "part": part.filename[:80],
                    "ratio": part.file_size // max(part.compress_size, 1),
                    "limit": settings.IMPORT_MAX_COMPRESSION_RATIO,
                },
                code="compression_ratio",
            )
    worksheets = tuple(p.filename for p in parts if p.filename.startswith(WORKSHEETS) and p.filename.endswith(".xml"))
    return Archive(expanded=expanded, worksheets=worksheets)


def count_rows(handle, archive: Archive) -> dict[str, int]:
    """{worksheet part: number of <row> elements}, counted in the raw XML (a fraction of the cost
    of parsing), for every sheet; refuse a file with more than IMPORT_MAX_ROWS in all. Leaves
    `handle` at its start."""
    counts, total = {}, 0
    try:
        with zipfile.ZipFile(handle) as zipped:
            for name in archive.worksheets:
                with zipped.open(name) as source:
                    tail, count = b"", 0
                    while chunk := source.read(MB):
                        data = tail + chunk
                        count += data.count(b"<row ") + data.count(b"<row>")
                        tail = chunk[-4:]
                counts[name] = count
                total += count
                if total > settings.IMPORT_MAX_ROWS:
                    raise ValidationError(
                        _(
                            "Tệp có hơn %(limit)s dòng, vượt giới hạn của một lần nhập. Hãy chia thành nhiều "
                            "tệp nhỏ hơn."
                        )
                        % {"limit": f"{settings.IMPORT_MAX_ROWS:,}".replace(",", ".")},
                        code="too_many_rows",
                    )
    except (zipfile.BadZipFile, OSError, EOFError, KeyError) as exc:
        raise ValidationError(_("Tệp Excel bị hỏng (không giải nén được)."), code="corrupt") from exc
    finally:
        handle.seek(0)
    return counts


class BoundedUploadHandler(TemporaryFileUploadHandler):
    """Django's temporary-file handler that stops writing past IMPORT_MAX_UPLOAD_MB: the rest of
    an oversized upload is read and dropped, and the file still reports its real size, so the
    upload form refuses it by size (check_upload_size) without the disk holding it."""

    def receive_data_chunk(self, raw_data, start):
        room = max_upload_bytes() - start
        if room > 0:
            self.file.write(raw_data[:room])
