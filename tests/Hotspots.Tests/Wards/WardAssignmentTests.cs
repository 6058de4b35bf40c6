using Hotspots.Tests.Infrastructure;
using Hotspots.Wards;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hotspots.Tests.Wards;

/// <summary>Every record's ward is assigned by PostGIS (ST_Covers) when it is written.</summary>
[Trait("Category", "Database")]
public sealed class WardAssignmentTests : IAsyncLifetime
{
    private MigratedDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await MigratedDatabase.CreateAsync();
        await BoundaryLoader.LoadAsync(_db.DataSource, BoundaryFixture.TwoSquares(),
            new BoundarySet("t", "t", new DateOnly(2025, 7, 1), "fixture", "test"), null, NullLogger.Instance);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<string?> InsertAndGetWard(string wkt, string id) => _db.ScalarAsync<string?>("""
        INSERT INTO hotspots (category, title, severity, reported_at, geom, source, external_id)
        VALUES ('urban_order', 't', 2, now(), ST_GeomFromText(@wkt, 4326), 'test', @id)
        RETURNING ward_code
        """, ("wkt", wkt), ("id", id))!;

    [Theory]
    [InlineData("POINT(105.805 21.005)", "90001")]
    [InlineData("POINT(105.815 21.005)", "90002")]
    [InlineData("POINT(105.800 21.005)", "90001")] // on the outer edge: covered, not contained
    [InlineData("LINESTRING(105.811 21.001, 105.819 21.009)", "90002")]
    [InlineData("POLYGON((105.801 21.001, 105.804 21.001, 105.804 21.004, 105.801 21.004, 105.801 21.001))", "90001")]
    public async Task Assigns_the_ward_that_covers_the_geometry(string wkt, string expected) =>
        Assert.Equal(expected, await InsertAndGetWard(wkt, Guid.NewGuid().ToString()));

    [Fact]
    public async Task Outside_every_ward_stays_unassigned()
    {
        Assert.Null(await InsertAndGetWard("POINT(105.90 21.30)", "out"));
    }

    [Fact]
    public async Task Moving_a_record_reassigns_its_ward()
    {
        await InsertAndGetWard("POINT(105.805 21.005)", "moving");
        var ward = await _db.ScalarAsync<string>("""
            UPDATE hotspots SET geom = ST_GeomFromText('POINT(105.815 21.005)', 4326) WHERE external_id = 'moving' RETURNING ward_code
            """);
        Assert.Equal("90002", ward);
    }

    [Fact]
    public async Task Field_reports_and_projects_get_their_wards_too()
    {
        var report = await _db.ScalarAsync<string>("""
            INSERT INTO field_reports (category, text, received_at, geom, source, external_id)
            VALUES ('urban_order', 'x', now(), ST_GeomFromText('POINT(105.805 21.005)', 4326), 'test', 'r1') RETURNING ward_code
            """);
        Assert.Equal("90001", report);
        await _db.ExecAsync("""
            INSERT INTO projects (id, name, name_en, kind, source, geom)
            VALUES ('p', 'p', 'p', 'ring_road', 'test', ST_GeomFromText('LINESTRING(105.805 21.005, 105.815 21.005)', 4326))
            """);
        Assert.Equal(2L, await _db.ScalarAsync<long>("SELECT count(*) FROM project_wards WHERE project_id = 'p'"));
    }
}
