using System.IO.Compression;
using System.IO.Hashing;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hotspots.Tests.Infrastructure;

/// <summary>
/// Base maps made in the test: a small MBTiles of vector tiles in the OpenMapTiles schema (a lake, a few roads and a
/// place name around Hoàn Kiếm, cut into tiles by PostGIS's ST_AsMVT), and a local raster tile server.
/// </summary>
public static class TestBasemap
{
    /// <summary>A rectangle of water ("Hồ Thử", class lake) and the label point of a place ("Phường Thử Nghiệm").</summary>
    public const double LakeLon = 105.8522, LakeLat = 21.0287, LabelLon = 105.8480, LabelLat = 21.0330;
    public const string LakeWkt = "POLYGON((105.8502 21.0272, 105.8542 21.0272, 105.8542 21.0302, 105.8502 21.0302, 105.8502 21.0272))";
    public const string PlaceName = "Phường Thử Nghiệm";
    public const int MinZoom = 12, MaxZoom = 15;

    /// <summary>Writes the MBTiles file: every tile from z12 to z15 that the features touch, gzip-compressed as tilemaker stores them.</summary>
    public static async Task<string> WriteMbTilesAsync(NpgsqlDataSource postgis, string path)
    {
        File.Delete(path);
        await using var sqlite = new SqliteConnection($"Data Source={path};Pooling=False");
        await sqlite.OpenAsync();
        await using (var create = sqlite.CreateCommand())
        {
            create.CommandText = """
                CREATE TABLE metadata (name text, value text);
                CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob);
                CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);
                """;
            await create.ExecuteNonQueryAsync();
        }
        foreach (var (name, value) in new[] { ("name", "test"), ("format", "pbf"), ("minzoom", $"{MinZoom}"), ("maxzoom", $"{MaxZoom}"), ("attribution", "© OpenStreetMap (test)") })
        {
            await using var m = sqlite.CreateCommand();
            m.CommandText = "INSERT INTO metadata VALUES ($n, $v)";
            m.Parameters.AddWithValue("$n", name);
            m.Parameters.AddWithValue("$v", value);
            await m.ExecuteNonQueryAsync();
        }
        for (var z = MinZoom; z <= MaxZoom; z++)
        {
            var (x0, y0) = Tile(z, 105.840, 21.040);
            var (x1, y1) = Tile(z, 105.865, 21.020);
            for (var x = x0; x <= x1; x++)
            {
                for (var y = y0; y <= y1; y++)
                {
                    var tile = await MvtAsync(postgis, z, x, y);
                    await using var insert = sqlite.CreateCommand();
                    insert.CommandText = "INSERT INTO tiles VALUES ($z, $x, $y, $d)";
                    insert.Parameters.AddWithValue("$z", z);
                    insert.Parameters.AddWithValue("$x", x);
                    insert.Parameters.AddWithValue("$y", (1 << z) - 1 - y);
                    insert.Parameters.AddWithValue("$d", Gzip(tile));
                    await insert.ExecuteNonQueryAsync();
                }
            }
        }
        return path;
    }

    public static (int X, int Y) Tile(int z, double lon, double lat)
    {
        var n = 1 << z;
        var x = (int)Math.Floor((lon + 180) / 360 * n);
        var r = lat * Math.PI / 180;
        var y = (int)Math.Floor((1 - Math.Log(Math.Tan(r) + 1 / Math.Cos(r)) / Math.PI) / 2 * n);
        return (x, y);
    }

    private static async Task<byte[]> MvtAsync(NpgsqlDataSource postgis, int z, int x, int y)
    {
        await using var cmd = postgis.CreateCommand("""
            WITH b AS (SELECT ST_TileEnvelope(@z, @x, @y) AS env),
            water AS (SELECT 'lake' AS class, ST_AsMVTGeom(ST_Transform(ST_GeomFromText(@lake, 4326), 3857), b.env, 4096, 64, true) AS geom FROM b),
            roads AS (SELECT class, name, ST_AsMVTGeom(ST_Transform(ST_GeomFromText(wkt, 4326), 3857), b.env, 4096, 64, true) AS geom
                      FROM b, (VALUES ('primary', 'Phố Đinh Tiên Hoàng', 'LINESTRING(105.8498 21.0268, 105.8498 21.0310)'),
                                      ('secondary', 'Phố Hàng Khay', 'LINESTRING(105.8495 21.0266, 105.8550 21.0266)'),
                                      ('minor', 'Phố Thử', 'LINESTRING(105.8460 21.0320, 105.8500 21.0340)')) r(class, name, wkt)),
            place AS (SELECT 'quarter' AS class, @place AS name, ST_AsMVTGeom(ST_Transform(ST_SetSRID(ST_MakePoint(@plon, @plat), 4326), 3857), b.env, 4096, 64, true) AS geom FROM b)
            SELECT coalesce((SELECT ST_AsMVT(water.*, 'water', 4096, 'geom') FROM water WHERE geom IS NOT NULL), ''::bytea)
                || coalesce((SELECT ST_AsMVT(roads.*, 'transportation', 4096, 'geom') FROM roads WHERE geom IS NOT NULL), ''::bytea)
                || coalesce((SELECT ST_AsMVT(roads.*, 'transportation_name', 4096, 'geom') FROM roads WHERE geom IS NOT NULL), ''::bytea)
                || coalesce((SELECT ST_AsMVT(place.*, 'place', 4096, 'geom') FROM place WHERE geom IS NOT NULL), ''::bytea)
            """);
        cmd.Parameters.AddWithValue("z", z);
        cmd.Parameters.AddWithValue("x", x);
        cmd.Parameters.AddWithValue("y", y);
        cmd.Parameters.AddWithValue("lake", LakeWkt);
        cmd.Parameters.AddWithValue("place", PlaceName);
        cmd.Parameters.AddWithValue("plon", LabelLon);
        cmd.Parameters.AddWithValue("plat", LabelLat);
        return (byte[])(await cmd.ExecuteScalarAsync())!;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest))
        {
            gz.Write(data);
        }
        return ms.ToArray();
    }

    /// <summary>A 256×256 PNG of one colour (stored, uncompressed deflate blocks: nothing to depend on).</summary>
    public static byte[] SolidPng(byte r, byte g, byte b)
    {
        const int size = 256;
        var raw = new byte[size * (1 + size * 3)];
        for (var row = 0; row < size; row++)
        {
            var o = row * (1 + size * 3);
            for (var i = 0; i < size; i++)
            {
                raw[o + 1 + i * 3] = r;
                raw[o + 2 + i * 3] = g;
                raw[o + 3 + i * 3] = b;
            }
        }
        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(raw);
        }
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", [0, 0, 1, 0, 0, 0, 1, 0, 8, 2, 0, 0, 0]); // 256×256, 8-bit RGB
        Chunk(png, "IDAT", idat.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> len = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        s.Write(typeBytes);
        s.Write(data);
        var crc = new Crc32();
        crc.Append(typeBytes);
        crc.Append(data);
        var sum = crc.GetCurrentHashAsUInt32();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(len, sum);
        s.Write(len);
    }

    /// <summary>A raster tile server on a free local port: every tile is one colour; it counts what it served.</summary>
    public sealed class RasterServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _served;

        private RasterServer(WebApplication app, string url)
        {
            _app = app;
            TileUrl = url;
        }

        public string TileUrl { get; }
        public int Served => Volatile.Read(ref _served);

        public static async Task<RasterServer> StartAsync(byte r, byte g, byte b)
        {
            var png = SolidPng(r, g, b);
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            RasterServer? server = null;
            app.MapGet("/tiles/{z:int}/{x:int}/{y:int}.png", () =>
            {
                Interlocked.Increment(ref server!._served);
                return Results.Bytes(png, "image/png");
            });
            await app.StartAsync();
            var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
            server = new RasterServer(app, $"http://127.0.0.1:{port}/tiles/{{z}}/{{x}}/{{y}}.png");
            return server;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
