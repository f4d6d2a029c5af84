"""Writes for users: creation, registration, passwords, tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.views.decorators.debug import sensitive_variables

from accounts.models import AuditEvent, User
from accounts.services.audit import audit_record
from accounts.services.lockout import guarded_attempt
from accounts.services.sessions import tokens_revoke_all
from markets.core.errors import QuantumTraderError


class SignupClosedError(QuantumTraderError):
    """Self-registration is turned off (QT_ALLOW_SIGNUP); answered as "not found"."""

    code = "signup_closed"
    status = 404


class PasswordResetLinkError(QuantumTraderError):
    """The reset link is unknown, used or expired; the message says only that."""

    code = "reset_link_invalid"
    status = 400


@sensitive_variables("password")
@transaction.atomic
def user_create(*, username: str, password: str, email: str = "", is_staff: bool = False) -> User:
    """Create an active user with a hashed password."""
    model = get_user_model()
    user: User = model.objects.create_user(
        username=username, password=password, email=email, is_staff=is_staff
    )
    return user


@sensitive_variables("password")
def user_register(*, username: str, email: str, password: str, ip_address: str | None) -> User:
    """Create an ordinary user through self-registration, when the setting allows it."""
    if not settings.QT_ALLOW_SIGNUP:
        raise SignupClosedError("Self-registration is turned off on this server.")
    password_validation.validate_password(password, User(username=username, email=email))
    with transaction.atomic():
        user = user_create(username=username, password=password, email=email)
        audit_record(
            action=AuditEvent.Action.USER_REGISTERED,
            actor=user,
            target=user,
            ip_address=ip_address,
        )
    return user


@sensitive_variables("new_password")
@transaction.atomic
def password_change(*, user: User, new_password: str, ip_address: str | None) -> None:
    """Set a new password (validated) and revoke the user's API tokens."""
    password_validation.validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    tokens_revoke_all(user=user)
    audit_record(
        action=AuditEvent.Action.PASSWORD_CHANGED, actor=user, target=user, ip_address=ip_address
    )


def password_reset_request(*, email: str, link_base: str) -> None:
    """E-mail a reset link to every active account with this address; silent when none.

    The caller answers the same way whether or not the address is known.
    """
    model = get_user_model()
    for user in model.objects.filter(email__iexact=email.strip(), is_active=True):
        if not user.has_usable_password():
            continue
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = f"{link_base.rstrip('/')}/reset-password?uid={uid}&token={token}"
        send_mail(
            subject="Quantum Trader password reset",
            message=(
                f"Someone asked to reset the password of {user.username} on Quantum Trader.\n"
                f"If it was you, open this link within a few days:\n\n{link}\n\n"
                "If it was not you, ignore this message; nothing changes."
            ),
            from_email=None,
            recipient_list=[user.email],
        )


@sensitive_variables("new_password", "token")
def password_reset_confirm(
    *, uid: str, token: str, new_password: str, ip_address: str | None
) -> User:
    """Set a new password from a reset link; raise PasswordResetLinkError when it is bad."""
    model = get_user_model()
    try:
        user = model.objects.get(pk=int(force_str(urlsafe_base64_decode(uid))), is_active=True)
    except (ValueError, TypeError, OverflowError, model.DoesNotExist):
        raise PasswordResetLinkError(
            "This reset link is not valid or has expired.", field="token"
        ) from None
    # A reset link is a sign-in door: wrong tokens count towards the same lockout.
    checked = guarded_attempt(
        username=user.username,
        ip_address=ip_address,
        attempt=lambda: user if default_token_generator.check_token(user, token) else None,
        door="password_reset",
    )
    if checked is None:
        raise PasswordResetLinkError("This reset link is not valid or has expired.", field="token")
    password_validation.validate_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        tokens_revoke_all(user=user)
        audit_record(
            action=AuditEvent.Action.PASSWORD_RESET, actor=user, target=user, ip_address=ip_address
        )
    return user
