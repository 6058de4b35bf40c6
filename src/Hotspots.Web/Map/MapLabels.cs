using Microsoft.Extensions.Localization;

namespace Hotspots.Map;

/// <summary>
/// The text the map module draws itself (legend, popups, search, ward panel), from the same resource files as the
/// pages, in the localizer's current culture. One list for the dashboard's map and the public embed.
/// </summary>
public static class MapLabels
{
    private static readonly string[] Keys =
    [
        "Status", "Overdue", "Severity", "Responsible", "Deadline", "SampleData", "LegendTitle", "Projects", "LegendCluster", "Progress",
        "ProjectProgress", "reported", "verified", "in_progress", "resolved", "rejected", "reportedShort", "verifiedShort",
        "in_progressShort", "resolvedShort", "rejectedShort", "overdueShort", "WardSearch", "LegendOpen", "ResolvedPeriod", "Close",
        "EmbedTitle", "EmbedGeneralized", "MapLabel", "OpenRecord", "BasemapDefault", "Stat_open", "Stat_overdue", "Stat_resolvedPct", "Stat_openPerKm2", "Stat_openPer10k", "Stat_quality", "Stat_outreach", "EmbedExplain", "EmbedUpdated", "EmbedSampleNotice", "ReplayDayOnMap", "MapAttribution",
        "RainScenario", "RainHit", "RainExpected", "RainDry", "RainUnexpected", "RainQuiet", "RainGauge", "RainSuspect", "RainPlanThreshold",
        "RainObservedThreshold", "RainAtPoint", "RainOfDay", "RainMmScenario", "RainEmbedExpected", "RainEmbedHits",
        "OriginLine", "Origin_sample", "Origin_official", "Origin_import", "Origin_field-report", "Origin_person", "Origin_feed",
    ];

    public static Dictionary<string, object> Build(IStringLocalizer l, bool english)
    {
        var labels = Keys.ToDictionary(k => k, k => (object)l[k].Value);
        labels["layerNames"] = Layers.LayerCatalog.All.ToDictionary(x => x.Id, x => english ? x.NameEn : x.NameVi);
        return labels;
    }
}
