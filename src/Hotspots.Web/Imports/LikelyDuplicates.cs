using System.Globalization;
using Hotspots.Records;
using Npgsql;

namespace Hotspots.Imports;

/// <summary>
/// After a run has written its records, inside its transaction: how many of the open records it added lie near an
/// open record of the same layer from another source (NearbyRecords' distance and window), said in the run's notes
/// with an example — the run is not held up, the clerk and the ward decide. Above <see cref="MaxChecked"/> new
/// records (a first load of a whole register) the check is left out, and the note says so.
/// </summary>
public static class LikelyDuplicates
{
    public const int MaxChecked = 5_000;

    public static async Task<string?> NoteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid runId, string category, string source, int inserted,
        DateTimeOffset now, CancellationToken ct)
    {
        if (inserted == 0)
        {
            return null;
        }
        if (inserted > MaxChecked)
        {
            return $"Không dò điểm trùng với dữ liệu đã có: lần nhập thêm hơn {MaxChecked:N0} điểm.";
        }
        await using var cmd = new NpgsqlCommand($"""
            WITH found AS (
                SELECT h.title, n.id AS near_id, n.title AS near_title, n.metres
                FROM hotspots h
                CROSS JOIN LATERAL (
                    SELECT o.id, o.title, ST_Distance(o.geom::geography, h.geom::geography) AS metres
                    FROM hotspots o
                    WHERE {NearbyRecords.OpenNearSql("o", "h.geom", "h.category", "@radius", "@since")} AND o.source <> @source
                    ORDER BY 3 LIMIT 1) n
                WHERE h.import_run = @run AND h.source = @source AND h.category = @category AND h.status IN ({HotspotStatus.OpenSql})
                  AND h.created_at = now())
            SELECT count(*)::int, (SELECT title || '|' || near_id || '|' || near_title || '|' || round(metres) FROM found ORDER BY metres LIMIT 1)
            FROM found
            """, conn, tx);
        cmd.Parameters.AddWithValue("run", runId);
        cmd.Parameters.AddWithValue("source", source);
        cmd.Parameters.AddWithValue("category", category);
        cmd.Parameters.AddWithValue("radius", (double)NearbyRecords.RadiusMetres(category));
        cmd.Parameters.AddWithValue("since", now.AddDays(-NearbyRecords.RecentDays));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        var count = r.GetInt32(0);
        if (count == 0)
        {
            return null;
        }
        var example = r.GetString(1).Split('|', 4);
        return string.Create(CultureInfo.InvariantCulture,
            $"{count} điểm mới nằm gần điểm đang mở của nguồn khác (trong vòng {NearbyRecords.RadiusMetres(category)} m), có thể trùng — ví dụ “{example[0]}” cách #{example[1]} “{example[2]}” {example[3]} m. Lần nhập vẫn ghi đủ; hãy xem lại trên bản đồ.");
    }
}
