using FsCheck;
using FsCheck.Fluent;
using Hotspots.Geo;
using Hotspots.Imports;
using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;
using Npgsql;

namespace Hotspots.Tests.Imports;

/// <summary>The worker's ward lookup gives PostGIS's answer (ward_of) for points all over Hanoi, edges and vertices included.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Database")]
public sealed class WardLocatorTests(HotspotsApp app)
{
    private NpgsqlDataSource DataSource => app.Services.GetRequiredService<NpgsqlDataSource>();

    private async Task<string?[]> PostGisAsync(IReadOnlyList<(double X, double Y)> points)
    {
        await using var cmd = DataSource.CreateCommand("""
            SELECT ward_of(ST_SetSRID(ST_MakePoint(x, y), 4326)) FROM unnest(@xs, @ys) WITH ORDINALITY AS p(x, y, i) ORDER BY i
            """);
        cmd.Parameters.AddWithValue("xs", points.Select(p => p.X).ToArray());
        cmd.Parameters.AddWithValue("ys", points.Select(p => p.Y).ToArray());
        await using var r = await cmd.ExecuteReaderAsync();
        var wards = new List<string?>();
        while (await r.ReadAsync())
        {
            wards.Add(r.IsDBNull(0) ? null : r.GetString(0));
        }
        return [.. wards];
    }

    [Fact]
    public async Task Random_points_land_in_the_same_ward_as_in_postgis()
    {
        var locator = await WardLocator.LoadAsync(DataSource, default);
        Assert.True(locator.Parts >= 126);
        var gen = from x in Gen.Choose(0, 1_000_000) from y in Gen.Choose(0, 1_000_000)
                  select (105.25 + 0.85 * x / 1_000_000.0, 20.55 + 0.90 * y / 1_000_000.0);
        var points = gen.Sample(3000, 3000).ToList();
        var expected = await PostGisAsync(points);
        var actual = points.Select(p => locator.WardOf(GeoJsonGeometry.Factory.CreatePoint(new Coordinate(p.Item1, p.Item2)))).ToArray();
        Assert.Contains(expected, w => w is null);   // some points fall outside the city
        Assert.Contains(expected, w => w is not null);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Points_on_shared_boundaries_and_vertices_go_to_the_lowest_code_as_in_postgis()
    {
        var locator = await WardLocator.LoadAsync(DataSource, default);
        // Vertices of the parts: on the edge of one ward and usually of its neighbour too.
        await using var cmd = DataSource.CreateCommand("""
            SELECT ST_X(d.geom), ST_Y(d.geom) FROM (SELECT geom FROM ward_parts ORDER BY ward_code, ST_Area(geom) DESC LIMIT 400) p,
                 LATERAL ST_DumpPoints(p.geom) d WHERE d.path[2] % 37 = 1
            """);
        var vertices = new List<(double, double)>();
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
            {
                vertices.Add((r.GetDouble(0), r.GetDouble(1)));
            }
        }
        Assert.True(vertices.Count > 200);
        var expected = await PostGisAsync(vertices);
        Assert.Equal(expected, vertices.Select(p => locator.WardOf(GeoJsonGeometry.Factory.CreatePoint(new Coordinate(p.Item1, p.Item2)))).ToArray());
    }

    [Fact]
    public async Task Lines_and_areas_land_in_the_ward_of_their_point_on_surface_as_in_postgis()
    {
        var locator = await WardLocator.LoadAsync(DataSource, default);
        // Small squares, long thin rectangles, L-shapes and lines, many across ward boundaries.
        var rnd = new Random(11);
        var shapes = new List<Geometry>();
        var f = GeoJsonGeometry.Factory;
        for (var i = 0; i < 1500; i++)
        {
            var (x, y) = (105.70 + rnd.NextDouble() * 0.25, 20.93 + rnd.NextDouble() * 0.20);
            var d = 0.0005 + rnd.NextDouble() * 0.01;
            shapes.Add((i % 4) switch
            {
                0 => f.CreatePolygon([new(x, y), new(x + d, y), new(x + d, y + d), new(x, y + d), new(x, y)]),
                1 => f.CreatePolygon([new(x, y), new(x + 4 * d, y), new(x + 4 * d, y + d / 5), new(x, y + d / 5), new(x, y)]),
                2 => f.CreatePolygon([new(x, y), new(x + 2 * d, y), new(x + 2 * d, y + d), new(x + d, y + d), new(x + d, y + 2 * d), new(x, y + 2 * d), new(x, y)]),
                _ => f.CreateLineString([new(x, y), new(x + d, y + d / 2), new(x + 2 * d, y - d / 3)]),
            });
        }
        await using var cmd = DataSource.CreateCommand("""
            SELECT ward_of(g) FROM unnest(@shapes) WITH ORDINALITY AS s(g, i) ORDER BY i
            """);
        cmd.Parameters.AddWithValue("shapes", shapes.ToArray()); // NTS geometries, as a PostGIS array
        var expected = new List<string?>();
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
            {
                expected.Add(r.IsDBNull(0) ? null : r.GetString(0));
            }
        }
        Assert.Equal(expected, shapes.Select(locator.WardOf).ToList());
    }
}
