using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hotspots.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Xunit.Abstractions;

namespace Hotspots.Tests.Hardening;

/// <summary>The service on its own database for the corpus, signed in as an admin (the widest reach).</summary>
public sealed class CorpusApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    private string _db = "";

    public string AdminToken { get; private set; } = "";

    public NpgsqlDataSource DataSource => Services.GetRequiredService<NpgsqlDataSource>();

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("hotspots_corpus");
        _ = Server;
        AdminToken = await TestUsers.CreateWithTokenAsync(Services, "admin@hotspots.test", Hotspots.Accounts.Roles.Admin);
    }

    /// <summary>The service's errors (with their exceptions) while the corpus runs: what a 500 was.</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    private sealed class ErrorLog(ConcurrentQueue<string> errors) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error)
            {
                errors.Enqueue($"{formatter(state, exception)} | {exception?.GetType().Name}: {exception?.Message} @ {exception?.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("Hotspots", StringComparison.Ordinal))?.Trim()}");
            }
        }
        public void Dispose()
        {
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureLogging(l => l.AddProvider(new ErrorLog(Errors)));
        builder.UseSetting("DB", _db);
        builder.UseSetting("SAMPLE_COUNT", "300");
        builder.UseSetting("SAMPLE_SEED", "15");
        builder.UseSetting("IMPORT_MAX_MB", "20");
        builder.UseSetting("PUBLIC_URL", "http://localhost");
        builder.UseSetting("PUBLIC_RATE_BURST", "1000000"); // every request reaches its handler, none stops at 429
        builder.UseSetting("PUBLIC_RATE_PER_SECOND", "1000000");
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

/// <summary>Alone, after the others: the service's memory is measured before and after the corpus.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CorpusCollection : ICollectionFixture<CorpusApp>
{
    public const string Name = "corpus";
}

/// <summary>
/// Issue 15's target: at least 500 bad requests across every route and 100 bad files across every import format,
/// with no answer of 5xx, the service's memory after within 50 MB of before, and no run left running.
/// </summary>
[Collection(CorpusCollection.Name)]
[Trait("Category", "Database")]
public sealed class BadInputCorpusTests(CorpusApp app, ITestOutputHelper output)
{
    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, BadRequest request)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(request.Body));
            message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        }
        if (!request.Anonymous)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", app.AdminToken);
        }
        try
        {
            using var response = await client.SendAsync(message);
            var body = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, body);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("null characters", StringComparison.Ordinal))
        {
            // The test server decodes the path as Kestrel does and stops at %00, where Kestrel answers 400 itself.
            return (HttpStatusCode.BadRequest, e.Message);
        }
    }

    private static long ManagedMegabytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true) / (1024 * 1024);
    }

    [Fact]
    public async Task Bad_requests_and_bad_files_get_no_5xx_leave_no_run_running_and_no_memory_behind()
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var routes = BadRequests.Routes(app.Services.GetRequiredService<EndpointDataSource>());
        var requests = BadRequests.For(routes).ToList();
        var files = BadFiles.All().ToList();
        output.WriteLine($"{routes.Count} routes, {requests.Count} bad requests (sent twice), {files.Count} bad files");
        Assert.True(routes.Count >= 50, $"only {routes.Count} routes found: the endpoint table was not read");
        Assert.True(requests.Count >= 500 && files.Count >= 100);

        var failures = new ConcurrentBag<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        async Task AllAsync(int parallel) => await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (request, _) =>
        {
            var (status, body) = await SendAsync(client, request);
            statuses.AddOrUpdate((int)status, 1, (_, n) => n + 1);
            if ((int)status >= 500)
            {
                failures.Add($"{(int)status} ← {request}: {body[..Math.Min(body.Length, 300)]}");
            }
        });
        // The first pass is the one the service has never seen: every handler, serializer and query plan is made
        // then, once. What the second pass leaves behind is what the service would keep on losing.
        await AllAsync(1);
        var before = ManagedMegabytes();
        await AllAsync(4);

        var afterRequests = ManagedMegabytes();
        var runs = new List<string>();
        async Task UploadAsync(string path, BadFile file, IReadOnlyDictionary<string, string> fields)
        {
            using var form = new MultipartFormDataContent();
            var content = new ByteArrayContent(file.Bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            // The name as a browser encodes it (RFC 5987), so control characters and Vietnamese reach the server as sent.
            content.Headers.TryAddWithoutValidation("Content-Disposition",
                $"form-data; name=\"file\"; filename=\"upload\"; filename*=UTF-8''{Uri.EscapeDataString(file.FileName)}");
            form.Add(content);
            form.Add(new StringContent(file.Layer), "layer");
            foreach (var (k, v) in fields)
            {
                form.Add(new StringContent(v), k);
            }
            using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = form };
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", app.AdminToken);
            using var response = await client.SendAsync(message);
            var body = await response.Content.ReadAsStringAsync();
            statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"{(int)response.StatusCode} ← {path} {file}: {body[..Math.Min(body.Length, 300)]}");
            }
            else if (response.StatusCode == HttpStatusCode.Accepted)
            {
                runs.Add(JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!);
            }
        }
        foreach (var file in files)
        {
            await UploadAsync("/api/imports/preview", file, BadFiles.Fields[0]);
            await UploadAsync("/api/imports", file, BadFiles.Fields[0]);
        }
        foreach (var fields in BadFiles.Fields.Skip(1))
        {
            await UploadAsync("/api/imports", files[^1] with { Case = "good CSV with bad fields" }, fields);
        }
        foreach (var file in files.Take(10))
        {
            await UploadAsync("/api/imports", file, BadFiles.Fields[1]);
        }

        // Every run ends, and its stored file goes with it.
        var deadline = DateTime.UtcNow.AddMinutes(3);
        long open;
        do
        {
            await Task.Delay(250);
            await using var cmd = app.DataSource.CreateCommand("SELECT count(*) FROM import_runs WHERE id = ANY(@ids::uuid[]) AND status IN ('queued', 'running')");
            cmd.Parameters.AddWithValue("ids", runs.ToArray());
            open = (long)(await cmd.ExecuteScalarAsync())!;
        }
        while (open > 0 && DateTime.UtcNow < deadline);
        await using (var cmd = app.DataSource.CreateCommand("""
            SELECT (SELECT count(*) FROM import_runs WHERE id = ANY(@ids::uuid[]) AND status IN ('queued', 'running')),
                   (SELECT count(*) FROM import_file_chunks WHERE run_id = ANY(@ids::uuid[])),
                   (SELECT count(*) FROM import_runs WHERE id = ANY(@ids::uuid[]) AND status = 'failed' AND coalesce(error, '') = '')
            """))
        {
            cmd.Parameters.AddWithValue("ids", runs.ToArray());
            await using var r = await cmd.ExecuteReaderAsync();
            await r.ReadAsync();
            Assert.Equal((0L, 0L, 0L), (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2)));
        }

        var after = ManagedMegabytes();
        output.WriteLine($"answers: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}; runs {runs.Count}; managed memory {before} MB → {afterRequests} MB after the requests → {after} MB after the files");
        await File.WriteAllLinesAsync(Path.Combine(TestDatabase.RepositoryRoot, "tests", "TestResults", "corpus-5xx.txt"),
            failures.Order(StringComparer.Ordinal).Append("— the service's errors —").Concat(app.Errors.Distinct()));
        Assert.True(failures.IsEmpty, $"{failures.Count} answers of 5xx (all in tests/TestResults/corpus-5xx.txt):\n{string.Join("\n", failures.Take(40))}");
        Assert.True(after - before <= 50, $"managed memory grew from {before} MB to {after} MB");

        // The corpus did not take the admin's own sign-in with it (it would have hidden the rest behind 401s).
        var (meStatus, _) = await SendAsync(client, new BadRequest("GET", "/api/auth/me"));
        Assert.Equal(HttpStatusCode.OK, meStatus);
    }
}
