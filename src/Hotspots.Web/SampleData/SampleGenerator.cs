using Hotspots.Calendar;
using Hotspots.Records;
using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.LinearReferencing;

namespace Hotspots.SampleData;

/// <summary>
/// The documented, seeded generator for everything no public source has (see gis-data/README.md). The same
/// seed, count and as-of date always give the same records. Spatial patterns: records crowd into the inner
/// wards; flooding follows the inner rivers and the official flood points; congestion sits on ring roads and
/// metro lines; food-safety inspections cluster at each ward's markets and schools; pollution along rivers and
/// in outer communes.
/// </summary>
public sealed class SampleGenerator(SampleWorld world, int seed, DateOnly asOf)
{
    public static readonly string[] Categories = ["flooding", "congestion", "urban_order", "environment", "food_safety"];
    private static readonly double[] CategoryShare = Cumulative([0.15, 0.20, 0.30, 0.15, 0.20]);
    private static readonly double[] SeverityShare = Cumulative([0.10, 0.25, 0.35, 0.20, 0.10]);

    private readonly Dictionary<string, Coordinate[]> _venues = [];
    // The start of the day (Hanoi): nothing generated is stamped later than the moment it is loaded, whatever the hour.
    private readonly DateTimeOffset _end = HanoiTime.Local(HanoiTime.StartOf(asOf));

    public IEnumerable<SampleHotspot> Hotspots(int count)
    {
        var rng = new Random(seed);
        var phuongWeights = Cumulative(world.Wards.Select(w => w.Kind == "phuong" ? 1 + 10 * w.Innerness : 0.25 + w.AreaKm2 / 80).ToArray());
        var innerWeights = Cumulative(world.Wards.Select(w => Math.Pow(w.Innerness, 2) * 20 + (w.Kind == "phuong" ? 0.5 : 0.05)).ToArray());
        var outerWeights = Cumulative(world.Wards.Select(w => w.Kind == "xa" ? w.AreaKm2 : w.AreaKm2 / 4).ToArray());
        var rivers = world.Lines.Where(l => l.Kind == "river").ToList();
        var roads = world.Lines.Where(l => l.Kind is "ring_road" or "metro" or "boulevard").ToList();
        for (var i = 1; i <= count; i++)
        {
            var category = Categories[Pick(rng, CategoryShare)];
            var at = category switch
            {
                "flooding" => rng.NextDouble() switch
                {
                    < 0.45 when rivers.Count > 0 => NearLine(rng, rivers, 0.004) ?? InWard(rng, phuongWeights),
                    < 0.65 when world.FloodPoints.Count > 0 => Jitter(rng, world.FloodPoints[rng.Next(world.FloodPoints.Count)], 0.005) ?? InWard(rng, phuongWeights),
                    _ => InWard(rng, phuongWeights),
                },
                "congestion" => rng.NextDouble() < 0.65 && roads.Count > 0 ? NearLine(rng, roads, 0.0015) ?? InWard(rng, innerWeights) : InWard(rng, innerWeights),
                "urban_order" => InWard(rng, innerWeights),
                "environment" => rng.NextDouble() < 0.4 && rivers.Count > 0 ? NearLine(rng, rivers, 0.002) ?? InWard(rng, outerWeights) : InWard(rng, outerWeights),
                _ => Venue(rng, world.Wards[Pick(rng, phuongWeights)]),
            };
            var ward = world.WardAt(at) ?? world.Wards[0];
            yield return Make(rng, i, category, at, ward);
        }
    }

    public IEnumerable<SampleFieldReport> FieldReports(int count, IReadOnlyList<(int Index, string Category, double Lon, double Lat)> anchors)
    {
        var rng = new Random(seed ^ 0x5EED);
        for (var i = 1; i <= count && anchors.Count > 0; i++)
        {
            var a = anchors[rng.Next(anchors.Count)];
            var at = Jitter(rng, new Coordinate(a.Lon, a.Lat), 0.0005) ?? new Coordinate(a.Lon, a.Lat);
            var roll = rng.NextDouble();
            var status = roll < 0.55 ? "linked" : roll < 0.65 ? "converted" : roll < 0.75 ? "rejected" : "new";
            var received = _end.AddDays(-Math.Floor(730 * Math.Pow(rng.NextDouble(), 1.6))).AddMinutes(-rng.Next(0, 600));
            yield return new SampleFieldReport(i, a.Category, ReportText(rng, a.Category), status,
                status is "linked" or "converted" ? a.Index : null, received, Round(at.X), Round(at.Y),
                $"{FamilyNames[rng.Next(FamilyNames.Length)]} {MiddleNames[rng.Next(MiddleNames.Length)]} {GivenNames[rng.Next(GivenNames.Length)]}",
                "09" + rng.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture));
        }
    }

    public IEnumerable<SampleProjectProgress> ProjectProgress(IEnumerable<(string Id, DateOnly? Start, DateOnly? End)> projects)
    {
        var rng = new Random(seed ^ 0x7A0C);
        foreach (var (id, start, end) in projects.OrderBy(p => p.Id, StringComparer.Ordinal))
        {
            var s = start ?? asOf.AddYears(-2);
            var e = end ?? asOf.AddYears(2);
            var elapsed = Math.Clamp((asOf.DayNumber - s.DayNumber) / (double)Math.Max(1, e.DayNumber - s.DayNumber), 0, 1);
            var progress = Math.Round((decimal)Math.Clamp(elapsed * (0.7 + 0.4 * rng.NextDouble()) * 100, 0, 100), 1);
            var clearance = Math.Round(Math.Min(100, progress + (decimal)(rng.NextDouble() * 30)), 1);
            var households = id.StartsWith("river", StringComparison.Ordinal) || id == "low-emission-zone" ? 0 : rng.Next(20, 2500);
            var names = new[] { "Phê duyệt chủ trương đầu tư", "Hoàn thành giải phóng mặt bằng", "Khởi công", "Hoàn thành phần thô", "Đưa vào sử dụng" };
            var milestones = names.Select((n, k) =>
            {
                var planned = DateOnly.FromDayNumber(s.DayNumber + (e.DayNumber - s.DayNumber) * k / (names.Length - 1));
                DateOnly? done = planned <= asOf && rng.NextDouble() < 0.85 ? planned.AddDays(rng.Next(-20, 90)) : null;
                return (n, planned, done is { } d && d > asOf ? asOf : done);
            }).ToList();
            yield return new SampleProjectProgress(id, progress, clearance, households, milestones);
        }
    }

    private SampleHotspot Make(Random rng, int i, string category, Coordinate at, SampleWorld.Ward ward)
    {
        var severity = (short)(Pick(rng, SeverityShare) + 1);
        var reported = ReportedAt(rng, category);
        var ageDays = (_end - reported).TotalDays;
        var (subtype, title, unit, details, slaDays, medianFix) = Describe(rng, category, ward, severity, reported);
        DateTimeOffset? verified = null, started = null, resolved = null, rejected = null;
        var status = "reported";
        var passed = category == "food_safety" && details.Contains("\"result\":\"pass\"", StringComparison.Ordinal);
        var pResolved = Math.Min(0.88, ageDays / 240.0);
        var roll = rng.NextDouble();
        if (passed)
        {
            (status, verified, resolved) = ("resolved", reported, reported);
        }
        else if (roll < 0.04 && ageDays > 2)
        {
            (status, rejected) = ("rejected", Clamp(reported.AddDays(1 + rng.Next(6))));
        }
        else
        {
            if (ageDays > 2 && rng.NextDouble() < 0.9) { verified = Clamp(reported.AddHours(12 + rng.Next(0, 96))); status = "verified"; }
            if (verified is not null && ageDays > 7 && rng.NextDouble() < 0.75) { started = Clamp(verified.Value.AddDays(1 + rng.Next(10))); status = "in_progress"; }
            if (started is not null && rng.NextDouble() < pResolved)
            {
                var days = Math.Max(1, medianFix * Math.Exp(0.8 * Gaussian(rng)));
                var at2 = started.Value.AddDays(days);
                if (at2 <= _end) { resolved = at2; status = "resolved"; }
            }
        }
        var deadline = DateOnly.FromDateTime(reported.AddDays(Math.Max(3, slaDays * (1.4 - severity * 0.12))).DateTime);
        var description = $"Dữ liệu mẫu (sinh tự động, giá trị khởi tạo {seed.ToString(CultureInfo.InvariantCulture)}) — {ward.FullName}.";
        var (assignee, authority, result) = SixClear(i, category, ward, severity, status);
        return new SampleHotspot(i, category, subtype, title, description, severity, status, unit, deadline, reported,
            verified, started, resolved, rejected, Round(at.X), Round(at.Y), details, assignee, authority, result);
    }

    // The rest of the "6 rõ": chosen from the record's number, not the shared random stream, so every other
    // generated value stays what the seed gave before these fields existed. Some are left unset on purpose: a new
    // report often has no officer yet, and the list's "chưa rõ" is what a ward lead has to close.
    private (string? Assignee, string? Authority, string? Result) SixClear(int i, string category, SampleWorld.Ward ward, short severity, string status)
    {
        var h = (uint)((ulong)(uint)(seed * 1_000_003 + i) * 2654435761u >> 7); // a fixed mix: HashCode differs per process
        var committee = "UBND " + char.ToLowerInvariant(ward.FullName[0]) + ward.FullName[1..]; // "UBND phường Ba Đình"
        var office = category == "food_safety" ? "Phòng Văn hóa – Xã hội" : "Phòng Kinh tế, Hạ tầng và Đô thị";
        string? assignee = status == "reported" && h % 3 == 0 ? null
            : $"{FamilyNames[h % FamilyNames.Length]} {MiddleNames[h / 7 % MiddleNames.Length]} {GivenNames[h / 61 % GivenNames.Length]} – {office}";
        string? authority = h % 11 == 0 ? null : severity >= 4 ? category switch
        {
            "flooding" or "congestion" => "Sở Xây dựng Hà Nội",
            "environment" => "Sở Nông nghiệp và Môi trường Hà Nội",
            "food_safety" => "Sở Y tế Hà Nội",
            _ => committee,
        } : committee;
        var product = category switch
        {
            "flooding" => "nạo vét cống, hết ngập khi mưa đến 50 mm",
            "congestion" => "điều chỉnh pha đèn, lưu thông giờ cao điểm dưới 15 phút",
            "urban_order" => "trả lại vỉa hè, lòng đường; xử phạt theo quy định",
            "environment" => "chỉ số về dưới ngưỡng cho phép",
            _ => "cơ sở khắc phục vi phạm, tái kiểm tra đạt",
        };
        string? result = h % 7 == 0 ? null : status switch
        {
            "resolved" => "Đã đạt: " + product,
            "rejected" => "Không thuộc thẩm quyền xử lý; đã chuyển đơn vị khác",
            _ => "Cần đạt: " + product,
        };
        return (assignee, authority, result);
    }

    private (string Subtype, string Title, string Unit, string Details, int SlaDays, double MedianFix) Describe(
        Random rng, string category, SampleWorld.Ward ward, short severity, DateTimeOffset reported)
    {
        string Json(object o) => JsonSerializer.Serialize(o);
        switch (category)
        {
            case "flooding":
            {
                var (sub, label) = Kind(rng, "flooding");
                var basin = ward.Geometry.Centroid.X > 105.87 ? "cau_bay" : ward.Geometry.Centroid.X < 105.78 ? "nhue" : "to_lich";
                return (sub, $"{label} – {ward.FullName}", "Công ty TNHH MTV Thoát nước Hà Nội",
                    Json(new { depth_cm = 10 + severity * 8 + rng.Next(0, 15), duration_minutes = 30 + severity * 40 + rng.Next(0, 120),
                               drainage_basin = basin, rain_scenario = rng.NextDouble() < 0.5 ? "scenario_50_70mm" : "scenario_over_100mm" }),
                    90, 45);
            }
            case "congestion":
            {
                var (sub, label) = Kind(rng, "congestion");
                var cause = OneOf(rng, "works", "barriers", "junction_design", "volume", "incident");
                return (sub, $"{label} – {ward.FullName}", "Phòng Cảnh sát giao thông – Công an TP Hà Nội",
                    Json(new { peak_hours = rng.NextDouble() < 0.7 ? "07:00-09:00,17:00-19:00" : "16:30-19:30", cause, police_post = rng.NextDouble() < 0.35 }),
                    120, 60);
            }
            case "urban_order":
            {
                var (sub, label) = Kind(rng, "urban-order");
                return (sub, $"{label} – {ward.FullName}", $"UBND {ward.FullName}", Json(new { violation_type = sub }), 15, 10);
            }
            case "environment":
            {
                var (sub, label) = Kind(rng, "environment");
                var pm25 = Math.Round(25 + severity * 15 + rng.NextDouble() * 30, 1);
                object measurements = sub == "polluted_river_section"
                    ? new { bod5_mg_l = Math.Round(15 + rng.NextDouble() * 40, 1), cod_mg_l = Math.Round(30 + rng.NextDouble() * 80, 1), do_mg_l = Math.Round(rng.NextDouble() * 3, 2) }
                    : new { pm25_ug_m3 = pm25 };
                return (sub, $"{label} – {ward.FullName}", "Sở Nông nghiệp và Môi trường Hà Nội",
                    Json(new { pollution_source = sub, aqi = sub == "air_monitoring" ? (int)(pm25 * 2.2) : (int?)null,
                               pm25 = sub == "air_monitoring" ? pm25 : (double?)null, measurements }),
                    60, 40);
            }
            default:
            {
                var (sub, label) = Kind(rng, "food-safety");
                var fail = rng.NextDouble() < 0.12 + severity * 0.04;
                var violations = fail
                    ? OneOf(rng, new[] { "Không có giấy chứng nhận đủ điều kiện ATTP" }, new[] { "Nguồn gốc nguyên liệu không rõ ràng" },
                            new[] { "Không lưu mẫu thức ăn", "Dụng cụ chế biến không đảm bảo vệ sinh" }, new[] { "Người chế biến chưa khám sức khỏe" })
                    : [];
                return (sub, $"Kiểm tra ATTP: {label} – {ward.FullName}", "Chi cục An toàn vệ sinh thực phẩm Hà Nội",
                    Json(new { establishment_kind = sub, inspection_date = DateOnly.FromDateTime(reported.DateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                               result = fail ? "fail" : "pass", violations }),
                    30, 14);
            }
        }
    }

    private DateTimeOffset ReportedAt(Random rng, string category)
    {
        for (var attempt = 0; ; attempt++)
        {
            var daysAgo = Math.Floor(1095 * Math.Pow(rng.NextDouble(), 1.4));
            var t = _end.AddDays(-daysAgo).AddMinutes(-rng.Next(0, 600));
            // Flooding comes with the rainy season (May–October).
            if (category != "flooding" || t.Month is >= 5 and <= 10 || attempt > 3 || rng.NextDouble() < 0.15)
            {
                return t;
            }
        }
    }

    private DateTimeOffset Clamp(DateTimeOffset t) => t > _end ? _end : t;

    private Coordinate InWard(Random rng, double[] cumulative) => PointIn(rng, world.Wards[Pick(rng, cumulative)]);

    private static Coordinate PointIn(Random rng, SampleWorld.Ward w)
    {
        var e = w.Geometry.EnvelopeInternal;
        for (var k = 0; k < 1000; k++)
        {
            var c = new Coordinate(e.MinX + rng.NextDouble() * e.Width, e.MinY + rng.NextDouble() * e.Height);
            if (w.Locator.Locate(c) == Location.Interior)
            {
                return c;
            }
        }
        return w.Geometry.InteriorPoint.Coordinate;
    }

    /// <summary>A few fixed venues per ward (markets, schools) where inspections cluster.</summary>
    private Coordinate Venue(Random rng, SampleWorld.Ward w)
    {
        if (!_venues.TryGetValue(w.Code, out var venues))
        {
            var local = new Random(seed ^ (int.Parse(w.Code, CultureInfo.InvariantCulture) * 7919));
            venues = Enumerable.Range(0, 4 + (int)(8 * w.Innerness)).Select(_ => PointIn(local, w)).ToArray();
            _venues[w.Code] = venues;
        }
        var v = venues[rng.Next(venues.Length)];
        return Jitter(rng, v, 0.0003) ?? v;
    }

    private Coordinate? NearLine(Random rng, List<SampleWorld.Line> lines, double spread)
    {
        var line = lines[rng.Next(lines.Count)].Geometry;
        var boundary = line.Dimension == Dimension.Surface ? ((Polygon)line.GetGeometryN(0)).ExteriorRing : line;
        var c = new LengthIndexedLine(boundary).ExtractPoint(rng.NextDouble() * boundary.Length);
        return Jitter(rng, c, spread);
    }

    private Coordinate? Jitter(Random rng, Coordinate c, double spread)
    {
        for (var k = 0; k < 10; k++)
        {
            var p = new Coordinate(c.X + Gaussian(rng) * spread, c.Y + Gaussian(rng) * spread);
            if (world.WardAt(p) is not null)
            {
                return p;
            }
        }
        return null;
    }

    private static string ReportText(Random rng, string category) => category switch
    {
        "flooding" => OneOf(rng, "Mưa lớn, đường ngập sâu, xe chết máy nhiều.", "Cống bị rác chặn, nước không thoát được."),
        "congestion" => OneOf(rng, "Giờ cao điểm ùn tắc kéo dài, rào chắn công trình chiếm đường.", "Nút giao ùn tắc, không có người phân luồng."),
        "urban_order" => OneOf(rng, "Hàng quán lấn chiếm hết vỉa hè, người đi bộ phải xuống lòng đường.", "Trông giữ xe trái phép trên vỉa hè."),
        "environment" => OneOf(rng, "Rác thải tập kết lâu ngày bốc mùi.", "Khói đốt rác buổi tối gây khó thở.", "Nước sông đen, bốc mùi hôi."),
        _ => OneOf(rng, "Cơ sở bán hàng không đảm bảo vệ sinh.", "Nghi ngờ thực phẩm không rõ nguồn gốc."),
    };

    private static readonly string[] FamilyNames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"];
    private static readonly string[] MiddleNames = ["Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc", "Quang", "Thanh"];
    private static readonly string[] GivenNames = ["An", "Bình", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Long", "Mai", "Nam", "Phương", "Quân", "Trang", "Tuấn"];

    private static T OneOf<T>(Random rng, params T[] items) => items[rng.Next(items.Length)];

    // A layer's kinds as the dashboard names them (Layers/SubtypeCatalog), drawn like any other choice.
    private static (string Id, string NameVi) Kind(Random rng, string layerId) =>
        OneOf(rng, Layers.SubtypeCatalog.Of(layerId).Select(k => (k.Id, k.NameVi)).ToArray());

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static double Round(double v) => Math.Round(v, 6);

    private static double[] Cumulative(double[] weights)
    {
        var c = new double[weights.Length];
        var sum = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += weights[i];
            c[i] = sum;
        }
        return c;
    }

    private static int Pick(Random rng, double[] cumulative)
    {
        var x = rng.NextDouble() * cumulative[^1];
        var i = Array.BinarySearch(cumulative, x);
        return Math.Min(i < 0 ? ~i : i, cumulative.Length - 1);
    }
}
