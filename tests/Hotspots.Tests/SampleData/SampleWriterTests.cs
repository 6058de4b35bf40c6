using Hotspots.SampleData;
using Hotspots.Tests.Infrastructure;
using Hotspots.Wards;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hotspots.Tests.SampleData;

[Trait("Category", "Database")]
public sealed class SampleWriterTests
{
    [Fact]
    public async Task Regenerating_replaces_sample_data_and_keeps_real_records()
    {
        await using var db = await MigratedDatabase.CreateAsync();
        await BoundaryLoader.LoadAsync(db.DataSource, BoundaryFixture.TwoSquares(),
            new BoundarySet("t", "t", new DateOnly(2025, 7, 1), "fixture", "test"), null, NullLogger.Instance);
        await db.ExecAsync("""
            INSERT INTO hotspots (category, title, severity, reported_at, geom, source, external_id)
            VALUES ('flooding', 'real', 3, now(), ST_GeomFromText('POINT(105.805 21.005)', 4326), 'official', 'r1')
            """);
        var asOf = new DateOnly(2026, 11, 1);
        await SampleWriter.ReplaceAsync(db.DataSource, 500, 3, asOf, NullLogger.Instance);
        var first = await db.ScalarAsync<string>("SELECT md5(string_agg(external_id || title || status || ST_AsText(geom), ',' ORDER BY external_id)) FROM hotspots WHERE is_sample");
        await SampleWriter.ReplaceAsync(db.DataSource, 500, 3, asOf, NullLogger.Instance);
        var second = await db.ScalarAsync<string>("SELECT md5(string_agg(external_id || title || status || ST_AsText(geom), ',' ORDER BY external_id)) FROM hotspots WHERE is_sample");

        Assert.Equal(first, second);
        Assert.Equal(500L, await db.ScalarAsync<long>("SELECT count(*) FROM hotspots WHERE is_sample"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM hotspots WHERE NOT is_sample"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM hotspots WHERE ward_code IS NULL"));
        // Every sample record has its details row and a history that ends in its status.
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT count(*) FROM hotspots h WHERE h.is_sample AND NOT EXISTS (
                SELECT 1 FROM flooding_details d WHERE d.hotspot_id = h.id UNION ALL
                SELECT 1 FROM congestion_details d WHERE d.hotspot_id = h.id UNION ALL
                SELECT 1 FROM urban_order_details d WHERE d.hotspot_id = h.id UNION ALL
                SELECT 1 FROM environment_details d WHERE d.hotspot_id = h.id UNION ALL
                SELECT 1 FROM food_safety_inspections d WHERE d.hotspot_id = h.id)
            """));
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT count(*) FROM hotspots h WHERE h.is_sample AND h.status <> (
                SELECT to_status FROM hotspot_status_history s WHERE s.hotspot_id = h.id ORDER BY changed_at DESC, s.id DESC LIMIT 1)
            """));
        Assert.Equal(50L, await db.ScalarAsync<long>("SELECT count(*) FROM field_reports r JOIN field_report_reporters p ON p.report_id = r.id WHERE r.is_sample"));
    }
}
