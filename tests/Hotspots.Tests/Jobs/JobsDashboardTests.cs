using System.Net;
using Hotspots.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Hotspots.Tests.Jobs;

/// <summary>Hangfire's dashboard at /jobs: the signed-in admin only, and its actions refuse a request without the page's token.</summary>
[Collection(PeopleCollection.Name)]
[Trait("Category", "Database")]
public sealed class JobsDashboardTests(PeopleApp app)
{
    [Fact]
    public async Task The_public_is_sent_to_sign_in_and_every_role_but_admin_is_refused()
    {
        using (var anonymous = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }))
        {
            var answer = await anonymous.GetAsync("/jobs");
            Assert.True(answer.StatusCode is HttpStatusCode.Unauthorized || answer.Headers.Location?.ToString().Contains("/account/signin", StringComparison.Ordinal) == true,
                $"anonymous: {(int)answer.StatusCode} {answer.Headers.Location}");
            Assert.DoesNotContain("Hangfire", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        foreach (var role in new[] { "viewer", "ward_lead", "planner" })
        {
            using var client = app.ClientAs(role);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/jobs")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/jobs/stats")).StatusCode);
        }
    }

    [Fact]
    public async Task The_admin_sees_the_recurring_jobs_and_an_action_without_the_pages_token_is_refused()
    {
        using var admin = app.ClientAs("admin");
        var recurring = await admin.GetAsync("/jobs/recurring");
        Assert.Equal(HttpStatusCode.OK, recurring.StatusCode);
        var page = await recurring.Content.ReadAsStringAsync();
        Assert.Contains("import-watchdog", page, StringComparison.Ordinal);
        Assert.DoesNotContain("snapshot-rebuild", page, StringComparison.Ordinal); // retired: the snapshot follows changes itself
        // A cross-site form post carries no antiforgery token: Hangfire refuses it and triggers nothing.
        using var trigger = await admin.PostAsync("/jobs/recurring/trigger", new FormUrlEncodedContent([new("jobs[]", "import-watchdog")]));
        Assert.Equal(HttpStatusCode.Forbidden, trigger.StatusCode);
    }
}
