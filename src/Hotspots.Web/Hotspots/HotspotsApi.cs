using Hotspots.Http;
using System.Globalization;
using System.Text.Json;
using Hotspots.Accounts;
using Hotspots.Hosting;

namespace Hotspots.Records;

/// <summary>
/// GET /api/hotspots/{id} (+ /history, /provenance: where it came from, when last verified), GET /api/hotspots/nearby (likely duplicates of a new report), PATCH /api/hotspots/{id}, POST /api/hotspots/bulk (one change for a
/// selection), POST /api/hotspots (a new record). Writes need an editor; the ward check is the editor's.
/// </summary>
public static class HotspotsApi
{
    public sealed record BulkRequest(long[]? Ids, string? Status, string? Note, string? ResponsibleUnit, string? Deadline, int? Severity,
        string? Assignee = null, string? Authority = null, string? Result = null);
    public sealed record CreateRequest(string? Layer, string? Subtype, string? Title, string? Description, int? Severity, double? Lon, double? Lat,
        string? ResponsibleUnit, string? Deadline, string? Note, string? Assignee = null, string? Authority = null, string? Result = null);

    private const string EditableFields = "status, note, responsibleUnit, assignee, authority, result, deadline yyyy-MM-dd, severity 1–5, duplicateOf (a record's id)";

    public static void MapHotspotsApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/hotspots");
        api.MapGet("/{id:long}", async (long id, Caller caller, HotspotRecords records, CancellationToken ct) =>
            await records.GetAsync(caller, id, ct) is { } record ? Results.Ok(record) : Results.NotFound());
        api.MapGet("/{id:long}/history", async (long id, Caller caller, HotspotRecords records, CancellationToken ct) =>
            await records.GetAsync(caller, id, ct) is null ? Results.NotFound() : Results.Ok(new { history = await records.HistoryAsync(caller, id, ct) }));
        api.MapGet("/{id:long}/provenance", async (long id, Caller caller, HotspotRecords records, CancellationToken ct) =>
            await records.ProvenanceAsync(caller, id, ct) is { } p ? Results.Ok(p) : Results.NotFound());

        api.MapGet("/nearby", async (double? lon, double? lat, string? layer, string? kind, NearbyRecords nearby, CancellationToken ct) =>
        {
            if (Layers.LayerCatalog.Find(layer ?? "") is not { Category: { } category })
            {
                return Problems.BadParameter("layer", "layer must be one of the hotspot layers");
            }
            if (lon is not { } x || lat is not { } y || !double.IsFinite(x) || !double.IsFinite(y) || Math.Abs(x) > 180 || Math.Abs(y) > 85)
            {
                return Problems.BadParameter("lon", "lon and lat (WGS 84) are required");
            }
            if (kind is { Length: > 0 } && Layers.SubtypeCatalog.Of(layer!).All(s => s.Id != kind))
            {
                return Problems.BadParameter("kind", $"kind must be one of: {string.Join(", ", Layers.SubtypeCatalog.Of(layer!).Select(s => s.Id))}");
            }
            var found = await nearby.FindAsync(category, kind is { Length: > 0 } ? kind : null, x, y, ct);
            return Results.Ok(new { radiusMetres = NearbyRecords.RadiusMetres(category), days = NearbyRecords.RecentDays, records = found });
        });

        var edits = api.MapGroup("").RequireAuthorization(AccountsSetup.EditorsPolicy).DisableAntiforgery();
        edits.MapPatch("/{id:long}", async (long id, JsonElement body, Caller caller, HotspotEditor editor, HttpContext http, CancellationToken ct) =>
        {
            var (change, error) = ParseChange(body);
            return error is not null ? Problems.BadParameter("body", error) : EditResults.ToHttp(await editor.UpdateAsync(caller, id, change!, RequestLanguage.IsEnglish(http), ct));
        });
        edits.MapPost("/bulk", async (BulkRequest body, Caller caller, HotspotEditor editor, HttpContext http, CancellationToken ct) =>
        {
            if (!TryDate(body.Deadline, out var deadline))
            {
                return Problems.BadParameter("deadline", "deadline must be yyyy-MM-dd");
            }
            var change = new HotspotChange(body.Status, body.Note, body.ResponsibleUnit, deadline, false, body.Severity, body.Assignee,
                body.Authority, body.Result);
            return EditResults.ToHttp(await editor.BulkAsync(caller, body.Ids ?? [], change, RequestLanguage.IsEnglish(http), ct));
        });
        edits.MapPost("", async (CreateRequest body, Caller caller, HotspotEditor editor, HttpContext http, CancellationToken ct) =>
        {
            if (Layers.LayerCatalog.Find(body.Layer ?? "") is not { Category: { } category })
            {
                return Problems.BadParameter("layer", "layer must be one of the hotspot layers");
            }
            if (body.Lon is not { } lon || body.Lat is not { } lat)
            {
                return Problems.BadParameter("lon", "lon and lat (WGS 84) are required");
            }
            if (!TryDate(body.Deadline, out var deadline))
            {
                return Problems.BadParameter("deadline", "deadline must be yyyy-MM-dd");
            }
            var result = await editor.CreateAsync(caller, new NewHotspot(category, body.Subtype, body.Title ?? "", body.Description, body.Severity ?? 3,
                lon, lat, body.ResponsibleUnit, deadline, body.Assignee, body.Authority, body.Result), "dashboard", body.Note, RequestLanguage.IsEnglish(http), ct);
            return result.Outcome == EditOutcome.Ok ? Results.Created($"/api/hotspots/{result.Id}", new { id = result.Id, changes = result.Changes }) : EditResults.ToHttp(result);
        });
    }

    /// <summary>A PATCH body: only the fields present change; "deadline": null removes the deadline.</summary>
    public static (HotspotChange? Change, string? Error) ParseChange(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return (null, $"send a JSON object with any of: {EditableFields}");
        }
        var change = new HotspotChange();
        foreach (var p in body.EnumerateObject())
        {
            switch (p.Name)
            {
                case "status" when p.Value.ValueKind == JsonValueKind.String:
                    change = change with { Status = p.Value.GetString() };
                    break;
                case "note" when p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Null:
                    change = change with { Note = p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.GetString() };
                    break;
                // The "6 rõ" texts: one sent as null is cleared, like an empty one.
                case "responsibleUnit" or "assignee" or "authority" or "result" when p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Null:
                    var text = p.Value.GetString() ?? "";
                    change = p.Name switch
                    {
                        "responsibleUnit" => change with { ResponsibleUnit = text },
                        "assignee" => change with { Assignee = text },
                        "authority" => change with { Authority = text },
                        _ => change with { Result = text },
                    };
                    break;
                case "deadline" when p.Value.ValueKind == JsonValueKind.Null:
                    change = change with { ClearDeadline = true };
                    break;
                case "deadline" when p.Value.ValueKind == JsonValueKind.String && TryDate(p.Value.GetString(), out var d):
                    change = change with { Deadline = d };
                    break;
                case "duplicateOf" when p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt64(out var dup) && dup > 0:
                    change = change with { DuplicateOf = dup };
                    break;
                case "severity" when p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out var s):
                    change = change with { Severity = s };
                    break;
                default:
                    return (null, $"'{p.Name}' is not an editable field or has the wrong type ({EditableFields})");
            }
        }
        return (change, null);
    }

    private static bool TryDate(string? text, out DateOnly? date)
    {
        date = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            date = d;
            return true;
        }
        return false;
    }
}
