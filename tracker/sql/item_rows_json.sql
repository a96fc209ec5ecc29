-- The item-page JSON function: a page of items, given as (id, status) pairs in page order, rendered as
-- the API's JSON array text, in the representation of tracker.api.rows.build_rows (SQLite and single
-- items); tests/test_api_json_rows.py checks that the two agree. Installed with CREATE OR REPLACE after
-- every migrate (tracker.api.json_rows.install_function, a post_migrate handler): a function body is
-- code, not schema, so changing it needs no migration. Change the signature only together with
-- json_rows.page_json (and DROP the old one there: CREATE OR REPLACE cannot change arguments).
--
-- Why it is written this way (each measured, see the README's Performance section):
-- - The statement always runs on its generic plan (plan_cache_mode). PL/pgSQL chose a custom plan,
--   planned afresh on each call, whenever the page's estimate favoured it: on every call for pages
--   under ~20 items (6-7 ms for one item, 0.4 ms now) and often at 50 (4.0 ms, 2.2 ms now). The plan
--   does not depend on the ids it is given: one index lookup per item and relation.
-- - PostgreSQL 15 sorts each group separately for an ordered aggregate (json_agg(... ORDER BY ...)):
--   each relation list is aggregated from one subquery sorted by item and then by the list's order.
-- - Objects are rendered with row_to_json of a row (field names from the column aliases) rather than
--   json_build_object, which looks up every argument's type on every call.
-- - Lists are ordered as build_rows orders them (COLLATE "C": code point order, like Python's sorted()).
CREATE OR REPLACE FUNCTION tracker_item_rows_json(
    page_ids bigint[], page_statuses text[], as_of_date date,
    api_prefix text, page_prefix text, page_suffix text, history_prefix text
) RETURNS text LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    RETURN (
        WITH page AS MATERIALIZED (
            SELECT * FROM unnest(page_ids, page_statuses) WITH ORDINALITY AS u(id, status, n)
        ),
        made AS (
            SELECT item_id, json_agg(x) AS list FROM (
                SELECT r.item_id, x FROM page JOIN tracker_item_made_by r ON r.item_id = page.id
                JOIN tracker_actor a ON a.id = r.actor_id
                CROSS JOIN LATERAL (SELECT a.id, a.slug, a.name) x
                ORDER BY r.item_id, a.name COLLATE "C", a.id
            ) sorted GROUP BY item_id
        ),
        addressed AS (
            SELECT item_id, json_agg(x) AS list FROM (
                SELECT r.item_id, x FROM page JOIN tracker_item_addressed_to r ON r.item_id = page.id
                JOIN tracker_actor a ON a.id = r.actor_id
                CROSS JOIN LATERAL (SELECT a.id, a.slug, a.name) x
                ORDER BY r.item_id, a.name COLLATE "C", a.id
            ) sorted GROUP BY item_id
        ),
        themes AS (
            SELECT item_id, json_agg(x) AS list FROM (
                SELECT r.item_id, x FROM page JOIN tracker_item_themes r ON r.item_id = page.id
                JOIN tracker_theme t ON t.id = r.theme_id
                CROSS JOIN LATERAL (SELECT t.id, t.slug, t.name) x
                ORDER BY r.item_id, t.path COLLATE "C", t.id
            ) sorted GROUP BY item_id
        ),
        citations AS (
            SELECT item_id, json_agg(x) AS list FROM (
                SELECT c.item_id, x FROM page JOIN tracker_citation c ON c.item_id = page.id
                JOIN tracker_document cd ON cd.id = c.document_id
                CROSS JOIN LATERAL (SELECT c.id, c.document_id AS document, cd.slug AS document_slug,
                                           c.section_id AS section, c."start", c."end", c.quote) x
                ORDER BY c.item_id, c.position, c.id
            ) sorted GROUP BY item_id
        )
        SELECT coalesce(json_agg(x ORDER BY page.n), '[]')::text
        FROM page
        JOIN tracker_item i ON i.id = page.id
        JOIN tracker_document d ON d.id = i.document_id
        LEFT JOIN tracker_section s ON s.id = i.section_id
        LEFT JOIN made ON made.item_id = i.id
        LEFT JOIN addressed ON addressed.item_id = i.id
        LEFT JOIN themes ON themes.item_id = i.id
        LEFT JOIN citations ON citations.item_id = i.id
        CROSS JOIN LATERAL (SELECT
            i.id, i.reference, i.kind, i.title, i.text,
            page.status, as_of_date AS as_of, i.review_state, i.strength,
            i.date, i.target_date,
            (SELECT y FROM (SELECT d.id, d.slug, d.title) y) AS document,
            CASE WHEN s.id IS NULL THEN NULL
                 ELSE (SELECT y FROM (SELECT s.id, s.number, s.heading) y) END AS section,
            coalesce(made.list, '[]') AS made_by,
            coalesce(addressed.list, '[]') AS addressed_to,
            coalesce(themes.list, '[]') AS themes,
            coalesce(citations.list, '[]') AS citations,
            to_char(i.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS updated_at,
            api_prefix || i.id || '/' AS api_url,
            page_prefix || i.reference || page_suffix AS url,
            history_prefix || i.id AS status_history_url
        ) x
    );
END
$$
