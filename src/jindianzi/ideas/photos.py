"""Checks on uploaded photos (real images of an accepted type and size) and how they are stored."""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

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
    except Image.DecompressionBombError:
        raise ValidationError(_("The photo %(name)s claims to be far larger than any camera picture.")
                              % {"name": upload.name}) from None
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


# Longest side of a stored photo: sharp on any screen, small enough for a village network.
MAX_SIDE = 2560


def clean_photo(upload, extension: str) -> bytes:
    """Re-encode a validated photo: upright, at most MAX_SIDE pixels, with no metadata.

    Phones record where a picture was taken (EXIF GPS); published byte for byte,
    a photo of a stairwell would tell everyone where the proposer lives.
    """
    upload.seek(0)
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        if extension == "jpg" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, format={"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}[extension], quality=85)
    upload.seek(0)
    return out.getvalue()
