using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hotspots.Tests.Imports;

/// <summary>Files that used to leave a run running forever or reach PostgreSQL unchecked (issue 15): each ends with its reasons.</summary>
[Collection(ImportsCollection.Name)]
[Trait("Category", "Database")]
public sealed class ImportHardeningTests(ImportsApp app)
{
    private static int Count(JsonElement run, string name) => run.GetProperty("counts").GetProperty(name).GetInt32();

    [Fact]
    public async Task A_nul_byte_and_a_deadline_at_the_end_of_time_are_rejected_row_by_row_and_the_run_ends()
    {
        var csv = "id,title,lat,lon,deadline\nN1,Bad\0title,21.02,105.85,\nN2,Far deadline,21.03,105.84,9999-12-31T23:00:00Z\nN3,Good,21.03,105.84,2026-12-31\n";
        var run = await app.ImportAsync(Encoding.UTF8.GetBytes(csv), "nul.csv", "flooding", new Dictionary<string, string> { ["source"] = "test:nul" });
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal((1, 2), (Count(run, "inserted"), Count(run, "rejected")));
        var rejects = (await app.CreateClient().JsonAsync($"/api/imports/{run.GetProperty("id").GetString()}/rejects")).GetProperty("rejects");
        Assert.Contains("control character", rejects[0].GetProperty("reasonEn").GetString(), StringComparison.Ordinal);
        Assert.Contains("deadline", rejects[1].GetProperty("reasonEn").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mapping_with_a_null_field_and_a_chunked_upload_past_the_limit_get_400_and_413_not_500()
    {
        var (status, body) = await app.PostFileAsync("/api/imports", Encoding.UTF8.GetBytes("a,b\n1,2\n"), "a.csv", "flooding",
            new Dictionary<string, string> { ["mapping"] = """{"a": null}""" });
        Assert.Equal((HttpStatusCode.BadRequest, "mapping"), (status, body.GetProperty("parameter").GetString()));

        // No Content-Length: the size is only known while the body is read.
        using var client = app.CreateClient();
        using var form = new MultipartFormDataContent
        {
            { new StreamContent(new Unseekable(21 * 1024 * 1024 + 1_500_000)), "file", "big.csv" },
            { new StringContent("flooding"), "layer" },
        };
        using var response = await client.PostAsync("/api/imports", form);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task An_upload_cannot_pose_as_an_official_source_nor_move_records_of_another_layer()
    {
        var csv = Encoding.UTF8.GetBytes("id,title,lat,lon\nX1,Ngập phố Huế,21.015,105.851\n");
        foreach (var source in new[] { "official:hanoi-flood-points", "sample", "import:congestion", "bad\u0000source" })
        {
            var (status, body) = await app.PostFileAsync("/api/imports", csv, "x.csv", "flooding", new Dictionary<string, string> { ["source"] = source });
            Assert.Equal((HttpStatusCode.BadRequest, "source"), (status, body.GetProperty("parameter").GetString()));
        }
        await app.ImportAsync(csv, "x.csv", "flooding", new Dictionary<string, string> { ["source"] = "test:two-layers" });
        var other = await app.ImportAsync(Encoding.UTF8.GetBytes("id,title,lat,lon\nX1,Ùn tắc phố Huế,21.015,105.851\n"), "y.csv", "congestion",
            new Dictionary<string, string> { ["source"] = "test:two-layers" });
        Assert.Equal((0, 0, 1), (Count(other, "inserted"), Count(other, "updated"), Count(other, "rejected")));
        var reject = (await app.CreateClient().JsonAsync($"/api/imports/{other.GetProperty("id").GetString()}/rejects")).GetProperty("rejects")[0];
        Assert.Contains("another layer", reject.GetProperty("reasonEn").GetString(), StringComparison.Ordinal);
        await using var cmd = app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().CreateCommand(
            "SELECT category || ':' || title FROM hotspots WHERE source = 'test:two-layers'");
        Assert.Equal("flooding:Ngập phố Huế", (string?)await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task The_pickup_folder_sets_aside_links_and_files_over_the_limit_without_reading_them()
    {
        // Hardening (issue 15, item 17): folder files were read whole with no size limit, and links were followed.
        var dir = Directory.CreateDirectory(Path.Combine(app.DropFolder, "urban-order")).FullName;
        var secret = Path.Combine(Path.GetTempPath(), $"hotspots-secret-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(secret, "id,title,lat,lon\nS-1,Bí mật,21.02,105.85\n");
        var link = Path.Combine(dir, "link.csv");
        File.CreateSymbolicLink(link, secret);
        var big = Path.Combine(dir, "big.csv");
        await using (var f = File.Create(big))
        {
            f.SetLength(21L * 1024 * 1024); // over HOTSPOTS_IMPORT_MAX_MB (20 here)
        }
        File.SetLastWriteTimeUtc(big, DateTime.UtcNow.AddMinutes(-1));
        var refused = Path.Combine(dir, "refused");
        for (var i = 0; i < 100 && (!Directory.Exists(refused) || Directory.GetFiles(refused).Length < 2); i++)
        {
            await Task.Delay(100);
        }
        Assert.Equal(2, Directory.GetFiles(refused).Length);
        Assert.False(File.Exists(link) || File.Exists(big));
        var runs = (await app.CreateClient().JsonAsync("/api/imports")).GetProperty("runs").EnumerateArray();
        Assert.DoesNotContain(runs, r => r.GetProperty("fileName").GetString() is "link.csv" or "big.csv");
        File.Delete(secret);
    }

    [Fact]
    public async Task A_description_of_a_megabyte_is_refused_by_an_import_and_by_the_api()
    {
        // Hardening (issue 15, item 16): a 1 MB description reached the map's answers.
        var longText = new string('x', 4_001);
        var run = await app.ImportAsync(Encoding.UTF8.GetBytes($"id,title,lat,lon,description\nL1,Dài,21.02,105.85,{longText}\nL2,Ngắn,21.02,105.85,ok\n"),
            "dai.csv", "flooding", new Dictionary<string, string> { ["source"] = "test:long" });
        Assert.Equal((1, 1), (Count(run, "inserted"), Count(run, "rejected")));
        using var client = app.CreateClient();
        using var created = await client.PostAsJsonAsync("/api/hotspots", new { layer = "flooding", title = "Dài", description = longText, severity = 3, lon = 105.85, lat = 21.02 });
        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
    }

    private sealed class Unseekable(long length) : Stream
    {
        private long _left = length;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, _left);
            Array.Fill(buffer, (byte)'x', offset, n);
            _left -= n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
