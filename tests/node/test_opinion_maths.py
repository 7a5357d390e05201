"""The opinion map's maths finds opinion groups planted in noisy, sparse votes."""

from __future__ import annotations

from math import comb

import numpy as np

from node.opinion.compute import compute_map, group_labels

GROUPS, PER_GROUP, STATEMENTS = 3, 100, 50
CONSENSUS = (0, 1, 2, 3, 4)  # every planted group agrees with these
NOISE, MISSING = 0.10, 0.40


def planted_votes(seed: int = 7) -> tuple[list[tuple[int, int, int]], dict[int, int]]:
    """Votes of three planted groups, and each participant's planted group.

    Each group has a view of every statement (agree or disagree; on the consensus statements
    all agree, on the others at least one group disagrees). 10% of votes are replaced by one of
    the two other answers at random, and 40% are missing."""
    rng = np.random.default_rng(seed)
    views = np.ones((GROUPS, STATEMENTS), dtype=np.int64)
    for statement in range(len(CONSENSUS), STATEMENTS):
        while True:
            column = rng.choice([1, -1], size=GROUPS)
            if (column == -1).any() and (column == 1).any():
                break
        views[:, statement] = column
    votes, planted = [], {}
    participant_ids = rng.permutation(GROUPS * PER_GROUP) + 1000  # ids unrelated to groups
    for index, participant in enumerate(participant_ids):
        group = index // PER_GROUP
        planted[int(participant)] = group
        for statement in range(STATEMENTS):
            if rng.random() < MISSING:
                continue
            value = int(views[group, statement])
            if rng.random() < NOISE:
                value = int(rng.choice([v for v in (1, 0, -1) if v != value]))
            votes.append((int(participant), 500 + statement, value))
    return votes, planted


def adjusted_rand_index(left: list[int], right: list[int]) -> float:
    """Hubert and Arabie's adjusted Rand index of two labellings of the same items."""
    table: dict[tuple[int, int], int] = {}
    for a, b in zip(left, right, strict=True):
        table[a, b] = table.get((a, b), 0) + 1
    rows: dict[int, int] = {}
    columns: dict[int, int] = {}
    for (a, b), n in table.items():
        rows[a] = rows.get(a, 0) + n
        columns[b] = columns.get(b, 0) + n
    index = sum(comb(n, 2) for n in table.values())
    row_pairs = sum(comb(n, 2) for n in rows.values())
    column_pairs = sum(comb(n, 2) for n in columns.values())
    expected = row_pairs * column_pairs / comb(len(left), 2)
    return (index - expected) / ((row_pairs + column_pairs) / 2 - expected)


def test_the_adjusted_rand_index_here_is_one_for_the_same_groups_and_near_zero_for_chance() -> None:
    assert adjusted_rand_index([0, 0, 1, 1, 2, 2], [5, 5, 3, 3, 9, 9]) == 1.0
    rng = np.random.default_rng(1)
    chance = adjusted_rand_index(list(rng.integers(3, size=900)), list(rng.integers(3, size=900)))
    assert abs(chance) < 0.05


def test_three_planted_opinion_groups_are_recovered_with_their_consensus() -> None:
    votes, planted = planted_votes()
    found = group_labels(votes)
    assert set(found) == set(planted)  # about 30 votes each: everyone is clustered
    people = sorted(planted)
    ari = adjusted_rand_index([planted[p] for p in people], [found[p] for p in people])
    assert ari >= 0.9, ari

    result = compute_map(votes)
    assert result["enough"] and result["k"] == 3
    assert sorted(group["members"] for group in result["groups"]) == sorted(
        np.bincount([found[p] for p in people]).tolist()
    )
    assert {item["statement"] for item in result["consensus"]} == {500 + s for s in CONSENSUS}
    assert result["votes_counted"] == len(votes) and result["participants"] == 300
    assert len(result["points"]) == 300
    for group in result["groups"]:  # each group is set apart by statements it was planted with
        assert group["representative"]


def test_each_group_is_represented_by_statements_its_members_were_planted_to_hold() -> None:
    votes, planted = planted_votes()
    found = group_labels(votes)
    result = compute_map(votes)
    for label, group in enumerate(result["groups"]):
        members = [p for p, g in found.items() if g == label]
        planted_group = np.bincount([planted[p] for p in members]).argmax()
        held = {(statement, value) for p in members for (q, statement, value) in votes if q == p}
        for item in group["representative"]:
            wanted = 1 if item["direction"] == "agree" else -1
            agreed = sum(
                1
                for p in members
                if (item["statement"], wanted) in held and planted[p] == planted_group
            )
            assert agreed > 0.5 * item["seen"], (label, item)


def test_the_same_votes_and_seed_give_the_same_map_in_any_order() -> None:
    votes, _ = planted_votes()
    first = compute_map(votes, seed=11)
    again = compute_map(list(reversed(votes)), seed=11)
    assert first == again
    assert first["seed"] == 11


def test_the_map_names_no_participant() -> None:
    votes, _ = planted_votes()
    result = compute_map(votes)
    assert set(result) == {
        "format", "seed", "votes_counted", "participants", "statements", "clustered", "enough",
        "k", "silhouette", "groups", "points", "consensus",
    }  # fmt: skip
    assert all(set(group) == {"members", "representative"} for group in result["groups"])
    assert all(
        len(point) == 3 and isinstance(point[2], int) and isinstance(point[0], float)
        for point in result["points"]
    )  # x, y and a group: nothing else about anyone


def test_too_few_votes_make_no_map_but_are_counted() -> None:
    few = [(person, statement, 1) for person in range(1, 4) for statement in range(10, 20)]
    result = compute_map(few)
    assert result["enough"] is False
    assert result["votes_counted"] == 30 and result["participants"] == 3
    assert "points" not in result


def test_people_with_fewer_than_seven_votes_are_counted_but_left_out_of_the_groups() -> None:
    votes, _ = planted_votes()
    sparse = [(9001, 500 + s, 1) for s in range(3)]
    result = compute_map(votes + sparse)
    assert result["participants"] == 301 and result["clustered"] == 300
    assert len(result["points"]) == 300
    assert sum(group["members"] for group in result["groups"]) == 300
