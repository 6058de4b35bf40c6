using Hotspots.Http;
using System.Text;
using Hotspots.Hosting;
using Hotspots.Layers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Hangfire;

namespace Hotspots.Imports;

/// <summary>
/// POST /api/imports (multipart: file, layer, optional crs, sheet, mapping, source) → 202 with the run;
/// GET /api/imports, /api/imports/{id}, /api/imports/{id}/rejects (JSON, or CSV with ?format=csv);
/// POST /api/imports/{id}/cancel.
/// </summary>
public static class ImportsApi
{
    public static void MapImportsApi(this IEndpointRouteBuilder app)
    {
        // Imports are staff work; a ward lead sees and cancels the runs they sent, planners every run.
        var api = app.MapGroup("/api/imports").RequireAuthorization(Accounts.AccountsSetup.EditorsPolicy);
        api.MapPost("", PostAsync).DisableAntiforgery().WithMetadata(new RequestSizeLimitAttribute(long.MaxValue)).WithName("PostImport");
        api.MapGet("", async (Accounts.Caller caller, ImportRuns runs, CancellationToken ct) => TypedResults.Ok(new { runs = await runs.ListAsync(100, ct, ImportRuns.VisibleTo(caller)) }));
        api.MapGet("/{id:guid}", async (Guid id, Accounts.Caller caller, ImportRuns runs, CancellationToken ct) =>
            await runs.GetAsync(id, ct, ImportRuns.VisibleTo(caller)) is { } run ? Results.Ok(run) : Results.NotFound());
        api.MapGet("/{id:guid}/rejects", RejectsAsync);
        api.MapGet("/template/{layer}.csv", (string layer) => LayerCatalog.Find(layer) is { Category: not null } found
            ? Results.File(ImportTemplate.Csv(found), "text/csv; charset=utf-8", $"mau-nhap-{found.Id}.csv")
            : Results.NotFound());
        api.MapPost("/{id:guid}/cancel", async (Guid id, Accounts.Caller caller, ImportRuns runs, IBackgroundJobClient jobs, CancellationToken ct) =>
        {
            switch (await ImportCancellation.CancelAsync(caller, id, runs, jobs, ct))
            {
                case ImportCancellation.Outcome.NotFound:
                    return Results.NotFound();
                case ImportCancellation.Outcome.AlreadyEnded:
                    return Results.Problem(title: "The run has already ended", statusCode: StatusCodes.Status409Conflict);
            }
            return Results.Accepted($"/api/imports/{id}", await runs.GetAsync(id, ct));
        }).DisableAntiforgery();
    }

    private static async Task<IResult> PostAsync(HttpContext http, Accounts.Caller caller, ImportRuns runs, IBackgroundJobClient jobs, IOptions<HotspotsOptions> options, CancellationToken ct)
    {
        var max = options.Value.ImportMaxMb * 1024L * 1024L;
        if (http.Request.ContentLength > max + 1024 * 1024)
        {
            return TooLarge(options.Value.ImportMaxMb);
        }
        if (!http.Request.HasFormContentType)
        {
            return Problems.BadParameter("file", "send multipart/form-data with a field 'file'");
        }
        var form = await http.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = max + 1024 * 1024 }, ct);
        var file = form.Files.GetFile("file");
        if (file is null || file.Length == 0)
        {
            return Problems.BadParameter("file", "a non-empty file is required in the form field 'file'");
        }
        if (file.Length > max)
        {
            return TooLarge(options.Value.ImportMaxMb);
        }
        var layerId = form["layer"].ToString();
        if (LayerCatalog.Find(layerId) is not { Category: not null })
        {
            return Problems.BadParameter("layer", $"layer must be one of the hotspot layers: {string.Join(", ", LayerCatalog.All.Where(l => l.Category is not null).Select(l => l.Id))}");
        }
        var crs = form["crs"].ToString();
        if (crs.Length > 0 && Crs.Parse(crs) is null)
        {
            return Problems.BadParameter("crs", "crs must be EPSG:4326, EPSG:3405 (VN-2000 / UTM 48N) or VN2000-TM3-105 (VN-2000 / TM-3, Hanoi)");
        }
        var (mapping, mappingError) = ImportOptions.ParseMapping(form["mapping"].ToString());
        if (mappingError is not null)
        {
            return Problems.BadParameter("mapping", mappingError);
        }
        // A form file above the in-memory threshold is buffered on disk by ASP.NET, so this stream can be read twice.
        await using var content = file.OpenReadStream();
        var id = await ImportJob.SubmitAsync(runs, jobs, caller.Email, caller.UserId, file.FileName,
            content, file.Length, layerId, new ImportOptions(crs.Length > 0 ? crs : null, form["sheet"].ToString() is { Length: > 0 } sh ? sh : null, mapping,
                form["source"].ToString() is { Length: > 0 } src ? src : null), ct);
        return Results.Accepted($"/api/imports/{id}", await runs.GetAsync(id, ct));
    }

    private static IResult TooLarge(int mb) => Results.Problem(title: "File too large", detail: $"An import file may be at most {mb} MB (HOTSPOTS_IMPORT_MAX_MB).",
        statusCode: StatusCodes.Status413PayloadTooLarge, extensions: new Dictionary<string, object?> { ["parameter"] = "file" });

    private static async Task<IResult> RejectsAsync(Guid id, string? format, Accounts.Caller caller, ImportRuns runs, CancellationToken ct)
    {
        if (await runs.GetAsync(id, ct, ImportRuns.VisibleTo(caller)) is not { } run)
        {
            return Results.NotFound();
        }
        var rejects = await runs.RejectsAsync(id, ct);
        if (format != "csv")
        {
            return Results.Ok(new { run = run.Id, rejects });
        }
        // UTF-8 with BOM so that Excel opens Vietnamese correctly; cells that look like formulas are kept as text.
        var sb = new StringBuilder("\uFEFFdòng,cột,giá trị,lý do,reason,loại\r\n");
        foreach (var r in rejects)
        {
            sb.Append(r.Row).Append(',').Append(CsvCell.Of(r.Column)).Append(',').Append(CsvCell.Of(r.Value)).Append(',')
              .Append(CsvCell.Of(r.ReasonVi)).Append(',').Append(CsvCell.Of(r.ReasonEn)).Append(',').Append(r.Kind).Append("\r\n");
        }
        return Results.File(Encoding.UTF8.GetBytes(sb.ToString()), "text/csv; charset=utf-8", $"rejects-{Path.GetFileNameWithoutExtension(run.FileName)}.csv");
    }
}
