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

    [Theory]
    [InlineData("")]
    [InlineData("imports")]
    [InlineData("reports")]
    [InlineData("account/password")]
    public async Task The_dashboards_pages_run_under_a_policy_with_no_inline_script_and_nothing_breaks_it(string path)
    {
        // Hardening (issue 15, item 12): the policy was frame-ancestors alone; a planted inline script would have run.
        var page = await app.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 }, StorageState = app.PlannerState });
        var violations = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(m.Text);
            }
        };
        var response = await page.GotoAsync($"{app.BaseUrl}/{path}");
        var policy = await response!.HeaderValueAsync("content-security-policy") ?? "";
        var script = policy.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src ", StringComparison.Ordinal));
        Assert.Equal("script-src 'self'", script);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", policy, StringComparison.Ordinal);
        // Each page is running: the map has drawn, the circuit has marked the page live, or the upload form is there.
        var running = path switch { "" => "path.hs-ward >> nth=125", "imports" => "#import-file", _ => "[data-live]" };
        await page.Locator(running).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 20_000 });
        await page.WaitForTimeoutAsync(500); // what the circuit's first render loads (modules, styles) has arrived
        if (path == "")
        {
            // The date button (its handler now in pickers.js, not inline) opens the picker.
            await page.EvaluateAsync("() => { window.__picked = 0; HTMLInputElement.prototype.showPicker = function () { window.__picked++; }; }");
            await page.Locator(".hs-date-button").First.ClickAsync();
            Assert.Equal(1, await page.EvaluateAsync<int>("() => window.__picked"));
        }
        Assert.Empty(violations);
        await page.CloseAsync();
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
