using Hotspots.Layers;

namespace Hotspots.Outreach;

/// <summary>Which hotspot layers the outreach index counts, as the API and the dashboard's URL name them (layer ids; null: all five).</summary>
public static class OutreachLayers
{
    /// <summary>Layer ids (or category names) to categories; null when one is not a hotspot layer.</summary>
    public static IReadOnlyCollection<string>? Parse(string? layers)
    {
        if (string.IsNullOrWhiteSpace(layers))
        {
            return OutreachFactor.Categories;
        }
        var result = new List<string>();
        foreach (var id in layers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var category = LayerCatalog.Find(id)?.Category ?? OutreachFactor.Categories.FirstOrDefault(c => c == id);
            if (category is null)
            {
                return null;
            }
            if (!result.Contains(category))
            {
                result.Add(category);
            }
        }
        return result.Count == 0 ? null : OutreachFactor.Categories.Where(result.Contains).ToArray();
    }

    /// <summary>Categories back to their layer ids, in layer order.</summary>
    public static IEnumerable<string> Ids(IReadOnlyCollection<string> categories) =>
        LayerCatalog.All.Where(l => l.Category is { } c && categories.Contains(c)).Select(l => l.Id);
}
