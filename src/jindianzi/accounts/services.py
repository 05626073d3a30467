import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jindianzi.core.audit import audit
from jindianzi.core.fields import digest
from jindianzi.core.privacy import is_mobile_number, normalise_phone

from .models import AREA_ROLES, ORGANIZATION_ROLES, Role, RoleAssignment, VerificationCode
from .verification import get_sender

CODE_VALID_FOR = timedelta(minutes=15)
MAX_CODE_ATTEMPTS = 5
RESEND_INTERVAL = timedelta(minutes=1)


def parse_login(raw: str) -> tuple[str, str]:
    """Split what a person typed into ("phone", number) or ("email", address)."""
    raw = (raw or "").strip()
    if "@" in raw:
        try:
            validate_email(raw)
        except ValidationError:
            raise ValidationError(_("Enter a valid e-mail address.")) from None
        return "email", raw.lower()
    phone = normalise_phone(raw)
    if not is_mobile_number(phone):
        raise ValidationError(_("Enter an 11-digit mobile number or an e-mail address."))
    return "phone", phone


def _unique_username() -> str:
    return "u" + secrets.token_hex(6)


@transaction.atomic
def user_register(*, login: str, password: str | None, display_name: str = "", verified: bool = False):
    """Create a resident account from a phone number or e-mail address and send a code.

    ``password=None`` creates an account the resident has not set a password for
    yet (its password is unusable, so nobody can sign in with one until it is
    set). That is how accounts are made for people who never typed one, such as
    the demo district's residents, without the cost of hashing a password each.
    """
    User = get_user_model()
    kind, value = parse_login(login)
    if kind == "email" and User.objects.filter(email__iexact=value).exists():
        raise ValidationError(_("An account with this e-mail address already exists."))
    if kind == "phone" and User.objects.filter(phone_digest=digest(value)).exists():
        raise ValidationError(_("An account with this mobile number already exists."))
    user = User(username=_unique_username(), display_name=display_name.strip(), is_verified=verified)
    if password is not None:
        validate_password(password, user)
    if kind == "email":
        user.email = value
    else:
        user.phone, user.phone_digest = value, digest(value)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    audit(actor=user, action="user.register", target=user, after={"channel": kind})
    if not verified:
        verification_send(user=user)
    return user


def _address(user) -> str:
    return user.email or user.phone


def _code_digest(user, code: str) -> str:
    return hashlib.sha256(f"{user.pk}:{code}".encode()).hexdigest()


@transaction.atomic
def verification_send(*, user) -> None:
    """Send a new code. At most one a minute: each SMS costs the district money."""
    last = VerificationCode.objects.filter(user=user).order_by("-expires_at").first()
    if last is not None and last.expires_at - CODE_VALID_FOR > timezone.now() - RESEND_INTERVAL:
        raise ValidationError(_("A code was sent less than a minute ago. Please wait a moment before asking again."))
    code = f"{secrets.randbelow(10**6):06d}"
    VerificationCode.objects.filter(user=user, used_at__isnull=True).delete()
    VerificationCode.objects.create(
        user=user, code_digest=_code_digest(user, code), expires_at=timezone.now() + CODE_VALID_FOR,
    )
    address = _address(user)
    transaction.on_commit(lambda: get_sender().send(address=address, code=code))


def user_verify(*, user, code: str) -> None:
    # The refusal is raised after the transaction commits, so that a wrong
    # attempt is counted: raising inside it would roll the count back.
    refusal = _user_verify(user=user, code=code)
    if refusal:
        raise ValidationError(refusal)


@transaction.atomic
def _user_verify(*, user, code: str) -> str | None:
    pending = (
        VerificationCode.objects.select_for_update()
        .filter(user=user, used_at__isnull=True).order_by("-id").first()
    )
    if pending is None or pending.expires_at < timezone.now():
        return _("This code has expired. Ask for a new one.")
    if pending.attempts >= MAX_CODE_ATTEMPTS:
        return _("Too many wrong codes. Ask for a new one.")
    if pending.code_digest != _code_digest(user, (code or "").strip()):
        pending.attempts += 1
        pending.save(update_fields=["attempts"])
        return _("The code is not correct.")
    pending.used_at = timezone.now()
    pending.save(update_fields=["used_at"])
    user.is_verified = True
    user.save(update_fields=["is_verified"])
    audit(actor=user, action="user.verify", target=user, after={"is_verified": True})
    return None


@transaction.atomic
def role_grant(*, actor=None, user, role: str, area=None, organization=None) -> RoleAssignment:
    role = Role(role)
    if role in AREA_ROLES:
        if area is None or area.kind not in AREA_ROLES[role]:
            raise ValidationError(_("This role must be given for an area of the right kind."))
    elif role in ORGANIZATION_ROLES and organization is None:
        raise ValidationError(_("This role must be given for an organisation."))
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, area=area, organization=organization,
    )
    if created:
        audit(actor=actor, action="role.grant", target=user,
              after={"role": role.value, "area": area and area.pk, "organization": organization and organization.pk})
    user.__dict__.pop("_jdz_assignments", None)
    return assignment


@transaction.atomic
def admin_ensure(*, login: str, password: str):
    """Create the back-office administrator, or bring an existing one up to date. Safe to run twice."""
    from .selectors import user_by_login

    user = user_by_login(login)
    created = user is None
    if created:
        user = user_register(login=login, password=password, display_name="admin", verified=True)
    else:
        validate_password(password, user)
        user.set_password(password)
    user.is_staff = user.is_superuser = user.is_verified = True
    user.save(update_fields=["password", "is_staff", "is_superuser", "is_verified"])
    audit(actor=None, action="user.admin_ensure", target=user, after={"created": created})
    return user, created
