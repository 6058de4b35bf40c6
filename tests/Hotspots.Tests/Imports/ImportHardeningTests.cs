using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hotspots.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
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
    public async Task A_file_of_a_million_columns_is_refused_before_any_row_is_read()
    {
        // Hardening (issue 15, item 16): a million columns cost 14 s and ~260 MB, every row a map of them.
        var header = string.Join(",", Enumerable.Range(0, 1_000_000).Select(i => $"c{i}"));
        var run = await app.ImportAsync(Encoding.UTF8.GetBytes($"id,title,lat,lon,{header}\nW1,Ngập,21.02,105.85\n"), "wide.csv", "flooding",
            new Dictionary<string, string> { ["source"] = "test:wide" });
        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Contains("cột, nhiều hơn giới hạn 500 cột", run.GetProperty("error").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_one_of_a_hundred_thousand_rejected_rows_is_kept_with_its_reason()
    {
        // Rejects now wait in a file on disk rather than as objects in memory until the good rows are copied.
        var csv = new StringBuilder("id,title,lat,lon\n");
        for (var i = 0; i < 200; i++) // the rows the columns are recognised by
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"G{i},Ngập phố Huế {i},21.015,105.851\n");
        }
        for (var i = 0; i < 100_000; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"R{i},Ngập {i},{(i % 2 == 0 ? "91" : "vĩ độ")},105.85\n");
        }
        var run = await app.ImportAsync(Encoding.UTF8.GetBytes(csv.ToString()), "bad-rows.csv", "flooding", new Dictionary<string, string> { ["source"] = "test:many-rejects" });
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal((200, 100_000), (Count(run, "inserted"), Count(run, "rejected")));
        await using var cmd = app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().CreateCommand(
            "SELECT count(*), count(DISTINCT row_number), min(row_number), max(row_number), bool_and(reason_vi <> '' AND reason_en <> '') FROM import_rejects WHERE run_id = @id::uuid");
        cmd.Parameters.AddWithValue("id", run.GetProperty("id").GetString()!);
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        Assert.Equal((100_000L, 100_000L, 202, 100_201, true), (r.GetInt64(0), r.GetInt64(1), r.GetInt32(2), r.GetInt32(3), r.GetBoolean(4)));
    }

    [Fact]
    public void The_reject_spool_gives_back_what_it_was_given_values_cut_at_200_characters()
    {
        using var spool = new Hotspots.Imports.RejectSpool();
        var given = new[]
        {
            new Hotspots.Imports.Reject(2, null, null, "thiếu tọa độ", "no coordinates"),
            new Hotspots.Imports.Reject(3, "vĩ độ", new string('9', 1000), "vĩ độ ngoài phạm vi", "latitude out of range"),
            new Hotspots.Imports.Reject(int.MaxValue, "Tiêu đề", "Phố Hàng Bạc 🏮", "ký tự điều khiển", "control character"),
        };
        foreach (var reject in given)
        {
            spool.Add(reject);
        }
        var back = spool.ReadAll().ToList();
        Assert.Equal(3, spool.Count);
        Assert.Equal(given[0], back[0]);
        Assert.Equal(given[1] with { Value = new string('9', 200) }, back[1]);
        Assert.Equal(given[2], back[2]);
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
    public async Task A_scheduled_url_is_fetched_without_following_redirects_and_no_larger_than_the_upload_limit()
    {
        // Hardening (issue 15, item 17): a redirect could lead inside the network, and an answer had no size cap.
        using var listener = new System.Net.HttpListener();
        var port = Random.Shared.Next(40_000, 60_000);
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var served = new System.Collections.Concurrent.ConcurrentBag<string>();
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                System.Net.HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception) when (!listener.IsListening)
                {
                    return;
                }
                var path = context.Request.Url!.AbsolutePath;
                served.Add(path);
                switch (path)
                {
                    case "/moved.csv":
                        context.Response.StatusCode = 302;
                        context.Response.RedirectLocation = $"http://127.0.0.1:{port}/inside.csv";
                        break;
                    case "/big.csv":
                        var chunk = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("x,y,21.02,105.85\n", 1000)));
                        for (var i = 0; i < 1200 && context.Response.OutputStream.CanWrite; i++) // ~20 MB, past the 1 MB limit here
                        {
                            try { await context.Response.OutputStream.WriteAsync(chunk); } catch (Exception) { break; }
                        }
                        break;
                    default:
                        await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes($"id,title,lat,lon\nU-{port},Ngập theo lịch,21.02,105.85\n"));
                        break;
                }
                try { context.Response.Close(); } catch (Exception) { }
            }
        });
        // A node on its own database: its recurring pick-up (a day apart here) must not replace the shared app's.
        var db = await TestDatabase.CreateAsync("hotspots_urls");
        await using var node = app.WithWebHostBuilder(b => b
            .UseSetting("DB", db)
            .UseSetting("LOAD_ON_START", "false")
            .UseSetting("IMPORT_MAX_MB", "1")
            .UseSetting("IMPORT_PICKUP_SECONDS", "86400")
            .UseSetting("IMPORT_URLS", $"flooding=http://127.0.0.1:{port}/moved.csv;congestion=http://127.0.0.1:{port}/big.csv;environment=http://127.0.0.1:{port}/fine.csv"));
        await node.Services.GetRequiredService<Hotspots.Imports.ImportPickupJob>().RunAsync(CancellationToken.None);
        listener.Stop();

        Assert.DoesNotContain("/inside.csv", served);
        await using var cmd = node.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().CreateCommand(
            "SELECT array_agg(file_name ORDER BY file_name) FROM import_runs WHERE created_by = 'schedule:127.0.0.1' AND queued_at > now() - interval '5 minutes' AND file_name IN ('moved.csv', 'big.csv', 'fine.csv', 'inside.csv')");
        Assert.Equal(["fine.csv"], (string[])(await cmd.ExecuteScalarAsync())!);
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
