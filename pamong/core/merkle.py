"""The Merkle tree of RFC 9162 (Certificate Transparency 2.0), section 2.1.

Pure functions with no Django import, so that the offline receipt checker (scripts/) can use the
very code the server uses and a reviewer can hold it against the RFC line by line.

Hashes of *perfect* subtrees (2^level leaves starting at ``index * 2^level``) come from a callback
``perfect(level, index) -> bytes``; the ledger backs it with stored nodes, the tests with a list.
Every other subtree hash is built from perfect ones, so a proof needs O(log n) stored hashes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()

Perfect = Callable[[int, int], bytes]


class ProofError(ValueError):
    """A proof that does not verify, or a request for one that cannot exist."""


def leaf_hash(leaf_input: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + leaf_input).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def split_point(n: int) -> int:
    """k, the largest power of two smaller than n (n > 1): the RFC's split, not the midpoint."""
    if n < 2:
        raise ValueError("split_point needs n > 1")
    return 1 << ((n - 1).bit_length() - 1)


def _is_perfect(start: int, size: int) -> bool:
    return size & (size - 1) == 0 and start % size == 0


def subtree_hash(start: int, end: int, perfect: Perfect) -> bytes:
    """MTH(D[start:end]) for a range the RFC recursion produces (start aligned to the left part)."""
    size = end - start
    if size <= 0:
        return EMPTY_ROOT
    if _is_perfect(start, size):
        return perfect(size.bit_length() - 1, start // size)
    k = split_point(size)
    return node_hash(subtree_hash(start, start + k, perfect), subtree_hash(start + k, end, perfect))


def root_hash(size: int, perfect: Perfect) -> bytes:
    return subtree_hash(0, size, perfect)


def inclusion_path(index: int, size: int, perfect: Perfect) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 §2.1.3.1, leaf-side first."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is outside a tree of size {size}")
    path: list[bytes] = []
    start, end = 0, size
    # Walk down from the root, remembering the sibling at each level; the RFC lists them bottom-up.
    while end - start > 1:
        k = split_point(end - start)
        if index < start + k:
            path.append(subtree_hash(start + k, end, perfect))
            end = start + k
        else:
            path.append(subtree_hash(start, start + k, perfect))
            start = start + k
    path.reverse()
    return path


def consistency_proof(first: int, second: int, perfect: Perfect) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 §2.1.4.1."""
    if not 0 < first <= second:
        raise ProofError(f"no consistency proof from size {first} to size {second}")
    if first == second:
        return []
    return _subproof(first, 0, second, True, perfect)


def _subproof(m: int, start: int, end: int, complete: bool, perfect: Perfect) -> list[bytes]:
    n = end - start
    if m == n:
        return [] if complete else [subtree_hash(start, end, perfect)]
    k = split_point(n)
    if m <= k:
        return [*_subproof(m, start, start + k, complete, perfect), subtree_hash(start + k, end, perfect)]
    return [*_subproof(m - k, start + k, end, False, perfect), subtree_hash(start, start + k, perfect)]


def root_from_inclusion_path(index: int, size: int, leaf: bytes, path: Sequence[bytes]) -> bytes:
    """The root an inclusion proof leads to (RFC 9162 §2.1.3.2)."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is outside a tree of size {size}")
    if len(leaf) != HASH_SIZE or any(len(p) != HASH_SIZE for p in path):
        raise ProofError("every hash is 32 bytes")
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            raise ProofError("the proof is longer than the tree is deep")
        if fn % 2 == 1 or fn == sn:
            r = node_hash(p, r)
            if fn % 2 == 0:
                while fn % 2 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the proof is shorter than the tree is deep")
    return r


def verify_inclusion(index: int, size: int, leaf: bytes, path: Sequence[bytes], root: bytes) -> None:
    if root_from_inclusion_path(index, size, leaf, path) != root:
        raise ProofError("the inclusion proof does not lead to the root")


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]) -> None:
    """RFC 9162 §2.1.4.2; raises ProofError unless the second tree extends the first."""
    if first < 0 or second < first:
        raise ProofError(f"size {second} cannot extend size {first}")
    if any(len(p) != HASH_SIZE for p in proof):
        raise ProofError("every hash is 32 bytes")
    if first == second:
        if proof or first_root != second_root:
            raise ProofError("equal sizes need equal roots and an empty proof")
        return
    if first == 0:
        if proof:
            raise ProofError("a proof from the empty tree must be empty")
        return
    if not proof:
        raise ProofError("the proof is empty")
    path = list(proof)
    if first & (first - 1) == 0:  # first is a power of two: its root is the first node
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn % 2 == 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("the proof is longer than needed")
        if fn % 2 == 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if fn % 2 == 0:
                while fn % 2 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the proof is shorter than needed")
    if fr != first_root or sr != second_root:
        raise ProofError("the consistency proof does not lead to both roots")


class PerfectNodes:
    """Perfect-subtree hashes of an in-memory list of leaf hashes (tests, the verifier command)."""

    def __init__(self, leaves: Sequence[bytes]) -> None:
        self.levels: list[list[bytes]] = [list(leaves)]
        while len(self.levels[-1]) > 1:
            below = self.levels[-1]
            self.levels.append([node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)])

    def __call__(self, level: int, index: int) -> bytes:
        return self.levels[level][index]
