using System.Text;
using System.Text.Json;
using Hotspots.FloodRisk;
using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Hotspots.Tests.Infrastructure.ImportsApp;

namespace Hotspots.Tests.Rainfall;

/// <summary>
/// New gauge files through the import jobs (issue 20): days checked row by row with their reasons, all or nothing,
/// a file sent twice changing nothing, a changed value updated, a missing column one message, the preview counting
/// what the run then does — and what is computed from rain following at once.
/// </summary>
[Collection(ImportsCollection.Name)]
[Trait("Category", "Database")]
public sealed class RainfallImportTests(ImportsApp app)
{
    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private Task<decimal?> MmAsync(int gauge, string day) =>
        app.ScalarAsync<object>($"SELECT coalesce((SELECT rain_mm FROM rain_daily WHERE gauge_id = {gauge} AND day = '{day}'), -1)")
            .ContinueWith(t => t.Result is decimal d && d >= 0 ? (decimal?)d : null, TaskScheduler.Default);

    [Fact]
    public async Task A_gauge_file_lands_row_by_row_and_sent_again_changes_nothing()
    {
        const string file = """
            year,date,station_col,station_name,rain_mm
            2026,01/06/2026,3,Ô Chợ Dừa,12.5
            2026,01/06/2026,8,Lĩnh Nam,0
            2026,02/06/2026,3,O Cho Dua,88.04
            2026,31/06/2026,3,Ô Chợ Dừa,1
            2026,03/06/2026,999,Không có,1
            2026,03/06/2026,8,Ô Chợ Dừa,1
            2026,03/06/2026,8,Lĩnh Nam,mưa to
            2025,04/06/2026,8,Lĩnh Nam,3
            2026,01/06/2026,3,Ô Chợ Dừa,13
            2026,05/06/2026,8,Lĩnh Nam,712
            """;
        var before = await app.ScalarAsync<long>("SELECT version FROM rain_state");
        var run = await app.ImportAsync(Utf8(file), "mua-thang-6.csv", "rainfall");
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal((4, 0, 0, 6), (Count(run, "inserted"), Count(run, "updated"), Count(run, "unchanged"), Count(run, "rejected")));
        Assert.Equal(12.5m, await MmAsync(3, "2026-06-01"));
        Assert.Equal(0m, await MmAsync(8, "2026-06-01"));
        Assert.Equal(88.0m, await MmAsync(3, "2026-06-02")); // rounded to the tenth the gauges report, the name read without diacritics
        Assert.True(await app.ScalarAsync<bool>("SELECT suspect FROM rain_daily WHERE gauge_id = 8 AND day = '2026-06-05'")); // kept, to be checked
        Assert.True(await app.ScalarAsync<long>("SELECT version FROM rain_state") > before);
        Assert.Contains(Notes(run), n => n.Contains("4 giá trị ngày của 2 trạm, từ 01/06/2026 đến 05/06/2026", StringComparison.Ordinal));

        var rejects = (await app.CreateClient().JsonAsync($"/api/imports/{run.GetProperty("id").GetString()}/rejects")).GetProperty("rejects").EnumerateArray()
            .ToDictionary(r => r.GetProperty("row").GetInt32(), r => (Column: r.GetProperty("column").GetString(), Reason: r.GetProperty("reasonVi").GetString()!));
        Assert.Equal([5, 6, 7, 8, 9, 10], rejects.Keys.Order());
        Assert.Equal("date", rejects[5].Column);
        Assert.StartsWith("Ngày không đúng định dạng", rejects[5].Reason, StringComparison.Ordinal);
        Assert.Equal("Trạm không có trong danh sách trạm đo mưa.", rejects[6].Reason);
        Assert.Contains("(Lĩnh Nam)", rejects[7].Reason, StringComparison.Ordinal);
        Assert.Equal("rain_mm", rejects[8].Column);
        Assert.Equal("year", rejects[9].Column);
        Assert.Equal("Trạm 3 ngày 01/06/2026 đã có ở dòng trước.", rejects[10].Reason);

        var again = await app.ImportAsync(Utf8(file), "mua-thang-6.csv", "rainfall");
        Assert.Equal((0, 0, 4, 6), (Count(again, "inserted"), Count(again, "updated"), Count(again, "unchanged"), Count(again, "rejected")));
        Assert.Equal(4L, await app.ScalarAsync<long>("SELECT count(*) FROM rain_daily WHERE day BETWEEN '2026-06-01' AND '2026-06-30'"));

        var corrected = await app.ImportAsync(Utf8("Ngày,Mã trạm,Lượng mưa (mm)\n01/06/2026,3,14.2\n2026-06-06,8,7\n"), "sua.csv", "rainfall");
        Assert.Equal((1, 1, 0, 0), (Count(corrected, "inserted"), Count(corrected, "updated"), Count(corrected, "unchanged"), Count(corrected, "rejected")));
        Assert.Equal(14.2m, await MmAsync(3, "2026-06-01"));
        Assert.Equal(7m, await MmAsync(8, "2026-06-06"));
    }

    [Fact]
    public async Task A_file_without_a_rain_column_fails_at_once_naming_it_and_writes_nothing()
    {
        var run = await app.ImportAsync(Utf8("date,station_col,ghi_chu\n01/07/2026,3,mưa\n02/07/2026,3,mưa\n"), "thieu-cot.csv", "rainfall");
        Assert.Equal("failed", run.GetProperty("status").GetString());
        var error = run.GetProperty("error").GetString()!;
        Assert.Contains("thiếu cột lượng mưa (rain_mm)", error, StringComparison.Ordinal);
        Assert.Contains("date, station_col, ghi_chu", error, StringComparison.Ordinal);
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM rain_daily WHERE day BETWEEN '2026-07-01' AND '2026-07-31'"));
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM import_rejects WHERE run_id = @id", ("id", Guid.Parse(run.GetProperty("id").GetString()!))));
    }

    [Fact]
    public async Task A_preview_counts_what_the_run_then_does_and_writes_nothing()
    {
        var file = Utf8("date,station_col,rain_mm\n01/08/2026,3,5\n02/08/2026,3,6\n02/08/2026,3,6\n03/08/2026,4444,1\n");
        var (status, preview) = await app.PostFileAsync("/api/imports/preview", file, "xem-truoc.csv", "rainfall");
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.Equal("rainfall", preview.GetProperty("how").GetString());
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM rain_daily WHERE day BETWEEN '2026-08-01' AND '2026-08-31'"));
        var first = preview.GetProperty("rows")[0];
        Assert.Equal("Ô Chợ Dừa — 01/08/2026: 5 mm", first.GetProperty("title").GetString());
        Assert.EndsWith("Ô Chợ Dừa", first.GetProperty("ward").GetString(), StringComparison.Ordinal);

        var run = await app.ImportAsync(file, "xem-truoc.csv", "rainfall");
        foreach (var name in new[] { "inserted", "updated", "unchanged", "rejected" })
        {
            Assert.Equal(preview.GetProperty("counts").GetProperty(name).GetInt32(), Count(run, name));
        }
        Assert.Equal((2, 2), (Count(run, "inserted"), Count(run, "rejected")));
    }

    [Fact]
    public async Task What_is_computed_from_rain_follows_an_imported_file_at_once()
    {
        var scenario = app.Services.GetRequiredService<FloodScenario>();
        var day = new DateOnly(2026, 9, 14);
        var gauges = (await scenario.RunAsync(null, day)).Gauges;
        Assert.All(gauges, g => Assert.Null(g.Mm));
        var wettest = await scenario.WettestDaysAsync(1);
        Assert.NotEqual(day, wettest[0].Day);

        // The wettest day on record, at every gauge (below the plausible limit, so not suspect).
        var ids = gauges.Select(g => g.Id).ToList();
        var run = await app.ImportAsync(Utf8("date,station_col,rain_mm\n" + string.Concat(ids.Select(id => $"14/09/2026,{id},480\n"))), "bao.csv", "rainfall");
        Assert.Equal(ids.Count, Count(run, "inserted"));

        Assert.All((await scenario.RunAsync(null, day)).Gauges, g => Assert.Equal(480m, g.Mm));
        Assert.Equal((day, 480.0m), (await scenario.WettestDaysAsync(1))[0]);
    }
}
