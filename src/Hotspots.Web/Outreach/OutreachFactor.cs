namespace Hotspots.Outreach;

/// <summary>One factor of the outreach index: what it measures, in both languages, and its default weight.</summary>
public sealed record OutreachFactor(string Id, string NameVi, string NameEn, string UnitVi, string UnitEn, double DefaultWeight)
{
    /// <summary>
    /// The factors, in the order the breakdown lists them. Default weights sum to 100: open problems weigh most
    /// (severity × age, then overdue, then density), then what people tell us (reports, unanswered), food
    /// safety, recurrence, and the pressure of key projects; data that is not live only when a planner weighs it. Documented in the README.
    /// </summary>
    public static readonly IReadOnlyList<OutreachFactor> All =
    [
        new("open_weighted", "Tồn đọng theo mức độ và thời gian", "Open problems by severity and age", "điểm", "points", 25),
        new("overdue", "Quá hạn xử lý", "Overdue", "điểm nóng", "hotspots", 15),
        new("open_per_km2", "Mật độ tồn đọng", "Open problems per km²", "/km²", "/km²", 10),
        new("open_per_10k", "Tồn đọng trên 10.000 dân", "Open problems per 10,000 people", "/10.000 dân", "/10,000 people", 5),
        new("food_fail_rate", "Tỷ lệ cơ sở vi phạm an toàn thực phẩm (12 tháng)", "Food-safety failure rate (12 months)", "%", "%", 10),
        new("reports", "Phản ánh của người dân (90 ngày)", "Field reports (90 days)", "phản ánh", "reports", 10),
        new("unanswered_share", "Tỷ lệ phản ánh chưa xử lý", "Share of reports not yet answered", "%", "%", 10),
        new("recurrence", "Tái phát sau khi đã xử lý (12 tháng)", "Came back after being resolved (12 months)", "điểm nóng", "hotspots", 5),
        new("clearance_todo", "Giải phóng mặt bằng còn lại của dự án", "Land clearance still to do (projects)", "điểm %", "pct points", 4),
        new("households", "Hộ dân còn phải tái định cư", "Households still to resettle", "hộ", "households", 3),
        new("active_works", "Công trình đang thi công", "Active works", "dự án", "projects", 3),
        // Data quality (issue 20): where the data is not live, the ward's figures say less than they seem. Weighed only
        // when a planner chooses to (0 by default, so the index stays what it was).
        new("stale_share", "Dữ liệu không còn sống (điểm mở chưa cập nhật 90 ngày)", "Data not live (open, untouched for 90 days)", "%", "%", 0),
    ];

    public static OutreachFactor? Find(string id) => All.FirstOrDefault(f => f.Id == id);

    public static IReadOnlyDictionary<string, double> DefaultWeights { get; } = All.ToDictionary(f => f.Id, f => f.DefaultWeight);

    /// <summary>Hotspot categories the index can be limited to.</summary>
    public static IReadOnlyList<string> Categories => Layers.LayerCatalog.Categories;
}
