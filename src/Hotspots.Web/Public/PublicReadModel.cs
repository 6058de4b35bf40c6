namespace Hotspots.Public;

/// <summary>
/// Keeps public_hotspots (and its tile cells) in step with the hotspots: run by the snapshot refresher in its
/// transaction. Only rows that changed are written, so a refresh of a million unchanged records writes nothing;
/// a batch (<see cref="ApplySql"/>) looks only at the records it changed, and notes where they were and are in
/// public for the public cells.
/// </summary>
public static class PublicReadModel
{
    /// <summary>Categories whose records concern households and small businesses: generalised in public.</summary>
    public static readonly string[] SensitiveCategories = ["urban_order", "food_safety"];

    /// <summary>Side of the public grid cell a sensitive record is moved to the centre of (Web Mercator metres).</summary>
    public const int GridMetres = 250;

    public static Snapshots.SnapshotPart Part => new("public read model", 30, RefreshSql, ApplySql, [new("public_hotspots")]);

    // Every record, but only those public lacks or holds otherwise are written: found by one join with the kept rows
    // first. An upsert of all of them would lock each kept row to compare it — a million row locks, 54 MB of WAL and
    // a second more for a rebuild that changes nothing.
    public static readonly string RefreshSql = Snapshots.SnapshotBatch.CountWritesSql("public_hotspots") + "\n" + Upsert("true", keptJoin: true) + """
        DELETE FROM public_hotspots p WHERE NOT EXISTS (SELECT 1 FROM hotspots h WHERE h.id = p.id);

        """ + Snapshots.SnapshotBatch.AnalyzeWhenRewrittenSql("public_hotspots");

    // Where the batch's records counted in public before it and count after it; a record public did not have before
    // (batch_public_added) is added to its cell as it is, without counting that cell again.
    private const string PublicPoints = """
        INSERT INTO batch_public_points
        SELECT category, is_sample, ST_X(pt_web), ST_Y(pt_web) FROM public_hotspots
        WHERE id IN (SELECT id FROM batch_records) AND NOT EXISTS (SELECT FROM batch_public_added a WHERE a.id = public_hotspots.id);

        """;

    public static readonly string ApplySql = """
        INSERT INTO batch_public_added
        SELECT id FROM batch_records r WHERE NOT EXISTS (SELECT FROM public_hotspots p WHERE p.id = r.id);
        ANALYZE batch_public_added;

        """ + PublicPoints + Upsert("h.id IN (SELECT id FROM batch_records)") + """
        DELETE FROM public_hotspots p
        WHERE p.id IN (SELECT id FROM batch_records) AND NOT EXISTS (SELECT 1 FROM hotspots h WHERE h.id = p.id);

        """ + PublicPoints + "ANALYZE batch_public_points;\n";

    private static string Upsert(string records, bool keptJoin = false) => $"""
        WITH src AS (
            SELECT h.id, h.category,
                   -- only a catalogued kind reaches the public: a value written before kinds were checked stays inside
                   CASE WHEN h.subtype IN ({string.Join(", ", Layers.SubtypeCatalog.All.Select(k => $"'{k.Id}'"))}) THEN h.subtype END AS subtype,
                   CASE WHEN s.sensitive
                        THEN CASE h.category WHEN 'urban_order' THEN 'Vi phạm trật tự đô thị' ELSE 'Kiểm tra an toàn thực phẩm' END
                             || coalesce(' – ' || w.full_name, '')
                        ELSE h.title END AS title,
                   h.severity, h.status, h.responsible_unit, h.deadline, h.reported_at, h.verified_at, h.resolved_at,
                   h.closed_at, h.ward_code, h.is_sample, s.sensitive AS generalized,
                   hotspot_origin(h.source, h.is_sample, h.import_run) AS origin, greatest(h.updated_at, h.verified_at) AS updated_at,
                   CASE WHEN s.sensitive THEN ST_Transform(g.cell, 4326) ELSE h.geom END AS geom,
                   CASE WHEN s.sensitive THEN g.cell ELSE h.geom_web END AS geom_web,
                   CASE WHEN s.sensitive THEN g.cell ELSE h.pt_web END AS pt_web
            FROM hotspots h
            CROSS JOIN LATERAL (SELECT h.category IN ({string.Join(", ", SensitiveCategories.Select(c => $"'{c}'"))}) AS sensitive) s
            CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(
                   floor(ST_X(h.pt_web) / {GridMetres}) * {GridMetres} + {GridMetres / 2},
                   floor(ST_Y(h.pt_web) / {GridMetres}) * {GridMetres} + {GridMetres / 2}), 3857) AS cell) g
            LEFT JOIN current_wards w ON w.code = h.ward_code
            WHERE {records})
        INSERT INTO public_hotspots AS p (id, category, subtype, title, severity, status, responsible_unit, deadline, reported_at,
                                          verified_at, resolved_at, closed_at, ward_code, is_sample, generalized, origin, updated_at, geom, geom_web, pt_web)
        SELECT excluded.* -- src's columns are the list's, in its order
        FROM src AS excluded
        {(keptJoin ? $"LEFT JOIN public_hotspots p ON p.id = excluded.id WHERE p.id IS NULL OR {Differs}" : "")}
        ON CONFLICT (id) DO UPDATE SET category = excluded.category, subtype = excluded.subtype, title = excluded.title,
            severity = excluded.severity, status = excluded.status, responsible_unit = excluded.responsible_unit,
            deadline = excluded.deadline, reported_at = excluded.reported_at, verified_at = excluded.verified_at,
            resolved_at = excluded.resolved_at, closed_at = excluded.closed_at, ward_code = excluded.ward_code,
            is_sample = excluded.is_sample, generalized = excluded.generalized, origin = excluded.origin, updated_at = excluded.updated_at, geom = excluded.geom,
            geom_web = excluded.geom_web, pt_web = excluded.pt_web
        WHERE {Differs};

        """;

    // Whether the kept row (p) differs from the record as public shows it (excluded).
    private const string Differs = """
        ((p.category, p.subtype, p.title, p.severity, p.status, p.responsible_unit, p.deadline, p.reported_at, p.verified_at,
          p.resolved_at, p.closed_at, p.ward_code, p.is_sample, p.generalized, p.origin, p.updated_at)
         IS DISTINCT FROM
         (excluded.category, excluded.subtype, excluded.title, excluded.severity, excluded.status, excluded.responsible_unit,
          excluded.deadline, excluded.reported_at, excluded.verified_at, excluded.resolved_at, excluded.closed_at,
          excluded.ward_code, excluded.is_sample, excluded.generalized, excluded.origin, excluded.updated_at)
         OR NOT ST_Equals(p.geom_web, excluded.geom_web))
        """;
}
