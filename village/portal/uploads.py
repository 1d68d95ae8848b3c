"""What an uploaded file really is, read from its first bytes, not from its name.

A resource file or the minutes of a meeting must be one of the kinds below; the name's
extension must agree with the content. A script renamed `tips.pdf` or an HTML page renamed
`flyer.png` is refused. Files are served back with the type found here, `nosniff`, a download
disposition for anything but PDF and images, and a sandboxing Content-Security-Policy
(`views.file_response`).
"""

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extensions: tuple[str, ...]
    inline: bool  # shown in the browser rather than downloaded


PDF = FileKind("application/pdf", ("pdf",), True)
PNG = FileKind("image/png", ("png",), True)
JPEG = FileKind("image/jpeg", ("jpg", "jpeg"), True)
WEBP = FileKind("image/webp", ("webp",), True)
DOCX = FileKind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",), False
)
PPTX = FileKind(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation", ("pptx",), False
)
XLSX = FileKind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",), False
)
# Office files are zips: which member says which kind it is.
OFFICE_MEMBERS = {"word/document.xml": DOCX, "ppt/presentation.xml": PPTX, "xl/workbook.xml": XLSX}
ALLOWED_NAMES = "PDF, PNG, JPEG, WebP, DOCX, PPTX, XLSX"


def _sniff(upload: UploadedFile) -> FileKind | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names:
            for member, kind in OFFICE_MEMBERS.items():
                if member in names:
                    return kind
    return None


def upload_check(upload: UploadedFile) -> FileKind:
    """The file's kind, or a ValidationError that says what is accepted."""
    limit = settings.VILLAGE_UPLOAD_MAX_MB * 1024 * 1024
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(mb)s MB.") % {"mb": settings.VILLAGE_UPLOAD_MAX_MB},
            code="too_large",
        )
    if not upload.size:
        raise ValidationError(_("The file is empty."), code="empty")
    kind = _sniff(upload)
    extension = (upload.name or "").rsplit(".", 1)[-1].lower() if "." in (upload.name or "") else ""
    if kind is None or extension not in kind.extensions:
        raise ValidationError(
            _("This file is not what its name says, or not a kind we accept. Accepted: %(kinds)s.")
            % {"kinds": ALLOWED_NAMES},
            code="bad_content",
        )
    return kind
