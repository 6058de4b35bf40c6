using System.Net;
using System.Text.Json;
using Hotspots.Accounts;
using Hotspots.Hosting;
using Hotspots.Http;

namespace Hotspots.Alerts;

/// <summary>
/// GET|PUT /api/alerts: a person's own subscription (the webhook's secret shown to them alone); GET|POST
/// /alerts/unsubscribe/{token}: the link in every message (no sign-in: the token is the key; the GET only asks, so a
/// mail scanner following links unsubscribes nobody).
/// </summary>
public static class AlertsApi
{
    public sealed record SaveRequest(bool? Active, string[]? Wards, string[]? Layers, JsonElement? Area, string[]? Events, string? Cadence, string? Channel,
        string? WebhookUrl);

    public static void AddAlerts(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AlertSubscriptions>();
        builder.Services.AddSingleton<AlertDelivery>();
        builder.Services.AddHttpClient(nameof(AlertDelivery));
        builder.Services.AddTransient<Jobs.IRecurring, AlertRounds>();
        builder.Services.AddTransient<AlertRounds>();
    }

    public static void MapAlerts(this WebApplication app)
    {
        app.MapGet("/api/alerts", async (Caller caller, AlertSubscriptions subscriptions, CancellationToken ct) =>
            await subscriptions.GetAsync(caller, ct) is { } s ? Results.Ok(View(s)) : Results.Ok(new { subscribed = false }));
        app.MapPut("/api/alerts", async (SaveRequest body, Caller caller, AlertSubscriptions subscriptions, HttpContext http, CancellationToken ct) =>
        {
            NetTopologySuite.Geometries.Geometry? area = null;
            if (body.Area is { ValueKind: JsonValueKind.Object } a)
            {
                try
                {
                    area = Geo.GeoJsonGeometry.Read(a);
                }
                catch (FormatException e)
                {
                    return Problems.BadParameter("area", e.Message);
                }
            }
            var (saved, problems) = await subscriptions.SaveAsync(caller, new AlertSubscription(body.Active ?? true, body.Wards, body.Layers, area,
                body.Events ?? AlertSubscription.AllEvents, body.Cadence ?? AlertSubscription.Daily, body.Channel ?? AlertSubscription.Email, body.WebhookUrl,
                null, Guid.Empty), RequestLanguage.IsEnglish(http), ct);
            return saved is null ? Problems.BadParameter("body", string.Join("; ", problems)) : Results.Ok(View(saved));
        }).DisableAntiforgery();

        app.MapGet("/alerts/unsubscribe/{token:guid}", (Guid token) => Page(
            "<form method=\"post\"><p>Bạn sẽ thôi nhận mọi thông báo của Hotspots qua địa chỉ này.</p><button type=\"submit\">Thôi nhận thông báo</button></form>"))
            .AllowAnonymous();
        app.MapPost("/alerts/unsubscribe/{token:guid}", async (Guid token, AlertSubscriptions subscriptions, CancellationToken ct) =>
            await subscriptions.UnsubscribeAsync(token, ct)
                ? Page("<p id=\"unsubscribed\">Đã thôi nhận thông báo. Bạn có thể nhận lại bất cứ lúc nào ở trang Nhận thông báo sau khi đăng nhập.</p>")
                : Results.NotFound())
            .AllowAnonymous().DisableAntiforgery().RequireRateLimiting(Public.PublicApi.RatePolicy);
    }

    private static object View(AlertSubscription s) => new
    {
        subscribed = true, s.Active, s.Wards, s.Layers, area = s.Area is null ? (JsonElement?)null : JsonSerializer.SerializeToElement(s.Area, Geo.GeoJsonGeometry.Options),
        s.Events, s.Cadence, s.Channel, s.WebhookUrl, s.WebhookSecret, s.IsDefault,
    };

    private static IResult Page(string body) => Results.Content(
        $"<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>Thông báo Hotspots</title></head>" +
        $"<body style=\"font-family:sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem\"><h1>Thông báo Hotspots</h1>{body}</body></html>",
        "text/html; charset=utf-8", statusCode: (int)HttpStatusCode.OK);
}
