using Microsoft.Data.Sqlite;

namespace Hotspots.Basemap;

/// <summary>
/// An MBTiles file (SQLite: <c>metadata</c> and <c>tiles</c> with TMS rows), read-only. One connection per read:
/// SQLite opens in microseconds and readers never block each other.
/// </summary>
public sealed class MbTiles
{
    private readonly string _connectionString;

    public string Path { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }
    public int MinZoom { get; }
    public int MaxZoom { get; }
    /// <summary>An ETag for every tile of this file: it changes when the file is replaced.</summary>
    public string Version { get; }

    private MbTiles(string path, IReadOnlyDictionary<string, string> metadata, string version)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = true }.ToString();
        Metadata = metadata;
        Version = version;
        MinZoom = int.TryParse(metadata.GetValueOrDefault("minzoom"), out var min) ? min : 0;
        MaxZoom = int.TryParse(metadata.GetValueOrDefault("maxzoom"), out var max) ? max : 14;
    }

    public string Format => Metadata.GetValueOrDefault("format") ?? "pbf";
    public string Attribution => Metadata.GetValueOrDefault("attribution") ?? "";

    /// <summary>Opens and checks a file; a missing or unreadable one stops the start with a message naming it.</summary>
    public static MbTiles Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"HOTSPOTS_BASEMAP_FILE: {path} does not exist.");
        }
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString());
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "SELECT name, value FROM metadata";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                metadata[r.GetString(0)] = r.GetString(1);
            }
        }
        catch (SqliteException e)
        {
            throw new InvalidOperationException($"HOTSPOTS_BASEMAP_FILE: {path} is not an MBTiles file ({e.Message}).", e);
        }
        if (metadata.GetValueOrDefault("format") is { } format && format != "pbf")
        {
            throw new InvalidOperationException($"HOTSPOTS_BASEMAP_FILE: {path} holds '{format}' tiles; vector tiles (pbf) are needed. For raster tiles set HOTSPOTS_BASEMAP_URL.");
        }
        var info = new FileInfo(path);
        return new MbTiles(path, metadata, $"\"b{info.Length:x}-{info.LastWriteTimeUtc.Ticks:x}\"");
    }

    /// <summary>The tile at z/x/y (XYZ, y down), as stored (usually gzip-compressed protobuf), or null.</summary>
    public async Task<byte[]?> TileAsync(int z, int x, int y, CancellationToken ct)
    {
        await using var conn = new SqliteConnection(_connectionString);
        await conn.OpenAsync(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT tile_data FROM tiles WHERE zoom_level = $z AND tile_column = $x AND tile_row = $y";
        cmd.Parameters.AddWithValue("$z", z);
        cmd.Parameters.AddWithValue("$x", x);
        cmd.Parameters.AddWithValue("$y", (1 << z) - 1 - y); // MBTiles rows count from the south (TMS)
        return await cmd.ExecuteScalarAsync(ct) as byte[];
    }

    /// <summary>Every tile of one zoom level, as stored (x, y in XYZ).</summary>
    public async IAsyncEnumerable<(int X, int Y, byte[] Data)> TilesAsync(int z, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var conn = new SqliteConnection(_connectionString);
        await conn.OpenAsync(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT tile_column, tile_row, tile_data FROM tiles WHERE zoom_level = $z";
        cmd.Parameters.AddWithValue("$z", z);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            yield return (r.GetInt32(0), (1 << z) - 1 - r.GetInt32(1), (byte[])r[2]);
        }
    }
}
