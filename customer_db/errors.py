"""Exceptions a customer connector raises."""


class UnknownCustomerError(LookupError, ValueError):
    """An operation named a customer that does not exist.

    Also a ``ValueError``, so callers that treat any bad input alike can catch just that.
    """
