using Hotspots.Health;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Hotspots.Tests.Health;

[Trait("Category", "Unit")]
public sealed class HealthTests
{
    [Fact]
    public async Task An_unreachable_database_is_a_503_that_tells_an_anonymous_caller_nothing_about_it()
    {
        // Hardening (issue 15, item 19): the answer used to carry the exception's text (host, port, server message).
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await using var dataSource = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={port};Username=secret_user;Database=secret_db;Timeout=2");
        var result = await HealthApi.CheckAsync(dataSource, NullLogger.Instance, CancellationToken.None);
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        http.Response.Body = new MemoryStream();
        await result.ExecuteAsync(http);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, http.Response.StatusCode);
        var body = System.Text.Encoding.UTF8.GetString(((MemoryStream)http.Response.Body).ToArray());
        Assert.Contains("Database unavailable", body, StringComparison.Ordinal);
        foreach (var secret in new[] { port.ToString(System.Globalization.CultureInfo.InvariantCulture), "127.0.0.1", "secret", "refused", "Exception" })
        {
            Assert.DoesNotContain(secret, body, StringComparison.OrdinalIgnoreCase);
        }
    }
}
