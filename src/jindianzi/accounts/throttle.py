"""Failed sign-in limits (MLPS 2.0 asks for them): five wrong passwords lock a login for 15 minutes.

Counted per login (the phone number or e-mail typed), in the cache: per
process by default, shared through Redis when ``JINDIANZI_CACHE_URL`` says so.
"""

from django.core.cache import cache

from jindianzi.core.fields import digest
from jindianzi.core.privacy import is_mobile_number, normalise_phone

FAILURE_LIMIT = 5
LOCK_SECONDS = 15 * 60


def _key(login: str) -> str:
    # "138 1234 5678" and "+8613812345678" are the same login: count them together.
    login = (login or "").strip().lower()
    phone = normalise_phone(login)
    return "signin-failures:" + digest(phone if is_mobile_number(phone) else login)


def is_locked(login: str) -> bool:
    return cache.get(_key(login), 0) >= FAILURE_LIMIT


def record_failure(login: str) -> None:
    key = _key(login)
    if cache.add(key, 1, LOCK_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, LOCK_SECONDS)


def clear(login: str) -> None:
    cache.delete(_key(login))
