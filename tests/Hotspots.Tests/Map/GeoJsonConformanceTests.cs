using System.Text.Json;
using System.Text.RegularExpressions;
using Hotspots.Geo;
using Hotspots.Tests.Infrastructure;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace Hotspots.Tests.Map;

/// <summary>
/// What the API writes is RFC 7946 GeoJSON, read back with NetTopologySuite.IO.GeoJSON4STJ: polygons follow the
/// right-hand rule (exterior rings counter-clockwise, holes clockwise, §3.1.6) and coordinates carry no more
/// decimals than the precision each answer chose (§11.2).
/// </summary>
[Collection(DashboardCollection.Name)]
[Trait("Category", "Database")]
public sealed partial class GeoJsonConformanceTests(DashboardApp app)
{
    [Theory]
    [InlineData("/api/wards", 6)]
    [InlineData("/api/wards?tolerance=0.0002", 5)]
    [InlineData("/api/features/projects", 6)]
    [InlineData("/api/features/flooding?limit=500", 6)]
    [InlineData("/api/export/urban-order.geojson", 6)]
    public async Task Polygons_follow_the_right_hand_rule_and_coordinates_keep_the_chosen_precision(string path, int decimals)
    {
        using var http = app.PlannerHttp();
        var text = await http.GetStringAsync(app.BaseUrl + path);
        var collection = JsonSerializer.Deserialize<FeatureCollection>(text, GeoJsonGeometry.Options)!;
        Assert.NotEmpty(collection);
        var polygons = collection.SelectMany(f => Polygons(f.Geometry)).ToList();
        if (path.StartsWith("/api/wards", StringComparison.Ordinal) || path.Contains("projects", StringComparison.Ordinal))
        {
            Assert.NotEmpty(polygons); // these answers hold areas: the rule is checked, not skipped
        }
        foreach (var p in polygons)
        {
            Assert.True(Orientation.IsCCW(p.ExteriorRing.CoordinateSequence), "an exterior ring runs counter-clockwise");
            Assert.All(p.InteriorRings, hole => Assert.False(Orientation.IsCCW(hole.CoordinateSequence), "a hole runs clockwise"));
        }
        foreach (Match number in Coordinates().Matches(text))
        {
            Assert.True(number.Groups[1].Length <= decimals, $"{number.Value}: more than {decimals} decimals");
        }
    }

    private static IEnumerable<Polygon> Polygons(Geometry g) => g switch
    {
        Polygon p => [p],
        GeometryCollection c => c.Geometries.SelectMany(Polygons),
        _ => [],
    };

    // Numbers inside a "coordinates" array: [105.123456,21.123456]
    [GeneratedRegex(@"(?<=[\[,])-?\d+\.(\d+)(?=[,\]])")]
    private static partial Regex Coordinates();
}
