import os

import pytest

os.environ.setdefault("PAMONG_ENV", "test")


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    # Rate-limit counters live in the cache; each test starts with none spent.
    from django.core.cache import cache

    cache.clear()
