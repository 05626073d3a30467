"""Checks on uploaded photos: real images of an accepted type and size."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def validate_photo(upload) -> str:
    """Return the file extension for an acceptable photo, or raise a ValidationError."""
    limit = settings.JINDIANZI_PHOTO_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The photo %(name)s is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"name": upload.name, "size": f"{upload.size / 2**20:.1f}", "limit": f"{limit / 2**20:.0f}"}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationError(_("The file %(name)s is not a photo we can read.") % {"name": upload.name}) from None
    finally:
        upload.seek(0)
    if image_format not in ACCEPTED_FORMATS:
        raise ValidationError(
            _("The photo %(name)s must be a JPEG, PNG or WebP image.") % {"name": upload.name}
        )
    return ACCEPTED_FORMATS[image_format]


def validate_photos(uploads) -> list[str]:
    if len(uploads) > settings.JINDIANZI_PHOTOS_PER_IDEA:
        raise ValidationError(
            _("At most %(n)s photos per idea.") % {"n": settings.JINDIANZI_PHOTOS_PER_IDEA}
        )
    return [validate_photo(upload) for upload in uploads]
