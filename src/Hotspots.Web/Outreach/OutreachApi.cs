using Hotspots.Accounts;
using Hotspots.Hosting;
using Hotspots.Layers;

namespace Hotspots.Outreach;

/// <summary>
/// GET /api/outreach — every ward ranked by the outreach priority index with its factor breakdown and rank change
/// since the previous quarter's end; GET /api/outreach/{code} — one ward with what drives it; the weights: GET,
/// PUT and DELETE /api/outreach/weights (the caller's own), PUT /api/outreach/weights/city (admins).
/// Parameters: weights=factor:weight,… (factors not named weigh 0; without it the caller's saved weights, else
/// the city default), layers=flooding,food-safety (hotspot layers the index looks at; all by default), top=N.
/// </summary>
public static class OutreachApi
{
    public sealed record WeightsBody(Dictionary<string, double>? Weights);

    public static void MapOutreachApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/outreach");
        api.MapGet("", async (string? weights, string? layers, int? top, Caller caller, OutreachIndex index, OutreachWeightStore store, CancellationToken ct) =>
        {
            var (w, c, error) = await ParseAsync(weights, layers, caller, store, ct);
            if (error is not null)
            {
                return error;
            }
            if (top is < 1)
            {
                return Problems.BadParameter("top", "top must be 1 or more");
            }
            var ranking = await index.RankAsync(w!, c!, ct);
            return Results.Ok(Describe(ranking, ranking.Wards.Take(top ?? int.MaxValue)));
        });
        api.MapGet("/{code}", async (string code, string? weights, string? layers, Caller caller, OutreachIndex index, OutreachWeightStore store,
            OutreachDrivers drivers, CancellationToken ct) =>
        {
            var (w, c, error) = await ParseAsync(weights, layers, caller, store, ct);
            if (error is not null)
            {
                return error;
            }
            var ranking = await index.RankAsync(w!, c!, ct);
            if (ranking.Wards.FirstOrDefault(x => x.Code == code) is not { } ward)
            {
                return Problems.BadParameter("code", $"no current ward or commune has code '{code}'");
            }
            return Results.Ok(new
            {
                asOf = ranking.AsOf,
                previousAsOf = ranking.PreviousAsOf,
                weights = ranking.Weights,
                layers = OutreachLayers.Ids(ranking.Categories),
                wardCount = ranking.Wards.Count,
                ward = Ward(ward),
                hotspots = await drivers.HotspotsAsync(code, ranking.Categories, ranking.AsOf, 10, ct),
                projects = await drivers.ProjectsAsync(code, ct),
            });
        });

        api.MapGet("/weights", async (Caller caller, OutreachWeightStore store, CancellationToken ct) =>
        {
            var saved = await store.ForAsync(caller, ct);
            return Results.Ok(new { effective = saved.Effective, mine = saved.Mine, city = saved.City, defaults = OutreachFactor.DefaultWeights, factors = Factors() });
        });
        var writes = api.MapGroup("/weights").DisableAntiforgery();
        writes.MapPut("", (WeightsBody body, Caller caller, OutreachWeightStore store, CancellationToken ct) =>
            SaveAsync(body, caller, OutreachWeightStore.UserScope(caller), store, ct));
        writes.MapDelete("", async (Caller caller, OutreachWeightStore store, CancellationToken ct) =>
        {
            await store.ClearAsync(OutreachWeightStore.UserScope(caller), ct);
            return Results.NoContent();
        });
        writes.MapPut("/city", (WeightsBody body, Caller caller, OutreachWeightStore store, CancellationToken ct) =>
            SaveAsync(body, caller, OutreachWeightStore.City, store, ct)).RequireAuthorization(AccountsSetup.AdminsPolicy);
    }

    private static async Task<IResult> SaveAsync(WeightsBody body, Caller caller, string scope, OutreachWeightStore store, CancellationToken ct)
    {
        var (weights, error) = OutreachWeights.Check(body.Weights ?? []);
        if (error is not null)
        {
            return Problems.BadParameter("weights", error);
        }
        await store.SaveAsync(caller, scope, weights!, ct);
        return Results.Ok(new { weights });
    }

    /// <summary>Weights and hotspot categories from the query (or the caller's saved weights), or the problem with them.</summary>
    public static async Task<(IReadOnlyDictionary<string, double>?, IReadOnlyCollection<string>?, IResult?)> ParseAsync(
        string? weights, string? layers, Caller caller, OutreachWeightStore store, CancellationToken ct)
    {
        var categories = OutreachLayers.Parse(layers);
        if (categories is null)
        {
            return (null, null, Problems.BadParameter("layers", $"layers must be hotspot layers: {string.Join(", ", LayerCatalog.All.Where(l => l.Category is not null).Select(l => l.Id))}"));
        }
        if (string.IsNullOrWhiteSpace(weights))
        {
            return ((await store.ForAsync(caller, ct)).Effective, categories, null);
        }
        var (w, error) = OutreachWeights.Parse(weights);
        return error is null ? (w, categories, null) : (null, null, Problems.BadParameter("weights", error));
    }

    private static object Factors() => OutreachFactor.All.Select(f => new
    {
        f.Id, f.NameVi, f.NameEn, f.UnitVi, f.UnitEn, f.DefaultWeight,
    });

    private static object Describe(OutreachRanking ranking, IEnumerable<WardScore> wards) => new
    {
        asOf = ranking.AsOf,
        previousAsOf = ranking.PreviousAsOf,
        weights = ranking.Weights,
        layers = OutreachLayers.Ids(ranking.Categories),
        factors = Factors(),
        wardCount = ranking.Wards.Count,
        wards = wards.Select(Ward),
    };

    private static object Ward(WardScore w) => new
    {
        w.Code, w.Name, w.FullName, w.FullNameEn, w.Score, w.Rank, w.PreviousScore, w.PreviousRank, w.RankChange, w.Factors,
    };
}
