using Hotspots.Http;
using Hotspots.Accounts;
using Hotspots.Records;

namespace Hotspots.FieldReports;

/// <summary>
/// GET /api/field-reports (?status=new&amp;ward=&amp;limit=), POST /api/field-reports/{id}/link {hotspotId},
/// /convert {layer?, title?, severity?}, /reject {note}. Staff only (viewers get 403).
/// </summary>
public static class FieldReportsApi
{
    public sealed record TriageRequest(long? HotspotId, string? Layer, string? Title, int? Severity, string? Note);

    public static void MapFieldReportsApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/field-reports").RequireAuthorization(AccountsSetup.EditorsPolicy).DisableAntiforgery();
        api.MapGet("", async (string? status, string? ward, int? limit, int? offset, Caller caller, FieldReportTriage triage, CancellationToken ct) =>
        {
            var (total, waiting) = await triage.CountAsync(caller, status, ward, ct);
            return TypedResults.Ok(new { total, waiting, waitHours = triage.WaitHours, offset = Math.Max(offset ?? 0, 0),
                reports = await triage.ListAsync(caller, status, ward, limit ?? 200, ct, offset ?? 0) });
        });
        api.MapPost("/{id:long}/link", async (long id, TriageRequest body, Caller caller, FieldReportTriage triage, HttpContext http, CancellationToken ct) =>
            body.HotspotId is { } hotspot
                ? EditResults.ToHttp(await triage.LinkAsync(caller, id, hotspot, body.Note, RequestLanguage.IsEnglish(http), ct))
                : Hosting.Problems.BadParameter("hotspotId", "hotspotId is required"));
        api.MapPost("/{id:long}/convert", async (long id, TriageRequest body, Caller caller, FieldReportTriage triage, HttpContext http, CancellationToken ct) =>
        {
            var result = await triage.ConvertAsync(caller, id, body.Layer, body.Title, body.Severity ?? 3, body.Note, RequestLanguage.IsEnglish(http), ct);
            return result.Outcome == EditOutcome.Ok ? Results.Created($"/api/hotspots/{result.Id}", new { id = result.Id, changes = result.Changes }) : EditResults.ToHttp(result);
        });
        api.MapPost("/{id:long}/reject", async (long id, TriageRequest body, Caller caller, FieldReportTriage triage, HttpContext http, CancellationToken ct) =>
            EditResults.ToHttp(await triage.RejectAsync(caller, id, body.Note, RequestLanguage.IsEnglish(http), ct)));
    }
}
