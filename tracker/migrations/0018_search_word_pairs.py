"""Word pairs for phrase searches (PostgreSQL): `tracker_word_pairs(search_vector)`, the item's adjacent lexemes as
one lexeme each ('border polic'), in a GIN expression index.

The GIN index of `search_vector` keeps no word positions, so a phrase ('border' <-> 'polic') is found by reading
every item that has both words and testing their positions: 41,000-48,000 table rows for one two-word phrase at
1,000,000 items (a third of the table's pages: 0.25-0.7 s cold) for 2,200-2,800 matches. tracker.search adds
"has every adjacent pair" as a condition the pairs' index answers exactly, so only the matches are read (2,430
pages). It only narrows: every phrase match has its pairs, and the positions are still tested.

Cost: 257 MB at 1,000,000 items, about a minute to build here (20 us per item for the pairs), and the pairs are
computed again whenever an item row gets a new version (a status update too). SQLite: nothing (no full-text
search there)."""

from django.db import migrations

from tracker.migration_operations import postgresql_only

FUNCTION = """
CREATE FUNCTION tracker_word_pairs(vector tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_to_tsvector(array_agg(DISTINCT a.lexeme || ' ' || b.lexeme)), ''::tsvector)
    FROM (SELECT lexeme, unnest(positions) AS pos FROM unnest(vector)) a
    JOIN (SELECT lexeme, unnest(positions) AS pos FROM unnest(vector)) b ON b.pos = a.pos + 1
$$
"""
INDEX = "CREATE INDEX item_search_pairs_gin_idx ON tracker_item USING gin (tracker_word_pairs(search_vector))"


class Migration(migrations.Migration):
    dependencies = [("tracker", "0017_item_count_actor_index")]

    operations = [
        postgresql_only(
            [FUNCTION, INDEX],
            ["DROP INDEX IF EXISTS item_search_pairs_gin_idx", "DROP FUNCTION IF EXISTS tracker_word_pairs(tsvector)"],
        )
    ]
