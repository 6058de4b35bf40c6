namespace Hotspots.Tiles;

/// <summary>
/// The hotspot_cells grid behind low-zoom tiles: level 14 is built from the hotspots (cells of a 64th of a
/// z14 tile, about 38 m), every coarser level by merging 2×2 cells of the level below. Rebuilt with the
/// ward statistics by the snapshot refresher.
/// </summary>
public static class HotspotCells
{
    public const int FinestLevel = 14;

    public const string RebuildSql = """
        DELETE FROM hotspot_cells;
        INSERT INTO hotspot_cells
        SELECT category, 14, is_sample,
               floor((ST_X(pt_web) + 20037508.342789244) / (40075016.68557849 / 16384 / 64))::int,
               floor((20037508.342789244 - ST_Y(pt_web)) / (40075016.68557849 / 16384 / 64))::int,
               count(*) FILTER (WHERE status = 'reported'), count(*) FILTER (WHERE status = 'verified'),
               count(*) FILTER (WHERE status = 'in_progress'), count(*) FILTER (WHERE status = 'resolved'),
               count(*) FILTER (WHERE status = 'rejected'),
               count(*) FILTER (WHERE status IN ('reported', 'verified', 'in_progress') AND deadline < (@now AT TIME ZONE 'Asia/Ho_Chi_Minh')::date),
               max(severity), sum(ST_X(pt_web)), sum(ST_Y(pt_web)), min(id)
        FROM hotspots
        GROUP BY 1, 2, 3, 4, 5;

        INSERT INTO hotspot_cells
        SELECT category, 13, is_sample, cx / 2, cy / 2, sum(reported), sum(verified), sum(in_progress), sum(resolved),
               sum(rejected), sum(overdue), max(max_severity), sum(sum_x), sum(sum_y), min(first_id)
        FROM hotspot_cells WHERE level = 14 GROUP BY category, is_sample, cx / 2, cy / 2;

        INSERT INTO hotspot_cells
        SELECT category, 12, is_sample, cx / 2, cy / 2, sum(reported), sum(verified), sum(in_progress), sum(resolved),
               sum(rejected), sum(overdue), max(max_severity), sum(sum_x), sum(sum_y), min(first_id)
        FROM hotspot_cells WHERE level = 13 GROUP BY category, is_sample, cx / 2, cy / 2;

        INSERT INTO hotspot_cells
        SELECT category, 11, is_sample, cx / 2, cy / 2, sum(reported), sum(verified), sum(in_progress), sum(resolved),
               sum(rejected), sum(overdue), max(max_severity), sum(sum_x), sum(sum_y), min(first_id)
        FROM hotspot_cells WHERE level = 12 GROUP BY category, is_sample, cx / 2, cy / 2;

        INSERT INTO hotspot_cells
        SELECT category, 10, is_sample, cx / 2, cy / 2, sum(reported), sum(verified), sum(in_progress), sum(resolved),
               sum(rejected), sum(overdue), max(max_severity), sum(sum_x), sum(sum_y), min(first_id)
        FROM hotspot_cells WHERE level = 11 GROUP BY category, is_sample, cx / 2, cy / 2;

        INSERT INTO hotspot_cells
        SELECT category, 9, is_sample, cx / 2, cy / 2, sum(reported), sum(verified), sum(in_progress), sum(resolved),
               sum(rejected), sum(overdue), max(max_severity), sum(sum_x), sum(sum_y), min(first_id)
        FROM hotspot_cells WHERE level = 10 GROUP BY category, is_sample, cx / 2, cy / 2;

        INSERT INTO hotspot_cells
        SELECT category, 8, is_sample, cx / 2, cy / 2, sum(reported), sum(verified), sum(in_progress), sum(resolved),
               sum(rejected), sum(overdue), max(max_severity), sum(sum_x), sum(sum_y), min(first_id)
        FROM hotspot_cells WHERE level = 9 GROUP BY category, is_sample, cx / 2, cy / 2;

        INSERT INTO hotspot_cells
        SELECT category, 7, is_sample, cx / 2, cy / 2, sum(reported), sum(verified), sum(in_progress), sum(resolved),
               sum(rejected), sum(overdue), max(max_severity), sum(sum_x), sum(sum_y), min(first_id)
        FROM hotspot_cells WHERE level = 8 GROUP BY category, is_sample, cx / 2, cy / 2;

        INSERT INTO hotspot_cells
        SELECT category, 6, is_sample, cx / 2, cy / 2, sum(reported), sum(verified), sum(in_progress), sum(resolved),
               sum(rejected), sum(overdue), max(max_severity), sum(sum_x), sum(sum_y), min(first_id)
        FROM hotspot_cells WHERE level = 7 GROUP BY category, is_sample, cx / 2, cy / 2;

        INSERT INTO hotspot_cells
        SELECT category, 5, is_sample, cx / 2, cy / 2, sum(reported), sum(verified), sum(in_progress), sum(resolved),
               sum(rejected), sum(overdue), max(max_severity), sum(sum_x), sum(sum_y), min(first_id)
        FROM hotspot_cells WHERE level = 6 GROUP BY category, is_sample, cx / 2, cy / 2;

        INSERT INTO hotspot_cells
        SELECT category, 4, is_sample, cx / 2, cy / 2, sum(reported), sum(verified), sum(in_progress), sum(resolved),
               sum(rejected), sum(overdue), max(max_severity), sum(sum_x), sum(sum_y), min(first_id)
        FROM hotspot_cells WHERE level = 5 GROUP BY category, is_sample, cx / 2, cy / 2;

        INSERT INTO hotspot_cells
        SELECT category, 3, is_sample, cx / 2, cy / 2, sum(reported), sum(verified), sum(in_progress), sum(resolved),
               sum(rejected), sum(overdue), max(max_severity), sum(sum_x), sum(sum_y), min(first_id)
        FROM hotspot_cells WHERE level = 4 GROUP BY category, is_sample, cx / 2, cy / 2;

        INSERT INTO hotspot_cells
        SELECT category, 2, is_sample, cx / 2, cy / 2, sum(reported), sum(verified), sum(in_progress), sum(resolved),
               sum(rejected), sum(overdue), max(max_severity), sum(sum_x), sum(sum_y), min(first_id)
        FROM hotspot_cells WHERE level = 3 GROUP BY category, is_sample, cx / 2, cy / 2;

        INSERT INTO hotspot_cells
        SELECT category, 1, is_sample, cx / 2, cy / 2, sum(reported), sum(verified), sum(in_progress), sum(resolved),
               sum(rejected), sum(overdue), max(max_severity), sum(sum_x), sum(sum_y), min(first_id)
        FROM hotspot_cells WHERE level = 2 GROUP BY category, is_sample, cx / 2, cy / 2;

        INSERT INTO hotspot_cells
        SELECT category, 0, is_sample, cx / 2, cy / 2, sum(reported), sum(verified), sum(in_progress), sum(resolved),
               sum(rejected), sum(overdue), max(max_severity), sum(sum_x), sum(sum_y), min(first_id)
        FROM hotspot_cells WHERE level = 1 GROUP BY category, is_sample, cx / 2, cy / 2;
        ANALYZE hotspot_cells;
        """;
}
