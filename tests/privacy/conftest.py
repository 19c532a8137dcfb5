# The recommender's small workspace with known answers, to erase a customer from a real model.
from tests.recommender.conftest import ledger  # noqa: F401
