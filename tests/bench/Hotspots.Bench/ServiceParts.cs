using Hotspots.Map;
using Hotspots.Outreach;
using Hotspots.Public;
using Hotspots.Snapshots;
using Hotspots.Stats;

/// <summary>The snapshot parts the service registers (each feature's setup), for the bench programs' own refreshers.</summary>
internal static class ServiceParts
{
    public static SnapshotPart[] All =>
        [WardStatsSql.Part, WardQualitySql.Part, HotspotCells.Part, PublicReadModel.Part, HotspotCells.PublicPart, OutreachFactorsSql.Part];
}
