using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Hotspots.Tests.Cluster;

/// <summary>
/// Beyond one machine (issue 19): two app nodes share everything through PostgreSQL; the primary dies and writes
/// resume on the standby without losing one that was acknowledged, and the old primary comes back as a standby;
/// nginx serves a tile again from its cache and the new one after an edit; a deleted batch comes back from the WAL
/// archive by a restore to the moment before. Runs in the order written (the failover last but one, the restore last).
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Cluster")]
[TestCaseOrderer("Hotspots.Tests.Cluster.WrittenOrder", "Hotspots.Tests")]
public sealed class ClusterTests(ClusterFixture cluster)
{
    private static async Task<long> CreateAsync(HttpClient client, string title)
    {
        using var response = await client.PostAsJsonAsync("/api/hotspots", new { layer = "flooding", subtype = "flood_point", title, lon = 105.8342, lat = 21.0278, severity = 3 });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    private static async Task<long> VersionAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/public/version")).GetProperty("version").GetInt64();

    [Fact, WrittenOrder(1)]
    public async Task A_write_through_one_node_is_read_through_the_other_and_by_its_writer_at_once()
    {
        using var one = cluster.Client(cluster.App(1));
        using var two = cluster.Client(cluster.App(2));
        var id = await CreateAsync(one, "Ngập qua nút 1");
        // The writer reads it back at once, on the node it wrote through and on the other.
        Assert.Equal("Ngập qua nút 1", (await one.GetFromJsonAsync<JsonElement>($"/api/hotspots/{id}")).GetProperty("title").GetString());
        Assert.Equal("Ngập qua nút 1", (await two.GetFromJsonAsync<JsonElement>($"/api/hotspots/{id}")).GetProperty("title").GetString());
        // Both nodes follow the same data version within seconds (one refresher applies the batch; every node hears it).
        var clock = Stopwatch.StartNew();
        long a, b;
        while ((a = await VersionAsync(one)) != (b = await VersionAsync(two)) && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(200);
        }
        Assert.Equal(a, b);
        // A change through node 2 is seen through node 1.
        using var patch = await two.PatchAsJsonAsync($"/api/hotspots/{id}", new { status = "verified" });
        Assert.True(patch.IsSuccessStatusCode, await patch.Content.ReadAsStringAsync());
        Assert.Equal("verified", (await one.GetFromJsonAsync<JsonElement>($"/api/hotspots/{id}")).GetProperty("status").GetString());
    }

    [Fact, WrittenOrder(2)]
    public async Task Nginx_serves_a_tile_again_from_its_cache_and_the_new_version_after_an_edit()
    {
        using var viaNginx = new HttpClient { BaseAddress = new Uri(cluster.Nginx) };
        using var writer = cluster.Client(cluster.Nginx);
        // Both nodes at one version, the same before and after the two requests: nginx may send the tile to either, and a
        // node a moment behind the version in the URL answers "revalidate each time" (CachePolicy), which nginx does not
        // keep; and a batch may commit meanwhile (the last test's writes come in more than one), after which a map asks
        // for the new URL — so does the test.
        using var nodeOne = new HttpClient { BaseAddress = new Uri(cluster.App(1)) };
        using var nodeTwo = new HttpClient { BaseAddress = new Uri(cluster.App(2)) };
        async Task<long> SettledAsync()
        {
            var settle = Stopwatch.StartNew();
            long one, two;
            while ((one = await VersionAsync(nodeOne)) != (two = await VersionAsync(nodeTwo)) && settle.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(100);
            }
            return one == two ? one : -1;
        }
        async Task<(string Cache, byte[] Body)> GetAsync(string url)
        {
            using var r = await viaNginx.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            return (r.Headers.GetValues("X-Cache").Single(), await r.Content.ReadAsByteArrayAsync());
        }
        long v;
        string tile;
        (string Cache, byte[] Body) first, second;
        var attempts = 0;
        do
        {
            v = await SettledAsync();
            tile = $"/api/public/tiles/flooding/14/13008/7212.mvt?status=all&v={v}";
            first = await GetAsync(tile);
            second = await GetAsync(tile);
        }
        while (await SettledAsync() != v && ++attempts < 5);
        Assert.Equal("MISS", first.Cache);
        Assert.Equal("HIT", second.Cache);
        Assert.Equal(first.Body, second.Body);

        // A new record, verified (the public map shows what staff have checked).
        var added = await CreateAsync(writer, "Ngập mới sau lần lưu trước");
        using (var verify = await writer.PatchAsJsonAsync($"/api/hotspots/{added}", new { status = "verified" }))
        {
            Assert.True(verify.IsSuccessStatusCode, await verify.Content.ReadAsStringAsync());
        }
        // The public map has it within seconds (asked of a node, not through nginx's cache), under a new version.
        using var node = new HttpClient { BaseAddress = new Uri(cluster.App(2)) };
        var clock = Stopwatch.StartNew();
        while (!(await node.GetStringAsync("/api/public/features/flooding?status=all&bbox=105.834,21.027,105.835,21.028")).Contains($"\"id\":{added},", StringComparison.Ordinal)
            && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(200);
        }
        var next = await VersionAsync(viaNginx);
        Assert.NotEqual(v, next);
        var after = await GetAsync($"/api/public/tiles/flooding/14/13008/7212.mvt?status=all&v={next}");
        Assert.Equal("MISS", after.Cache); // a new URL: never the cached old tile
        Assert.NotEqual(first.Body, after.Body); // the new record is in it
    }

    [Fact, WrittenOrder(3)]
    public async Task An_app_node_killed_in_the_middle_of_an_import_leaves_it_to_the_other_which_ends_it_as_one_clean_run()
    {
        const int rows = 100_000;
        var csv = new System.Text.StringBuilder("id,title,lat,lon,severity\n");
        for (var i = 0; i < rows; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"K-{i},Điểm ùn tắc {i},{21.00 + (i % 400) * 0.0002:0.00000},{105.79 + (i / 400) * 0.00016:0.00000},{1 + i % 5}\n");
        }
        using var client = cluster.Client(cluster.App(1));
        using var form = Infrastructure.ImportForm.Csv(csv.ToString(), "nut-hong.csv", "congestion", "test:cluster-kill");
        using var posted = await client.PostAsync("/api/imports", form);
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var id = (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        // The node running it (Hangfire's Processing state names the server, which names its process), mid-run.
        var leader = await cluster.LeaderAsync() ?? throw new InvalidOperationException("no leader");
        await using var db = cluster.Node(leader);
        int? node = null;
        var clock = Stopwatch.StartNew();
        while (node is null && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await using var cmd = db.CreateCommand("""
                SELECT s.data->>'ServerId' FROM hangfire.state s JOIN hangfire.job j ON j.id = s.jobid
                WHERE s.name = 'Processing' AND j.invocationdata::text LIKE '%' || @run || '%' ORDER BY s.id DESC LIMIT 1
                """);
            cmd.Parameters.AddWithValue("run", id);
            if (await cmd.ExecuteScalarAsync() is string server)
            {
                var pid = server.Split(':')[1];
                node = new[] { 1, 2 }.FirstOrDefault(n => File.ReadAllText(Path.Combine(cluster.Dir, $"pids/app{n}")).Trim() == pid);
            }
            await Task.Delay(50);
        }
        Assert.True(node is 1 or 2, "no node took the import");
        var (code, output) = await cluster.RunAsync(TimeSpan.FromMinutes(1), "stop-node", $"app{node}");
        Assert.True(code == 0, output);

        // The other node runs it again from the start once the dead one's claim lapses (Hangfire's sliding invisibility).
        using var other = cluster.Client(cluster.App(3 - node.Value));
        var run = await Infrastructure.ImportRunWait.UntilEndedAsync(other, id, TimeSpan.FromMinutes(4), TimeSpan.FromMilliseconds(500));
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal((rows, 0), (run.GetProperty("counts").GetProperty("inserted").GetInt32(), run.GetProperty("counts").GetProperty("rejected").GetInt32()));
        await using (var count = db.CreateCommand("SELECT count(*) FROM hotspots WHERE source = 'test:cluster-kill'"))
        {
            Assert.Equal((long)rows, (long)(await count.ExecuteScalarAsync())!);
        }
        await cluster.StartAppAsync(node.Value);
    }

    [Fact, WrittenOrder(4)]
    public async Task The_primary_dies_writes_resume_within_30_s_none_acknowledged_is_lost_and_it_comes_back_as_a_standby()
    {
        var leader = await cluster.LeaderAsync() ?? throw new InvalidOperationException("no leader");
        using var client = cluster.Client(cluster.Nginx);
        var acknowledged = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            acknowledged.Add(await CreateAsync(client, $"Trước sự cố {i}"));
        }
        var (code, output) = await cluster.RunAsync(TimeSpan.FromMinutes(1), "stop-node", $"pg{leader}");
        Assert.True(code == 0, output);
        var killed = Stopwatch.StartNew();
        TimeSpan? resumed = null;
        while (killed.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                using var r = await client.PostAsJsonAsync("/api/hotspots", new { layer = "flooding", title = $"Sau sự cố {killed.ElapsedMilliseconds}", lon = 105.8342, lat = 21.0278 });
                if (r.StatusCode == HttpStatusCode.Created)
                {
                    resumed ??= killed.Elapsed;
                    acknowledged.Add((await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
                    if (acknowledged.Count >= 10)
                    {
                        break;
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // the write was not acknowledged: it may or may not be there, and is not counted
            }
            await Task.Delay(250);
        }
        Assert.True(resumed is { } t && t <= TimeSpan.FromSeconds(30), $"writes resumed after {resumed?.TotalSeconds:0.0} s");
        var other = 3 - leader;
        Assert.Equal(other, await cluster.LeaderAsync());
        await using (var db = cluster.Node(other))
        await using (var cmd = db.CreateCommand("SELECT count(*) FROM hotspots WHERE id = ANY(@ids)"))
        {
            cmd.Parameters.AddWithValue("ids", acknowledged.ToArray());
            Assert.Equal((long)acknowledged.Count, (long)(await cmd.ExecuteScalarAsync())!);
        }

        (code, output) = await cluster.RunAsync(TimeSpan.FromMinutes(1), "start-node", $"pg{leader}");
        Assert.True(code == 0, output);
        var back = Stopwatch.StartNew();
        while (!await cluster.IsReplicaAsync(leader) && back.Elapsed < TimeSpan.FromSeconds(120))
        {
            await Task.Delay(500);
        }
        Assert.True(await cluster.IsReplicaAsync(leader), "the old primary did not come back as a standby");

        // Background jobs follow the primary as well: an import once the old primary is a standby again runs to its end.
        using var form = Infrastructure.ImportForm.Csv("id,title,lat,lon,severity\nF-1,Ùn tắc sau sự cố,21.0278,105.8342,2\n", "sau-su-co.csv", "congestion", "test:after-failover");
        using var posted = await client.PostAsync("/api/imports", form);
        Assert.True(posted.StatusCode == HttpStatusCode.Accepted, $"{(int)posted.StatusCode} {await posted.Content.ReadAsStringAsync()}");
        var run = (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var state = await Infrastructure.ImportRunWait.UntilEndedAsync(client, run, TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(300));
        Assert.Equal("succeeded", state.GetProperty("status").GetString());
        Assert.Equal(1, state.GetProperty("counts").GetProperty("inserted").GetInt32());
    }

    [Fact, WrittenOrder(5)]
    public async Task A_deleted_batch_comes_back_by_a_restore_to_the_moment_before()
    {
        var leader = await cluster.LeaderAsync() ?? throw new InvalidOperationException("no leader");
        var (code, output) = await cluster.RunAsync(TimeSpan.FromMinutes(5), "backup");
        Assert.True(code == 0, output);
        await using var db = cluster.Node(leader);
        await using (var insert = db.CreateCommand("""
            INSERT INTO hotspots (category, title, severity, reported_at, geom, source, external_id)
            SELECT 'congestion', 'Lô khôi phục ' || g, 2, now(), ST_SetSRID(ST_MakePoint(105.80 + g * 0.0001, 21.02), 4326), 'test:restore', 'R-' || g
            FROM generate_series(1, 50) g
            """))
        {
            await insert.ExecuteNonQueryAsync();
        }
        await Task.Delay(1500);
        var before = (DateTime)(await (db.CreateCommand("SELECT now()::timestamptz")).ExecuteScalarAsync())!;
        await Task.Delay(1500);
        await using (var delete = db.CreateCommand("DELETE FROM hotspots WHERE source = 'test:restore'"))
        {
            await delete.ExecuteNonQueryAsync();
        }
        // The WAL up to the deletion, closed and in the archive (the archiver copies each segment a moment after).
        var segment = (string)(await db.CreateCommand("SELECT pg_walfile_name(pg_switch_wal())").ExecuteScalarAsync())!;
        var archived = Stopwatch.StartNew();
        while (string.CompareOrdinal((await db.CreateCommand("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver").ExecuteScalarAsync()) as string, segment) < 0
            && archived.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(200);
        }
        var restored = Path.Combine(cluster.Dir, "restored");
        var port = cluster.Base + 90;
        (code, output) = await cluster.RunAsync(TimeSpan.FromMinutes(5), "restore", before.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.ffffff+00", System.Globalization.CultureInfo.InvariantCulture),
            restored, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(code == 0, output);
        try
        {
            await using var back = Npgsql.NpgsqlDataSource.Create(
                $"Host=127.0.0.1;Port={port};Database=hotspots;Username=postgres;Password={File.ReadAllText(Path.Combine(cluster.Dir, "secrets/postgres")).Trim()};Pooling=false");
            await using var count = back.CreateCommand("SELECT count(*), min(title), max(external_id) FROM hotspots WHERE source = 'test:restore'");
            await using var r = await count.ExecuteReaderAsync();
            await r.ReadAsync();
            Assert.Equal((50L, "Lô khôi phục 1", "R-9"), (r.GetInt64(0), r.GetString(1), r.GetString(2)));
        }
        finally
        {
            var stop = Process.Start("runuser", ["-u", "postgres", "--", "/usr/lib/postgresql/15/bin/pg_ctl", "-D", restored, "-m", "fast", "-w", "stop"]);
            await stop.WaitForExitAsync();
        }
    }
}
