using Hotspots.Calendar;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Hotspots.Outreach;
using Hotspots.Tests.Infrastructure;
using UglyToad.PdfPig;

namespace Hotspots.Tests.WardReports;

/// <summary>The quarterly ward report in each format, its numbers checked against the features API for the same period.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Database")]
public sealed class QuarterlyReportTests(HotspotsApp app)
{
    private readonly HttpClient _client = app.CreateClient();
    private static readonly Quarter Last = Quarter.Containing(DateTimeOffset.UtcNow).Previous;
    private static readonly string[] Layers = ["flooding", "congestion", "urban-order", "environment", "food-safety"];
    private const string Ward = "00004";

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<List<JsonElement>> FeaturesAsync(string layer, string query) =>
        (await _client.JsonAsync($"/api/features/{layer}?ward={Ward}&limit=20000&{query}")).GetProperty("features").EnumerateArray()
            .Select(f => f.GetProperty("properties")).ToList();

    [Fact]
    public async Task A_wards_results_equal_the_features_api_for_the_same_quarter()
    {
        var json = await _client.JsonAsync($"/api/reports/quarterly/{Ward}.json?quarter={Last}");
        var report = json.GetProperty("report");
        Assert.False(report.GetProperty("partial").GetBoolean());
        var start = Last.StartInstant;
        var end = Last.EndInstant;
        var checkedSomething = false;
        foreach (var (layer, b) in Layers.Zip(report.GetProperty("bottlenecks").EnumerateArray()))
        {
            var opened = await FeaturesAsync(layer, $"from={Day(Last.Start)}&to={Day(Last.LastDay)}");
            Assert.Equal(opened.Count, b.GetProperty("opened").GetInt32());
            var atEnd = await FeaturesAsync(layer, $"at={Day(Last.LastDay)}&status=open");
            Assert.Equal(atEnd.Count, b.GetProperty("openAtEnd").GetInt32());
            Assert.Equal(atEnd.Count(p => p.GetProperty("overdue").GetBoolean()), b.GetProperty("overdueAtEnd").GetInt32());
            var resolved = (await FeaturesAsync(layer, "status=resolved")).Count(p =>
                DateTimeOffset.Parse(p.GetProperty("resolvedAt").GetString()!, CultureInfo.InvariantCulture) is var at && at >= start && at < end);
            Assert.Equal(resolved, b.GetProperty("resolved").GetInt32());
            checkedSomething |= opened.Count > 0 && resolved > 0;
        }
        Assert.True(checkedSomething);
        // The index in the report is the outreach API's, with the city's weights, at the quarter's end.
        var outreach = report.GetProperty("outreach");
        Assert.InRange(outreach.GetProperty("rank").GetInt32(), 1, 126);
        Assert.Equal(126, outreach.GetProperty("wardCount").GetInt32());
    }

    [Fact]
    public async Task The_report_gives_the_wards_data_quality_as_the_ward_statistics_do()
    {
        var q = (await _client.JsonAsync($"/api/reports/quarterly/{Ward}.json?quarter={Last}")).GetProperty("report").GetProperty("quality");
        var stats = (await _client.JsonAsync("/api/stats/wards")).GetProperty("wards").EnumerateArray().Single(w => w.GetProperty("code").GetString() == Ward);
        Assert.True(q.GetProperty("records").GetInt32() > 0);
        foreach (var part in new[] { "records", "correct", "complete", "duplicates", "open", "live", "untouched" })
        {
            Assert.Equal(stats.GetProperty("quality").GetProperty(part).GetInt32(), q.GetProperty(part).GetInt32());
        }
        var score = q.GetProperty("score").GetDouble();
        var html = await _client.GetStringAsync($"/reports/quarterly/{Ward}?quarter={Last}");
        Assert.Contains($"Chất lượng dữ liệu (tại thời điểm lập báo cáo): <strong>{score.ToString(CultureInfo.InvariantCulture)}/100</strong>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_workbook_holds_the_same_numbers()
    {
        var json = (await _client.JsonAsync($"/api/reports/quarterly/{Ward}.json?quarter={Last}")).GetProperty("report");
        using var response = await _client.GetAsync($"/api/reports/quarterly/{Ward}.xlsx?quarter={Last}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        var book = Workbook.Read(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(["Báo cáo", "Dự án"], book.Keys);
        var rows = book["Báo cáo"];
        // Under the head Decree 30 gives a document (OfficialFormatTests), the line that says what and where.
        var titled = rows.First(r => r[0]?.ToString()?.StartsWith("Báo cáo kết quả", StringComparison.Ordinal) == true)[0]!.ToString();
        Assert.Contains("Quý", titled, StringComparison.Ordinal);
        Assert.Contains("Ba Đình", titled, StringComparison.Ordinal);
        var header = rows.FindIndex(r => r[0]?.ToString() == "Lĩnh vực");
        foreach (var (b, i) in json.GetProperty("bottlenecks").EnumerateArray().Select((b, i) => (b, i)))
        {
            var row = rows[header + 1 + i];
            Assert.Equal((double)b.GetProperty("opened").GetInt32(), Convert.ToDouble(row[1], CultureInfo.InvariantCulture));
            Assert.Equal((double)b.GetProperty("resolved").GetInt32(), Convert.ToDouble(row[2], CultureInfo.InvariantCulture));
            Assert.Equal((double)b.GetProperty("openAtEnd").GetInt32(), Convert.ToDouble(row[3], CultureInfo.InvariantCulture));
            Assert.Equal((double)b.GetProperty("overdueAtEnd").GetInt32(), Convert.ToDouble(row[4], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task The_city_report_has_a_line_per_ward_that_adds_up()
    {
        var json = await _client.JsonAsync($"/api/reports/quarterly/all.json?quarter={Last}");
        var wards = json.GetProperty("wards").EnumerateArray().ToList();
        Assert.Equal(126, wards.Count);
        var city = json.GetProperty("report").GetProperty("bottlenecks").EnumerateArray().ToList();
        for (var i = 0; i < city.Count; i++)
        {
            Assert.Equal(city[i].GetProperty("opened").GetInt32(), wards.Sum(w => w.GetProperty("bottlenecks")[i].GetProperty("opened").GetInt32()));
            Assert.Equal(city[i].GetProperty("openAtEnd").GetInt32(), wards.Sum(w => w.GetProperty("bottlenecks")[i].GetProperty("openAtEnd").GetInt32()));
        }
        using var response = await _client.GetAsync($"/api/reports/quarterly/all.xlsx?quarter={Last}");
        var byWard = Workbook.Read(await response.Content.ReadAsByteArrayAsync())["Theo phường, xã"];
        Assert.Equal(127, byWard.Count);
    }

    [Fact]
    public async Task The_printable_page_is_self_contained_and_prints_to_pdf()
    {
        using var page = await _client.GetAsync($"/reports/quarterly/{Ward}?quarter={Last}");
        Assert.True(page.StatusCode == HttpStatusCode.OK, await page.Content.ReadAsStringAsync());
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"data-ward=\"{Ward}\"", html, StringComparison.Ordinal); // the ward on the map
        Assert.Contains("data-point=", html, StringComparison.Ordinal);           // its open hotspots

        using var pdf = await _client.GetAsync($"/api/reports/quarterly/{Ward}.pdf?quarter={Last}");
        Assert.True(pdf.StatusCode == HttpStatusCode.OK, await pdf.Content.ReadAsStringAsync());
        var bytes = await pdf.Content.ReadAsByteArrayAsync();
        Directory.CreateDirectory(Path.Combine(TestDatabase.RepositoryRoot, "tests", "TestResults"));
        await File.WriteAllBytesAsync(Path.Combine(TestDatabase.RepositoryRoot, "tests", "TestResults", "quarterly-report.pdf"), bytes);
        using var document = PdfDocument.Open(bytes);
        Assert.InRange(document.NumberOfPages, 1, 4);
        var text = string.Join("\n", document.GetPages().Select(p => p.Text));
        Assert.Contains("Kết quả khắc phục 05 điểm nghẽn", text, StringComparison.Ordinal);
        Assert.Contains("Phường Ba Đình", text, StringComparison.Ordinal);
        Assert.Contains("Chỉ số ưu tiên tuyên truyền", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/reports/quarterly/00004.json?quarter=2999-Q1", "quarter")]
    [InlineData("/api/reports/quarterly/00004.json?quarter=Q5", "quarter")]
    [InlineData("/api/reports/quarterly/99999.xlsx", "ward")]
    [InlineData("/api/reports/quarterly/00004.docx", "format")]
    [InlineData("/reports/quarterly/abc", "ward")]
    public async Task Bad_parameters_get_400(string url, string parameter) =>
        await _client.AssertBadParameterAsync(url, parameter);
}
