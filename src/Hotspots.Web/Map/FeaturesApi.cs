using Hotspots.Http;
using Hotspots.Records;
using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Hotspots.Hosting;
using Hotspots.Layers;
using Hotspots.Snapshots;
using Hotspots.Wards;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Hotspots.Map;

/// <summary>
/// GET /api/features/{layer}: a GeoJSON FeatureCollection, geometry made by PostGIS, written as rows are
/// read, each feature with its record id; a server-side default and maximum limit, and `truncated` when cut
/// (most severe first, so a cut answer keeps what matters most).
/// </summary>
public static class FeaturesApi
{
    public static void MapFeaturesApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/features/{layer}", (string layer, HttpContext http, NpgsqlDataSource dataSource, KnownWards wards,
                IOptions<HotspotsOptions> options, ResponseCache cache, DataVersion version, CancellationToken ct) =>
            ServeAsync(publicModel: false, layer, http, dataSource, wards, options, cache, version, ct)).WithName("GetFeatures");

    /// <summary>The internal answer, or with <paramref name="publicModel"/> the public map's (Public/PublicApi).</summary>
    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> ServeAsync(
        bool publicModel, string layer, HttpContext http, NpgsqlDataSource dataSource, KnownWards wards, IOptions<HotspotsOptions> options,
        ResponseCache cache, DataVersion version, CancellationToken ct)
    {
        var l = LayerCatalog.Find(layer);
        if (l is null)
        {
            return Problems.BadParameter("layer", $"unknown layer '{layer}'; known layers: {LayerCatalog.Known}");
        }
        var (filter, bad, reason) = HotspotFilter.Parse(http.Request.Query);
        if (filter is null)
        {
            return Problems.BadParameter(bad!, reason!);
        }
        if (await filter.UnknownWardAsync(wards, ct) is { } unknown)
        {
            return Problems.BadParameter("ward", $"no current ward or commune has code {unknown}");
        }
        var o = options.Value;
        var limit = o.FeaturesDefaultLimit;
        if (http.Request.Query.TryGetValue("limit", out var lv) && !string.IsNullOrWhiteSpace(lv))
        {
            if (!int.TryParse(lv, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > o.FeaturesMaxLimit)
            {
                return Problems.BadParameter("limit", $"limit must be an integer from 1 to {o.FeaturesMaxLimit}");
            }
        }

        // Same URL, same data version, same answer: repeats come from memory, and 304 for a client that has it.
        var v = version.Current;
        var etag = publicModel ? $"\"pf{v}\"" : $"\"f{v}\"";
        http.Response.ContentType = "application/geo+json; charset=utf-8";
        if (ConditionalGet.NotModified(http, etag, CachePolicy.For(http.Request, v)))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return TypedResults.Empty;
        }
        var key = ResponseCache.Key(http.Request, v);
        if (cache.TryGet(key, out var cached))
        {
            await http.Response.Body.WriteAsync(cached, ct);
            return TypedResults.Empty;
        }

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = conn.CreateCommand();
        if (l.Category is null)
        {
            if (filter.Statuses is not null || filter.Severities is not null || filter.Subtypes is not null || filter.From is not null || filter.To is not null || filter.At is not null)
            {
                return Problems.BadParameter("status", "the projects layer takes only bbox, ward and sample filters");
            }
            cmd.CommandText = ProjectsSql(filter, cmd) + " ORDER BY p.id LIMIT @limit";
        }
        else if (publicModel)
        {
            cmd.CommandText = PublicHotspotsSql(l, filter, cmd) + " ORDER BY h.severity DESC, h.id LIMIT @limit";
        }
        else
        {
            var details = http.Request.Query.TryGetValue("details", out var dv) && dv == "true";
            cmd.CommandText = HotspotsSql(l, filter, details, cmd) + " ORDER BY h.severity DESC, h.id LIMIT @limit";
        }
        cmd.Parameters.AddWithValue("limit", limit + 1);

        var write = l.Category is null ? (Action<Utf8JsonWriter, NpgsqlDataReader>)WriteProject
            : publicModel ? WritePublicHotspot : WriteHotspot;
        // Written to memory first (the limit bounds it), so the answer can be cached and a failure mid-way
        // is a clean 500 rather than a cut document.
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        await using var json = new Utf8JsonWriter(buffer, WriterOptions);
        json.WriteStartObject();
        json.WriteString("type", "FeatureCollection");
        json.WriteStartArray("features");
        var count = 0;
        var truncated = false;
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                if (count == limit)
                {
                    truncated = true;
                    break;
                }
                write(json, reader);
                count++;
            }
        }
        json.WriteEndArray();
        json.WriteNumber("numberReturned", count);
        json.WriteNumber("limit", limit);
        json.WriteBoolean("truncated", truncated);
        json.WriteEndObject();
        await json.FlushAsync(ct);
        var body = buffer.WrittenMemory.ToArray();
        cache.Set(key, body);
        await http.Response.Body.WriteAsync(body, ct);
        return TypedResults.Empty;
    }

    // Vietnamese stays as UTF-8 (the default encoder would write every letter with a diacritic as \uXXXX);
    // HTML-significant characters are still escaped.
    internal static readonly JsonWriterOptions WriterOptions = new()
    {
        SkipValidation = true,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    // Columns 0–8 of both hotspot queries (internal and public): the feature, its geometry and what every map shows.
    private static void WriteFeatureStart(Utf8JsonWriter json, NpgsqlDataReader r)
    {
        var id = r.GetInt64(0);
        json.WriteStartObject();
        json.WriteString("type", "Feature");
        json.WriteNumber("id", id);
        json.WritePropertyName("geometry");
        json.WriteRawValue(r.GetString(1), skipInputValidation: true);
        json.WriteStartObject("properties");
        json.WriteNumber("id", id);
        json.WriteString("layer", r.GetString(2));
        WriteNullableString(json, "subtype", r, 3);
        json.WriteString("title", r.GetString(4));
        json.WriteNumber("severity", r.GetInt16(5));
        json.WriteString("status", r.GetString(6));
        json.WriteBoolean("overdue", r.GetBoolean(7));
        WriteNullableString(json, "responsibleUnit", r, 8);
    }

    // Columns of HotspotsSql, in order. PostGIS makes the geometry; the app writes the rest as it reads.
    internal static void WriteHotspot(Utf8JsonWriter json, NpgsqlDataReader r)
    {
        WriteFeatureStart(json, r);
        if (r.IsDBNull(9)) json.WriteNull("deadline"); else json.WriteString("deadline", r.GetFieldValue<DateOnly>(9).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        WriteTime(json, "reportedAt", r, 10);
        WriteTime(json, "verifiedAt", r, 11);
        WriteTime(json, "resolvedAt", r, 12);
        WriteNullableString(json, "wardCode", r, 13);
        json.WriteString("source", r.GetString(14));
        json.WriteBoolean("isSample", r.GetBoolean(15));
        if (!r.IsDBNull(16))
        {
            json.WritePropertyName("details");
            json.WriteRawValue(r.GetString(16), skipInputValidation: true);
        }
        json.WriteString("origin", r.GetString(17));
        WriteDay(json, "updatedOn", r, 18, isDate: false);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    internal static void WriteProject(Utf8JsonWriter json, NpgsqlDataReader r) => json.WriteRawValue(r.GetString(0), skipInputValidation: true);

    private static void WriteNullableString(Utf8JsonWriter json, string name, NpgsqlDataReader r, int i)
    {
        if (r.IsDBNull(i)) json.WriteNull(name); else json.WriteString(name, r.GetString(i));
    }

    private static void WriteTime(Utf8JsonWriter json, string name, NpgsqlDataReader r, int i)
    {
        if (r.IsDBNull(i)) json.WriteNull(name); else json.WriteString(name, new DateTimeOffset(r.GetDateTime(i), TimeSpan.Zero));
    }

    // The category's own fields (details=true) cost a join per feature, so a map that only draws does not pay it.
    // Each query below is SELECT … WHERE …: the caller orders and limits (by severity here, by id for paging in Ogc/).
    internal static string HotspotsSql(Layer l, HotspotFilter filter, bool details, NpgsqlCommand cmd)
    {
        cmd.Parameters.AddWithValue("category", l.Category!);
        cmd.Parameters.AddWithValue("layer", l.Id);
        return $"""
            SELECT h.id, ST_AsGeoJSON(ST_ForcePolygonCCW(h.geom), 6), @layer, h.subtype, h.title, h.severity, {filter.StatusSql},
                   {filter.OverdueExpr}, h.responsible_unit, h.deadline, h.reported_at, h.verified_at,
                   h.resolved_at, h.ward_code, h.source, h.is_sample,
                   {(details ? RecordDetails.JsonSql(l) : "NULL::text")},
                   hotspot_origin(h.source, h.is_sample, h.import_run), greatest(h.updated_at, h.verified_at)
            FROM hotspots h
            WHERE h.category = @category {filter.Sql(cmd)}
            """;
    }

    // The public read model's columns only (Public/PublicReadModel): no description, details, source or notes.
    internal static string PublicHotspotsSql(Layer l, HotspotFilter filter, NpgsqlCommand cmd)
    {
        cmd.Parameters.AddWithValue("category", l.Category!);
        cmd.Parameters.AddWithValue("layer", l.Id);
        return $"""
            SELECT h.id, ST_AsGeoJSON(ST_ForcePolygonCCW(h.geom), 6), @layer, h.subtype, h.title, h.severity, {filter.StatusSql},
                   {filter.OverdueExpr}, h.responsible_unit, h.deadline, h.reported_at, h.resolved_at, h.ward_code,
                   h.is_sample, h.generalized, h.origin, h.updated_at
            FROM public_hotspots h
            WHERE h.category = @category {filter.Sql(cmd)}
            """;
    }

    // Columns of PublicHotspotsSql, in order. Dates only: the hour a household was reported is nobody's business.
    internal static void WritePublicHotspot(Utf8JsonWriter json, NpgsqlDataReader r)
    {
        WriteFeatureStart(json, r);
        WriteDay(json, "deadline", r, 9, isDate: true);
        WriteDay(json, "reportedOn", r, 10, isDate: false);
        WriteDay(json, "resolvedOn", r, 11, isDate: false);
        WriteNullableString(json, "wardCode", r, 12);
        json.WriteBoolean("isSample", r.GetBoolean(13));
        json.WriteBoolean("generalized", r.GetBoolean(14));
        // Where it came from, in the public's words (the kind, never the file or the person), and when last touched.
        json.WriteString("origin", r.GetString(15));
        WriteDay(json, "updatedOn", r, 16, isDate: false);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteDay(Utf8JsonWriter json, string name, NpgsqlDataReader r, int i, bool isDate)
    {
        if (r.IsDBNull(i))
        {
            json.WriteNull(name);
            return;
        }
        var day = isDate ? r.GetFieldValue<DateOnly>(i) : DateOnly.FromDateTime(r.GetDateTime(i).AddHours(7)); // Hanoi day
        json.WriteString(name, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    internal static string ProjectsSql(HotspotFilter filter, NpgsqlCommand cmd)
    {
        var where = new StringBuilder();
        if (filter.Bbox is { } b)
        {
            where.Append(" AND p.geom && ST_MakeEnvelope(@minx, @miny, @maxx, @maxy, 4326)");
            cmd.Parameters.AddWithValue("minx", b[0]);
            cmd.Parameters.AddWithValue("miny", b[1]);
            cmd.Parameters.AddWithValue("maxx", b[2]);
            cmd.Parameters.AddWithValue("maxy", b[3]);
        }
        if (filter.Wards is not null)
        {
            where.Append(" AND EXISTS (SELECT 1 FROM project_wards pw WHERE pw.project_id = p.id AND pw.ward_code = ANY(@wards))");
            cmd.Parameters.AddWithValue("wards", filter.Wards);
        }
        if (filter.Sample is { } s)
        {
            where.Append(" AND p.is_sample = @sample");
            cmd.Parameters.AddWithValue("sample", s);
        }
        return $"""
            SELECT json_build_object(
                'type', 'Feature', 'id', p.id,
                'geometry', ST_AsGeoJSON(ST_ForcePolygonCCW(p.geom), 6)::json,
                'properties', json_build_object(
                    'id', p.id, 'layer', 'projects', 'name', p.name, 'nameEn', p.name_en, 'kind', p.kind,
                    'owner', p.owner, 'startDate', p.start_date, 'plannedEnd', p.planned_end,
                    'progressPct', p.progress_pct, 'landClearancePct', p.land_clearance_pct,
                    'householdsToResettle', p.households_to_resettle, 'approximate', p.approximate,
                    'isSample', p.is_sample,
                    'wards', (SELECT coalesce(json_agg(pw.ward_code ORDER BY pw.ward_code), '[]') FROM project_wards pw WHERE pw.project_id = p.id),
                    'milestones', (SELECT coalesce(json_agg(json_build_object('name', m.name, 'plannedDate', m.planned_date,
                                    'doneDate', m.done_date) ORDER BY m.planned_date), '[]') FROM project_milestones m WHERE m.project_id = p.id)))::text,
                   p.id
            FROM projects p
            WHERE true {where}
            """;
    }
}
