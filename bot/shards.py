"""Which of Discord's shards this process runs (KINDRED_SHARD_COUNT, KINDRED_SHARD_IDS), and so which
servers' jobs it claims: a server belongs to shard `(guild_id >> 22) % shard_count`, Discord's rule."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shards:
    count: int
    ids: tuple[int, ...]

    def __post_init__(self) -> None:
        if self.count < 1 or not self.ids or any(not 0 <= i < self.count for i in self.ids):
            raise ValueError(f"shards {self.ids} out of range for a shard count of {self.count}")

    def owns(self, guild_id: int | None) -> bool:
        return guild_id is None or (guild_id >> 22) % self.count in self.ids

    def where(self, column: str = "guild_id") -> str:
        """SQL that keeps this process's servers' rows (and rows of no server, which any process may
        take). The numbers are validated integers, written into the SQL: no placeholders to count."""
        ids = ", ".join(str(i) for i in self.ids)
        return f" AND ({column} IS NULL OR ({column} >> 22) % {self.count} IN ({ids}))"


def of_guild(guild_id: int, count: int) -> int:
    return (guild_id >> 22) % count


def parse(count_raw: str, ids_raw: str) -> Shards | None:
    """`KINDRED_SHARD_COUNT=4`, `KINDRED_SHARD_IDS=0-1` (or `0,2`, default: all of them); neither: None,
    an unsharded bot. Raises ValueError with what to write instead."""
    count_raw, ids_raw = count_raw.strip(), ids_raw.strip()
    if not count_raw:
        if ids_raw:
            raise ValueError("KINDRED_SHARD_IDS needs KINDRED_SHARD_COUNT (the total number of shards, e.g. 4).")
        return None
    if not count_raw.isdigit() or int(count_raw) < 1:
        raise ValueError(f"KINDRED_SHARD_COUNT={count_raw!r} must be a whole number of shards, 1 or more.")
    count = int(count_raw)
    if not ids_raw:
        return Shards(count, tuple(range(count)))
    ids: list[int] = []
    for part in ids_raw.split(","):
        low, dash, high = part.strip().partition("-")
        if not low.isdigit() or (dash and not high.isdigit()):
            raise ValueError(f"KINDRED_SHARD_IDS={ids_raw!r}: write shard numbers and ranges, like 0-3 or 0,2.")
        first, last = int(low), int(high) if dash else int(low)
        if first > last or last >= count:
            raise ValueError(f"KINDRED_SHARD_IDS={ids_raw!r}: shards are numbered 0 to {count - 1} "
                             f"for KINDRED_SHARD_COUNT={count}.")
        ids.extend(range(first, last + 1))
    return Shards(count, tuple(sorted(set(ids))))
