"""Writes of the accounts app. Other apps use these names (and `selectors`) only."""

from accounts.services.audit import AuditAction, audit_record, client_ip
from accounts.services.exchange_accounts import (
    AccountUnusableError,
    ConnectionReport,
    CredentialsRefusedError,
    CredentialsUnreadableError,
    ExchangeAccountError,
    ExchangeUnreachableError,
    exchange_account_adapter,
    exchange_account_check,
    exchange_account_create,
    exchange_account_delete,
    exchange_account_rewrap,
    exchange_account_update,
)
from accounts.services.lockout import login_failed, login_is_locked, login_succeeded
from accounts.services.users import (
    PasswordResetLinkError,
    SignupClosedError,
    password_change,
    password_reset_confirm,
    password_reset_request,
    token_issue,
    user_create,
    user_register,
)

__all__ = [
    "AccountUnusableError",
    "AuditAction",
    "ConnectionReport",
    "CredentialsRefusedError",
    "CredentialsUnreadableError",
    "ExchangeAccountError",
    "ExchangeUnreachableError",
    "PasswordResetLinkError",
    "SignupClosedError",
    "audit_record",
    "client_ip",
    "exchange_account_adapter",
    "exchange_account_check",
    "exchange_account_create",
    "exchange_account_delete",
    "exchange_account_rewrap",
    "exchange_account_update",
    "login_failed",
    "login_is_locked",
    "login_succeeded",
    "password_change",
    "password_reset_confirm",
    "password_reset_request",
    "token_issue",
    "user_create",
    "user_register",
]
