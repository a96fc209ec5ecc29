"""PostgreSQL: a function that renders a page of items as the API's JSON (tracker.api.json_rows).

Building the rows of a 50-item page in Python (a values() query, a relations query, dicts, then
json.dumps) was two thirds of an item list request. This function takes the page's ids and statuses
in page order and returns the JSON array text; PL/pgSQL keeps its plan for the session, so the
statement is not re-planned on every request (planning was as costly as running it). Each list is
ordered as in tracker.api.rows.build_rows (COLLATE "C": code point order, like Python's sorted()).
Nothing on SQLite, where build_rows renders every page.
"""

from django.db import migrations

FORWARD = r"""
CREATE FUNCTION tracker_item_rows_json(
    page_ids bigint[], page_statuses text[], as_of_date date,
    api_prefix text, page_prefix text, page_suffix text, history_prefix text
) RETURNS text LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (
        WITH page AS MATERIALIZED (
            SELECT * FROM unnest(page_ids, page_statuses) WITH ORDINALITY AS u(id, status, n)
        ),
        made AS (
            SELECT r.item_id, json_agg(json_build_object('id', a.id, 'slug', a.slug, 'name', a.name)
                                       ORDER BY a.name COLLATE "C", a.id) AS list
            FROM page JOIN tracker_item_made_by r ON r.item_id = page.id
            JOIN tracker_actor a ON a.id = r.actor_id
            GROUP BY r.item_id
        ),
        addressed AS (
            SELECT r.item_id, json_agg(json_build_object('id', a.id, 'slug', a.slug, 'name', a.name)
                                       ORDER BY a.name COLLATE "C", a.id) AS list
            FROM page JOIN tracker_item_addressed_to r ON r.item_id = page.id
            JOIN tracker_actor a ON a.id = r.actor_id
            GROUP BY r.item_id
        ),
        themes AS (
            SELECT r.item_id, json_agg(json_build_object('id', t.id, 'slug', t.slug, 'name', t.name)
                                       ORDER BY t.path COLLATE "C", t.id) AS list
            FROM page JOIN tracker_item_themes r ON r.item_id = page.id
            JOIN tracker_theme t ON t.id = r.theme_id
            GROUP BY r.item_id
        ),
        citations AS (
            SELECT c.item_id, json_agg(json_build_object(
                       'id', c.id, 'document', c.document_id, 'document_slug', cd.slug, 'section', c.section_id,
                       'start', c."start", 'end', c."end", 'quote', c.quote
                   ) ORDER BY c.position, c.id) AS list
            FROM page JOIN tracker_citation c ON c.item_id = page.id
            JOIN tracker_document cd ON cd.id = c.document_id
            GROUP BY c.item_id
        )
        SELECT coalesce(json_agg(json_build_object(
            'id', i.id, 'reference', i.reference, 'kind', i.kind, 'title', i.title, 'text', i.text,
            'status', page.status, 'as_of', as_of_date, 'review_state', i.review_state, 'strength', i.strength,
            'date', i.date, 'target_date', i.target_date,
            'document', json_build_object('id', d.id, 'slug', d.slug, 'title', d.title),
            'section', CASE WHEN s.id IS NULL THEN NULL
                            ELSE json_build_object('id', s.id, 'number', s.number, 'heading', s.heading) END,
            'made_by', coalesce(made.list, '[]'),
            'addressed_to', coalesce(addressed.list, '[]'),
            'themes', coalesce(themes.list, '[]'),
            'citations', coalesce(citations.list, '[]'),
            'updated_at', to_char(i.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
            'api_url', api_prefix || i.id || '/',
            'url', page_prefix || i.reference || page_suffix,
            'status_history_url', history_prefix || i.id
        ) ORDER BY page.n), '[]')::text
        FROM page
        JOIN tracker_item i ON i.id = page.id
        JOIN tracker_document d ON d.id = i.document_id
        LEFT JOIN tracker_section s ON s.id = i.section_id
        LEFT JOIN made ON made.item_id = i.id
        LEFT JOIN addressed ON addressed.item_id = i.id
        LEFT JOIN themes ON themes.item_id = i.id
        LEFT JOIN citations ON citations.item_id = i.id
    );
END
$$
"""

BACKWARD = "DROP FUNCTION IF EXISTS tracker_item_rows_json(bigint[], text[], date, text, text, text, text)"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0004_document_import_fingerprint")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
