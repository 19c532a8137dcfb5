"""Customers' rights over their data: export (access, portability) and erasure."""
