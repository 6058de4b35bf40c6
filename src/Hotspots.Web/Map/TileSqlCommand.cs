using System.Globalization;
using Hotspots.Map;
using Hotspots.Records;
using Hotspots.Geo;
using Hotspots.Layers;
using Npgsql;

namespace Hotspots.Map;

/// <summary>
/// `Hotspots.Web tile-sql {layer} {z}`: prints the tile endpoint's own SQL as a pgbench script line, with
/// :x and :y as pgbench variables, so the benchmark compares the endpoint with the database's own limit
/// on exactly the same query.
/// </summary>
public static class TileSqlCommand
{
    public static bool IsRequested(string[] args) => args.Length == 3 && args[0] == "tile-sql";

    public static int Run(string[] args)
    {
        var layer = LayerCatalog.Find(args[1]) ?? throw new ArgumentException($"unknown layer {args[1]}");
        var z = int.Parse(args[2], CultureInfo.InvariantCulture);
        using var cmd = new NpgsqlCommand();
        var empty = new HotspotFilter(null, null, null, null, null, null, null, null);
        TilesApi.Prepare(cmd, layer, new TileAddress(z, 0, 0), empty);
        var sql = cmd.CommandText;
        foreach (var p in cmd.Parameters.OrderByDescending(p => p.ParameterName.Length))
        {
            var literal = p.ParameterName switch
            {
                "x" => ":x",
                "y" => ":y",
                _ => p.Value switch
                {
                    string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
                    double d => d.ToString("R", CultureInfo.InvariantCulture),
                    _ => Convert.ToString(p.Value, CultureInfo.InvariantCulture)!,
                },
            };
            sql = sql.Replace("@" + p.ParameterName, literal, StringComparison.Ordinal);
        }
        Console.Out.WriteLine(sql.ReplaceLineEndings(" ") + ";");
        return 0;
    }
}
