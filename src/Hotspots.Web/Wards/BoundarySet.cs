namespace Hotspots.Wards;

/// <summary>One official division of the city into wards and communes, with the date it took effect.</summary>
public sealed record BoundarySet(string Id, string Name, DateOnly EffectiveFrom, string Source, string Attribution)
{
    /// <summary>The 126 units of Decision 19/2025/QĐ-TTg, in force since 1 July 2025.</summary>
    public static readonly BoundarySet Hanoi2025 = new(
        "hanoi-2025-07-01",
        "126 đơn vị hành chính cấp xã (51 phường, 75 xã)",
        new DateOnly(2025, 7, 1),
        "hanoi-wards-2025.geojson",
        "Ranh giới: sapnhap.bando.com.vn qua dự án vietnamese-provinces-database (MIT)");
}

/// <summary>What a loaded set must add up to; a load that does not is refused whole.</summary>
public sealed record BoundaryExpectations(int Units, int Phuong, int Xa, double AreaKm2, double AreaTolerance)
{
    public static readonly BoundaryExpectations Hanoi2025 = new(126, 51, 75, 3360, 0.02);
}
