using System.Text.Json;

namespace Hotspots.Tests.Infrastructure;

/// <summary>Small boundary files for loader tests, written from (code, name, kind, geometry JSON) rows.</summary>
public static class BoundaryFixture
{
    public static string Square(double minX, double minY, double size) =>
        $$"""{"type":"Polygon","coordinates":[[[{{minX}},{{minY}}],[{{minX + size}},{{minY}}],[{{minX + size}},{{minY + size}}],[{{minX}},{{minY + size}}],[{{minX}},{{minY}}]]]}""";

    public static string Write(params (string Code, string Name, string Kind, string GeometryJson)[] units)
    {
        var features = units.Select(u => $$"""
            {"type":"Feature","properties":{"code":{{JsonSerializer.Serialize(u.Code)}},"name":{{JsonSerializer.Serialize(u.Name)}},
             "fullName":{{JsonSerializer.Serialize((u.Kind == "phuong" ? "Phường " : "Xã ") + u.Name)}},"nameEn":"x","fullNameEn":"x",
             "unitType":{{JsonSerializer.Serialize(u.Kind)}}},"geometry":{{u.GeometryJson}}}
            """);
        var path = Path.Combine(Path.GetTempPath(), $"hotspots-boundaries-{Guid.NewGuid():N}.geojson");
        File.WriteAllText(path, $$"""{"type":"FeatureCollection","features":[{{string.Join(",", features)}}]}""");
        return path;
    }

    /// <summary>
    /// Three units loaded as the current boundaries: west 90001 and east 90002 side by side (0.01° squares from
    /// 105.80 21.00), north 90003 (a commune) above the west one.
    /// </summary>
    public static Task LoadThreeSquaresAsync(Npgsql.NpgsqlDataSource dataSource) =>
        Hotspots.Wards.BoundaryLoader.LoadAsync(dataSource, Write(
                ("90001", "Tây", "phuong", Square(105.80, 21.00, 0.01)),
                ("90002", "Đông", "phuong", Square(105.81, 21.00, 0.01)),
                ("90003", "Bắc", "xa", Square(105.80, 21.01, 0.01))),
            new Hotspots.Wards.BoundarySet("t", "t", new DateOnly(2025, 7, 1), "fixture", "test"), null,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

    /// <summary>Two unit squares side by side: 90001 (west) and 90002 (east), 0.01° wide, south-west corner 105.80 21.00.</summary>
    public static string TwoSquares() => Write(
        ("90001", "Tây", "phuong", Square(105.80, 21.00, 0.01)),
        ("90002", "Đông", "xa", Square(105.81, 21.00, 0.01)));
}
