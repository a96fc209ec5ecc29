-- The rows tracker_itemcount holds, counted from the tables: items per status x kind x one theme (an
-- item counts once under each of its themes and their ancestors; 0 = any theme) x one actor and role
-- (made_by, addressed_to, 'any' for either; 0 and '' = any actor), plus items per document.
-- SQLite reads its counts from this view (it has no count triggers); PostgreSQL's triggers keep the
-- table, which tests/test_counts.py compares with this view. The view is code, not schema:
-- tracker.recount_view installs this SELECT after every migrate, and on SQLite drops the view before
-- migrating (SQLite cannot rebuild tracker_item, as an AlterField does, while a view reads it).
WITH items AS (SELECT id AS item_id, status, kind, document_id FROM tracker_item)
SELECT status, kind, document_id, theme_id, actor_id, role, n FROM (
    SELECT i.status, i.kind, 0 AS document_id, td.theme_id, ar.actor_id, ar.role, COUNT(*) AS n
    FROM items i
    JOIN (
        SELECT DISTINCT t.item_id, anc.id AS theme_id
        FROM tracker_item_themes t
        JOIN tracker_theme th ON th.id = t.theme_id
        JOIN tracker_theme anc
          ON (anc.path = th.path OR substr(th.path, 1, length(anc.path) + 1) = anc.path || '/')
        UNION ALL SELECT item_id, 0 FROM items
    ) td ON td.item_id = i.item_id
    JOIN (
        SELECT item_id, actor_id, 'made_by' AS role FROM tracker_item_made_by
        UNION ALL SELECT item_id, actor_id, 'addressed_to' FROM tracker_item_addressed_to
        UNION ALL SELECT DISTINCT item_id, actor_id, 'any' FROM (
            SELECT item_id, actor_id FROM tracker_item_made_by
            UNION ALL SELECT item_id, actor_id FROM tracker_item_addressed_to
        ) both_roles
        UNION ALL SELECT item_id, 0, '' FROM items
    ) ar ON ar.item_id = i.item_id
    GROUP BY i.status, i.kind, td.theme_id, ar.actor_id, ar.role
    UNION ALL
    SELECT status, kind, document_id, 0, 0, '', COUNT(*) FROM items GROUP BY status, kind, document_id
) counts
