using Hotspots.Accounts;
using Hotspots.Hosting;
using Hotspots.Http;

namespace Hotspots.Deadlines;

/// <summary>GET /api/deadlines (every signed-in person: what a new record will get); PUT /api/admin/deadlines (admins).</summary>
public static class DeadlinesApi
{
    public sealed record SetRequest(string? Layer, string? Kind, int? Days);

    public static void AddDeadlines(this WebApplicationBuilder builder) => builder.Services.AddSingleton<DeadlineDefaults>();

    public static void MapDeadlines(this WebApplication app)
    {
        app.MapGet("/api/deadlines", async (DeadlineDefaults defaults, CancellationToken ct) => Results.Ok(new
        {
            defaults = (await defaults.ListAsync(ct)).Select(d => new
            {
                layer = Layers.LayerCatalog.OfCategory(d.Category)!.Id, kind = d.Subtype, d.Days, d.UpdatedBy, d.UpdatedAt,
            }),
        }));
        app.MapPut("/api/admin/deadlines", async (SetRequest body, Caller caller, DeadlineDefaults defaults, HttpContext http, CancellationToken ct) =>
            await defaults.SetAsync(caller, body.Layer ?? "", body.Kind is { Length: > 0 } k ? k : null, body.Days, RequestLanguage.IsEnglish(http), ct) is { Count: > 0 } problems
                ? Problems.BadParameter("body", string.Join("; ", problems))
                : Results.NoContent())
            .RequireAuthorization(AccountsSetup.AdminsPolicy).DisableAntiforgery();
    }
}
