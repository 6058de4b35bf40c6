using System.Globalization;
using Hotspots.Accounts;
using Hotspots.Hosting;

namespace Hotspots.FieldReports.Open311;

/// <summary>
/// Open311 GeoReport v2 at /open311/v2 (JSON or XML by the extension): services, POST requests (a client system's
/// API key; the sender's own id as external_id), GET requests and requests/{id} (public fields only). Clients are
/// made and revoked by admins at /api/admin/open311/clients. Reports arrive in the triage list at once, channel
/// "open311". The public cannot send: only a system with a key.
/// </summary>
public static class Open311Api
{
    public const string Root = "/open311/v2";
    private const string Format = "{format:regex(^(json|xml)$)}";

    public static void MapOpen311(this WebApplication app)
    {
        var api = app.MapGroup(Root).AllowAnonymous().DisableAntiforgery();
        api.MapGet($"/services.{Format}", (string format) => Open311Output.Services(format)).RequireRateLimiting(Public.PublicApi.RatePolicy);
        api.MapPost($"/requests.{Format}", CreateAsync);
        api.MapGet($"/requests.{Format}", ListAsync).RequireRateLimiting(Public.PublicApi.RatePolicy);
        api.MapGet("/requests/{id}.{format:regex(^(json|xml)$)}", async (string id, string format, Open311Requests requests, CancellationToken ct) =>
            long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && (await requests.ListAsync([n], null, null, null, null, ct)) is [_, ..] one
                ? Open311Output.Requests(format, one)
                : Open311Output.Error(format, 404, "no such service request")).RequireRateLimiting(Public.PublicApi.RatePolicy);

        var admin = app.MapGroup("/api/admin/open311/clients").RequireAuthorization(AccountsSetup.AdminsPolicy).DisableAntiforgery();
        admin.MapGet("", async (Open311Clients clients, CancellationToken ct) => TypedResults.Ok(new { clients = await clients.ListAsync(ct) }));
        admin.MapPost("", async (ClientRequest body, Caller caller, Open311Clients clients, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Trim().Length > 100)
            {
                return Problems.BadParameter("name", "a name of 1 to 100 characters: which system holds the key");
            }
            var (id, key) = await clients.CreateAsync(body.Name, caller, ct);
            return Results.Created($"/api/admin/open311/clients/{id}", new { id, name = body.Name.Trim(), apiKey = key });
        });
        admin.MapDelete("/{id:long}", async (long id, Open311Clients clients, CancellationToken ct) =>
            await clients.RevokeAsync(id, ct) ? Results.NoContent() : Results.NotFound());
    }

    public sealed record ClientRequest(string? Name);

    private static async Task<IResult> CreateAsync(string format, HttpContext http, Open311Clients clients, Open311Requests requests, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType)
        {
            return Open311Output.Error(format, 400, "send the fields as application/x-www-form-urlencoded (or multipart/form-data)");
        }
        var form = await http.Request.ReadFormAsync(ct);
        string? Field(string name) => form[name].ToString() is { Length: > 0 } v ? v.Trim() : null;
        if (await clients.FindAsync(Field("api_key"), ct) is not { } client)
        {
            return Open311Output.Error(format, 403, "api_key is missing, unknown or revoked");
        }
        if (!clients.TryTake(client))
        {
            http.Response.Headers.RetryAfter = "1";
            return Open311Output.Error(format, 429, "too many requests from this client; try again in a second");
        }
        if (Open311Services.Find(Field("service_code")) is not { } service)
        {
            return Open311Output.Error(format, 400, "service_code must be one of services.json's codes");
        }
        if (!double.TryParse(Field("lat"), NumberStyles.Float, CultureInfo.InvariantCulture, out var lat) || lat is < -90 or > 90
            || !double.TryParse(Field("long"), NumberStyles.Float, CultureInfo.InvariantCulture, out var lon) || lon is < -180 or > 180)
        {
            return Open311Output.Error(format, 400, "lat and long (WGS 84 degrees) are required");
        }
        var description = Field("description") ?? "";
        if (description.Length is 0 or > Open311Requests.MaxDescription)
        {
            return Open311Output.Error(format, 400, $"description is required, at most {Open311Requests.MaxDescription} characters");
        }
        var media = Field("media_url");
        if (media is not null && (media.Length > 500 || !Uri.TryCreate(media, UriKind.Absolute, out var m) || m.Scheme is not ("http" or "https")))
        {
            return Open311Output.Error(format, 400, "media_url must be an http(s) address of at most 500 characters");
        }
        var external = Field("external_id") ?? Field("attribute[external_id]");
        if (external is { Length: > 100 })
        {
            return Open311Output.Error(format, 400, "external_id is at most 100 characters");
        }
        var name = string.Join(' ', new[] { Field("first_name"), Field("last_name") }.Where(n => n is not null)) is { Length: > 0 } n ? n[..Math.Min(n.Length, 200)] : null;
        var phone = Field("phone") is { } p ? p[..Math.Min(p.Length, 40)] : null;
        var id = await requests.CreateAsync(client, new Open311Report(service, lat, lon, description.Normalize(System.Text.NormalizationForm.FormC),
            media, external, name, phone), ct);
        return id is { } created ? Open311Output.Created(format, created) : Open311Output.Error(format, 400, "the place is outside Hanoi's wards and communes");
    }

    private static async Task<IResult> ListAsync(string format, HttpContext http, Open311Requests requests, CancellationToken ct)
    {
        var q = http.Request.Query;
        long[]? ids = null;
        if (q["service_request_id"].ToString() is { Length: > 0 } list)
        {
            var parts = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            ids = parts.Select(s => long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1).ToArray();
            if (ids.Length is 0 or > 1000 || ids.Any(v => v < 0))
            {
                return Open311Output.Error(format, 400, "service_request_id must be up to 1,000 ids, comma-separated");
            }
        }
        Open311Service? service = null;
        if (q["service_code"].ToString() is { Length: > 0 } code && (service = Open311Services.Find(code)) is null)
        {
            return Open311Output.Error(format, 400, "service_code must be one of services.json's codes");
        }
        DateTimeOffset? Time(string name, out bool bad)
        {
            var text = q[name].ToString();
            var read = Calendar.InstantText.TryParse(text, out var t);
            bad = text.Length > 0 && !read;
            return read ? t : null;
        }
        var from = Time("start_date", out var badFrom);
        var to = Time("end_date", out var badTo);
        if (badFrom || badTo || from > to)
        {
            return Open311Output.Error(format, 400, "start_date and end_date must be W3C times (start before end)");
        }
        var status = q["status"].ToString() is { Length: > 0 } s ? s : null;
        if (status is not (null or "open" or "closed"))
        {
            return Open311Output.Error(format, 400, "status must be open or closed");
        }
        return Open311Output.Requests(format, await requests.ListAsync(ids, service, from, to, status, ct));
    }
}
