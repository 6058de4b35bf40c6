using System.Text;
using System.Text.Json;
using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hotspots.Tests.Imports;

/// <summary>Each layer's own fields (flood depth, a jam's cause, PM2.5, an inspection's result…) read from files into its details table.</summary>
[Collection(ImportsCollection.Name)]
[Trait("Category", "Database")]
public sealed class DetailFieldsImportTests(ImportsApp app)
{
    private static int Count(JsonElement run, string name) => run.GetProperty("counts").GetProperty(name).GetInt32();

    private async Task<string?> Row(string sql, string source, string id)
    {
        await using var cmd = app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            $"SELECT ({sql})::text FROM hotspots h WHERE h.source = @source AND h.external_id = @id");
        cmd.Parameters.AddWithValue("source", source);
        cmd.Parameters.AddWithValue("id", id);
        return await cmd.ExecuteScalarAsync() as string; // DBNull (no such details row) reads as null
    }

    private Task<JsonElement> Import(string csv, string layer, string source) =>
        app.ImportAsync(Encoding.UTF8.GetBytes(csv), $"{source}.csv", layer, new Dictionary<string, string> { ["source"] = source });

    private async Task<List<(string Column, string? Value, string ReasonVi, string ReasonEn)>> Rejects(JsonElement run)
    {
        var json = await app.CreateClient().JsonAsync($"/api/imports/{run.GetProperty("id").GetString()}/rejects");
        return json.GetProperty("rejects").EnumerateArray()
            .Select(r => (r.GetProperty("column").GetString()!, r.GetProperty("value").GetString(), r.GetProperty("reasonVi").GetString()!,
                r.GetProperty("reasonEn").GetString()!)).ToList();
    }

    [Fact]
    public async Task Flood_depth_duration_and_basin_land_in_the_flood_details_and_a_changed_depth_updates_them()
    {
        const string csv = """
            Mã,Tên điểm,Vĩ độ,Kinh độ,Độ sâu ngập (cm),Thời gian ngập (phút),Lưu vực
            F-1,Ngập phố Nguyễn Trãi,21.00305,105.82003,45,120,to_lich
            F-2,Ngập phố Kim Mã,21.03151,105.82573,,,
            """;
        var run = await Import(csv, "flooding", "test:details-flood");
        Assert.Equal((2, 0), (Count(run, "inserted"), Count(run, "rejected")));
        const string details = "SELECT d.depth_cm || '/' || d.duration_minutes || '/' || d.drainage_basin FROM flooding_details d WHERE d.hotspot_id = h.id";
        Assert.Equal("45/120/to_lich", await Row(details, "test:details-flood", "F-1"));
        Assert.Null(await Row("SELECT d.hotspot_id FROM flooding_details d WHERE d.hotspot_id = h.id", "test:details-flood", "F-2")); // nothing given: no details

        Assert.Equal(2, Count(await Import(csv, "flooding", "test:details-flood"), "unchanged"));
        var deeper = await Import(csv.Replace(",45,120,to_lich", ",60,,to_lich", StringComparison.Ordinal), "flooding", "test:details-flood");
        Assert.Equal((1, 1), (Count(deeper, "updated"), Count(deeper, "unchanged")));
        Assert.Equal("60/120/to_lich", await Row(details, "test:details-flood", "F-1")); // a blank cell keeps what was there
    }

    [Fact]
    public async Task A_jams_cause_and_police_post_are_read_in_vietnamese_and_unknown_values_are_rejected_with_the_choices()
    {
        const string csv = """
            id,title,lat,lon,Nguyên nhân,Chốt CSGT,Giờ cao điểm
            C-1,Ùn tắc nút Ngã Tư Sở,21.00305,105.82003,Thi công,có,07:00-09:00
            C-2,Ùn tắc Kim Mã,21.03151,105.82573,mưa to,không,
            C-3,Ùn tắc Hàng Bông,21.02993,105.84712,Lưu lượng lớn,không,17:00-19:00
            C-4,Ùn tắc Tạ Hiện,21.03540,105.85210,,có lẽ,
            """;
        var run = await Import(csv, "congestion", "test:details-jam");
        Assert.Equal((2, 2), (Count(run, "inserted"), Count(run, "rejected")));
        const string details = "SELECT d.cause || '/' || d.police_post || '/' || coalesce(d.peak_hours, '') FROM congestion_details d WHERE d.hotspot_id = h.id";
        Assert.Equal("works/true/07:00-09:00", await Row(details, "test:details-jam", "C-1"));
        Assert.Equal("volume/false/17:00-19:00", await Row(details, "test:details-jam", "C-3"));
        var rejects = await Rejects(run);
        Assert.Contains(rejects, r => r.Column == "Nguyên nhân" && r.ReasonVi.Contains("Thi công, Rào chắn/lô cốt, Thiết kế nút giao, Lưu lượng lớn, Sự cố/va chạm, Khác", StringComparison.Ordinal)
            && r.ReasonEn.Contains("Road works, Barriers, Junction design, Heavy traffic, Incident, Other", StringComparison.Ordinal));
        Assert.Contains(rejects, r => r.Column == "Chốt CSGT" && r.ReasonVi.Contains("có hoặc không", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_food_safety_inspection_needs_its_result_and_keeps_its_date_and_faults()
    {
        const string csv = """
            id,title,lat,lon,Loại,Ngày kiểm tra,Kết quả,Lỗi vi phạm
            K-1,Kiểm tra bếp ăn trường Kim Đồng,21.00305,105.82003,school_canteen,15/03/2025,Không đạt,Không lưu mẫu thức ăn; Nguồn gốc nguyên liệu không rõ
            K-2,Kiểm tra chợ Hàng Da,21.03151,105.82573,market,,Đạt,
            K-3,Kiểm tra quán phở,21.02993,105.84712,street_food,16/03/2025,,Không có giấy chứng nhận
            K-4,Kiểm tra nhà hàng,21.03540,105.85210,restaurant,,,
            """;
        var run = await Import(csv, "food-safety", "test:details-food");
        Assert.Equal((3, 1), (Count(run, "inserted"), Count(run, "rejected")));
        const string details = "SELECT d.establishment_kind || '/' || d.inspection_date || '/' || d.result || '/' || array_to_string(d.violations, '|') FROM food_safety_inspections d WHERE d.hotspot_id = h.id";
        Assert.Equal("school_canteen/2025-03-15/fail/Không lưu mẫu thức ăn|Nguồn gốc nguyên liệu không rõ", await Row(details, "test:details-food", "K-1"));
        Assert.StartsWith("market/", await Row(details, "test:details-food", "K-2"), StringComparison.Ordinal);
        Assert.EndsWith("/pass/", await Row(details, "test:details-food", "K-2"), StringComparison.Ordinal);
        Assert.Null(await Row(details, "test:details-food", "K-4")); // says nothing of an inspection: none recorded
        Assert.Contains(await Rejects(run), r => r.Column == "Kết quả" && r.ReasonVi.Contains("Thiếu kết quả kiểm tra", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_establishment_is_named_as_the_dashboard_names_it_and_stored_as_its_code()
    {
        const string csv = """
            id,title,lat,lon,Loại cơ sở,Kết quả
            S-1,Kiểm tra nhà hàng Phố Huế,21.01170,105.85130,Nhà hàng,đạt
            S-2,Kiểm tra bếp ăn khu công nghiệp,21.00305,105.82003,COLLECTIVE KITCHEN,không đạt
            S-3,Kiểm tra quán karaoke,21.03151,105.82573,Quán karaoke,đạt
            """;
        var run = await Import(csv, "food-safety", "test:details-establishment");
        Assert.Equal((2, 1), (Count(run, "inserted"), Count(run, "rejected")));
        const string details = "SELECT d.establishment_kind || '/' || d.result FROM food_safety_inspections d WHERE d.hotspot_id = h.id";
        Assert.Equal("restaurant/pass", await Row(details, "test:details-establishment", "S-1"));
        Assert.Equal("collective_kitchen/fail", await Row(details, "test:details-establishment", "S-2"));
        Assert.Contains(await Rejects(run), r => r.Column == "Loại cơ sở" && r.Value == "Quán karaoke"
            && r.ReasonVi.Contains("Bếp ăn trường học, Chợ, Cơ sở thức ăn đường phố, Nhà hàng, Điểm giết mổ, Bếp ăn tập thể, Khác", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Air_readings_take_decimal_commas_and_refuse_nan_and_negative_values()
    {
        const string csv = """
            id;title;lat;lon;PM2.5;AQI
            E-1;Trạm quan trắc Nguyễn Văn Cừ;21,04100;105,87300;55,5;120
            E-2;Trạm quan trắc Kim Liên;21,00700;105,83600;NaN;
            E-3;Trạm quan trắc Hoàn Kiếm;21,02900;105,85200;;-5
            """;
        var run = await Import(csv, "environment", "test:details-air");
        Assert.Equal((1, 2), (Count(run, "inserted"), Count(run, "rejected")));
        Assert.Equal("55.5/120/{}", await Row(
            "SELECT d.pm25 || '/' || d.aqi || '/' || d.measurements FROM environment_details d WHERE d.hotspot_id = h.id", "test:details-air", "E-1"));
        var rejects = await Rejects(run);
        Assert.Contains(rejects, r => r.Column == "PM2.5" && r.ReasonVi.Contains("số không âm", StringComparison.Ordinal));
        Assert.Contains(rejects, r => r.Column == "AQI" && r.ReasonVi.Contains("số nguyên không âm", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_urban_order_violation_takes_its_kind_when_the_file_names_no_violation_type()
    {
        const string csv = "id,title,lat,lon,Loại\nU-1,Lấn chiếm vỉa hè Hàng Bông,21.02993,105.84712,Lấn chiếm vỉa hè\nU-2,Đỗ xe trái phép,21.03540,105.85210,\n";
        var run = await Import(csv, "urban-order", "test:details-urban");
        Assert.Equal(2, Count(run, "inserted"));
        const string details = "SELECT d.violation_type FROM urban_order_details d WHERE d.hotspot_id = h.id";
        Assert.Equal("sidewalk_encroachment", await Row(details, "test:details-urban", "U-1"));
        Assert.Null(await Row(details, "test:details-urban", "U-2"));
    }

    [Fact]
    public async Task A_violation_type_given_in_the_file_is_kept_and_an_overlong_one_is_rejected()
    {
        var csv = "id,title,lat,lon,Loại vi phạm\nV-1,Quán lấn chiếm lòng đường,21.02993,105.84712,Bày bán hàng hóa dưới lòng đường\n"
                  + $"V-2,Biển hiệu sai phép,21.03540,105.85210,{new string('x', 600)}\n";
        var run = await Import(csv, "urban-order", "test:details-violation");
        Assert.Equal((1, 1), (Count(run, "inserted"), Count(run, "rejected")));
        Assert.Equal("Bày bán hàng hóa dưới lòng đường", await Row(
            "SELECT d.violation_type FROM urban_order_details d WHERE d.hotspot_id = h.id", "test:details-violation", "V-1"));
        Assert.Contains(await Rejects(run), r => r.Column == "Loại vi phạm" && r.ReasonVi.Contains("dài quá 500 ký tự", StringComparison.Ordinal));
    }

    // The template a clerk downloads must import as it is: every header recognised, the example row valid, and the
    // layer's own fields stored.
    [Theory]
    [InlineData("flooding", "SELECT d.depth_cm::text FROM flooding_details d WHERE d.hotspot_id = h.id", "40")]
    [InlineData("congestion", "SELECT d.cause FROM congestion_details d WHERE d.hotspot_id = h.id", "works")]
    [InlineData("urban-order", "SELECT d.violation_type FROM urban_order_details d WHERE d.hotspot_id = h.id", "Lấn chiếm vỉa hè để kinh doanh")]
    [InlineData("environment", "SELECT d.pm25::text FROM environment_details d WHERE d.hotspot_id = h.id", "58.4")]
    [InlineData("food-safety", "SELECT d.result || ' ' || cardinality(d.violations) FROM food_safety_inspections d WHERE d.hotspot_id = h.id", "fail 2")]
    public async Task The_template_of_each_layer_imports_as_it_is(string layer, string details, string expected)
    {
        using var response = await app.CreateClient().GetAsync($"/api/imports/template/{layer}.csv");
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var template = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), template[..3]);
        var run = await app.ImportAsync(template, $"mau-{layer}.csv", layer, new Dictionary<string, string> { ["source"] = $"test:template-{layer}" });
        Assert.Equal((1, 0), (Count(run, "inserted"), Count(run, "rejected")));
        Assert.Equal(expected, await Row(details, $"test:template-{layer}", "TT-0001"));
    }
}
