using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Hotspots.Tests.Infrastructure;

/// <summary>The service on its own database for the import tests (a small sample; imports go to their own sources).</summary>
public sealed class ImportsApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    private string _db = "";

    /// <summary>Every client this factory makes signs in as a planner; tests of other roles set their own token.</summary>
    public string PlannerToken { get; private set; } = "";

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        TestUsers.Authorize(client, PlannerToken.Length > 0 ? PlannerToken : null);
    }

    /// <summary>The pick-up folder the service watches (every second here).</summary>
    public string DropFolder { get; } = Directory.CreateTempSubdirectory("hotspots-drop-").FullName;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("hotspots_imports");
        _ = Server;
        PlannerToken = await TestUsers.CreateWithTokenAsync(Services, "planner@hotspots.test", Hotspots.Accounts.Roles.Planner);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("DB", _db);
        builder.UseSetting("SAMPLE_COUNT", "200");
        builder.UseSetting("SAMPLE_SEED", "5");
        builder.UseSetting("IMPORT_MAX_MB", "20");
        builder.UseSetting("IMPORT_FOLDER", DropFolder);
        builder.UseSetting("IMPORT_PICKUP_SECONDS", "1");
    }

    /// <summary>Uploads a file as a clerk's browser would and returns the run the API answered with (202).</summary>
    public async Task<JsonElement> UploadAsync(byte[] content, string fileName, string layer, IDictionary<string, string>? fields = null)
    {
        var (status, body) = await PostFileAsync("/api/imports", content, fileName, layer, fields);
        Assert.True(status == HttpStatusCode.Accepted, $"POST /api/imports: {(int)status} {body}");
        return body;
    }

    /// <summary>Posts the import form (a file, its layer, other fields) to an endpoint and returns the answer.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> PostFileAsync(string path, byte[] content, string fileName, string layer, IDictionary<string, string>? fields = null)
    {
        using var client = CreateClient();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        form.Add(new StringContent(layer), "layer");
        foreach (var (k, v) in fields ?? new Dictionary<string, string>())
        {
            form.Add(new StringContent(v), k);
        }
        using var response = await client.PostAsync(path, form);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone());
    }

    /// <summary>Waits until the run has ended and returns it.</summary>
    public async Task<JsonElement> WaitAsync(string id, int seconds = 90)
    {
        using var client = CreateClient();
        return await ImportRunWait.UntilEndedAsync(client, id, TimeSpan.FromSeconds(seconds));
    }

    public async Task<JsonElement> ImportAsync(byte[] content, string fileName, string layer, IDictionary<string, string>? fields = null) =>
        await WaitAsync((await UploadAsync(content, fileName, layer, fields)).GetProperty("id").GetString()!);

    /// <summary>One value read straight from the test's database.</summary>
    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] args)
    {
        await using var cmd = Services.GetRequiredService<Npgsql.NpgsqlDataSource>().CreateCommand(sql);
        foreach (var (n, v) in args)
        {
            cmd.Parameters.AddWithValue(n, v);
        }
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>A run's count by name ("inserted", "rejected"…).</summary>
    public static int Count(JsonElement run, string name) => run.GetProperty("counts").GetProperty(name).GetInt32();

    /// <summary>A run's notes.</summary>
    public static IEnumerable<string> Notes(JsonElement run) => run.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!);

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        Directory.Delete(DropFolder, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class ImportsCollection : ICollectionFixture<ImportsApp>
{
    public const string Name = "imports";
}
