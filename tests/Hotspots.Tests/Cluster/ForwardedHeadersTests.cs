using System.Net;
using System.Net.Http.Json;

namespace Hotspots.Tests.Cluster;

/// <summary>
/// Behind nginx every connection an app node sees comes from nginx; the address that counts is the reader's, which
/// nginx forwards and the nodes believe from nginx alone. Two readers on other loopback addresses stand for two
/// people: one reader's rate limit is not the other's, and the sign-in log names the reader, not nginx, nor an
/// address the reader claims for itself.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class ForwardedHeadersTests(ClusterFixture cluster)
{
    [Fact]
    public async Task One_readers_public_rate_limit_is_not_anothers()
    {
        using var greedy = cluster.From("127.0.0.2");
        using var other = cluster.From("127.0.0.3");
        // Each URL new (never an nginx cache hit), more than two nodes' bursts (60 each) in a moment.
        var answers = await Task.WhenAll(Enumerable.Range(0, 300).Select(async i =>
        {
            using var r = await greedy.GetAsync($"/api/public/version?probe={Guid.NewGuid():N}{i}");
            return r.StatusCode;
        }));
        Assert.Contains(HttpStatusCode.TooManyRequests, answers);
        using var theirs = await other.GetAsync($"/api/public/version?probe={Guid.NewGuid():N}");
        Assert.Equal(HttpStatusCode.OK, theirs.StatusCode);
    }

    [Fact]
    public async Task The_sign_in_log_names_the_reader_not_nginx_nor_an_address_the_reader_claims()
    {
        using var reader = cluster.From("127.0.0.4");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token")
        {
            Content = JsonContent.Create(new { email = "khach.la@hotspots.test", password = "không đúng" }),
        };
        request.Headers.Add("X-Forwarded-For", "203.0.113.9"); // a claim nginx passes on, before the address it saw
        using var response = await reader.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        var leader = await cluster.LeaderAsync() ?? throw new InvalidOperationException("no leader");
        await using var db = cluster.Node(leader);
        await using var cmd = db.CreateCommand("SELECT address::text FROM sign_in_log WHERE email = 'khach.la@hotspots.test' ORDER BY id DESC LIMIT 1");
        Assert.Equal("127.0.0.4", (string?)await cmd.ExecuteScalarAsync());
    }
}
