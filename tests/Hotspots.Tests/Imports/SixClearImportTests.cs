using System.Text;
using System.Text.Json;
using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hotspots.Tests.Imports;

/// <summary>The officer in charge, the authority and the result ("6 rõ") read from a clerk's columns.</summary>
[Collection(ImportsCollection.Name)]
[Trait("Category", "Database")]
public sealed class SixClearImportTests(ImportsApp app)
{
    private static int Count(JsonElement run, string name) => run.GetProperty("counts").GetProperty(name).GetInt32();

    private Task<JsonElement> Import(string csv, string source) =>
        app.ImportAsync(Encoding.UTF8.GetBytes(csv), $"{source}.csv", "urban-order", new Dictionary<string, string> { ["source"] = source });

    private async Task<string?> SixOf(string source, string id)
    {
        await using var cmd = app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            "SELECT concat_ws(' | ', assignee, authority, result) FROM hotspots WHERE source = @source AND external_id = @id");
        cmd.Parameters.AddWithValue("source", source);
        cmd.Parameters.AddWithValue("id", id);
        return await cmd.ExecuteScalarAsync() as string;
    }

    [Fact]
    public async Task Officer_authority_and_result_columns_land_and_a_file_without_them_keeps_them()
    {
        const string source = "test:six-clear";
        const string csv = """
            Mã,Tên điểm,Vĩ độ,Kinh độ,Cán bộ phụ trách,Cấp có thẩm quyền,Kết quả xử lý
            U-1,Lấn chiếm vỉa hè phố Huế,21.0150,105.8510,Trần Văn Bình,UBND phường Hai Bà Trưng,Trả lại vỉa hè trước 30/06
            U-2,Biển quảng cáo sai phép,21.0160,105.8520,,,
            """;
        var run = await Import(csv, source);
        Assert.Equal((2, 0), (Count(run, "inserted"), Count(run, "rejected")));
        Assert.Equal("Trần Văn Bình | UBND phường Hai Bà Trưng | Trả lại vỉa hè trước 30/06", await SixOf(source, "U-1"));
        Assert.Equal("", await SixOf(source, "U-2"));

        Assert.Equal(2, Count(await Import(csv, source), "unchanged")); // the same file again changes nothing

        // The same rows from a list without those columns: the title changes, what the officer columns said stays.
        var shorter = await Import("""
            Mã,Tên điểm,Vĩ độ,Kinh độ
            U-1,Lấn chiếm vỉa hè phố Huế (số 12),21.0150,105.8510
            """, source);
        Assert.Equal(1, Count(shorter, "updated"));
        Assert.Equal("Trần Văn Bình | UBND phường Hai Bà Trưng | Trả lại vỉa hè trước 30/06", await SixOf(source, "U-1"));
    }

    [Fact]
    public async Task A_result_longer_than_a_thousand_characters_is_rejected_with_its_column()
    {
        var csv = "Mã,Tên điểm,Vĩ độ,Kinh độ,Kết quả xử lý\nU-9,Điểm thử,21.0150,105.8510," + new string('x', 1001) + "\n";
        var run = await Import(csv, "test:six-clear-long");
        Assert.Equal((0, 1), (Count(run, "inserted"), Count(run, "rejected")));
        var rejects = await app.CreateClient().JsonAsync($"/api/imports/{run.GetProperty("id").GetString()}/rejects");
        var reject = rejects.GetProperty("rejects")[0];
        Assert.Equal("Kết quả xử lý", reject.GetProperty("column").GetString());
        Assert.Contains("1000", reject.GetProperty("reasonVi").GetString(), StringComparison.Ordinal);
    }
}
