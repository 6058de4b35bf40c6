using Hotspots.Http;
using System.Text;
using Hotspots.Hosting;
using Hotspots.Layers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Hangfire;
using Hotspots.Imports.Mapping;
using Hotspots.Imports.Reading;

namespace Hotspots.Imports;

/// <summary>
/// POST /api/imports (multipart: file, layer, optional crs, sheet, mapping, source) → 202 with the run, or 422 with
/// the proposed mapping when none was sent and the columns do not place the rows surely; POST /api/imports/preview
/// (the same form) → what the run would do, nothing written; GET/PUT /api/imports/mappings/{source};
/// GET /api/imports, /api/imports/{id}, /api/imports/{id}/rejects (JSON with ?reason=&offset=&limit= and the reasons
/// counted, or CSV with ?format=csv);
/// POST /api/imports/{id}/cancel.
/// </summary>
public static class ImportsApi
{
    public static void MapImportsApi(this IEndpointRouteBuilder app)
    {
        // Imports are staff work; a ward lead sees and cancels the runs they sent, planners every run.
        var api = app.MapGroup("/api/imports").RequireAuthorization(Accounts.AccountsSetup.EditorsPolicy);
        api.MapPost("", PostAsync).DisableAntiforgery().WithMetadata(new RequestSizeLimitAttribute(long.MaxValue)).WithName("PostImport");
        api.MapPost("/preview", PreviewAsync).DisableAntiforgery().WithMetadata(new RequestSizeLimitAttribute(long.MaxValue));
        api.MapGet("/mappings/{source}", async (string source, SavedMappings saved, CancellationToken ct) =>
            await saved.GetAsync(source, ct) is { } found ? Results.Ok(found) : Results.NotFound());
        api.MapPut("/mappings/{source}", PutMappingAsync).DisableAntiforgery();
        api.MapGet("", async (Accounts.Caller caller, ImportRuns runs, CancellationToken ct) => TypedResults.Ok(new { runs = await runs.ListAsync(100, ct, ImportRuns.VisibleTo(caller)) }));
        api.MapGet("/{id:guid}", async (Guid id, Accounts.Caller caller, ImportRuns runs, CancellationToken ct) =>
            await runs.GetAsync(id, ct, ImportRuns.VisibleTo(caller)) is { } run ? Results.Ok(run) : Results.NotFound());
        api.MapGet("/{id:guid}/rejects", RejectsAsync);
        api.MapGet("/template/{layer}.csv", (string layer) => LayerCatalog.FindImportable(layer) is { } found
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

    private sealed record Upload(IFormFile File, Layer Layer, ImportOptions Options);

    /// <summary>The longest file name kept with a run (longer ones are refused; a name is shown, never used as a path).</summary>
    public const int MaxFileName = 255;

    // The form POST /api/imports and its preview share: the file, the layer and what the sender says about the file.
    private static async Task<(Upload? Upload, IResult? Problem)> ReadUploadAsync(HttpContext http, HotspotsOptions options, CancellationToken ct)
    {
        var max = options.ImportMaxMb * 1024L * 1024L;
        if (http.Request.ContentLength > max + 1024 * 1024)
        {
            return (null, TooLarge(options.ImportMaxMb));
        }
        if (!http.Request.HasFormContentType)
        {
            return (null, Problems.BadParameter("file", "send multipart/form-data with a field 'file'"));
        }
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = max + 1024 * 1024 }, ct);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException)
        {
            // A chunked body (no length to refuse up front) that grows past the limit, or a broken multipart body.
            return (null, e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase) ? TooLarge(options.ImportMaxMb)
                : Problems.BadParameter("file", "the multipart body could not be read"));
        }
        var file = form.Files.GetFile("file");
        if (file is null || file.Length == 0)
        {
            return (null, Problems.BadParameter("file", "a non-empty file is required in the form field 'file'"));
        }
        if (file.Length > max)
        {
            return (null, TooLarge(options.ImportMaxMb));
        }
        if (ControlCharacterGuard.Holds(file.FileName) || file.FileName.Length > MaxFileName)
        {
            return (null, Problems.BadParameter("file", $"the file's name must be at most {MaxFileName} characters with no control characters"));
        }
        if (LayerCatalog.FindImportable(form["layer"].ToString()) is not { } layer)
        {
            return (null, Problems.BadParameter("layer", $"layer must be one of: {string.Join(", ", LayerCatalog.Importable.Select(l => l.Id))}"));
        }
        var crs = form["crs"].ToString();
        if (crs.Length > 0 && Crs.Parse(crs) is null)
        {
            return (null, Problems.BadParameter("crs", "crs must be EPSG:4326, EPSG:3405 (VN-2000 / UTM 48N) or VN2000-TM3-105 (VN-2000 / TM-3, Hanoi)"));
        }
        var (mapping, mappingError) = ImportOptions.ParseMapping(form["mapping"].ToString());
        if (mappingError is not null)
        {
            return (null, Problems.BadParameter("mapping", mappingError));
        }
        if (ImportOptions.SourceProblem(form["source"].ToString(), layer) is { } sourceProblem)
        {
            return (null, Problems.BadParameter("source", sourceProblem));
        }
        return (new Upload(file, layer, new ImportOptions(crs.Length > 0 ? crs : null, form["sheet"].ToString() is { Length: > 0 } sh ? sh : null, mapping,
            form["source"].ToString() is { Length: > 0 } src ? src : null)), null);
    }

    private static async Task<IResult> PostAsync(HttpContext http, Accounts.Caller caller, ImportRuns runs, IBackgroundJobClient jobs, ImportPlaces places,
        SavedMappings saved, IOptions<HotspotsOptions> options, CancellationToken ct)
    {
        var (upload, problem) = await ReadUploadAsync(http, options.Value, ct);
        if (upload is null)
        {
            return problem!;
        }
        var (file, layer, importOptions) = upload;
        if (importOptions.Mapping is null && layer != LayerCatalog.Rainfall) // a gauge file's columns are read by name (RainRows)
        {
            // No mapping sent: the source's saved one or the proposal, applied only when it places every row surely.
            DecidedMapping? decided = null;
            try
            {
                await using var head = file.OpenReadStream();
                var (header, rows, _) = ImportFile.Read(file.FileName, head, importOptions.Sheet, []);
                var (sample, _) = ImportFile.Peek(rows, MappingProposer.SampleRows);
                decided = MappingDecision.Decide(layer, header, sample, await places.CrosswalkAsync(ct), importOptions,
                    await saved.GetAsync(importOptions.SourceOf(layer), ct));
            }
            catch (UnreadableFileException)
            {
                // Queued all the same: the run fails with the file's own reason, kept in the list of runs like any other.
            }
            if (decided is { How: "proposal", Proposal.Placeable: false })
            {
                return Results.Json(new
                {
                    title = "The columns could not all be recognised: send a mapping",
                    titleVi = "Chưa nhận ra đủ cột: hãy gửi ánh xạ cột (mapping)",
                    missing = decided.Proposal.Missing.Select(m => new { vi = m.Vi, en = m.En }),
                    columns = decided.Proposal.Columns,
                    proposal = decided.Proposal.Fields,
                    mapping = decided.Mapping,
                }, statusCode: StatusCodes.Status422UnprocessableEntity);
            }
            if (decided is not null)
            {
                importOptions = importOptions with { Mapping = decided.Mapping, MappingFrom = decided.How };
            }
        }
        // A form file above the in-memory threshold is buffered on disk by ASP.NET, so this stream can be read twice.
        await using var content = file.OpenReadStream();
        var id = await ImportJob.SubmitAsync(runs, jobs, caller.Email, caller.UserId, file.FileName, content, file.Length, layer.Id, importOptions, ct);
        return Results.Accepted($"/api/imports/{id}", await runs.GetAsync(id, ct));
    }

    private static async Task<IResult> PreviewAsync(HttpContext http, Accounts.Caller caller, ImportProcessor processor, IOptions<HotspotsOptions> options, CancellationToken ct)
    {
        var (upload, problem) = await ReadUploadAsync(http, options.Value, ct);
        if (upload is null)
        {
            return problem!;
        }
        await using var content = upload.File.OpenReadStream();
        // The run spools its file to disk and reads it from there; a preview reads the form's copy the same way.
        await using var seekable = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        await content.CopyToAsync(seekable, ct);
        seekable.Position = 0;
        return Results.Ok(await processor.PreviewAsync(upload.Layer, upload.Options, upload.File.FileName, seekable, caller, ct));
    }

    public sealed record MappingBody(IReadOnlyList<string>? Header, Dictionary<string, string>? Mapping);

    private static async Task<IResult> PutMappingAsync(string source, MappingBody body, Accounts.Caller caller, SavedMappings saved, CancellationToken ct)
    {
        if (body.Mapping is not { Count: > 0 } mapping)
        {
            return Problems.BadParameter("mapping", "a JSON object of file column → field is required");
        }
        if (FieldMap.UnknownField(mapping) is { } unknown)
        {
            return Problems.BadParameter("mapping", $"unknown field '{unknown}'; fields: {string.Join(", ", FieldMap.Aliases.Keys)} (or '-' to leave a column out)");
        }
        if (source.Length is 0 or > 200)
        {
            return Problems.BadParameter("source", "a source name of 1 to 200 characters is required");
        }
        await saved.SaveAsync(source, body.Header is { Count: > 0 } h ? h : [.. mapping.Keys], mapping, caller.Email, ct);
        return Results.Ok(await saved.GetAsync(source, ct));
    }

    private static IResult TooLarge(int mb) => Results.Problem(title: "File too large", detail: $"An import file may be at most {mb} MB (HOTSPOTS_IMPORT_MAX_MB).",
        statusCode: StatusCodes.Status413PayloadTooLarge, extensions: new Dictionary<string, object?> { ["parameter"] = "file" });

    private static async Task<IResult> RejectsAsync(Guid id, string? format, string? reason, int? offset, int? limit, Accounts.Caller caller, ImportRuns runs, CancellationToken ct)
    {
        if (await runs.GetAsync(id, ct, ImportRuns.VisibleTo(caller)) is not { } run)
        {
            return Results.NotFound();
        }
        var rejects = await runs.RejectsAsync(id, ct, reason, offset ?? 0, limit ?? int.MaxValue);
        if (format != "csv")
        {
            return Results.Ok(new { run = run.Id, rejects, reasons = await runs.ReasonsAsync(id, ct) });
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
