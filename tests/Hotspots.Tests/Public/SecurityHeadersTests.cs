using Hotspots.Tests.Infrastructure;
using Microsoft.Playwright;

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

    [Fact]
    public async Task A_cookie_signed_write_to_the_api_from_another_site_is_refused()
    {
        // Hardening (issue 15, item 11): a foreign page's POST with the planner's cookie answered 202.
        var page = await app.OpenAsync();
        var url = $"{app.BaseUrl}/api/imports/{Guid.NewGuid()}/cancel";
        var foreign = await page.Context.APIRequest.PostAsync(url, new APIRequestContextOptions
        {
            Headers = new Dictionary<string, string> { ["Origin"] = "https://evil.example" },
        });
        Assert.Equal(403, foreign.Status);
        var crossSite = await page.Context.APIRequest.PostAsync(url, new APIRequestContextOptions
        {
            Headers = new Dictionary<string, string> { ["Sec-Fetch-Site"] = "cross-site" },
        });
        Assert.Equal(403, crossSite.Status);
        // The dashboard's own origin gets through (the run does not exist: 404).
        var own = await page.Context.APIRequest.PostAsync(url, new APIRequestContextOptions
        {
            Headers = new Dictionary<string, string> { ["Origin"] = app.BaseUrl.TrimEnd('/') },
        });
        Assert.Equal(404, own.Status);
        await page.CloseAsync();
    }
}
