using Hotspots.Calendar;
using System.Text;
using Hotspots.Hosting;
using Hotspots.Outreach;
using Hotspots.Wards;

namespace Hotspots.WardReports;

/// <summary>
/// The quarterly ward report: /reports/quarterly/{ward} (the printable page) and
/// /api/reports/quarterly/{ward}.{xlsx|pdf|json}, with quarter=2026-Q3 (default: the running quarter) and ward a
/// code or "all" (the city, with one line per ward). Posters are in <see cref="PosterApi"/>.
/// </summary>
public static class WardReportsApi
{
    public static void MapWardReportsApi(this WebApplication app)
    {
        app.MapGet("/reports/quarterly/{ward}", async (string ward, string? quarter, HttpContext http, QuarterlyReports reports, WardMaps maps,
            DocumentRenderer renderer, IssuingBodies issuing, TimeProvider time, CancellationToken ct) =>
        {
            var (q, problem) = await CheckAsync(ward, quarter, http, time, ct);
            if (problem is not null)
            {
                return problem;
            }
            var html = await HtmlAsync(ward, q, reports, maps, renderer, issuing, ct);
            http.Response.Headers.ContentSecurityPolicy = DocumentRenderer.PolicyWith(http.RequestServices.GetRequiredService<Hotspots.Basemap.Basemaps>().RasterOrigin);
            return Results.Content(html, "text/html; charset=utf-8");
        });

        app.MapGet("/api/reports/quarterly/{file}", async (string file, string? quarter, HttpContext http, QuarterlyReports reports, WardMaps maps,
            DocumentRenderer renderer, PdfPrinter printer, IssuingBodies issuing, TimeProvider time, CancellationToken ct) =>
        {
            var dot = file.LastIndexOf('.');
            var (ward, format) = dot > 0 ? (file[..dot], file[(dot + 1)..]) : (file, "");
            if (format is not ("xlsx" or "pdf" or "json"))
            {
                return Problems.BadParameter("format", "the report is made as .xlsx, .pdf or .json");
            }
            var (q, problem) = await CheckAsync(ward, quarter, http, time, ct);
            if (problem is not null)
            {
                return problem;
            }
            var name = $"bao-cao-{q}-{ward}";
            if (format == "pdf")
            {
                return printer.Available
                    ? Results.File(await printer.PrintAsync(await HtmlAsync(ward, q, reports, maps, renderer, issuing, ct), ct), "application/pdf", name + ".pdf")
                    : printer.Off($"/reports/quarterly/{ward}");
            }
            var (report, wards) = await reports.BuildAsync(CodeOf(ward), q, ct);
            if (format == "json")
            {
                return Results.Ok(new { report, wards });
            }
            using var buffer = new MemoryStream();
            // Small enough to build in memory; the writer's last steps are synchronous, which the response stream refuses.
            await QuarterlyReportXlsx.WriteAsync(buffer, report, wards, await issuing.GetAsync(CodeOf(ward), report.WardName, ct), ct);
            return Results.File(buffer.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name + ".xlsx");
        });
    }

    private static async Task<string> HtmlAsync(string ward, Quarter q, QuarterlyReports reports, WardMaps maps, DocumentRenderer renderer,
        IssuingBodies issuing, CancellationToken ct)
    {
        var (report, wards) = await reports.BuildAsync(CodeOf(ward), q, ct);
        var issuer = await issuing.GetAsync(CodeOf(ward), report.WardName, ct);
        var map = CodeOf(ward) is { } code ? await maps.WardAsync(code, ct) : await maps.CityAsync(ct);
        return await renderer.RenderAsync<QuarterlyReportDocument>(new Dictionary<string, object?>
        {
            ["Report"] = report,
            ["Issuer"] = issuer,
            ["Wards"] = wards,
            ["Map"] = map,
            ["Shading"] = CodeOf(ward) is null ? wards.Where(w => w.Outreach is not null).ToDictionary(w => w.WardCode!, w => w.Outreach!.Score) : null,
        });
    }

    public sealed record IssuingBodyRequest(string? BodyLine1, string? BodyLine2, string? Symbol, string? Place, string? SignerFor, string? SignerTitle,
        string? SignerName, string[]? Recipients);

    /// <summary>GET and PUT /api/admin/issuing-bodies/{ward|all}: the head and foot of that ward's (or the city's) printed reports.</summary>
    public static void MapIssuingBodiesApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/admin/issuing-bodies").RequireAuthorization(Accounts.AccountsSetup.AdminsPolicy).DisableAntiforgery();
        api.MapGet("/{ward}", async (string ward, IssuingBodies issuing, WardDirectory directory, CancellationToken ct) =>
            await NameOfAsync(ward, directory, ct) is { } name ? Results.Ok(await issuing.GetAsync(CodeOf(ward), name, ct)) : Results.NotFound());
        api.MapPut("/{ward}", async (string ward, IssuingBodyRequest body, Accounts.Caller caller, IssuingBodies issuing, WardDirectory directory, CancellationToken ct) =>
        {
            if (await NameOfAsync(ward, directory, ct) is null)
            {
                return Results.NotFound();
            }
            static bool Fits(string? v, int max, bool required = true) => v is null ? !required : v.Trim().Length is var n && n <= max && (n > 0 || !required);
            if (!Fits(body.BodyLine1, 120) || !Fits(body.BodyLine2, 120) || !Fits(body.Symbol, 40) || !Fits(body.Place, 60) || !Fits(body.SignerFor, 120, required: false)
                || !Fits(body.SignerTitle, 120) || !Fits(body.SignerName, 120, required: false) || body.Recipients is { Length: > 20 } || body.Recipients?.Any(r => !Fits(r, 200)) == true)
            {
                return Problems.BadParameter("body", "bodyLine1, bodyLine2 (≤ 120), symbol (≤ 40), place (≤ 60) and signerTitle (≤ 120) are required; signerFor, signerName (≤ 120) and up to 20 recipients (≤ 200) may be given");
            }
            var issuer = new IssuingBody(body.BodyLine1!.Trim(), body.BodyLine2!.Trim(), body.Symbol!.Trim(), body.Place!.Trim(),
                body.SignerFor?.Trim() ?? "", body.SignerTitle!.Trim(), body.SignerName?.Trim() is { Length: > 0 } n ? n : null,
                (body.Recipients ?? []).Select(r => r.Trim()).ToArray());
            await issuing.SetAsync(CodeOf(ward), issuer, caller, ct);
            return Results.Ok(issuer);
        });
    }

    private static async Task<string?> NameOfAsync(string ward, WardDirectory directory, CancellationToken ct) =>
        ward == "all" ? "Thành phố Hà Nội" : (await directory.AllAsync(ct)).FirstOrDefault(w => w.Code == ward)?.FullName;

    /// <summary>A ward code, or null for "all" (the city).</summary>
    private static string? CodeOf(string ward) => ward == "all" ? null : ward;

    private static async Task<(Quarter, IResult?)> CheckAsync(string ward, string? quarter, HttpContext http, TimeProvider time, CancellationToken ct)
    {
        var q = Quarter.Containing(time.GetUtcNow());
        if (quarter is not null && !Quarter.TryParse(quarter, out q))
        {
            return (q, Problems.BadParameter("quarter", "quarter must look like 2026-Q3"));
        }
        if (q.StartInstant > time.GetUtcNow())
        {
            return (q, Problems.BadParameter("quarter", $"{q} has not started yet"));
        }
        if (ward != "all" && !await http.RequestServices.GetRequiredService<KnownWards>().ExistsAsync(ward, ct))
        {
            return (q, Problems.BadParameter("ward", $"no current ward or commune has code '{ward}' (or use 'all' for the city)"));
        }
        return (q, null);
    }
}
