namespace Hotspots.Layers;

/// <summary>A category's kind of hotspot, as the `subtype` filter names it.</summary>
public sealed record Subtype(string Id, string LayerId, string NameVi, string NameEn);

/// <summary>The subtypes per layer: offered by the dashboard, accepted by imports, drawn by the sample generator (in this order).</summary>
public static class SubtypeCatalog
{
    public static readonly IReadOnlyList<Subtype> All =
    [
        new("flood_point", "flooding", "Điểm ngập úng", "Flood point"),
        new("flood_area", "flooding", "Vùng ngập úng", "Flooded area"),
        new("drainage_blockage", "flooding", "Tắc cống thoát nước", "Blocked drain"),
        new("junction", "congestion", "Ùn tắc tại nút giao", "Congested junction"),
        new("road_section", "congestion", "Ùn tắc đoạn đường", "Congested road section"),
        new("sidewalk_encroachment", "urban-order", "Lấn chiếm vỉa hè", "Pavement encroachment"),
        new("roadway_encroachment", "urban-order", "Lấn chiếm lòng đường", "Roadway encroachment"),
        new("illegal_parking", "urban-order", "Trông giữ, đỗ xe trái phép", "Illegal parking"),
        new("awning", "urban-order", "Mái che, mái vẩy sai phép", "Unlicensed awning"),
        new("billboard", "urban-order", "Biển quảng cáo sai quy định", "Non-compliant billboard"),
        new("illegal_construction", "urban-order", "Xây dựng không phép", "Unlicensed construction"),
        new("air_monitoring", "environment", "Điểm quan trắc không khí vượt ngưỡng", "Air monitoring above limit"),
        new("polluted_river_section", "environment", "Đoạn sông ô nhiễm", "Polluted river section"),
        new("waste_site", "environment", "Điểm tập kết rác tự phát", "Informal waste site"),
        new("burning_spot", "environment", "Điểm đốt rác, rơm rạ", "Open burning spot"),
        new("school_canteen", "food-safety", "Bếp ăn trường học", "School canteen"),
        new("market", "food-safety", "Chợ", "Market"),
        new("street_food", "food-safety", "Cơ sở thức ăn đường phố", "Street food"),
        new("restaurant", "food-safety", "Nhà hàng", "Restaurant"),
        new("slaughter_point", "food-safety", "Điểm giết mổ", "Slaughter point"),
        new("collective_kitchen", "food-safety", "Bếp ăn tập thể", "Collective kitchen"),
    ];

    public static Subtype? Find(string? id) => All.FirstOrDefault(s => s.Id == id);

    /// <summary>A layer's kinds, in catalogue order.</summary>
    public static IEnumerable<Subtype> Of(string layerId) => All.Where(s => s.LayerId == layerId);
}
