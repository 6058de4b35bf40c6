using System.Globalization;
using System.Text;
using Hotspots.Hosting;
using Hotspots.Layers;
using Hotspots.Wards;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Hotspots.Features;

/// <summary>
/// GET /api/features/{layer}: a GeoJSON FeatureCollection made by PostGIS and streamed as it is read,
/// each feature with its record id; a server-side default and maximum limit, and `truncated` when cut
/// (most severe first, so a cut answer keeps what matters most).
/// </summary>
public static class FeaturesApi
{
    public static void MapFeaturesApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/features/{layer}", GetFeatures).WithName("GetFeatures");

    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> GetFeatures(
        string layer, HttpContext http, NpgsqlDataSource dataSource, KnownWards wards, IOptions<HotspotsOptions> options, CancellationToken ct)
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
        if (filter.Ward is not null && !await wards.ExistsAsync(filter.Ward, ct))
        {
            return Problems.BadParameter("ward", $"no current ward or commune has code {filter.Ward}");
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

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = conn.CreateCommand();
        if (l.Category is null)
        {
            if (filter.Statuses is not null || filter.Severities is not null || filter.Subtypes is not null || filter.From is not null || filter.To is not null)
            {
                return Problems.BadParameter("status", "the projects layer takes only bbox, ward and sample filters");
            }
            cmd.CommandText = ProjectsSql(filter, cmd);
        }
        else
        {
            cmd.CommandText = HotspotsSql(l, filter, cmd);
        }
        cmd.Parameters.AddWithValue("limit", limit + 1);

        http.Response.ContentType = "application/geo+json; charset=utf-8";
        var body = http.Response.BodyWriter;
        var count = 0;
        var truncated = false;
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            Write(body, """{"type":"FeatureCollection","features":[""");
            while (await reader.ReadAsync(ct))
            {
                if (count == limit)
                {
                    truncated = true;
                    break;
                }
                if (count++ > 0)
                {
                    Write(body, ",");
                }
                Write(body, reader.GetString(0));
                if (count % 256 == 0)
                {
                    await body.FlushAsync(ct);
                }
            }
        }
        Write(body, $$"""],"numberReturned":{{count}},"limit":{{limit}},"truncated":{{(truncated ? "true" : "false")}}}""");
        await body.FlushAsync(ct);
        return TypedResults.Empty;
    }

    private static string HotspotsSql(Layer l, HotspotFilter filter, NpgsqlCommand cmd)
    {
        cmd.Parameters.AddWithValue("category", l.Category!);
        return $"""
        SELECT json_build_object(
            'type', 'Feature', 'id', h.id,
            'geometry', ST_AsGeoJSON(h.geom, 6)::json,
            'properties', json_build_object(
                'id', h.id, 'layer', '{l.Id}', 'subtype', h.subtype, 'title', h.title, 'severity', h.severity,
                'status', h.status, 'overdue', {HotspotFilter.OverdueSql}, 'responsibleUnit', h.responsible_unit,
                'deadline', h.deadline, 'reportedAt', h.reported_at, 'verifiedAt', h.verified_at,
                'resolvedAt', h.resolved_at, 'wardCode', h.ward_code, 'source', h.source, 'isSample', h.is_sample,
                'details', (SELECT to_jsonb(d) - 'hotspot_id' FROM {l.DetailsTable} d WHERE d.hotspot_id = h.id)))::text
        FROM hotspots h
        WHERE h.category = @category {filter.Sql(cmd)}
        ORDER BY h.severity DESC, h.id
        LIMIT @limit
        """;
    }

    private static string ProjectsSql(HotspotFilter filter, NpgsqlCommand cmd)
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
        if (filter.Ward is not null)
        {
            where.Append(" AND EXISTS (SELECT 1 FROM project_wards pw WHERE pw.project_id = p.id AND pw.ward_code = @ward)");
            cmd.Parameters.AddWithValue("ward", filter.Ward);
        }
        if (filter.Sample is { } s)
        {
            where.Append(" AND p.is_sample = @sample");
            cmd.Parameters.AddWithValue("sample", s);
        }
        return $"""
            SELECT json_build_object(
                'type', 'Feature', 'id', p.id,
                'geometry', ST_AsGeoJSON(p.geom, 6)::json,
                'properties', json_build_object(
                    'id', p.id, 'layer', 'projects', 'name', p.name, 'nameEn', p.name_en, 'kind', p.kind,
                    'owner', p.owner, 'startDate', p.start_date, 'plannedEnd', p.planned_end,
                    'progressPct', p.progress_pct, 'landClearancePct', p.land_clearance_pct,
                    'householdsToResettle', p.households_to_resettle, 'approximate', p.approximate,
                    'isSample', p.is_sample,
                    'wards', (SELECT coalesce(json_agg(pw.ward_code ORDER BY pw.ward_code), '[]') FROM project_wards pw WHERE pw.project_id = p.id),
                    'milestones', (SELECT coalesce(json_agg(json_build_object('name', m.name, 'plannedDate', m.planned_date,
                                    'doneDate', m.done_date) ORDER BY m.planned_date), '[]') FROM project_milestones m WHERE m.project_id = p.id)))::text
            FROM projects p
            WHERE true {where}
            ORDER BY p.id
            LIMIT @limit
            """;
    }

    private static void Write(System.IO.Pipelines.PipeWriter body, string text)
    {
        var span = body.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        body.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
