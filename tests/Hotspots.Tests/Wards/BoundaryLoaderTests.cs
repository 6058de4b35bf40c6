using Hotspots.Tests.Infrastructure;
using Hotspots.Wards;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hotspots.Tests.Wards;

[Trait("Category", "Database")]
public sealed class BoundaryLoaderTests
{
    private static readonly BoundarySet Test = new("test-2025", "test set", new DateOnly(2025, 7, 1), "fixture", "test");

    [Fact]
    public async Task Loads_the_126_official_units_and_checks_their_totals()
    {
        await using var db = await MigratedDatabase.CreateAsync();
        var report = await BoundaryLoader.LoadAsync(db.DataSource, TestDatabase.SharedData("hanoi-wards-2025.geojson"),
            BoundarySet.Hanoi2025, BoundaryExpectations.Hanoi2025, NullLogger.Instance);
        Assert.Equal((126, 51, 75), (report.Units, report.Phuong, report.Xa));
        Assert.InRange(report.AreaKm2, 3360 * 0.98, 3360 * 1.02);
        Assert.Equal("Phường Ba Đình", await db.ScalarAsync<string>("SELECT full_name FROM current_wards WHERE code = '00004'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM current_wards WHERE NOT ST_IsValid(geom)"));
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM ward_parts") >= 126);
        // Hoàn Kiếm Lake lies in Phường Hoàn Kiếm.
        Assert.Equal("Hoàn Kiếm", await db.ScalarAsync<string>(
            "SELECT w.name FROM current_wards w WHERE w.code = ward_of(ST_GeomFromText('POINT(105.8524 21.0288)', 4326))"));
    }

    [Fact]
    public async Task Repairs_a_self_intersecting_boundary_with_MakeValid_and_reports_it()
    {
        await using var db = await MigratedDatabase.CreateAsync();
        const string bowTie = """{"type":"Polygon","coordinates":[[[105.80,21.00],[105.82,21.02],[105.82,21.00],[105.80,21.02],[105.80,21.00]]]}""";
        var path = BoundaryFixture.Write(("90001", "Nơ", "phuong", bowTie), ("90002", "Vuông", "xa", BoundaryFixture.Square(105.90, 21.00, 0.01)));
        var report = await BoundaryLoader.LoadAsync(db.DataSource, path, Test, null, NullLogger.Instance);
        var repaired = Assert.Single(report.Repaired);
        Assert.StartsWith("90001", repaired);
        Assert.True(await db.ScalarAsync<bool>("""
            SELECT ST_NumGeometries(geom) = 2 AND ST_HausdorffDistance(geom, ST_GeomFromText('MULTIPOLYGON(((105.80 21.00,105.80 21.02,105.81 21.01,105.80 21.00)),((105.81 21.01,105.82 21.02,105.82 21.00,105.81 21.01)))', 4326)) < 1e-9
            FROM wards WHERE code = '90001'
            """), await db.ScalarAsync<string>("SELECT ST_AsText(geom) FROM wards WHERE code = '90001'"));
    }

    [Fact]
    public async Task Refuses_the_whole_file_and_lists_every_problem()
    {
        await using var db = await MigratedDatabase.CreateAsync();
        var path = BoundaryFixture.Write(
            ("90001", "Tốt", "phuong", BoundaryFixture.Square(105.80, 21.00, 0.01)),
            ("9001", "Mã sai", "phuong", BoundaryFixture.Square(105.81, 21.00, 0.01)),
            ("90003", "Loại sai", "quan", BoundaryFixture.Square(105.82, 21.00, 0.01)),
            ("90004", "Điểm", "xa", """{"type":"Point","coordinates":[105.8,21.0]}"""),
            ("90005", "Ngoài Hà Nội", "xa", BoundaryFixture.Square(100.0, 10.0, 0.01)),
            ("90006", "Vòng hở", "xa", """{"type":"Polygon","coordinates":[[[105.8,21.0],[105.9,21.0],[105.9,21.1]]]}"""));
        var e = await Assert.ThrowsAsync<BoundaryLoadException>(() => BoundaryLoader.LoadAsync(db.DataSource, path, Test, null, NullLogger.Instance));
        Assert.Equal(5, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.Contains("5-digit", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("unitType", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("Polygon or MultiPolygon", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("outside Hanoi", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("closed", StringComparison.Ordinal));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM wards"));
    }

    [Fact]
    public async Task Refuses_a_set_that_does_not_add_up_and_keeps_the_current_one()
    {
        await using var db = await MigratedDatabase.CreateAsync();
        await BoundaryLoader.LoadAsync(db.DataSource, BoundaryFixture.TwoSquares(), Test, null, NullLogger.Instance);
        var other = Test with { Id = "test-2026" };
        var e = await Assert.ThrowsAsync<BoundaryLoadException>(() => BoundaryLoader.LoadAsync(db.DataSource, BoundaryFixture.TwoSquares(), other,
            BoundaryExpectations.Hanoi2025, NullLogger.Instance));
        Assert.Contains(e.Problems, p => p.Contains("126 expected", StringComparison.Ordinal));
        Assert.Equal("test-2025", await db.ScalarAsync<string>("SELECT id FROM boundary_sets WHERE is_current"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM wards WHERE boundary_set = 'test-2026'"));
    }

    [Fact]
    public async Task A_new_boundary_set_keeps_the_old_one_and_reassigns_records()
    {
        await using var db = await MigratedDatabase.CreateAsync();
        await BoundaryLoader.LoadAsync(db.DataSource, BoundaryFixture.TwoSquares(), Test, null, NullLogger.Instance);
        await db.ExecAsync("""
            INSERT INTO hotspots (category, title, severity, reported_at, geom, source, external_id)
            VALUES ('flooding', 'x', 3, now(), ST_GeomFromText('POINT(105.815 21.005)', 4326), 'test', '1')
            """);
        Assert.Equal("90002", await db.ScalarAsync<string>("SELECT ward_code FROM hotspots"));

        // The reform merges both squares into one unit 90009.
        var merged = BoundaryFixture.Write(("90009", "Hợp nhất", "phuong",
            """{"type":"Polygon","coordinates":[[[105.80,21.00],[105.82,21.00],[105.82,21.01],[105.80,21.01],[105.80,21.00]]]}"""));
        await BoundaryLoader.LoadAsync(db.DataSource, merged, Test with { Id = "test-2030", EffectiveFrom = new DateOnly(2030, 1, 1) }, null, NullLogger.Instance);

        Assert.Equal("90009", await db.ScalarAsync<string>("SELECT ward_code FROM hotspots"));
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM wards"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM current_wards"));
    }
}
