using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hotspots.Imports;
using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hotspots.Tests.Imports;

/// <summary>
/// Files as clerks receive them — a newsroom's storm list, an old list of addresses, OpenStreetMap venues — go in
/// through the API with no hand-written mapping; a preview counts exactly what the run then does; a confirmed
/// mapping is remembered per source; ward codes place and check rows; a file that cannot be placed says so once.
/// </summary>
[Collection(ImportsCollection.Name)]
[Trait("Category", "Database")]
public sealed class RealFilesImportTests(ImportsApp app)
{
    private Task<T> Scalar<T>(string sql, params (string, object)[] args) => app.ScalarAsync<T>(sql, args);

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal));
    private static Dictionary<string, string> Source(string source) => new() { ["source"] = source };
    private static int Count(JsonElement run, string name) => ImportsApp.Count(run, name);
    private static IEnumerable<string> Notes(JsonElement run) => ImportsApp.Notes(run);

    private const string Newsroom = """
        STT,Thời gian,Địa điểm ngập,Quận,Độ sâu (cm),Vĩ độ,Kinh độ,Ghi chú
        1,10/09/2025 08:30,Phố Hoa Bằng đoạn số 91-97,Cầu Giấy,40,21.02639,105.7965,Ngập nửa bánh xe
        2,10/09/2025 09:00,Ngã tư Nguyễn Khuyến – Văn Miếu,Đống Đa,25,21.028283,105.838667,
        """;

    [Fact]
    public async Task A_newsroom_storm_list_lands_in_the_right_wards_with_its_depths_and_no_mapping()
    {
        var run = await app.ImportAsync(Utf8(Newsroom), "bao-ngap-10-9.csv", "flooding", Source("test:newsroom"));
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(2, Count(run, "inserted"));
        Assert.Equal("Cầu Giấy:40;Văn Miếu - Quốc Tử Giám:25", await Scalar<string>("""
            SELECT string_agg(w.name || ':' || d.depth_cm, ';' ORDER BY h.title DESC) FROM hotspots h JOIN current_wards w ON w.code = h.ward_code
            JOIN flooding_details d ON d.hotspot_id = h.id WHERE h.source = 'test:newsroom'
            """));
        Assert.Equal("Phố Hoa Bằng đoạn số 91-97", await Scalar<string>("SELECT title FROM hotspots WHERE source = 'test:newsroom' AND description = 'Ngập nửa bánh xe'"));
        Assert.Contains(Notes(run), n => n.StartsWith("Ánh xạ cột (đề xuất tự động): ", StringComparison.Ordinal) && n.Contains("“Địa điểm ngập” → Tiêu đề", StringComparison.Ordinal));
        // Each record's history names the run that wrote it and its file.
        var id = await Scalar<long>("SELECT min(id) FROM hotspots WHERE source = 'test:newsroom'");
        var line = (await app.CreateClient().JsonAsync($"/api/hotspots/{id}/history")).GetProperty("history")[0];
        Assert.Equal(("imported", "bao-ngap-10-9.csv", run.GetProperty("id").GetString()),
            (line.GetProperty("field").GetString(), line.GetProperty("newValue").GetString(), line.GetProperty("note").GetString()));
    }

    [Fact]
    public async Task An_address_only_list_and_unnamed_osm_venues_get_titles_composed_from_kind_and_place()
    {
        const string addresses = """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"address":"54-56 Hoa Bằng"},"geometry":{"type":"Point","coordinates":[105.7965,21.02639]}},
              {"type":"Feature","properties":{"address":"Số 290 Nguyễn Trãi"},"geometry":{"type":"Point","coordinates":[105.8045,20.9935]}}]}
            """;
        var run = await app.ImportAsync(Encoding.UTF8.GetBytes(addresses), "diem-ngap-2019.geojson", "flooding", Source("test:addresses"));
        Assert.Equal(2, Count(run, "inserted"));
        Assert.Equal("Điểm úng ngập – 54-56 Hoa Bằng, Phường Cầu Giấy", await Scalar<string>(
            "SELECT title FROM hotspots WHERE source = 'test:addresses' AND title LIKE '%Hoa Bằng%'"));
        Assert.Contains(Notes(run), n => n.StartsWith("2 dòng không có tên", StringComparison.Ordinal));

        const string osm = """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"@id":"node/101","name":"Phở Thìn","amenity":"restaurant","addr:street":"Lò Đúc","addr:housenumber":"13"},"geometry":{"type":"Point","coordinates":[105.857,21.015]}},
              {"type":"Feature","properties":{"@id":"node/102","amenity":"cafe","addr:street":"Hàng Gai","addr:housenumber":"20"},"geometry":{"type":"Point","coordinates":[105.85,21.032]}},
              {"type":"Feature","properties":{"@id":"node/103","amenity":"fast_food"},"geometry":{"type":"Point","coordinates":[105.849,21.033]}}]}
            """;
        var venues = await app.ImportAsync(Encoding.UTF8.GetBytes(osm), "osm-food.geojson", "food-safety", Source("test:osm"));
        Assert.Equal((3, 0), (Count(venues, "inserted"), Count(venues, "rejected")));
        Assert.Equal("Phở Thìn|Cơ sở thực phẩm – 20 Hàng Gai, Phường Hoàn Kiếm|Cơ sở thực phẩm – Phường Hoàn Kiếm", await Scalar<string>(
            "SELECT string_agg(title, '|' ORDER BY external_id) FROM hotspots WHERE source = 'test:osm'"));
    }

    [Fact]
    public async Task A_file_without_a_location_column_is_answered_with_the_proposal_or_fails_once_naming_its_columns()
    {
        var file = Utf8("""
            Tên,Ghi chú
            Ngập phố Huế,không rõ vị trí
            Ngập Kim Liên,không rõ vị trí
            """);
        var (status, body) = await app.PostFileAsync("/api/imports", file, "khong-vi-tri.csv", "flooding");
        Assert.Equal((HttpStatusCode)422, status);
        Assert.Equal(["Tên", "Ghi chú"], body.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!));
        Assert.Contains(body.GetProperty("proposal").EnumerateArray(), f => f.GetProperty("field").GetString() == "title" && f.GetProperty("column").GetString() == "Tên");
        Assert.Contains("vị trí", body.GetProperty("missing")[0].GetProperty("vi").GetString(), StringComparison.Ordinal);

        // With a mapping that still places nothing: one message for the run, not a reject per row.
        var run = await app.ImportAsync(file, "khong-vi-tri.csv", "flooding", new Dictionary<string, string> { ["mapping"] = """{"Tên": "title"}""" });
        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Contains("Không có cột vị trí", run.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("“Tên”, “Ghi chú”", run.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, Count(run, "rejected"));
    }

    [Fact]
    public async Task A_preview_counts_exactly_what_the_run_then_does_and_writes_nothing()
    {
        var first = Utf8("""
            Mã,Tên điểm,Vĩ độ,Kinh độ,Mức độ
            P1,Ngập phố Huế,21.015,105.851,3
            P2,Ngập Kim Liên,21.006,105.836,3
            P3,Ngập Nguyễn Trãi,20.99,105.80,3
            """);
        // A new source's first load goes straight into the layer: its preview (staged, rolled back) counts the same.
        var (_, firstPreview) = await app.PostFileAsync("/api/imports/preview", first, "lan-1.csv", "flooding", Source("test:preview"));
        var firstRun = await app.ImportAsync(first, "lan-1.csv", "flooding", Source("test:preview"));
        Assert.Contains(Notes(firstRun), n => n.Contains("ghi thẳng vào lớp", StringComparison.Ordinal));
        Assert.Equal((3, 3), (firstPreview.GetProperty("counts").GetProperty("inserted").GetInt32(), Count(firstRun, "inserted")));
        var second = Utf8("""
            Mã,Tên điểm,Vĩ độ,Kinh độ,Mức độ
            P1,Ngập phố Huế,21.015,105.851,3
            P2,Ngập Kim Liên (sâu hơn),21.006,105.836,4
            P4,Ngập mới,21.03,105.85,2
            P4,Ngập mới lặp lại,21.03,105.85,2
            P5,Mức độ sai,21.03,105.85,9
            P6,Ngoài Hà Nội,10.77,106.70,3
            """);
        var runsBefore = await Scalar<long>("SELECT count(*) FROM import_runs");
        var (status, preview) = await app.PostFileAsync("/api/imports/preview", second, "lan-2.csv", "flooding", Source("test:preview"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(runsBefore, await Scalar<long>("SELECT count(*) FROM import_runs"));
        Assert.Equal(3L, await Scalar<long>("SELECT count(*) FROM hotspots WHERE source = 'test:preview'"));
        var counts = preview.GetProperty("counts");
        Assert.Equal("Ngập mới", preview.GetProperty("rows")[2].GetProperty("title").GetString());
        Assert.Equal("Phường Hoàn Kiếm", preview.GetProperty("rows")[2].GetProperty("ward").GetString());
        Assert.NotEmpty(preview.GetProperty("reasons").EnumerateArray());
        Assert.Equal(4, preview.GetProperty("points").GetArrayLength()); // the repeated id is found by the database, after the checks

        var run = await app.ImportAsync(second, "lan-2.csv", "flooding", Source("test:preview"));
        foreach (var name in new[] { "inserted", "updated", "unchanged", "rejected", "conflicts" })
        {
            Assert.Equal(Count(run, name), counts.GetProperty(name).GetInt32());
        }
        Assert.Equal((1, 1, 1, 3), (Count(run, "inserted"), Count(run, "updated"), Count(run, "unchanged"), Count(run, "rejected")));

        // A first load whose file repeats an id: the straight load stops, and the staged way reports the repeat.
        var repeated = Utf8("""
            Mã,Tên điểm,Vĩ độ,Kinh độ
            R1,Ngập phố Huế,21.015,105.851
            R1,Ngập phố Huế (lặp),21.015,105.851
            R2,Ngập Kim Liên,21.006,105.836
            """);
        var (_, repeatedPreview) = await app.PostFileAsync("/api/imports/preview", repeated, "lap.csv", "flooding", Source("test:repeated"));
        var repeatedRun = await app.ImportAsync(repeated, "lap.csv", "flooding", Source("test:repeated"));
        Assert.True(repeatedRun.GetProperty("status").GetString() == "succeeded", repeatedRun.ToString());
        Assert.Equal((2, 1), (Count(repeatedRun, "inserted"), Count(repeatedRun, "rejected")));
        Assert.Equal((2, 1), (repeatedPreview.GetProperty("counts").GetProperty("inserted").GetInt32(), repeatedPreview.GetProperty("counts").GetProperty("rejected").GetInt32()));
        var reject = Assert.Single((await app.CreateClient().JsonAsync($"/api/imports/{repeatedRun.GetProperty("id").GetString()}/rejects")).GetProperty("rejects").EnumerateArray());
        Assert.Equal("The same id as row 2 of this file.", reject.GetProperty("reasonEn").GetString());
    }

    [Fact]
    public async Task A_sources_saved_mapping_is_used_for_the_next_file_with_the_same_columns()
    {
        using var client = app.CreateClient();
        using var put = await client.PutAsJsonAsync("/api/imports/mappings/test:saved", new
        {
            header = new[] { "Ghi chú", "Vĩ độ", "Kinh độ" },
            mapping = new Dictionary<string, string> { ["Ghi chú"] = "title", ["Vĩ độ"] = "lat", ["Kinh độ"] = "lon" },
        });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var saved = await client.JsonAsync("/api/imports/mappings/test:saved");
        Assert.Equal("title", saved.GetProperty("mapping").GetProperty("Ghi chú").GetString());

        var run = await app.ImportAsync(Utf8("""
            Kinh độ,Ghi chú,Vĩ độ
            105.851,Ngập phố Huế,21.015
            """), "ghi-chu.csv", "flooding", Source("test:saved"));
        Assert.Equal(1, Count(run, "inserted"));
        Assert.Equal("Ngập phố Huế", await Scalar<string>("SELECT title FROM hotspots WHERE source = 'test:saved'"));
        Assert.Contains(Notes(run), n => n.StartsWith("Ánh xạ cột (đã lưu cho nguồn này)", StringComparison.Ordinal));

        // Other columns from the same source: the proposal, not the saved mapping.
        var other = await app.ImportAsync(Utf8("""
            Tên,Ghi chú,Vĩ độ,Kinh độ
            Ngập Kim Liên,sâu 30 cm,21.006,105.836
            """), "khac.csv", "flooding", Source("test:saved"));
        Assert.Contains(Notes(other), n => n.StartsWith("Ánh xạ cột (đề xuất tự động)", StringComparison.Ordinal));
        Assert.Equal(1L, await Scalar<long>("SELECT count(*) FROM hotspots WHERE source = 'test:saved' AND title = 'Ngập Kim Liên'"));
    }

    [Fact]
    public async Task Ward_codes_place_rows_without_coordinates_and_check_those_with_them()
    {
        var run = await app.ImportAsync(Utf8("""
            Mã phường,Tên,Vĩ độ,Kinh độ
            00004,Theo mã Ba Đình,,
            4,Mã mất số 0 đầu,,
            00004,Tọa độ ở Hoàn Kiếm,21.02880,105.85230
            99999,Mã không có,,
            """), "ma-phuong.csv", "urban-order", Source("test:codes"));
        Assert.Equal((3, 1), (Count(run, "inserted"), Count(run, "rejected")));
        Assert.Equal("Mã mất số 0 đầu:Ba Đình|Theo mã Ba Đình:Ba Đình|Tọa độ ở Hoàn Kiếm:Hoàn Kiếm", await Scalar<string>("""
            SELECT string_agg(h.title || ':' || w.name, '|' ORDER BY h.title) FROM hotspots h JOIN current_wards w ON w.code = h.ward_code WHERE h.source = 'test:codes'
            """));
        var note = Assert.Single(Notes(run), n => n.Contains("ngoài phường, xã ghi trong mã", StringComparison.Ordinal));
        Assert.Matches(@"mã 00004 là Phường Ba Đình, nhưng tọa độ ở Phường Hoàn Kiếm, cách ranh giới \d+ m", note);
    }

    [Fact]
    public async Task A_run_that_accepted_nothing_is_not_done_and_one_that_stopped_moving_is_flagged()
    {
        var run = await app.ImportAsync(Utf8("""
            Tên,Vĩ độ,Kinh độ,Mức độ
            Một,21.02,105.85,9
            Hai,21.03,105.84,0
            """), "toan-loi.csv", "flooding", Source("test:none"));
        Assert.Equal(("succeeded", "none"), (run.GetProperty("status").GetString(), run.GetProperty("outcome").GetString()));
        var rejects = await app.CreateClient().JsonAsync($"/api/imports/{run.GetProperty("id").GetString()}/rejects?limit=1");
        Assert.Single(rejects.GetProperty("rejects").EnumerateArray());
        Assert.Equal(2, rejects.GetProperty("reasons")[0].GetProperty("count").GetInt32());

        // A run whose last progress is older than the stall limit (10 minutes here).
        var id = Guid.CreateVersion7();
        await Scalar<int>("""
            INSERT INTO import_runs (id, created_by, file_name, size_bytes, content_hash, layer, status, queued_at, started_at, progress_at, job_id)
            VALUES (@id, 'planner@hotspots.test', 'treo.csv', 1, '', 'flooding', 'running', now() - interval '1 hour', now() - interval '1 hour',
                    now() - interval '11 minutes', 'no-such-job')
            RETURNING 1
            """, ("id", id));
        var stalled = await app.CreateClient().JsonAsync($"/api/imports/{id}");
        Assert.True(stalled.GetProperty("stalled").GetBoolean());
        // Its job id names no job the store knows (not even one of its kind): the watchdog ends it rather than stopping.
        await app.Services.GetRequiredService<ImportWatchdog>().RunAsync(CancellationToken.None);
        var ended = await app.CreateClient().JsonAsync($"/api/imports/{id}");
        Assert.Equal(("failed", false), (ended.GetProperty("status").GetString(), ended.GetProperty("stalled").GetBoolean()));
    }
}
