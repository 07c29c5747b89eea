import os
import tempfile

import pytest

os.environ.setdefault("PAMONG_ENV", "test")
# Handlers' password-derived keys at the smallest Argon2id cost, so the suite stays fast.
os.environ.setdefault("PAMONG_CASE_KDF", "min")
# Encrypted evidence files of each test process go to a folder of their own.
os.environ.setdefault("PAMONG_CASE_FILES", tempfile.mkdtemp(prefix="pamong-cases-"))


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    # Rate-limit counters live in the cache; each test starts with none spent.
    from django.core.cache import cache

    cache.clear()
