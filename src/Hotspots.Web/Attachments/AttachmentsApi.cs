using System.Text.Json;
using Hotspots.Accounts;
using Hotspots.Hosting;
using Hotspots.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Hotspots.Attachments;

/// <summary>
/// GET|POST /api/hotspots/{id}/attachments and /api/field-reports/{id}/attachments (multipart, one or more "file"
/// fields); GET /api/attachments/{id} and /{id}/thumbnail; PATCH /api/attachments/{id} {"public": true} (planners);
/// DELETE /api/attachments/{id}; for everyone, GET /api/public/hotspots/{id}/attachments and
/// /api/public/attachments/{id}[/thumbnail] — only what a planner made public on a record the public map shows.
/// </summary>
public static class AttachmentsApi
{
    public static void MapAttachmentsApi(this WebApplication app)
    {
        app.MapGet("/api/hotspots/{id:long}/attachments", (long id, Caller caller, AttachmentStore store, CancellationToken ct) =>
            ListAsync(caller, AttachmentOwner.Record(id), store, ct));
        app.MapGet("/api/field-reports/{id:long}/attachments", (long id, Caller caller, AttachmentStore store, CancellationToken ct) =>
            ListAsync(caller, AttachmentOwner.Report(id), store, ct));
        var edits = app.MapGroup("/api").RequireAuthorization(AccountsSetup.EditorsPolicy).DisableAntiforgery();
        edits.MapPost("/hotspots/{id:long}/attachments", (long id, HttpContext http, Caller caller, AttachmentStore store, CancellationToken ct) =>
            AddAsync(http, caller, AttachmentOwner.Record(id), store, ct)).WithMetadata(new RequestSizeLimitAttribute(long.MaxValue));
        edits.MapPost("/field-reports/{id:long}/attachments", (long id, HttpContext http, Caller caller, AttachmentStore store, CancellationToken ct) =>
            AddAsync(http, caller, AttachmentOwner.Report(id), store, ct)).WithMetadata(new RequestSizeLimitAttribute(long.MaxValue));
        edits.MapPatch("/attachments/{id:long}", async (long id, JsonElement body, Caller caller, AttachmentStore store, HttpContext http, CancellationToken ct) =>
            body.ValueKind == JsonValueKind.Object && body.TryGetProperty("public", out var p) && p.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? Outcome(await store.SetPublicAsync(caller, id, p.GetBoolean(), ct), http)
                : Problems.BadParameter("public", "send {\"public\": true} or {\"public\": false}"));
        edits.MapDelete("/attachments/{id:long}", async (long id, Caller caller, AttachmentStore store, HttpContext http, CancellationToken ct) =>
            Outcome(await store.DeleteAsync(caller, id, ct), http));

        app.MapGet("/api/attachments/{id:long}", (long id, Caller caller, AttachmentStore store, HttpContext http, CancellationToken ct) =>
            ServeAsync(caller, id, false, store, http, ct));
        app.MapGet("/api/attachments/{id:long}/thumbnail", (long id, Caller caller, AttachmentStore store, HttpContext http, CancellationToken ct) =>
            ServeAsync(caller, id, true, store, http, ct));

        var open = app.MapGroup("/api/public").RequireRateLimiting(Public.PublicApi.RatePolicy).AllowAnonymous();
        open.MapGet("/hotspots/{id:long}/attachments", async (long id, AttachmentStore store, CancellationToken ct) =>
            await store.ListAsync(null, AttachmentOwner.Record(id), ct) is { } list
                ? Results.Ok(new { attachments = list.Select(a => new { a.Id, a.Kind, a.ContentType, a.FileName, a.Width, a.Height,
                    url = $"/api/public/attachments/{a.Id}", thumbnailUrl = a.Kind == "photo" ? $"/api/public/attachments/{a.Id}/thumbnail" : null }) })
                : Results.NotFound());
        open.MapGet("/attachments/{id:long}", (long id, AttachmentStore store, HttpContext http, CancellationToken ct) => ServeAsync(null, id, false, store, http, ct));
        open.MapGet("/attachments/{id:long}/thumbnail", (long id, AttachmentStore store, HttpContext http, CancellationToken ct) => ServeAsync(null, id, true, store, http, ct));
    }

    private static async Task<IResult> ListAsync(Caller caller, AttachmentOwner owner, AttachmentStore store, CancellationToken ct) =>
        await store.ListAsync(caller, owner, ct) is { } list ? Results.Ok(new { attachments = list }) : Results.NotFound();

    // Each file is taken or refused on its own: two good photos and a wrong file store the two and name the third.
    private static async Task<IResult> AddAsync(HttpContext http, Caller caller, AttachmentOwner owner, AttachmentStore store, CancellationToken ct)
    {
        var max = store.MaxMb * 1024L * 1024L;
        if (!http.Request.HasFormContentType)
        {
            return Problems.BadParameter("file", "send multipart/form-data with one or more 'file' fields");
        }
        IFormCollection form;
        try
        {
            // Up to the per-record count of files, each within the limit, plus the form's own bytes.
            form = await http.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = 10 * max + 1024 * 1024 }, ct);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException)
        {
            return Results.Problem(title: "The multipart body could not be read or is too large", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        var files = form.Files.GetFiles("file");
        if (files.Count == 0)
        {
            return Problems.BadParameter("file", "at least one non-empty 'file' field is required");
        }
        var english = RequestLanguage.IsEnglish(http);
        var added = new List<AttachmentInfo>();
        var refused = new List<object>();
        foreach (var file in files)
        {
            AttachmentInfo? info = null;
            AttachmentProblem? problem;
            if (file.Length > max)
            {
                problem = AttachmentProblem.TooLarge(store.MaxMb);
            }
            else
            {
                using var buffer = new MemoryStream((int)file.Length);
                await file.CopyToAsync(buffer, ct);
                (info, problem) = await store.AddAsync(caller, owner, file.FileName, buffer.ToArray(), ct);
            }
            if (problem == AttachmentProblem.NotFound)
            {
                return Results.NotFound();
            }
            if (problem == AttachmentProblem.Forbidden)
            {
                return Results.Problem(title: problem.In(english), statusCode: StatusCodes.Status403Forbidden);
            }
            if (info is not null)
            {
                added.Add(info);
            }
            else
            {
                refused.Add(new { file = file.FileName, code = problem!.Code, reason = problem.In(english) });
            }
        }
        var body = new { added, refused };
        return added.Count > 0 ? Results.Ok(body) : Results.UnprocessableEntity(body);
    }

    private static async Task<IResult> ServeAsync(Caller? caller, long id, bool thumbnail, AttachmentStore store, HttpContext http, CancellationToken ct)
    {
        if (await store.ReadAsync(caller, id, thumbnail, ct) is not { } found)
        {
            return Results.NotFound();
        }
        // Private copies stay out of shared caches; the bytes never change (a new file is a new id).
        http.Response.Headers.CacheControl = found.IsPublic ? "public, max-age=86400" : "private, max-age=3600";
        http.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        var name = thumbnail ? Path.GetFileNameWithoutExtension(found.FileName) + "-nho.webp" : found.FileName;
        // A PDF is downloaded, never rendered in the product's origin.
        return found.ContentType == "application/pdf" ? Results.File(found.Bytes, found.ContentType, name) : Results.Bytes(found.Bytes, found.ContentType);
    }

    private static IResult Outcome(AttachmentProblem? problem, HttpContext http) => problem switch
    {
        null => Results.NoContent(),
        { Code: "not-found" } => Results.NotFound(),
        _ => Results.Problem(title: problem.In(RequestLanguage.IsEnglish(http)), statusCode: StatusCodes.Status403Forbidden),
    };
}
