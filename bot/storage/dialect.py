"""How the backends' SQL differs, in one place.

Kindred's queries are written once, in SQLite's spelling: `?` (or `?1`) placeholders,
`INSERT OR IGNORE`, `json_extract(col, '$.key')`, `x IS ?`. SQLite runs them as they are; for
PostgreSQL `translate` rewrites them (once per distinct text, cached):

    ?, ?, ?                   ->  $1, $2, $3        (?1 -> $1)
    INSERT OR IGNORE ...      ->  INSERT ... ON CONFLICT DO NOTHING   (before any RETURNING)
    json_extract(c, '$.k')    ->  (c::jsonb ->> 'k')    text: CAST it to compare with a number
    x IS ? / x IS NOT ?       ->  x IS NOT DISTINCT FROM $n / x IS DISTINCT FROM $n
    group_concat(text)        ->  string_agg(text, ',')   (its argument without parentheses but a CAST)

Upserts (`ON CONFLICT (...) DO UPDATE SET c = excluded.c`), `RETURNING`, partial indexes and
`CASE` read the same on both. A claim appends `skip_locked` to the SELECT choosing its rows.
"""
from __future__ import annotations

import re
from functools import lru_cache


class Dialect:
    name = "sqlite"
    skip_locked = ""  # one writer at a time (BEGIN IMMEDIATE): nothing to skip

    def translate(self, sql: str) -> str:
        return sql


class PostgresDialect(Dialect):
    name = "postgresql"
    skip_locked = " FOR UPDATE SKIP LOCKED"  # several processes claim at once; each takes rows no one holds

    def translate(self, sql: str) -> str:
        return _translate(sql)


_JSON = re.compile(r"json_extract\(\s*([\w.]+)\s*,\s*'\$\.(\w+)'\s*\)", re.IGNORECASE)
_IS_PARAM = re.compile(r"\bIS\s+(NOT\s+)?(?=\?)", re.IGNORECASE)
_GROUP_CONCAT = re.compile(r"\bgroup_concat\(((?:[^()]|\([^()]*\))*)\)", re.IGNORECASE)
_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO\b", re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)


@lru_cache(maxsize=1024)
def _translate(sql: str) -> str:
    sql = _JSON.sub(r"(\1::jsonb ->> '\2')", sql)
    sql = _GROUP_CONCAT.sub(r"string_agg(\1, ',')", sql)
    sql = _IS_PARAM.sub(lambda m: "IS DISTINCT FROM " if m.group(1) else "IS NOT DISTINCT FROM ", sql)
    if _OR_IGNORE.match(sql):
        sql = _OR_IGNORE.sub("INSERT INTO", sql, count=1).rstrip().rstrip(";")
        returning = _top_level(sql, _RETURNING)
        sql = (f"{sql[:returning]}ON CONFLICT DO NOTHING {sql[returning:]}" if returning is not None
               else f"{sql} ON CONFLICT DO NOTHING")
    return _placeholders(sql)


def _placeholders(sql: str) -> str:
    """`?` -> `$1`, `$2` ... in order, `?N` -> `$N`; text inside quotes and comments is left alone."""
    out, count, i, n = [], 0, 0, len(sql)
    numbered = plain = False
    while i < n:
        c = sql[i]
        if c in "'\"":
            end = i + 1
            while end < n and (sql[end] != c or sql.startswith(c * 2, end)):
                end += 2 if sql[end] == c else 1
            out.append(sql[i:end + 1])
            i = end + 1
        elif c == "-" and sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n if end < 0 else end
            out.append(sql[i:end])
            i = end
        elif c == "?":
            j = i + 1
            while j < n and sql[j].isdigit():
                j += 1
            if j > i + 1:
                numbered = True
                out.append("$" + sql[i + 1:j])
            else:
                plain = True
                count += 1
                out.append(f"${count}")
            i = j
        else:
            out.append(c)
            i += 1
    if numbered and plain:
        raise ValueError("a statement mixes ? and ?N placeholders")
    return "".join(out)


def _top_level(sql: str, pattern: re.Pattern) -> int | None:
    """Where `pattern` first matches outside parentheses and quotes, or None."""
    depth, quote = 0, None
    for match in pattern.finditer(sql):
        start = match.start()
        depth, quote = 0, None
        for c in sql[:start]:
            if quote:
                quote = None if c == quote else quote
            elif c in "'\"":
                quote = c
            elif c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
        if depth == 0 and quote is None:
            return start
    return None


_WITH_CHANGE = re.compile(r"\)\s*(UPDATE|DELETE|INSERT|REPLACE)\b", re.IGNORECASE)


def _head(sql: str) -> str:
    """The statement's first keyword, upper-cased ("" for an empty one)."""
    return sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""


def returns_rows(sql: str) -> bool:
    """Whether a statement gives rows back (a query, or a change with RETURNING)."""
    head = _head(sql)
    if _RETURNING.search(sql) or head in ("SELECT", "VALUES", "SHOW", "TABLE"):
        return True
    return head == "WITH" and not _WITH_CHANGE.search(sql)


def changes_rows(sql: str) -> bool:
    """Whether a statement writes rows: an INSERT, UPDATE, DELETE or REPLACE (also after a WITH)."""
    head = _head(sql)
    return head in ("INSERT", "UPDATE", "DELETE", "REPLACE") or (head == "WITH" and bool(_WITH_CHANGE.search(sql)))
