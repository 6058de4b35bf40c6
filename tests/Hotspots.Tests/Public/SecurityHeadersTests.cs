using Hotspots.Tests.Infrastructure;

namespace Hotspots.Tests.Public;

/// <summary>Hardening (issue 15, item 12): headers on every answer of the real server (Kestrel), not only the embed.</summary>
[Collection(DashboardCollection.Name)]
[Trait("Category", "Browser")]
public sealed class SecurityHeadersTests(DashboardApp app)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/api/layers")]
    [InlineData("/api/public/wards")]
    [InlineData("/dashboard.css")]
    public async Task Every_answer_forbids_sniffing_keeps_the_address_to_itself_and_does_not_name_its_server(string path)
    {
        using var http = app.PlannerHttp();
        using var response = await http.GetAsync(app.BaseUrl + path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.False(response.Headers.Contains("Server"), $"{path} names its server: {string.Join(",", response.Headers.Server)}");
    }
}
