using System.Net;
using System.Text;
using System.Text.Json;
using ExcelDataReader;
using Hotspots.Tests.Infrastructure;

namespace Hotspots.Tests.Exports;

/// <summary>Exports are exactly the filtered view, in CSV, XLSX and GeoJSON, held to the caller's wards and rights.</summary>
[Collection(PeopleCollection.Name)]
[Trait("Category", "Database")]
public sealed class ExportTests(PeopleApp app)
{
    // ExcelDataReader (reading our .xlsx back, as Excel would) looks up code pages at start.
    static ExportTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static List<string[]> CsvRows(string text) =>
        text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')).ToList();

    [Theory]
    [InlineData("congestion", "status=open&ward=00004")]
    [InlineData("food-safety", "ward=00235,00004&sample=false")]
    [InlineData("urban-order", "severity=4,5&status=all")]
    public async Task Each_format_holds_exactly_the_records_the_map_api_returns_for_the_same_filter(string layer, string filter)
    {
        using var planner = app.ClientAs("planner");
        var ids = JsonDocument.Parse(await planner.GetStringAsync($"/api/features/{layer}?limit=20000&{filter}")).RootElement
            .GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetInt64()).Order().ToArray();

        var csvBytes = await planner.GetByteArrayAsync($"/api/export/{layer}.csv?{filter}");
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, csvBytes[..3]);
        var csv = CsvRows(Encoding.UTF8.GetString(csvBytes[3..]));
        Assert.Equal("id", csv[0][0]);
        Assert.Equal(ids, csv.Skip(1).Select(r => long.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture)).Order().ToArray());

        var geojson = JsonDocument.Parse(await planner.GetStringAsync($"/api/export/{layer}.geojson?{filter}")).RootElement;
        Assert.Equal(ids, geojson.GetProperty("features").EnumerateArray()
            .Select(f => long.Parse(f.GetProperty("properties").GetProperty("id").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).Order().ToArray());

        using var xlsx = new MemoryStream(await planner.GetByteArrayAsync($"/api/export/{layer}.xlsx?{filter}"));
        using var reader = ExcelReaderFactory.CreateReader(xlsx);
        var xlsxIds = new List<long>();
        reader.Read(); // the header
        while (reader.Read())
        {
            xlsxIds.Add(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }
        Assert.Equal(ids, xlsxIds.Order().ToArray());
    }

    [Fact]
    public async Task Each_row_says_where_it_came_from_when_it_was_verified_and_last_changed()
    {
        using var planner = app.ClientAs("planner");
        var rows = CsvRows(await planner.GetStringAsync("/api/export/flooding.csv?status=all&fields=id,origin,source,verified_at,updated_at,is_sample"));
        Assert.Equal(["id", "dữ liệu mẫu", "nguồn", "mã nguồn", "ngày xác minh", "cập nhật"], rows[0]); // the catalogue's order, in Vietnamese
        var official = rows.Skip(1).Where(r => r[3] == "official:hanoi-flood-points").ToList();
        Assert.Equal(15, official.Count);
        Assert.All(official, r => Assert.Equal("official", r[2]));
        Assert.All(official, r => Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", r[5]));
        Assert.All(rows.Skip(1).Where(r => r[1] == "true"), r => Assert.Equal("sample", r[2]));
    }

    [Fact]
    public async Task A_value_that_looks_like_a_formula_stays_text_in_every_format()
    {
        await using (var cmd = app.DataSource.CreateCommand(
            "UPDATE hotspots SET title = '=HYPERLINK(\"http://x\",\"bấm\")' WHERE id = @id"))
        {
            cmd.Parameters.AddWithValue("id", await app.NewHotspotAsync(PeopleApp.DongDa, "environment"));
            await cmd.ExecuteNonQueryAsync();
        }
        using var planner = app.ClientAs("planner");
        var csv = await planner.GetStringAsync($"/api/export/environment.csv?ward={PeopleApp.DongDa}&fields=id,title");
        Assert.Contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"bấm\"\")\"", csv, StringComparison.Ordinal);
        using var xlsx = new MemoryStream(await planner.GetByteArrayAsync($"/api/export/environment.xlsx?ward={PeopleApp.DongDa}&fields=id,title"));
        using var reader = ExcelReaderFactory.CreateReader(xlsx);
        var titles = new List<string>();
        while (reader.Read())
        {
            titles.Add(reader.GetValue(1)?.ToString() ?? "");
        }
        Assert.Contains("=HYPERLINK(\"http://x\",\"bấm\")", titles); // a text cell, not a formula
    }

    [Fact]
    public async Task Inspected_people_are_columns_only_for_those_whose_ward_it_is_a_ward_lead_exports_only_their_wards_and_a_viewer_nobody()
    {
        using var planner = app.ClientAs("planner");
        var all = await planner.GetStringAsync("/api/export/food-safety.csv?fields=id,ward_code,inspected_name,inspected_phone");
        Assert.Contains(PeopleApp.InspectedName, all, StringComparison.Ordinal);

        using var lead = app.ClientAs("ward_lead");
        var own = CsvRows(await lead.GetStringAsync("/api/export/food-safety.csv?fields=id,ward_code,inspected_name"));
        Assert.All(own.Skip(1), r => Assert.Equal(PeopleApp.DongDa, r[1]));
        Assert.Contains(own, r => r.Length > 2 && r[2] == PeopleApp.InspectedName);
        Assert.Equal(HttpStatusCode.Forbidden, (await lead.GetAsync($"/api/export/food-safety.geojson?ward={PeopleApp.BaDinh}")).StatusCode);

        // A viewer exports the city's records, never the people in them.
        using var viewer = app.ClientAs("viewer");
        var seen = await viewer.GetStringAsync("/api/export/food-safety.csv");
        Assert.Equal(CsvRows(all).Count, CsvRows(seen).Count);
        Assert.DoesNotContain(PeopleApp.InspectedName, seen, StringComparison.Ordinal);
        Assert.DoesNotContain(PeopleApp.InspectedPhone, seen, StringComparison.Ordinal);
        Assert.DoesNotContain("inspected", CsvRows(seen)[0][^1], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/export/food-safety.csv?fields=id,inspected_name")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/export/food-safety.xlsx?fields=inspected_phone")).StatusCode);

        // An empty first column keeps every row's columns in place.
        var shaped = CsvRows(await planner.GetStringAsync($"/api/export/congestion.csv?ward={PeopleApp.BaDinh}&fields=subtype,id,ward_code"));
        Assert.All(shaped.Skip(1), r => Assert.Equal(PeopleApp.BaDinh, r[2]));

        // By default no personal column at all; unknown fields and formats are named.
        Assert.DoesNotContain(PeopleApp.InspectedName, await planner.GetStringAsync("/api/export/food-safety.csv"), StringComparison.Ordinal);
        await planner.AssertBadParameterAsync("/api/export/food-safety.csv?fields=id,phone", "fields");
        await planner.AssertBadParameterAsync("/api/export/food-safety.pdf", "format");
    }
}
