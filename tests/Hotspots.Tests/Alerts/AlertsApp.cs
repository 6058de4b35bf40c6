using Hotspots.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using netDumbster.smtp;
using Npgsql;

namespace Hotspots.Tests.Alerts;

/// <summary>
/// Two nodes of the service on one database (no sample data), and a real SMTP server (netDumbster) they send through.
/// </summary>
public sealed class AlertsApp : IAsyncLifetime
{
    public SimpleSmtpServer Smtp { get; private set; } = null!;
    public Node One { get; private set; } = null!;
    public Node Two { get; private set; } = null!;
    public NpgsqlDataSource DataSource => One.Services.GetRequiredService<NpgsqlDataSource>();

    public async Task InitializeAsync()
    {
        Smtp = SimpleSmtpServer.Start(FreePort());
        var db = await TestDatabase.CreateAsync("hotspots_alerts");
        One = new Node(db, Smtp.Configuration.Port);
        Two = new Node(db, Smtp.Configuration.Port);
        _ = One.Server;
        _ = Two.Server;
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        await One.DisposeAsync();
        await Two.DisposeAsync();
        Smtp.Stop();
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] args)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        foreach (var (n, v) in args)
        {
            cmd.Parameters.AddWithValue(n, v);
        }
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    public sealed class Node(string db, int smtpPort) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("DB", db);
            builder.UseSetting("SAMPLE_COUNT", "0");
            builder.UseSetting("SMTP_HOST", "127.0.0.1");
            builder.UseSetting("SMTP_PORT", smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("SMTP_TLS", "none");
            builder.UseSetting("PUBLIC_URL", "https://hotspots.example.vn");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AlertsCollection : ICollectionFixture<AlertsApp>
{
    public const string Name = "alerts";
}
