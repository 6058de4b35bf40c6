using System.Net;
using System.Text;
using System.Text.Json;
using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hotspots.Tests.Imports;

/// <summary>
/// A hotline's list and an iHanoi export go into the triage list through the import jobs, with no hand-written
/// mapping: each report in its ward with its field of work and channel, the reporter kept private, the same list
/// imported again changing nothing, staff decisions never overwritten, a preview counting what the run then does.
/// </summary>
[Collection(ImportsCollection.Name)]
[Trait("Category", "Database")]
public sealed class FieldReportImportTests(ImportsApp app)
{
    private const string Layer = "field-reports";

    private Task<T> Scalar<T>(string sql, params (string, object)[] args) => app.ScalarAsync<T>(sql, args);

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal));
    private static Dictionary<string, string> Source(string source) => new() { ["source"] = source };
    private static int Count(JsonElement run, string name) => ImportsApp.Count(run, name);
    private static IEnumerable<string> Notes(JsonElement run) => ImportsApp.Notes(run);

    // A ward hotline's week, as its clerk keeps it: no coordinates for most rows, a ward by name, the caller's name
    // and phone, fields of work in the clerk's words, one row with nothing said.
    private const string Hotline = """
        STT,Thời gian tiếp nhận,Họ tên người phản ánh,Số điện thoại,Lĩnh vực,Nội dung phản ánh,Địa chỉ,Phường,Vĩ độ,Kinh độ,Kênh tiếp nhận
        1,03/11/2025 07:45,Trần Thị Canary,0912 345 678,Trật tự đô thị – xây dựng,Quán nước lấn chiếm hết vỉa hè trước số 12,12 Hàng Bài,Hoàn Kiếm,,,Đường dây nóng
        2,03/11/2025 09:10,Lê Văn B,0988 111 222,Môi trường (rác thải),Rác tồn đọng ba ngày ở đầu ngõ,Ngõ 24 Kim Mã,Giảng Võ,21.0280,105.8200,Tổng đài 1022
        3,04/11/2025 18:20,,,Phản ánh chung,Cống bốc mùi sau mưa,,,21.0265,105.7965,Zalo
        4,05/11/2025 08:00,Phạm C,0900 000 000,Giao thông,,Ngã tư Sở,,21.0030,105.8197,Đường dây nóng
        """;

    [Fact]
    public async Task A_hotline_list_lands_in_triage_with_wards_fields_and_channels_and_the_reporter_kept_private()
    {
        var run = await app.ImportAsync(Utf8(Hotline), "duong-day-nong-tuan-45.csv", Layer, Source("test:hotline"));
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal((3, 1), (Count(run, "inserted"), Count(run, "rejected")));
        Assert.Contains(Notes(run), n => n.StartsWith("Ánh xạ cột (đề xuất tự động): ", StringComparison.Ordinal)
            && n.Contains("“Nội dung phản ánh” → Nội dung phản ánh", StringComparison.Ordinal) && n.Contains("“Lĩnh vực” → Lĩnh vực", StringComparison.Ordinal));
        Assert.Contains(Notes(run), n => n.StartsWith("1 dòng có lĩnh vực không nhận ra", StringComparison.Ordinal));
        Assert.Equal("urban_order/hotline/Hoàn Kiếm|environment/hotline/Giảng Võ|other/zalo/Cầu Giấy", await Scalar<string>("""
            SELECT string_agg(r.category || '/' || r.channel || '/' || w.name, '|' ORDER BY r.received_at)
            FROM field_reports r JOIN current_wards w ON w.code = r.ward_code WHERE r.source = 'test:hotline'
            """));
        Assert.Equal("new", await Scalar<string>("SELECT min(status) FROM field_reports WHERE source = 'test:hotline'"));
        Assert.Equal("Trần Thị Canary|0912 345 678", await Scalar<string>("""
            SELECT p.reporter_name || '|' || p.reporter_phone FROM field_report_reporters p JOIN field_reports r ON r.id = p.report_id
            WHERE r.source = 'test:hotline' AND r.text LIKE 'Quán nước%'
            """));
        // The empty row is named with its reason, and no personal value is quoted back in the rejects.
        var rejects = await app.CreateClient().JsonAsync($"/api/imports/{run.GetProperty("id").GetString()}/rejects");
        var reject = rejects.GetProperty("rejects")[0];
        Assert.Equal((5, "Thiếu nội dung phản ánh."), (reject.GetProperty("row").GetInt32(), reject.GetProperty("reasonVi").GetString()));

        // Staff read it in triage with its channel; the public never sees who called or what they said.
        var triage = await app.CreateClient().JsonAsync("/api/field-reports?limit=1000");
        var id = await Scalar<long>("SELECT id FROM field_reports WHERE source = 'test:hotline' AND text LIKE 'Quán nước%'");
        var item = triage.GetProperty("reports").EnumerateArray().Single(r => r.GetProperty("id").GetInt64() == id);
        Assert.Equal("hotline", item.GetProperty("channel").GetString());
        Assert.True(item.GetProperty("waiting").GetBoolean()); // received in 2025 and still new: past the 48 hours
        var anonymous = app.CreateClient();
        anonymous.DefaultRequestHeaders.Authorization = null;
        var open = await (await anonymous.GetAsync($"/open311/v2/requests/{id}.json")).Content.ReadAsStringAsync();
        Assert.Contains("\"service_request_id\"", open, StringComparison.Ordinal);
        foreach (var secret in new[] { "Canary", "0912", "345 678", "Quán nước" })
        {
            Assert.DoesNotContain(secret, open, StringComparison.Ordinal);
        }
    }

    // The same list as a system exports it, each report with its own id.
    private static readonly string HotlineWithIds = string.Join('\n', Hotline.Split('\n').Select((line, i) =>
        i == 0 ? line.Replace("STT,", "Mã phản ánh,", StringComparison.Ordinal) : "DN-" + line));

    [Fact]
    public async Task The_same_list_again_changes_nothing_and_a_report_staff_have_triaged_is_not_overwritten()
    {
        var first = await app.ImportAsync(Utf8(HotlineWithIds), "tuan-45.csv", Layer, Source("test:hotline-again"));
        Assert.Equal(3, Count(first, "inserted"));
        var again = await app.ImportAsync(Utf8(HotlineWithIds), "tuan-45.csv", Layer, Source("test:hotline-again"));
        Assert.Equal((0, 0, 3), (Count(again, "inserted"), Count(again, "updated"), Count(again, "unchanged")));
        Assert.Equal(3L, await Scalar<long>("SELECT count(*) FROM field_reports WHERE source = 'test:hotline-again'"));

        // Staff reject one; the clerk's next list words both differently: the untouched one is updated, the triaged one stays.
        await Scalar<object>("UPDATE field_reports SET status = 'rejected' WHERE source = 'test:hotline-again' AND text LIKE 'Rác%' RETURNING 1");
        var edited = HotlineWithIds.Replace("Rác tồn đọng ba ngày", "Rác tồn đọng bốn ngày", StringComparison.Ordinal)
            .Replace("Cống bốc mùi sau mưa", "Cống bốc mùi nặng sau mưa", StringComparison.Ordinal);
        var third = await app.ImportAsync(Utf8(edited), "tuan-45-sua.csv", Layer, Source("test:hotline-again"));
        Assert.Equal((0, 1, 1, 1), (Count(third, "inserted"), Count(third, "updated"), Count(third, "unchanged"), Count(third, "conflicts")));
        Assert.Equal("Rác tồn đọng ba ngày ở đầu ngõ", await Scalar<string>("SELECT text FROM field_reports WHERE source = 'test:hotline-again' AND status = 'rejected'"));
    }

    [Fact]
    public async Task A_preview_counts_what_the_run_then_does_and_writes_nothing()
    {
        var (status, preview) = await app.PostFileAsync("/api/imports/preview", Utf8(Hotline), "xem-truoc.csv", Layer, Source("test:hotline-preview"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0L, await Scalar<long>("SELECT count(*) FROM field_reports WHERE source = 'test:hotline-preview'"));
        var proposal = preview.GetProperty("proposal").EnumerateArray().ToDictionary(f => f.GetProperty("field").GetString()!,
            f => f.GetProperty("column").ValueKind == JsonValueKind.Null ? null : f.GetProperty("column").GetString());
        Assert.Equal(("Nội dung phản ánh", "Lĩnh vực", "Họ tên người phản ánh", "Số điện thoại", "Kênh tiếp nhận", "Phường"),
            (proposal["description"], proposal["category"], proposal["reporter_name"], proposal["reporter_phone"], proposal["channel"], proposal["ward"]));
        var run = await app.ImportAsync(Utf8(Hotline), "xem-truoc.csv", Layer, Source("test:hotline-preview"));
        foreach (var name in new[] { "inserted", "updated", "unchanged", "rejected", "conflicts" })
        {
            Assert.Equal(preview.GetProperty("counts").GetProperty(name).GetInt32(), Count(run, name));
        }
    }

    [Fact]
    public async Task An_ihanoi_export_in_open311_words_lands_by_its_geometry_and_kinds()
    {
        const string export = """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"service_request_id":"IH-901","service_name":"Ngập úng","service_code":"flood_point","description":"Nước ngập sâu 30 cm trước cổng trường","requested_datetime":"2025-09-10T08:30:00+07:00","media_url":"https://ihanoi.example/a.jpg"},"geometry":{"type":"Point","coordinates":[105.7965,21.02639]}},
              {"type":"Feature","properties":{"service_request_id":"IH-902","service_name":"An toàn thực phẩm","description":"Quán bán đồ ăn không rõ nguồn gốc","requested_datetime":"2025-09-11T19:00:00+07:00","media_url":"không có ảnh"},"geometry":{"type":"Point","coordinates":[105.85,21.032]}}]}
            """;
        var run = await app.ImportAsync(Encoding.UTF8.GetBytes(export), "ihanoi-thang-9.geojson", Layer, Source("test:ihanoi"));
        Assert.Equal((2, 0), (Count(run, "inserted"), Count(run, "rejected")));
        Assert.Equal("IH-901:flooding:flood_point:https://ihanoi.example/a.jpg|IH-902:food_safety::", await Scalar<string>("""
            SELECT string_agg(external_id || ':' || category || ':' || coalesce(kind, '') || ':' || coalesce(photo_url, ''), '|' ORDER BY external_id) FROM field_reports WHERE source = 'test:ihanoi'
            """));
        Assert.Contains(Notes(run), n => n.StartsWith("1 dòng có đường dẫn ảnh không phải địa chỉ web", StringComparison.Ordinal));
        Assert.Equal(new DateTime(2025, 9, 10, 1, 30, 0, DateTimeKind.Utc),
            await Scalar<DateTime>("SELECT received_at FROM field_reports WHERE source = 'test:ihanoi' AND external_id = 'IH-901'"));
    }

    [Fact]
    public async Task A_list_without_the_words_of_the_reports_is_answered_with_what_is_missing_or_fails_once()
    {
        var file = Utf8("""
            Họ tên,Số điện thoại,Vĩ độ,Kinh độ
            Nguyễn A,0912000111,21.03,105.85
            """);
        var (status, body) = await app.PostFileAsync("/api/imports", file, "thieu-noi-dung.csv", Layer);
        Assert.Equal((HttpStatusCode)422, status);
        Assert.Contains(body.GetProperty("missing").EnumerateArray(), m => m.GetProperty("vi").GetString() == "nội dung phản ánh");

        var run = await app.ImportAsync(file, "thieu-noi-dung.csv", Layer, new Dictionary<string, string> { ["mapping"] = """{"Vĩ độ": "lat", "Kinh độ": "lon"}""" });
        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Contains("Không có cột nội dung phản ánh", run.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("“Họ tên”, “Số điện thoại”", run.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, Count(run, "rejected"));
    }

    [Fact]
    public async Task A_report_received_now_is_not_flagged_as_waiting()
    {
        var run = await app.ImportAsync(Utf8("Nội dung phản ánh,Vĩ độ,Kinh độ\nNắp cống vỡ giữa đường làng,21.2601,105.8501\n"), "moi-nhan.csv", Layer, Source("test:fresh"));
        Assert.Equal(1, Count(run, "inserted"));
        var id = await Scalar<long>("SELECT id FROM field_reports WHERE source = 'test:fresh'");
        var item = (await app.CreateClient().JsonAsync("/api/field-reports?limit=1000")).GetProperty("reports").EnumerateArray()
            .Single(r => r.GetProperty("id").GetInt64() == id);
        Assert.False(item.GetProperty("waiting").GetBoolean());
        Assert.Equal("file", item.GetProperty("channel").GetString());
    }

    [Fact]
    public async Task The_triage_list_comes_in_pages_with_the_filters_count_and_how_many_wait()
    {
        await app.ImportAsync(Utf8(Hotline), "trang.csv", Layer, Source("test:pages"));
        var client = app.CreateClient();
        var first = await client.JsonAsync("/api/field-reports?status=new&limit=2&offset=0");
        var second = await client.JsonAsync("/api/field-reports?status=new&limit=2&offset=2");
        var ids = (JsonElement page) => page.GetProperty("reports").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(2, ids(first).Count);
        Assert.Empty(ids(first).Intersect(ids(second)));
        Assert.Equal(await Scalar<int>("SELECT count(*)::int FROM field_reports WHERE status = 'new'"), first.GetProperty("total").GetInt32());
        Assert.Equal(await Scalar<int>("SELECT count(*)::int FROM field_reports WHERE status = 'new' AND received_at < now() - interval '48 hours'"),
            first.GetProperty("waiting").GetInt32());
        Assert.Equal(48, first.GetProperty("waitHours").GetInt32());
    }

    [Fact]
    public async Task A_hotline_spreadsheet_goes_in_like_its_csv()
    {
        var sheet = TinyXlsx.Build(("Tuần 46", [
            ["Mã phản ánh", "Ngày tiếp nhận", "Nội dung", "Lĩnh vực", "Mã phường"],
            ["DN-46-1", "10/11/2025", "Đèn tín hiệu hỏng giờ cao điểm", "Giao thông", "00004"],
            ["DN-46-2", "11/11/2025", "Khói bụi từ công trình", "Môi trường", "00004"],
        ]));
        var run = await app.ImportAsync(sheet, "tuan-46.xlsx", Layer, Source("test:hotline-xlsx"));
        Assert.Equal((2, 0), (Count(run, "inserted"), Count(run, "rejected")));
        Assert.Equal("congestion,environment", await Scalar<string>(
            "SELECT string_agg(category, ',' ORDER BY external_id) FROM field_reports WHERE source = 'test:hotline-xlsx' AND ward_code = '00004'"));
    }
}
