"""Fast settings for the test suite: same as production, minus slow hashing."""

import os
import tempfile

os.environ.setdefault("JINDIANZI_DATA_DIR", tempfile.mkdtemp(prefix="jindianzi-test-"))
os.environ.setdefault("JINDIANZI_SECRET_KEY", "test-secret-key-not-for-production-use-0123456789")

from jindianzi.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
JINDIANZI_VERIFICATION_SENDER = "jindianzi.accounts.verification.OutboxSender"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
