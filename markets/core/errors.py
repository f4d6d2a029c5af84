"""The project's error base, and the exchange errors. Adapters raise these, never ccxt's own.

Every error the project raises on purpose subclasses `QuantumTraderError`, so one API
exception handler (quantum_trader/exceptions.py) renders them all in one shape.

Retryable errors may succeed when the same call is repeated later (network trouble, rate
limits, exchange maintenance); fatal errors will not (bad credentials, unknown symbol,
rejected order). The ccxt adapter maps ccxt's hierarchy onto these in one table.
"""

from __future__ import annotations


class QuantumTraderError(Exception):
    """Base of every error the project raises on purpose, in every app and core.

    `code` is stable and machine-readable (snake_case, documented in the API error shape),
    `field` names the input that caused it when there is one, and the message is written for
    the user who sent the request. `status` is the HTTP status the API answers with.
    """

    code = "error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.field = field

    def field_errors(self) -> dict[str, list[str]]:
        """Messages per input name, for the error body's `fields` (empty without a field)."""
        return {self.field: [self.message]} if self.field else {}


class ExchangeError(QuantumTraderError):
    """Base of every error an exchange adapter raises."""

    code = "exchange_error"
    status = 502
    retryable = False

    def __init__(
        self,
        message: str,
        *,
        exchange: str = "",
        retry_after: float | None = None,
        code: str | None = None,
        field: str | None = None,
    ):
        super().__init__(message, code=code, field=field)
        self.exchange = exchange
        self.retry_after = retry_after


class RetryableError(ExchangeError):
    retryable = True


class NetworkError(RetryableError):
    """The request did not get a usable answer (timeout, connection reset, truncated body)."""

    code = "exchange_network_error"


class RateLimitedError(RetryableError):
    """The exchange asked us to slow down (HTTP 429/418 or an equivalent code)."""

    code = "exchange_rate_limited"
    status = 503


class ExchangeUnavailableError(RetryableError):
    """The exchange is down or in maintenance (HTTP 5xx)."""

    code = "exchange_unavailable"
    status = 503


class FatalError(ExchangeError):
    retryable = False


class AuthenticationError(FatalError):
    """The API key or signature was refused."""

    code = "exchange_auth_failed"


class PermissionDeniedError(FatalError):
    """The key is valid but may not do this (or the address is not whitelisted)."""

    code = "exchange_permission_denied"


class BadSymbolError(FatalError):
    """The exchange does not list this market."""

    code = "unknown_symbol"
    status = 400


class BadRequestError(FatalError):
    """The request itself is malformed or unsupported (unknown timeframe, bad parameter)."""

    code = "exchange_bad_request"
    status = 400


class InvalidOrderError(FatalError):
    """The order was rejected (precision, minimum notional, price filters)."""

    code = "order_rejected"
    status = 400


class DuplicateOrderError(FatalError):
    """The exchange already holds an order with this client order id: "already placed".

    Never a reason to send again; the reconciler looks the order up by its client order id.
    """

    code = "duplicate_order"
    status = 409


class OrderOutcomeUnknownError(ExchangeError):
    """A write was sent but no usable answer came back (timeout, dropped connection, 5xx).

    The order may or may not exist on the exchange. Writes are never retried blindly: the
    order becomes UNKNOWN and only the reconciler resolves it.
    """

    code = "order_outcome_unknown"
    retryable = False


class InsufficientFundsError(InvalidOrderError):
    """The account cannot pay for the order."""

    code = "insufficient_funds"


class OrderNotFoundError(FatalError):
    """The exchange knows no order with this id."""

    code = "order_not_found"
    status = 404


class UnknownExchangeError(FatalError):
    """No adapter exists for this exchange id."""

    code = "unknown_exchange"
    status = 400
