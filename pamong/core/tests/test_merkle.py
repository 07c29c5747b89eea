"""The Merkle tree of RFC 9162 §2.1, held against published vectors and against the RFC itself.

The known answers are the Certificate Transparency reference vectors of transparency-dev/merkle
(``testonly/constants.go``, ``proof/verify_test.go``; indices there are 1-based, here 0-based).
The properties compare ``pamong.core.merkle`` with the RFC's recursive definitions of MTH, PATH and
PROOF, written out again below without looking at the module, and check that every corruption of a
proof is refused. No database.
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pamong.core import merkle

# --- the reference tree (transparency-dev/merkle, testonly/constants.go) -----------------------

LEAF_INPUTS = [
    bytes.fromhex(h)
    for h in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
]

ROOTS = [
    bytes.fromhex(h)
    for h in [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]
]

# Every perfect subtree of the 8-leaf tree, by level then position (NodeHashes in constants.go).
NODE_HASHES = [
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
    ],
    [
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    ],
    [
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    ["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
]


def _hashes(*hexes: str) -> list[bytes]:
    return [bytes.fromhex(h) for h in hexes]


# (0-based leaf index, tree size, audit path), from proof/verify_test.go.
INCLUSION_VECTORS = [
    (
        0,
        8,
        _hashes(
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ),
    ),
    (
        5,
        8,
        _hashes(
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ),
    ),
    (2, 3, _hashes("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")),
    (
        1,
        5,
        _hashes(
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ),
    ),
]

# (first size, second size, proof), from proof/verify_test.go.
CONSISTENCY_VECTORS = [
    (1, 8, INCLUSION_VECTORS[0][2]),
    (
        6,
        8,
        _hashes(
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ),
    ),
    (
        2,
        5,
        _hashes(
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ),
    ),
    (
        6,
        7,
        _hashes(
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ),
    ),
]

REFERENCE = merkle.PerfectNodes([merkle.leaf_hash(d) for d in LEAF_INPUTS])
SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")


# --- RFC 9162 §2.1, written out naively --------------------------------------------------------


def _k(n: int) -> int:
    """The largest power of two smaller than n."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def rfc_mth(inputs: list[bytes]) -> bytes:
    """MTH(D[n]) of §2.1.1."""
    n = len(inputs)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + inputs[0]).digest()
    k = _k(n)
    return hashlib.sha256(b"\x01" + rfc_mth(inputs[:k]) + rfc_mth(inputs[k:])).digest()


def rfc_path(m: int, inputs: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) of §2.1.3.1."""
    n = len(inputs)
    if n == 1:
        return []
    k = _k(n)
    if m < k:
        return [*rfc_path(m, inputs[:k]), rfc_mth(inputs[k:])]
    return [*rfc_path(m - k, inputs[k:]), rfc_mth(inputs[:k])]


def rfc_proof(m: int, inputs: list[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) of §2.1.4.1."""

    def subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
        n = len(d)
        if m == n:
            return [] if b else [rfc_mth(d)]
        k = _k(n)
        if m <= k:
            return [*subproof(m, d[:k], b), rfc_mth(d[k:])]
        return [*subproof(m - k, d[k:], False), rfc_mth(d[:k])]

    return subproof(m, inputs, True)


def rfc_path_sides(m: int, n: int) -> list[str]:
    """On which side each hash of PATH(m, D[n]) joins, leaf first: what a verifier can learn of a size."""
    if n == 1:
        return []
    k = _k(n)
    if m < k:
        return [*rfc_path_sides(m, k), "right"]
    return [*rfc_path_sides(m - k, n - k), "left"]


# A tree large enough for every property below; any prefix of it is the tree of that size.
MAX_SIZE = 300
INPUTS = [b"pamong-%d" % i for i in range(MAX_SIZE)]
LEAVES = [merkle.leaf_hash(d) for d in INPUTS]
TREE = merkle.PerfectNodes(LEAVES)
TREE_ROOTS = [merkle.root_hash(n, TREE) for n in range(MAX_SIZE + 1)]

sizes = st.integers(min_value=1, max_value=MAX_SIZE)
leaf_in_tree = sizes.flatmap(lambda n: st.tuples(st.integers(0, n - 1), st.just(n)))
two_sizes = sizes.flatmap(lambda n: st.tuples(st.integers(1, n), st.just(n)))
two_different_sizes = st.integers(2, MAX_SIZE).flatmap(lambda n: st.tuples(st.integers(1, n - 1), st.just(n)))
fast = settings(max_examples=150, deadline=None)


def _flip(value: bytes, position: int, mask: int) -> bytes:
    changed = bytearray(value)
    changed[position % len(changed)] ^= mask
    return bytes(changed)


# --- hashing -----------------------------------------------------------------------------------


def test_a_leaf_hash_is_sha256_of_0x00_and_the_input() -> None:
    assert merkle.leaf_hash(b"abc") == hashlib.sha256(b"\x00abc").digest()


def test_a_node_hash_is_sha256_of_0x01_left_and_right() -> None:
    left, right = bytes(range(32)), bytes(range(32, 64))
    assert merkle.node_hash(left, right) == hashlib.sha256(b"\x01" + left + right).digest()


@pytest.mark.parametrize(("n", "k"), [(2, 1), (3, 2), (4, 2), (5, 4), (7, 4), (8, 4), (9, 8), (300, 256)])
def test_the_split_is_the_largest_power_of_two_below_the_size(n: int, k: int) -> None:
    assert merkle.split_point(n) == k


def test_a_tree_of_one_leaf_has_no_split() -> None:
    with pytest.raises(ValueError):
        merkle.split_point(1)


# --- known answers -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", range(9))
def test_the_root_of_the_reference_tree_matches_for_size(size: int) -> None:
    assert merkle.root_hash(size, REFERENCE) == ROOTS[size]
    assert rfc_mth(LEAF_INPUTS[:size]) == ROOTS[size]


def test_every_perfect_subtree_of_the_reference_tree_matches() -> None:
    assert [[h.hex() for h in level] for level in REFERENCE.levels] == NODE_HASHES


def test_the_empty_tree_hashes_the_empty_string() -> None:
    assert merkle.root_hash(0, REFERENCE) == merkle.EMPTY_ROOT == hashlib.sha256(b"").digest()


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION_VECTORS)
def test_the_reference_inclusion_paths_are_generated(index: int, size: int, path: list[bytes]) -> None:
    assert merkle.inclusion_path(index, size, REFERENCE) == path


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION_VECTORS)
def test_the_reference_inclusion_paths_verify(index: int, size: int, path: list[bytes]) -> None:
    leaf = merkle.leaf_hash(LEAF_INPUTS[index])
    assert merkle.root_from_inclusion_path(index, size, leaf, path) == ROOTS[size]
    merkle.verify_inclusion(index, size, leaf, path, ROOTS[size])


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION_VECTORS)
def test_corrupted_reference_inclusion_proofs_are_refused(index: int, size: int, path: list[bytes]) -> None:
    """The probes of corruptInclusionProof in proof/verify_test.go."""
    leaf, root = merkle.leaf_hash(LEAF_INPUTS[index]), ROOTS[size]
    probes = [
        (index - 1, size, leaf, path, root),
        (index + 1, size, leaf, path, root),
        (index ^ 2, size, leaf, path, root),
        (index, size * 2, leaf, path, root),
        (index, size // 2, leaf, path, root),
        (index, size, b"WrongLeaf", path, root),
        (index, size, leaf, path, merkle.EMPTY_ROOT),
        (index, size, leaf, path, SOME_HASH),
        (index, size, leaf, [*path, b""], root),
        (index, size, leaf, [*path, root], root),
        (index, size, leaf, [b"", *path], root),
        (index, size, leaf, [root, *path], root),
        (index, size, leaf, path[:-1], root),
        (index, size, leaf, [path[0], SOME_HASH, *path[1:]], root),
        *((index, size, leaf, [*path[:i], _flip(path[i], 0, 8), *path[i + 1 :]], root) for i in range(len(path))),
    ]
    for probe in probes:
        with pytest.raises(merkle.ProofError):
            merkle.verify_inclusion(*probe)


@pytest.mark.parametrize(("first", "second", "proof"), CONSISTENCY_VECTORS)
def test_the_reference_consistency_proofs_are_generated(first: int, second: int, proof: list[bytes]) -> None:
    assert merkle.consistency_proof(first, second, REFERENCE) == proof


@pytest.mark.parametrize(("first", "second", "proof"), CONSISTENCY_VECTORS)
def test_the_reference_consistency_proofs_verify(first: int, second: int, proof: list[bytes]) -> None:
    merkle.verify_consistency(first, second, ROOTS[first], ROOTS[second], proof)


@pytest.mark.parametrize(("first", "second", "proof"), CONSISTENCY_VECTORS)
def test_corrupted_reference_consistency_proofs_are_refused(first: int, second: int, proof: list[bytes]) -> None:
    """The probes of corruptConsistencyProof in proof/verify_test.go."""
    r1, r2 = ROOTS[first], ROOTS[second]
    probes = [
        (first - 1, second, r1, r2, proof),
        (first + 1, second, r1, r2, proof),
        (first ^ 2, second, r1, r2, proof),
        (first, second * 2, r1, r2, proof),
        (first, second // 2, r1, r2, proof),
        (first, second, b"WrongRoot", r2, proof),
        (first, second, r1, b"WrongRoot", proof),
        (first, second, r2, r1, proof),
        (first, second, r1, r2, []),
        (first, second, r1, r2, [*proof, b""]),
        (first, second, r1, r2, [*proof, r1]),
        (first, second, r1, r2, [*proof, r2]),
        (first, second, r1, r2, [b"", *proof]),
        (first, second, r1, r2, [r1, *proof]),
        (first, second, r1, r2, [r2, *proof]),
        (first, second, r1, r2, [proof[0], *proof]),
        (first, second, r1, r2, proof[:-1]),
        *((first, second, r1, r2, [*proof[:i], _flip(proof[i], 0, 16), *proof[i + 1 :]]) for i in range(len(proof))),
    ]
    for probe in probes:
        with pytest.raises(merkle.ProofError):
            merkle.verify_consistency(*probe)


# --- edges -------------------------------------------------------------------------------------


def test_the_empty_tree_proves_nothing() -> None:
    with pytest.raises(merkle.ProofError):
        merkle.inclusion_path(0, 0, TREE)
    with pytest.raises(merkle.ProofError):
        merkle.verify_inclusion(0, 0, LEAVES[0], [], merkle.EMPTY_ROOT)


def test_a_tree_of_one_leaf_has_an_empty_path_and_the_leaf_as_its_root() -> None:
    assert merkle.root_hash(1, TREE) == LEAVES[0]
    assert merkle.inclusion_path(0, 1, TREE) == []
    merkle.verify_inclusion(0, 1, LEAVES[0], [], LEAVES[0])
    with pytest.raises(merkle.ProofError):
        merkle.verify_inclusion(0, 1, LEAVES[1], [], LEAVES[0])


@pytest.mark.parametrize(("index", "size"), [(-1, 5), (5, 5), (6, 5), (0, -1)])
def test_an_index_outside_the_tree_is_refused(index: int, size: int) -> None:
    with pytest.raises(merkle.ProofError):
        merkle.inclusion_path(index, size, TREE)
    with pytest.raises(merkle.ProofError):
        merkle.verify_inclusion(index, size, LEAVES[0], [], TREE_ROOTS[5])


def test_hashes_of_the_wrong_length_are_refused() -> None:
    path = merkle.inclusion_path(0, 2, TREE)
    with pytest.raises(merkle.ProofError):
        merkle.verify_inclusion(0, 2, LEAVES[0][:31], path, TREE_ROOTS[2])
    with pytest.raises(merkle.ProofError):
        merkle.verify_inclusion(0, 2, LEAVES[0], [path[0] + b"\x00"], TREE_ROOTS[2])
    with pytest.raises(merkle.ProofError):
        merkle.verify_consistency(1, 2, TREE_ROOTS[1], TREE_ROOTS[2], [LEAVES[1][:16]])


@pytest.mark.parametrize("size", [1, 2, 7, 8])
def test_a_tree_is_consistent_with_itself_through_an_empty_proof(size: int) -> None:
    assert merkle.consistency_proof(size, size, TREE) == []
    merkle.verify_consistency(size, size, TREE_ROOTS[size], TREE_ROOTS[size], [])


def test_equal_sizes_with_different_roots_or_a_proof_are_refused() -> None:
    with pytest.raises(merkle.ProofError):
        merkle.verify_consistency(5, 5, TREE_ROOTS[5], TREE_ROOTS[6], [])
    with pytest.raises(merkle.ProofError):
        merkle.verify_consistency(5, 5, TREE_ROOTS[5], TREE_ROOTS[5], [merkle.EMPTY_ROOT])
    with pytest.raises(merkle.ProofError):
        merkle.verify_consistency(0, 0, merkle.EMPTY_ROOT, TREE_ROOTS[1], [])
    merkle.verify_consistency(0, 0, merkle.EMPTY_ROOT, merkle.EMPTY_ROOT, [])


def test_every_tree_extends_the_empty_one_and_the_proof_of_it_is_empty() -> None:
    with pytest.raises(merkle.ProofError):
        merkle.consistency_proof(0, 5, TREE)
    merkle.verify_consistency(0, 5, merkle.EMPTY_ROOT, TREE_ROOTS[5], [])
    with pytest.raises(merkle.ProofError):
        merkle.verify_consistency(0, 5, merkle.EMPTY_ROOT, TREE_ROOTS[5], [merkle.EMPTY_ROOT])


def test_a_tree_never_extends_a_larger_one() -> None:
    with pytest.raises(merkle.ProofError):
        merkle.consistency_proof(6, 5, TREE)
    with pytest.raises(merkle.ProofError):
        merkle.verify_consistency(6, 5, TREE_ROOTS[6], TREE_ROOTS[5], merkle.consistency_proof(5, 6, TREE))
    with pytest.raises(merkle.ProofError):
        merkle.verify_consistency(-1, 5, merkle.EMPTY_ROOT, TREE_ROOTS[5], [])


def test_a_proof_does_not_fix_the_tree_size_the_signed_checkpoint_does() -> None:
    """PATH(0, D[4]) and PATH(0, D[3]) join their hashes on the same sides, so the path of leaf 0 in
    the tree of 4 also "verifies" for a claimed size of 3 against the root of 4. RFC 9162 binds a
    root to its size only through the signed tree head: never take the size from the proof."""
    path = merkle.inclusion_path(0, 4, TREE)
    merkle.verify_inclusion(0, 3, LEAVES[0], path, TREE_ROOTS[4])
    with pytest.raises(merkle.ProofError):
        merkle.verify_inclusion(0, 3, LEAVES[0], path, TREE_ROOTS[3])


# --- properties --------------------------------------------------------------------------------


@fast
@given(st.lists(st.binary(max_size=40), max_size=70))
def test_the_root_is_the_rfcs_mth(inputs: list[bytes]) -> None:
    tree = merkle.PerfectNodes([merkle.leaf_hash(d) for d in inputs])
    assert merkle.root_hash(len(inputs), tree) == rfc_mth(inputs)


def test_the_root_of_every_size_up_to_300_is_the_rfcs_mth() -> None:
    assert [rfc_mth(INPUTS[:n]) for n in range(MAX_SIZE + 1)] == TREE_ROOTS


@fast
@given(leaf_in_tree)
def test_every_inclusion_path_is_the_rfcs_and_verifies(case: tuple[int, int]) -> None:
    index, size = case
    path = merkle.inclusion_path(index, size, TREE)
    assert path == rfc_path(index, INPUTS[:size])
    merkle.verify_inclusion(index, size, LEAVES[index], path, TREE_ROOTS[size])


@fast
@given(two_sizes)
def test_every_consistency_proof_is_the_rfcs_and_verifies(case: tuple[int, int]) -> None:
    first, second = case
    proof = merkle.consistency_proof(first, second, TREE)
    assert proof == rfc_proof(first, INPUTS[:second])
    merkle.verify_consistency(first, second, TREE_ROOTS[first], TREE_ROOTS[second], proof)


def test_every_consistency_proof_between_sizes_up_to_64_verifies() -> None:
    for second in range(1, 65):
        for first in range(1, second + 1):
            proof = merkle.consistency_proof(first, second, TREE)
            merkle.verify_consistency(first, second, TREE_ROOTS[first], TREE_ROOTS[second], proof)


@fast
@given(leaf_in_tree, st.sampled_from(["path", "leaf", "root"]), st.integers(0, 10_000), st.integers(1, 255))
def test_changing_any_byte_of_an_inclusion_proof_is_caught(
    case: tuple[int, int], target: str, position: int, mask: int
) -> None:
    index, size = case
    path, leaf, root = merkle.inclusion_path(index, size, TREE), LEAVES[index], TREE_ROOTS[size]
    if target == "path" and path:
        i = position % len(path)
        path = [*path[:i], _flip(path[i], position // len(path), mask), *path[i + 1 :]]
    elif target == "root":
        root = _flip(root, position, mask)
    else:
        leaf = _flip(leaf, position, mask)
    with pytest.raises(merkle.ProofError):
        merkle.verify_inclusion(index, size, leaf, path, root)


@fast
@given(two_different_sizes, st.sampled_from(["proof", "first_root", "second_root"]), st.integers(0, 10_000))
def test_changing_any_byte_of_a_consistency_proof_is_caught(case: tuple[int, int], target: str, position: int) -> None:
    first, second = case
    proof = merkle.consistency_proof(first, second, TREE)
    r1, r2 = TREE_ROOTS[first], TREE_ROOTS[second]
    if target == "proof":
        i = position % len(proof)
        proof = [*proof[:i], _flip(proof[i], position // len(proof), 1 << (position % 8)), *proof[i + 1 :]]
    elif target == "first_root":
        r1 = _flip(r1, position, 0xFF)
    else:
        r2 = _flip(r2, position, 0x80)
    with pytest.raises(merkle.ProofError):
        merkle.verify_consistency(first, second, r1, r2, proof)


@fast
@given(leaf_in_tree, st.integers(0, MAX_SIZE - 1))
def test_an_inclusion_proof_for_another_leaf_index_is_refused(case: tuple[int, int], other: int) -> None:
    index, size = case
    other %= size
    if other == index:
        other = (index + 1) % size if size > 1 else 1
    path = merkle.inclusion_path(index, size, TREE)
    with pytest.raises(merkle.ProofError):
        merkle.verify_inclusion(other, size, LEAVES[index], path, TREE_ROOTS[size])


@fast
@given(leaf_in_tree, st.integers(0, 2 * MAX_SIZE))
def test_an_inclusion_proof_fits_another_size_only_where_its_hashes_join_on_the_same_sides(
    case: tuple[int, int], other: int
) -> None:
    index, size = case
    if other == size:
        other = size + 1
    path = merkle.inclusion_path(index, size, TREE)
    if index < other and rfc_path_sides(index, other) == rfc_path_sides(index, size):
        merkle.verify_inclusion(index, other, LEAVES[index], path, TREE_ROOTS[size])
    else:
        with pytest.raises(merkle.ProofError):
            merkle.verify_inclusion(index, other, LEAVES[index], path, TREE_ROOTS[size])


@fast
@given(two_different_sizes, st.integers(0, MAX_SIZE))
def test_a_consistency_proof_for_another_first_size_is_refused(case: tuple[int, int], other: int) -> None:
    first, second = case
    if other == first:
        other = first + 1
    proof = merkle.consistency_proof(first, second, TREE)
    with pytest.raises(merkle.ProofError):
        merkle.verify_consistency(other, second, TREE_ROOTS[first], TREE_ROOTS[second], proof)


@fast
@given(two_different_sizes, st.integers(1, 2 * MAX_SIZE))
def test_a_consistency_proof_is_refused_for_a_second_size_whose_proof_has_another_length(
    case: tuple[int, int], other: int
) -> None:
    first, second = case
    proof = merkle.consistency_proof(first, second, TREE)
    for claimed in (second * 2, second // 2, other):
        if claimed > first and len(rfc_proof(first, [b""] * claimed)) == len(proof):
            continue  # same length: only the signed checkpoint can tell the sizes apart
        with pytest.raises(merkle.ProofError):
            merkle.verify_consistency(first, claimed, TREE_ROOTS[first], TREE_ROOTS[second], proof)


@fast
@given(leaf_in_tree, st.sampled_from(["drop_last", "drop_first", "append", "prepend", "repeat"]))
def test_a_truncated_or_extended_inclusion_proof_is_refused(case: tuple[int, int], change: str) -> None:
    index, size = case
    path = merkle.inclusion_path(index, size, TREE)
    changed = {
        "drop_last": path[:-1],
        "drop_first": path[1:],
        "append": [*path, SOME_HASH],
        "prepend": [SOME_HASH, *path],
        "repeat": [*path, *path[-1:]] if path else [LEAVES[index]],
    }[change]
    if changed == path:  # nothing to drop from the empty path of a one-leaf tree
        changed = [SOME_HASH]
    with pytest.raises(merkle.ProofError):
        merkle.verify_inclusion(index, size, LEAVES[index], changed, TREE_ROOTS[size])


@fast
@given(two_different_sizes, st.sampled_from(["drop_last", "drop_first", "append", "prepend", "repeat"]))
def test_a_truncated_or_extended_consistency_proof_is_refused(case: tuple[int, int], change: str) -> None:
    first, second = case
    proof = merkle.consistency_proof(first, second, TREE)
    changed = {
        "drop_last": proof[:-1],
        "drop_first": proof[1:],
        "append": [*proof, SOME_HASH],
        "prepend": [SOME_HASH, *proof],
        "repeat": [*proof, proof[-1]],
    }[change]
    with pytest.raises(merkle.ProofError):
        merkle.verify_consistency(first, second, TREE_ROOTS[first], TREE_ROOTS[second], changed)
