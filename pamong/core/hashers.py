"""Password hashing: Argon2id at the OWASP-recommended minimum (m=19 MiB, t=2, p=1).

Django's default Argon2 parameters (100 MiB, t=2, p=8) cost ~80 ms of CPU per login; at the
assembly thousands of staff log in within minutes on a 2-core server, and those parameters alone
would take longer than the signing itself. The OWASP Password Storage Cheat Sheet's first
Argon2id configuration keeps brute force expensive (memory-hard) at a fraction of the cost.
Existing hashes with other parameters are upgraded on the next successful login.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class PamongArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
