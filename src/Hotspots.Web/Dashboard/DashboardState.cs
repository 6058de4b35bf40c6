using System.Globalization;
using Hotspots.Map;
using Hotspots.Records;
using Hotspots.Layers;
using Microsoft.AspNetCore.WebUtilities;

namespace Hotspots.Dashboard;

/// <summary>
/// Everything a dashboard view is — layers, filters, ward, map position, language — as it lives in the URL,
/// so a copied link reproduces the view exactly.
/// </summary>
public sealed record DashboardState(
    IReadOnlyList<string> Layers, string Status, string? Ward, double Lat, double Lon, int Zoom, string Stat = "none",
    int MinSeverity = 1, string Data = "all", DateOnly? From = null, DateOnly? To = null, string? Project = null,
    string View = "points", string? Subtype = null, DateOnly? At = null, string? Compare = null, long? Hotspot = null,
    string? OutreachLayers = null, string? Level = null, string? Rain = null, int? Gauge = null)
{
    /// <summary>Points (vector tiles) or a heatmap per layer.</summary>
    public static readonly string[] ViewChoices = ["points", "heat"];
    /// <summary>Sample and real records together, or one of them.</summary>
    public static readonly string[] DataChoices = ["all", "real", "sample"];
    public static readonly string[] StatusChoices = ["all", "open", .. HotspotStatus.All];

    /// <summary>Ward statistics the choropleth can show (per10k only where population is known).</summary>
    public static readonly string[] StatChoices = ["none", "open", "overdue", "resolvedPct", "openPerKm2", "openPer10k", "quality", "outreach"];
    public static readonly DashboardState Default = new(LayerCatalog.All.Select(l => l.Id).ToArray(), "open", null, 21.03, 105.85, 12);

    public static DashboardState FromUri(string uri)
    {
        var query = QueryHelpers.ParseQuery(new Uri(uri).Query);
        string? Get(string k) => query.TryGetValue(k, out var v) && !string.IsNullOrWhiteSpace(v) ? v.ToString() : null;
        double Num(string k, double d, double min, double max) =>
            double.TryParse(Get(k), NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x >= min && x <= max ? x : d;
        // A rain scenario's link without layers shows the scenario over the key projects (SetRain's choice).
        var layers = Get("layers") is { } ls
            ? ls.Split(',').Where(id => LayerCatalog.Find(id) is not null).Distinct().ToArray()
            : FloodRisk.RainChoice.Parse(Get("rain")) is null ? Default.Layers : ["projects"];
        var status = Get("status") is { } s && StatusChoices.Contains(s) ? s : Default.Status;
        var ward = Get("ward") is { } w && w.Length == 5 && w.All(char.IsAsciiDigit) ? w : null;
        var stat = Get("stat") is { } st && StatChoices.Contains(st) ? st : "none";
        var data = Get("data") is { } d && DataChoices.Contains(d) ? d : "all";
        // A day the API would refuse (outside 1900–2200) is left out; a range given backwards is read forwards.
        DateOnly? Day(string k) => DateOnly.TryParseExact(Get(k), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var x)
            && x >= Hotspots.Records.HotspotFilter.MinDay && x <= Hotspots.Records.HotspotFilter.MaxDay ? x : null;
        var (from, to) = (Day("from"), Day("to"));
        if (from > to)
        {
            (from, to) = (to, from);
        }
        return new DashboardState(layers, status, ward, Num("lat", Default.Lat, 20.5, 21.5), Num("lon", Default.Lon, 105.2, 106.1),
            (int)Num("z", Default.Zoom, 8, 19), stat, (int)Num("sev", 1, 1, 5), data, from, to,
            Get("project") is { } pr && pr.Length <= 64 && pr.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') ? pr : null,
            Get("view") is { } v && ViewChoices.Contains(v) ? v : "points",
            SubtypeCatalog.Find(Get("sub"))?.Id, Day("at"),
            Get("cmp") is { } c && c.Length == 5 && c.All(char.IsAsciiDigit) && c != ward ? c : null,
            long.TryParse(Get("h"), NumberStyles.None, CultureInfo.InvariantCulture, out var h) && h > 0 ? h : null,
            Outreach.OutreachLayers.Parse(Get("ol")) is { } ol && ol.Count < Outreach.OutreachFactor.Categories.Count
                ? string.Join(',', Outreach.OutreachLayers.Ids(ol)) : null,
            // lv= an escalation level; od=1, the older link, is "overdue".
            Get("lv") is { } lv && Escalation.Levels.Contains(lv) ? lv : Get("od") == "1" ? Escalation.Overdue : null,
            FloodRisk.RainChoice.Parse(Get("rain"))?.ToString(),
            int.TryParse(Get("gauge"), NumberStyles.None, CultureInfo.InvariantCulture, out var gauge) && gauge is > 0 and < 100_000 ? gauge : null);
    }

    /// <summary>The query string of this view (without the language, which the page adds).</summary>
    public string ToQuery() => string.Join('&',
        $"layers={string.Join(',', Layers)}",
        $"status={Status}",
        Ward is null ? null : $"ward={Ward}",
        Stat == "none" ? null : $"stat={Stat}",
        MinSeverity == 1 ? null : $"sev={MinSeverity}",
        Data == "all" ? null : $"data={Data}",
        From is { } f ? $"from={f:yyyy-MM-dd}" : null,
        To is { } t ? $"to={t:yyyy-MM-dd}" : null,
        Project is null ? null : $"project={Project}",
        View == "points" ? null : $"view={View}",
        Subtype is null ? null : $"sub={Subtype}",
        At is { } at ? $"at={at:yyyy-MM-dd}" : null,
        Compare is null ? null : $"cmp={Compare}",
        Hotspot is { } h ? FormattableString.Invariant($"h={h}") : null,
        OutreachLayers is null ? null : $"ol={OutreachLayers}",
        Level is null ? null : $"lv={Level}",
        Rain is null ? null : $"rain={Rain}",
        Gauge is { } g ? FormattableString.Invariant($"gauge={g}") : null,
        FormattableString.Invariant($"lat={Lat:0.#####}&lon={Lon:0.#####}&z={Zoom}")).Replace("&&&", "&", StringComparison.Ordinal).Replace("&&", "&", StringComparison.Ordinal);

    /// <summary>The filter the dashboard's own queries apply: parsed from <see cref="ApiFilter"/> by the API's parser,
    /// so counts and lists cannot drift from what the map's tiles show.</summary>
    public HotspotFilter ToFilter()
    {
        var query = QueryHelpers.ParseQuery(ApiFilter);
        // Days typed into the filter boxes can still be backwards or out of range: then they are left out, never a fault.
        return HotspotFilter.Parse(new QueryCollection(query)).Filter
            ?? HotspotFilter.Parse(new QueryCollection(query.Where(kv => kv.Key is not ("from" or "to" or "at")).ToDictionary(kv => kv.Key, kv => kv.Value))).Filter
            ?? throw new InvalidOperationException($"dashboard filter '{ApiFilter}' does not parse");
    }

    /// <summary>What the map component draws of this view.</summary>
    public MapViewState Map => new(Layers, ApiFilter, Ward, Stat, View, Lat, Lon, Zoom, Project, Hotspot, FloodRisk.RainChoice.Parse(Rain)?.Query);

    /// <summary>The same filters as the map API's query string.</summary>
    public string ApiFilter => string.Join('&', new[]
    {
        Status == "all" ? null : $"status={Status}",
        Ward is null ? null : $"ward={Ward}",
        MinSeverity == 1 ? null : "severity=" + string.Join(',', Enumerable.Range(MinSeverity, 6 - MinSeverity)),
        Subtype is null ? null : $"subtype={Subtype}",
        Data == "all" ? null : $"sample={(Data == "sample" ? "true" : "false")}",
        From is { } f ? FormattableString.Invariant($"from={f:yyyy-MM-dd}") : null,
        To is { } t ? FormattableString.Invariant($"to={t:yyyy-MM-dd}") : null,
        At is { } at ? FormattableString.Invariant($"at={at:yyyy-MM-dd}") : null,
        Level is null ? null : $"level={Level}",
    }.Where(x => x is not null));
}
