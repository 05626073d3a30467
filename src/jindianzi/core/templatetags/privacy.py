from django import template

from jindianzi.core.privacy import mask_phone as _mask_phone

register = template.Library()


@register.filter
def mask_phone(value):
    return _mask_phone(value or "")
