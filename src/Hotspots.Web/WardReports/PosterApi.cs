using Hotspots.Records;
using Hotspots.Hosting;
using Hotspots.Wards;
using Microsoft.Extensions.Options;
using Npgsql;
using QRCoder;

namespace Hotspots.WardReports;

public sealed record PosterProject(string Id, string Name, string Kind, double? ProgressPct);

public sealed record WardPoster(string WardCode, string WardName, string Size, DateTimeOffset AsOf, WardMapData Map,
    IReadOnlyDictionary<string, int> OpenByCategory, IReadOnlyList<PosterProject> Projects, bool IncludesSample, string? LiveUrl, string QrSvg);

/// <summary>
/// A ward's printable map for its cultural house: /print/ward/{code}?size=A4|A3 (the page) and
/// /api/print/ward/{code}.pdf. Everything on it comes from the public read model, and its QR code opens the
/// live public embed of the ward.
/// </summary>
public static class PosterApi
{
    public static void MapPosterApi(this WebApplication app)
    {
        app.MapGet("/print/ward/{code}", async (string code, string? size, HttpContext http, DocumentRenderer renderer, CancellationToken ct) =>
        {
            var (poster, problem) = await PosterAsync(code, size, http, ct);
            if (problem is not null)
            {
                return problem;
            }
            http.Response.Headers.ContentSecurityPolicy = DocumentRenderer.PolicyWith(http.RequestServices.GetRequiredService<Hotspots.Basemap.Basemaps>().RasterOrigin);
            return Results.Content(await RenderAsync(renderer, poster!), "text/html; charset=utf-8");
        });
        app.MapGet("/api/print/ward/{file}", async (string file, string? size, HttpContext http, DocumentRenderer renderer, PdfPrinter printer, CancellationToken ct) =>
        {
            if (!file.EndsWith(".pdf", StringComparison.Ordinal))
            {
                return Problems.BadParameter("format", "the poster is made as .pdf (or opened as a page at /print/ward/{code})");
            }
            var code = file[..^4];
            var (poster, problem) = await PosterAsync(code, size, http, ct);
            if (problem is not null)
            {
                return problem;
            }
            if (!printer.Available)
            {
                return printer.Off($"/print/ward/{code}");
            }
            return Results.File(await printer.PrintAsync(await RenderAsync(renderer, poster!), ct), "application/pdf", $"ban-do-{code}-{poster!.Size}.pdf");
        });
    }

    private static Task<string> RenderAsync(DocumentRenderer renderer, WardPoster poster) =>
        renderer.RenderAsync<WardPosterDocument>(new Dictionary<string, object?> { ["Poster"] = poster });

    private static async Task<(WardPoster?, IResult?)> PosterAsync(string code, string? size, HttpContext http, CancellationToken ct)
    {
        size = (size ?? "A3").ToUpperInvariant();
        if (size is not ("A3" or "A4"))
        {
            return (null, Problems.BadParameter("size", "size must be A3 or A4"));
        }
        var services = http.RequestServices;
        if (!await services.GetRequiredService<KnownWards>().ExistsAsync(code, ct))
        {
            return (null, Problems.BadParameter("code", $"no current ward or commune has code '{code}'"));
        }
        var map = (await services.GetRequiredService<WardMaps>().WardAsync(code, ct))!;
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        await using var cmd = dataSource.CreateCommand($$"""
            SELECT w.full_name, coalesce((SELECT as_of FROM ward_stats_state), now()),
                   (SELECT coalesce(jsonb_object_agg(category, n), '{}')::text FROM (
                        SELECT category, count(*) AS n FROM public_hotspots
                        WHERE ward_code = w.code AND status IN ({{HotspotStatus.OpenSql}}) GROUP BY category) c),
                   EXISTS (SELECT 1 FROM public_hotspots WHERE ward_code = w.code AND is_sample)
            FROM current_wards w WHERE w.code = @code
            """);
        cmd.Parameters.AddWithValue("code", code);
        string name;
        DateTimeOffset asOf;
        Dictionary<string, int> open;
        bool sample;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            await r.ReadAsync(ct);
            (name, asOf, open, sample) = (r.GetString(0), r.GetFieldValue<DateTimeOffset>(1),
                System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, int>>(r.GetString(2))!, r.GetBoolean(3));
        }
        var projects = new List<PosterProject>();
        await using (var pc = dataSource.CreateCommand("""
            SELECT p.id, p.name, p.kind, p.progress_pct::float8 FROM project_wards pw JOIN projects p ON p.id = pw.project_id
            WHERE pw.ward_code = @code ORDER BY p.kind, p.id
            """))
        {
            pc.Parameters.AddWithValue("code", code);
            await using var r = await pc.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                projects.Add(new(r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetDouble(3)));
            }
        }
        // Only a configured public address goes on paper: the request's Host header is the caller's to write.
        var settings = services.GetRequiredService<IOptions<HotspotsOptions>>().Value;
        var url = settings.HasPublicUrl ? $"{settings.PublicSite("")}/embed?ward={code}" : null;
        return (new WardPoster(code, name, size, asOf, map, open, projects, sample, url, url is null ? "" : Qr(url)), null);
    }

    /// <summary>The QR code as SVG (QRCoder), medium error correction so a worn print still scans.</summary>
    public static string Qr(string url)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(4, "#000000", "#ffffff", true, SvgQRCode.SizingMode.ViewBoxAttribute);
    }
}
