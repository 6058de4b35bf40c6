using Hotspots.Records;

namespace Hotspots.Tests.Records;

/// <summary>A record's own fields as the hotspot panel lists them: named as in the import template, codes as words.</summary>
[Trait("Category", "Unit")]
public sealed class RecordDetailsTests
{
    private static List<(string Column, string Label, string Value)> Lines(string category, string json, string? subtype = null, bool english = false) =>
        RecordDetails.Lines(category, json, subtype, english).Select(l => (l.Column, l.Label, l.Value)).ToList();

    [Fact]
    public void A_flood_point_lists_depth_duration_basin_and_its_last_flood_on_hanoi_s_calendar()
    {
        // 17:30 UTC is 00:30 the next day in Hanoi; a missing value is not listed.
        var lines = Lines("flooding", """{"depth_cm": 40, "duration_minutes": 1200, "drainage_basin": "to_lich", "rain_scenario": null, "last_event_at": "2025-08-12T17:30:00+00:00"}""");
        Assert.Equal(
        [
            ("depth_cm", "Độ sâu ngập (cm)", "40"),
            ("duration_minutes", "Thời gian ngập (phút)", "1.200"),
            ("drainage_basin", "Lưu vực", "Lưu vực sông Tô Lịch"),
            ("last_event_at", "Lần ngập gần nhất", "13/08/2025"),
        ], lines);
    }

    [Fact]
    public void The_official_plans_codes_read_as_words_and_other_text_as_written()
    {
        Assert.Equal([("drainage_basin", "Drainage basin", "Nhuệ river basin"), ("rain_scenario", "Rain scenario", "Over 100 mm of rain")],
            Lines("flooding", """{"drainage_basin": "nhue", "rain_scenario": "scenario_over_100mm"}""", english: true));
        Assert.Equal([("drainage_basin", "Lưu vực", "Hồ Tây"), ("rain_scenario", "Kịch bản mưa", "Mưa 50–70 mm")],
            Lines("flooding", """{"drainage_basin": "Hồ Tây", "rain_scenario": "scenario_50_70mm"}"""));
    }

    [Fact]
    public void A_jam_s_cause_and_police_post_read_as_words_in_either_language()
    {
        const string json = """{"peak_hours": "07:00-09:00", "cause": "junction_design", "police_post": true}""";
        Assert.Equal([("peak_hours", "Giờ cao điểm", "07:00-09:00"), ("cause", "Nguyên nhân", "Thiết kế nút giao"), ("police_post", "Chốt CSGT", "Có")],
            Lines("congestion", json));
        Assert.Equal([("peak_hours", "Peak hours", "07:00-09:00"), ("cause", "Cause", "Junction design"), ("police_post", "Police post", "Yes")],
            Lines("congestion", json, english: true));
    }

    [Fact]
    public void An_inspection_lists_its_date_result_and_faults_but_not_a_kind_it_only_repeats_nor_a_person()
    {
        const string json = """
            {"establishment_kind": "restaurant", "inspection_date": "2025-03-14", "result": "fail",
             "violations": ["Không lưu mẫu thức ăn", "Người chế biến chưa khám sức khỏe"], "follow_up": null,
             "contact_name": "Nguyễn Văn A", "contact_phone": "0912345678"}
            """;
        var lines = Lines("food_safety", json, subtype: "restaurant");
        Assert.Equal(
        [
            ("inspection_date", "Ngày kiểm tra", "14/03/2025"),
            ("result", "Kết quả", "Không đạt"),
            ("violations", "Lỗi vi phạm", "Không lưu mẫu thức ăn; Người chế biến chưa khám sức khỏe"),
        ], lines);
        Assert.Equal(("establishment_kind", "Establishment", "Market"), Lines("food_safety", """{"establishment_kind": "market"}""", "restaurant", english: true).Single());
    }

    [Fact]
    public void Numbers_follow_the_language_and_a_violation_s_kind_code_reads_as_its_name()
    {
        Assert.Equal(["1.520", "58,4"], Lines("environment", """{"pm25": 58.4, "aqi": 1520, "measurements": {"pm10": 80}}""").Select(l => l.Value));
        Assert.Equal(["1,520", "58.4"], Lines("environment", """{"pm25": 58.4, "aqi": 1520}""", english: true).Select(l => l.Value));
        Assert.Equal("Lấn chiếm vỉa hè", Lines("urban_order", """{"violation_type": "sidewalk_encroachment"}""").Single().Value);
        Assert.Equal("Bày bán hàng dưới lòng đường", Lines("urban_order", """{"violation_type": "Bày bán hàng dưới lòng đường"}""", "roadway_encroachment").Single().Value);
    }

    [Fact]
    public void A_record_without_details_or_outside_the_layers_lists_nothing()
    {
        Assert.Empty(RecordDetails.Lines("flooding", null, null, english: false));
        Assert.Empty(RecordDetails.Lines(null, "{}", null, english: false));
        Assert.Empty(Lines("flooding", "{}"));
    }
}
