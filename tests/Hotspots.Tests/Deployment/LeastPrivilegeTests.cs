using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hotspots.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hotspots.Tests.Deployment;

/// <summary>
/// The service on a database owned by one role and run as another, as .ci/up and a deployment set it up: the
/// owner migrates; the service's role loads the official data and the sample, edits, imports through its jobs,
/// rebuilds its snapshot and signs people in — and can do nothing else.
/// </summary>
public sealed class SplitRolesApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public string Database { get; } = $"hotspots_roles_{Guid.NewGuid():N}"[..40];
    public string Owner { get; } = $"hs_owner_{Guid.NewGuid():N}"[..20];
    public string Service { get; } = $"hs_app_{Guid.NewGuid():N}"[..18];
    private readonly string _ownerPassword = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
    private readonly string _servicePassword = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    public string Connection(string role, string password) =>
        new NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString) { Database = Database, Username = role, Password = password, Pooling = false }.ConnectionString;

    public string ServiceConnection => Connection(Service, _servicePassword);

    public string AdminToken { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await using (var server = new NpgsqlConnection(TestDatabase.ServerConnectionString))
        {
            await server.OpenAsync();
            foreach (var sql in new[]
                     {
                         $"CREATE ROLE {Owner} LOGIN PASSWORD '{_ownerPassword}'", $"CREATE ROLE {Service} LOGIN PASSWORD '{_servicePassword}'",
                         $"CREATE DATABASE {Database} OWNER {Owner}",
                     })
            {
                await using var cmd = new NpgsqlCommand(sql, server);
                await cmd.ExecuteNonQueryAsync();
            }
        }
        var super = new NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString) { Database = Database, Pooling = false }.ConnectionString;
        await using (var db = new NpgsqlConnection(super))
        {
            await db.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE EXTENSION postgis; CREATE EXTENSION unaccent; ALTER SCHEMA public OWNER TO {Owner};", db);
            await cmd.ExecuteNonQueryAsync();
        }
        _ = Server;
        AdminToken = await TestUsers.CreateWithTokenAsync(Services, "admin@hotspots.test", Hotspots.Accounts.Roles.Admin);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("DB", ServiceConnection.Replace("Pooling=False", "Pooling=True", StringComparison.OrdinalIgnoreCase));
        builder.UseSetting("DB_OWNER", Connection(Owner, _ownerPassword));
        builder.UseSetting("SAMPLE_COUNT", "300");
        builder.UseSetting("SAMPLE_SEED", "9");
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

[CollectionDefinition(Name)]
public sealed class SplitRolesCollection : ICollectionFixture<SplitRolesApp>
{
    public const string Name = "split roles";
}

[Collection(SplitRolesCollection.Name)]
[Trait("Category", "Database")]
public sealed class LeastPrivilegeTests(SplitRolesApp app)
{
    private HttpClient Admin()
    {
        var client = app.CreateClient();
        TestUsers.Authorize(client, app.AdminToken);
        return client;
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var conn = new NpgsqlConnection(app.ServiceConnection);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task The_service_runs_as_a_role_that_owns_nothing_and_loads_edits_imports_and_rebuilds_all_the_same()
    {
        // It started: the owner migrated, the service's role loaded 126 wards and the sample and built the snapshot.
        Assert.Equal(app.Service, await ScalarAsync<string>("SELECT current_user"));
        Assert.Equal(126L, await ScalarAsync<long>("SELECT count(*) FROM current_wards"));
        Assert.True(await ScalarAsync<long>("SELECT count(*) FROM hotspots WHERE is_sample") >= 300);
        Assert.Equal(0L, await ScalarAsync<long>($"SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('public', 'hangfire') AND pg_get_userbyid(c.relowner) = '{app.Service}'"));

        using var admin = Admin();
        // An edit, through the API and the audit trail.
        var id = await ScalarAsync<long>("SELECT id FROM hotspots WHERE status = 'reported' ORDER BY id LIMIT 1");
        using (var patch = await admin.PatchAsJsonAsync($"/api/hotspots/{id}", new { severity = 5, note = "kiểm tra quyền" }))
        {
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        }
        // An import, run by the jobs: a first load (straight into the layer), then the same source again (staged).
        foreach (var (title, expected) in new[] { ("Ngập phố Huế", "inserted"), ("Ngập phố Huế sau mưa", "updated") })
        {
            using var form = new MultipartFormDataContent
            {
                { new ByteArrayContent(Encoding.UTF8.GetBytes($"id,title,lat,lon\nR1,{title},21.015,105.851\n")), "file", "roles.csv" },
                { new StringContent("flooding"), "layer" },
                { new StringContent("test-roles"), "source" },
            };
            using var posted = await admin.PostAsync("/api/imports", form);
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
            var runId = JsonDocument.Parse(await posted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
            JsonElement run = default;
            for (var i = 0; i < 300; i++)
            {
                run = await admin.JsonAsync($"/api/imports/{runId}");
                if (run.GetProperty("status").GetString() is "succeeded" or "failed")
                {
                    break;
                }
                await Task.Delay(100);
            }
            Assert.Equal("succeeded", run.GetProperty("status").GetString());
            Assert.Equal(1, run.GetProperty("counts").GetProperty(expected).GetInt32());
        }
        // The snapshot: a batch and a full rebuild, with the statistics refreshed through the owner's function.
        var refresher = app.Services.GetRequiredService<Hotspots.Snapshots.SnapshotRefresher>();
        await refresher.RefreshAsync();
        await refresher.RebuildAsync();
        Assert.Empty(await app.Services.GetRequiredService<Hotspots.Snapshots.SnapshotCheck>().RunAsync());
        Assert.NotNull(await ScalarAsync<object>("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'public_hotspots'"));
    }

    [Theory]
    [InlineData("CREATE TABLE planted (a int)")]
    [InlineData("DROP TABLE hotspots")]
    [InlineData("ALTER TABLE hotspots ADD COLUMN planted int")]
    [InlineData("DELETE FROM audit_log")]
    [InlineData("UPDATE audit_log SET note = 'rewritten'")]
    [InlineData("TRUNCATE hotspots")]
    [InlineData("DELETE FROM schema_migrations")]
    [InlineData("CREATE FUNCTION planted() RETURNS int LANGUAGE sql AS 'select 1'")]
    [InlineData("SELECT rolpassword FROM pg_authid")]
    [InlineData("COPY hotspots TO PROGRAM 'id'")]
    [InlineData("ALTER ROLE CURRENT_USER SUPERUSER")]
    [InlineData("CREATE SCHEMA planted")]
    [InlineData("DROP SCHEMA hangfire CASCADE")]
    public async Task The_services_role_is_refused_what_it_never_needs(string sql)
    {
        var e = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync<object>(sql));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState);
        // Refused by what the role may do, not by a trigger further on (the audit trail's also says 42501).
        Assert.Matches("permission denied|must be", e.MessageText);
    }

    [Fact]
    public async Task Over_tcp_nobody_connects_without_the_password()
    {
        // The owner's role, without its password (PGPASSWORD, which .ci/test sets for psql, holds another role's).
        var noPassword = new NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString) { Username = app.Owner, Password = null, Pooling = false, Database = app.Database };
        await using var conn = new NpgsqlConnection(noPassword.ConnectionString);
        var e = await Assert.ThrowsAnyAsync<NpgsqlException>(() => conn.OpenAsync());
        Assert.Contains("password", e.Message, StringComparison.OrdinalIgnoreCase);
    }
}
