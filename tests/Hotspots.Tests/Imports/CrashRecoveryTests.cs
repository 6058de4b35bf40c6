using System.Net.Http.Json;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hotspots.Tests.Infrastructure;
using Npgsql;

namespace Hotspots.Tests.Imports;

/// <summary>
/// The service as a real process, killed (SIGKILL) in the middle of an import: nothing of the file may be in the
/// layer, and after a restart Hangfire runs the job again (once its invisibility timeout has passed) and the run ends exactly like one clean run.
/// </summary>
[Trait("Category", "Database")]
public sealed class CrashRecoveryTests
{
    private const int Rows = 200_000;

    private const string AdminEmail = "admin@hotspots.test";

    // The server's own output, kept so that a start that never answers says why.
    private static readonly System.Collections.Concurrent.ConcurrentQueue<string> Output = new();

    // Where the running server listens. It takes a port of the system's choosing at each start: a port picked here
    // and freed would be free again while the server is down, for any connection of the other tests to take.
    private static TaskCompletionSource<Uri> listening = new();

    private static Process Start(string db)
    {
        listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var config = typeof(CrashRecoveryTests).Assembly.Location.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var dll = Path.Combine(TestDatabase.RepositoryRoot, "src", "Hotspots.Web", "bin", config, "net10.0", "Hotspots.Web.dll");
        var info = new ProcessStartInfo("dotnet", $"\"{dll}\"") { WorkingDirectory = TestDatabase.RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["HOTSPOTS_DB"] = db;
        info.Environment["HOTSPOTS_URLS"] = "http://127.0.0.1:0";
        info.Environment["HOTSPOTS_SAMPLE_COUNT"] = "0";
        info.Environment["HOTSPOTS_ADMIN_EMAIL"] = AdminEmail;
        info.Environment["HOTSPOTS_ADMIN_PASSWORD"] = TestUsers.Password;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Hotspots"] = "Information";
        info.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information"; // "Now listening on: …"
        var p = Process.Start(info)!;
        p.OutputDataReceived += (_, e) => Keep(e.Data);
        p.ErrorDataReceived += (_, e) => Keep(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        if (line.Contains("Now listening on: ", StringComparison.Ordinal))
        {
            listening.TrySetResult(new Uri(line[(line.IndexOf("Now listening on: ", StringComparison.Ordinal) + "Now listening on: ".Length)..].Trim()));
        }
        Output.Enqueue(DateTime.Now.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) + " " + line);
        while (Output.Count > 200 && Output.TryDequeue(out _))
        {
        }
    }

    /// <returns>A client of the server, once it answers.</returns>
    private static async Task<HttpClient> WaitHealthyAsync(Process server, string db)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        for (var i = 0; i < 600 && !server.HasExited; i++)
        {
            try
            {
                if (listening.Task.IsCompleted && (await probe.GetAsync(new Uri(listening.Task.Result, "/health"))).IsSuccessStatusCode)
                {
                    return new HttpClient { BaseAddress = listening.Task.Result, Timeout = TimeSpan.FromMinutes(2) };
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(200);
        }
        throw new TimeoutException((server.HasExited ? "the service stopped" : "the service did not start") + "; its last output:\n" + string.Join('\n', Output)
            + "\nthe database's sessions:\n" + await SessionsAsync(db));
    }

    // What each session of the test's database is doing and waiting for: a start that hangs is usually waiting on a lock.
    private static async Task<string> SessionsAsync(string db)
    {
        await using var conn = new NpgsqlConnection(db);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT string_agg(format('%s %s %s/%s %s: %s', pid, state, wait_event_type, wait_event, now() - query_start, left(query, 200)), E'\n')
            FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
            """, conn);
        return (await cmd.ExecuteScalarAsync()) as string ?? "(none)";
    }

    private static async Task<long> CountAsync(string db)
    {
        await using var conn = new NpgsqlConnection(db);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM hotspots WHERE source = 'test:crash'", conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_server_killed_mid_import_leaves_nothing_partial_and_finishes_the_run_after_restart()
    {
        var db = await TestDatabase.CreateAsync("hotspots_crash");
        var server = Start(db);
        HttpClient? http = null;
        try
        {
            http = await WaitHealthyAsync(server, db);
            // The first admin from the environment, signing in as a department system would.
            string? token;
            using (var tokenAnswer = await http.PostAsJsonAsync("/api/auth/token", new { email = AdminEmail, password = TestUsers.Password }))
            {
                Assert.Equal(HttpStatusCode.OK, tokenAnswer.StatusCode);
                token = JsonDocument.Parse(await tokenAnswer.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString();
            }
            TestUsers.Authorize(http, token);
            var csv = new StringBuilder("id,title,lat,lon,severity\n");
            for (var i = 0; i < Rows; i++)
            {
                csv.Append(CultureInfo.InvariantCulture, $"R-{i},Điểm ùn tắc {i},{21.00 + (i % 400) * 0.0002:0.00000},{105.79 + (i / 400) * 0.00016:0.00000},{1 + i % 5}\n");
            }
            using var form = ImportForm.Csv(csv.ToString(), "lon.csv", "congestion", "test:crash");
            using var posted = await http.PostAsync("/api/imports", form);
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
            var id = JsonDocument.Parse(await posted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();

            // Mid-import: the job is reading rows.
            for (var i = 0; i < 600; i++)
            {
                var run = JsonDocument.Parse(await http.GetStringAsync($"/api/imports/{id}")).RootElement;
                if (run.GetProperty("rowsRead").GetInt32() > 0)
                {
                    break;
                }
                await Task.Delay(20);
            }
            Keep("(test: kill)"); server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Assert.Equal(0, await CountAsync(db));

            Keep("(test: restart)"); server = Start(db);
            http.Dispose();
            http = await WaitHealthyAsync(server, db);
            TestUsers.Authorize(http, token);
            JsonElement done = default;
            for (var i = 0; i < 1200; i++)
            {
                done = JsonDocument.Parse(await http.GetStringAsync($"/api/imports/{id}")).RootElement;
                if (done.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled")
                {
                    break;
                }
                await Task.Delay(100);
            }
            Assert.Equal("succeeded", done.GetProperty("status").GetString());
            Assert.Equal(Rows, done.GetProperty("counts").GetProperty("inserted").GetInt32());
            Assert.Equal(Rows, await CountAsync(db));
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
            }
            server.Dispose();
            http?.Dispose();
        }
    }
}
