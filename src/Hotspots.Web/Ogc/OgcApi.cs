using System.Globalization;
using System.Text.Json;
using Hotspots.Hosting;
using Hotspots.Records;
using Hotspots.Wards;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Hotspots.Ogc;

/// <summary>
/// OGC API – Features (Part 1: Core, GeoJSON) at /ogc for staff and systems (a sign-in or a token, the map API's
/// data), and at /ogc/public over the public read model for anyone — so QGIS, GDAL and every other GIS read the
/// layers live instead of exporting a file. Items take the map API's filters (bbox, ward, status, severity, subtype,
/// from, to, sample, at) plus datetime (when reported), limit (1–10,000, default 1,000) and a next link that pages
/// by id.
/// </summary>
public static class OgcApi
{
    public const string Root = "/ogc", PublicRoot = "/ogc/public";
    private const string Crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
    private const int DefaultLimit = 1000, MaxLimit = 10_000;

    public static readonly string[] ConformsTo =
    [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    ];

    public static void MapOgc(this WebApplication app)
    {
        Map(app.MapGroup(PublicRoot).AllowAnonymous().RequireRateLimiting(Public.PublicApi.RatePolicy), PublicRoot, publicModel: true);
        Map(app.MapGroup(Root), Root, publicModel: false);
    }

    private static void Map(RouteGroupBuilder api, string root, bool publicModel)
    {
        api.MapGet("/", (HttpContext http, IOptions<HotspotsOptions> o) => Json(Landing(http, o.Value, root, publicModel)));
        api.MapGet("/api", (HttpContext http, IOptions<HotspotsOptions> o) =>
            Results.Text(OgcOpenApi.Document(OgcLinks.Base(http, o.Value, root), publicModel), "application/vnd.oai.openapi+json;version=3.0"));
        api.MapGet("/conformance", () => Json(new { conformsTo = ConformsTo }));
        api.MapGet("/collections", (HttpContext http, IOptions<HotspotsOptions> o) => Json(new
        {
            links = new[] { OgcLinks.Link(OgcLinks.Base(http, o.Value, root) + "/collections", "self", "application/json") },
            collections = OgcCollections.All.Select(c => Collection(c, OgcLinks.Base(http, o.Value, root))),
        }));
        api.MapGet("/collections/{collectionId}", (string collectionId, HttpContext http, IOptions<HotspotsOptions> o) =>
            OgcCollections.Find(collectionId) is { } c ? Json(Collection(c, OgcLinks.Base(http, o.Value, root))) : NotFound(collectionId));
        api.MapGet("/collections/{collectionId}/items", (string collectionId, HttpContext http, NpgsqlDataSource dataSource, KnownWards wards,
            IOptions<HotspotsOptions> o, CancellationToken ct) => ItemsAsync(collectionId, null, publicModel, root, http, dataSource, wards, o.Value, ct));
        api.MapGet("/collections/{collectionId}/items/{featureId}", (string collectionId, string featureId, HttpContext http, NpgsqlDataSource dataSource,
            KnownWards wards, IOptions<HotspotsOptions> o, CancellationToken ct) => ItemsAsync(collectionId, featureId, publicModel, root, http, dataSource, wards, o.Value, ct));
    }

    private static IResult Json(object body) => Results.Json(body, contentType: "application/json");

    private static IResult NotFound(string collectionId) =>
        Results.Problem(title: "No such collection", detail: $"collections are: {string.Join(", ", OgcCollections.All.Select(c => c.Id))}",
            statusCode: StatusCodes.Status404NotFound, extensions: new Dictionary<string, object?> { ["parameter"] = "collectionId", ["value"] = collectionId });

    private static object Landing(HttpContext http, HotspotsOptions o, string root, bool publicModel)
    {
        var b = OgcLinks.Base(http, o, root);
        return new
        {
            title = publicModel ? "Hotspots Hà Nội — bản đồ công khai" : "Hotspots Hà Nội",
            description = "05 điểm nghẽn (úng ngập, ùn tắc giao thông, trật tự đô thị, ô nhiễm môi trường, an toàn thực phẩm), dự án trọng điểm và 126 phường, xã của Hà Nội. " +
                          "Hanoi's five bottlenecks, key projects and 126 wards and communes." + (publicModel ? " Public read model: household-level positions generalised." : ""),
            links = new[]
            {
                OgcLinks.Link(b, "self", "application/json", "this document"),
                OgcLinks.Link(b + "/api", "service-desc", "application/vnd.oai.openapi+json;version=3.0", "the API definition"),
                OgcLinks.Link(b + "/conformance", "conformance", "application/json", "conformance classes"),
                OgcLinks.Link(b + "/collections", "data", "application/json", "collections"),
            },
        };
    }

    private static object Collection(OgcCollection c, string b) => new
    {
        id = c.Id,
        title = c.Title,
        description = c.TitleEn,
        itemType = "feature",
        crs = new[] { Crs84 },
        storageCrs = Crs84,
        extent = new
        {
            spatial = new { bbox = new[] { OgcCollections.Extent }, crs = Crs84 },
            temporal = c.HasTime ? new { interval = new[] { new string?[] { null, null } }, trs = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian" } : null,
        },
        links = new[]
        {
            OgcLinks.Link($"{b}/collections/{c.Id}", "self", "application/json"),
            OgcLinks.Link($"{b}/collections/{c.Id}/items", "items", "application/geo+json"),
        },
    };

    // Large enough that a map's 1,000-feature page leaves in one or two writes, small enough to hold nothing big.
    private const int FlushBytes = 256 * 1024;

    private static async Task<IResult> ItemsAsync(string collectionId, string? featureId, bool publicModel, string root, HttpContext http,
        NpgsqlDataSource dataSource, KnownWards wards, HotspotsOptions o, CancellationToken ct)
    {
        if (OgcCollections.Find(collectionId) is not { } c)
        {
            return NotFound(collectionId);
        }
        var (filter, bad, reason) = featureId is null ? HotspotFilter.Parse(http.Request.Query) : HotspotFilter.Parse(new QueryCollection());
        if (filter is null)
        {
            return Problems.BadParameter(bad!, reason!);
        }
        if (await filter.UnknownWardAsync(wards, ct) is { } unknown)
        {
            return Problems.BadParameter("ward", $"no current ward or commune has code {unknown}");
        }
        var limit = DefaultLimit;
        if (featureId is null && http.Request.Query.TryGetValue("limit", out var lv) && !string.IsNullOrWhiteSpace(lv)
            && (!int.TryParse(lv, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            return Problems.BadParameter("limit", $"limit must be a positive integer (at most {MaxLimit} are returned)");
        }
        limit = Math.Min(limit, MaxLimit); // the standard: a larger limit is answered with the most the server gives
        if (!OgcItems.TryParseDatetime(featureId is null ? http.Request.Query["datetime"].ToString() : null, out var datetime))
        {
            return Problems.BadParameter("datetime", "datetime must be an RFC 3339 time or an interval a/b, ../b or a/.. (1900–2200)");
        }
        // The one feature asked for, or the id a page starts after ("" on a first page): a record's id is a number.
        var after = featureId is null ? http.Request.Query["after"].ToString() : "";
        var key = featureId ?? after;
        object? keyValue = key.Length == 0 ? null : key;
        if (keyValue is not null && c.Layer?.Category is not null)
        {
            if (!long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return featureId is null ? Problems.BadParameter("after", "after must be the id of a record") : Results.NotFound();
            }
            keyValue = number;
        }

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = conn.CreateCommand();
        var (select, idColumn, write, idOf) = OgcItems.Query(c, publicModel, filter, datetime, cmd);
        if (keyValue is not null)
        {
            cmd.Parameters.AddWithValue("key", keyValue);
        }
        cmd.Parameters.AddWithValue("limit", featureId is null ? limit + 1 : 1);
        // A whole layer is walked along the primary key; a bbox or a ward is found through its own index and then
        // sorted (ordering by id as written would make the planner walk the key, filtering, for a few matches).
        var order = c.Layer?.Category is not null && (filter.Bbox is not null || filter.Wards is not null) ? $"{idColumn} + 0" : idColumn;
        cmd.CommandText = featureId is not null ? $"{select} AND {idColumn} = @key LIMIT @limit"
            : keyValue is null ? $"{select} ORDER BY {order} LIMIT @limit"
            : $"{select} AND {idColumn} > @key ORDER BY {order} LIMIT @limit";

        http.Response.ContentType = "application/geo+json; charset=utf-8";
        // Written straight into the response as the rows arrive, in pieces of about FlushBytes: a page of 10,000
        // features (8 MB) needs no buffer of its own, and the client receives while the database still reads.
        var body = http.Response.BodyWriter;
        await using var json = new Utf8JsonWriter(body, Hotspots.Map.FeaturesApi.WriterOptions);
        string? last = null;
        var numbered = c.Layer?.Category is not null;
        long lastNumber = 0;
        var returned = 0;
        var more = false;
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            if (featureId is not null)
            {
                if (!await reader.ReadAsync(ct))
                {
                    http.Response.ContentType = null;
                    return Results.Problem(title: "No such feature", statusCode: StatusCodes.Status404NotFound,
                        extensions: new Dictionary<string, object?> { ["parameter"] = "featureId" });
                }
                write(json, reader);
                await json.FlushAsync(ct);
                await body.FlushAsync(ct);
                return Results.Empty;
            }
            json.WriteStartObject();
            json.WriteString("type", "FeatureCollection");
            json.WriteStartArray("features");
            while (await reader.ReadAsync(ct))
            {
                if (returned == limit)
                {
                    more = true;
                    break;
                }
                write(json, reader);
                // A record's id stays a number until the next link needs it (a page's thousand strings cost more than the link).
                if (numbered) lastNumber = reader.GetInt64(0); else last = idOf(reader);
                returned++;
                if (json.BytesPending >= FlushBytes)
                {
                    await json.FlushAsync(ct);
                    await body.FlushAsync(ct);
                }
            }
        }
        json.WriteEndArray();
        if (numbered && returned > 0)
        {
            last = lastNumber.ToString(CultureInfo.InvariantCulture);
        }
        // The count of everything that matches, with the first page only: a client learns the layer's size once, and
        // the pages after it cost their rows alone. A first page that holds it all is its own count. A bbox page is
        // what a map asks for as it pans, many times a minute: it is not counted (the standard makes the count optional).
        if (after.Length == 0 && (filter.Bbox is null || !more))
        {
            long matched = returned;
            if (more)
            {
                await using var count = conn.CreateCommand();
                var (countSelect, _, _, _) = OgcItems.Query(c, publicModel, filter, datetime, count);
                count.CommandText = $"SELECT count(*) FROM ({countSelect}) x";
                matched = (long)(await count.ExecuteScalarAsync(ct))!;
            }
            json.WriteNumber("numberMatched", matched);
        }
        json.WriteNumber("numberReturned", returned);
        json.WriteString("timeStamp", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        json.WriteStartArray("links");
        WriteLink(json, OgcLinks.Self(http, o), "self", "application/geo+json");
        if (more)
        {
            WriteLink(json, OgcLinks.Self(http, o, new Dictionary<string, string?> { ["after"] = last, ["limit"] = limit.ToString(CultureInfo.InvariantCulture) }),
                "next", "application/geo+json");
        }
        WriteLink(json, $"{OgcLinks.Base(http, o, root)}/collections/{c.Id}", "collection", "application/json");
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(ct);
        await body.FlushAsync(ct);
        return Results.Empty;
    }

    private static void WriteLink(Utf8JsonWriter json, string href, string rel, string type)
    {
        json.WriteStartObject();
        json.WriteString("href", href);
        json.WriteString("rel", rel);
        json.WriteString("type", type);
        json.WriteEndObject();
    }
}
