using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hotspots.Accounts;
using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hotspots.Tests.Accounts;

/// <summary>
/// Issue 15, item 1: a bearer token carries the security stamp it was issued under, so whatever should end a
/// person's sign-ins (a password reset or change, a role or ward change, disabling the account) ends their tokens;
/// the owner and admins list and revoke them.
/// </summary>
[Collection(PeopleCollection.Name)]
[Trait("Category", "Database")]
public sealed class TokenLifetimeTests(PeopleApp app)
{
    private const string DongDa = "00235", BaDinh = "00004";

    private async Task<(long Id, string Email)> PersonAsync(string role, params string[] wards)
    {
        var email = $"tok-{Guid.NewGuid():N}@hotspots.test";
        return (await TestUsers.CreateAsync(app.Services, email, role, wards), email);
    }

    private async Task<(long Id, HttpClient Client)> SignedInClientAsync(string email, string? name = null)
    {
        var client = app.CreateClient();
        using var answer = await client.PostAsJsonAsync("/api/auth/token", new { email, password = TestUsers.Password, name });
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        TestUsers.Authorize(client, body.GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me")).StatusCode);
        return (body.GetProperty("tokenId").GetInt64(), client);
    }

    private static async Task<HttpStatusCode> MeAsync(HttpClient client)
    {
        using var answer = await client.GetAsync("/api/auth/me");
        return answer.StatusCode;
    }

    public static TheoryData<string> Changes => ["admin resets the password", "the person changes the password", "role", "wards", "disable and enable again"];

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task A_change_that_ends_sign_ins_ends_tokens_issued_before_it(string change)
    {
        var (id, email) = await PersonAsync(Roles.WardLead, DongDa);
        var (_, client) = await SignedInClientAsync(email);
        using var admin = app.ClientAs("admin");
        switch (change)
        {
            case "admin resets the password":
                (await admin.PostAsJsonAsync($"/api/admin/users/{id}/password", new { password = "Phố-Hàng-Bạc-2026!" })).EnsureSuccessStatusCode();
                break;
            case "the person changes the password":
                var me = new Caller(id, email, "", Roles.WardLead, new HashSet<string> { DongDa });
                Assert.Empty(await app.Services.GetRequiredService<AccountStore>().SetPasswordAsync(id, "Phố-Hàng-Bạc-2026!", me, english: true));
                app.Services.GetRequiredService<Callers>().Forget();
                break;
            case "role":
                (await admin.PutAsJsonAsync($"/api/admin/users/{id}", new { role = Roles.Viewer, wards = Array.Empty<string>() })).EnsureSuccessStatusCode();
                break;
            case "wards":
                (await admin.PutAsJsonAsync($"/api/admin/users/{id}", new { role = Roles.WardLead, wards = new[] { DongDa, BaDinh } })).EnsureSuccessStatusCode();
                break;
            default:
                (await admin.PutAsJsonAsync($"/api/admin/users/{id}", new { role = Roles.WardLead, wards = new[] { DongDa }, disabled = true })).EnsureSuccessStatusCode();
                (await admin.PutAsJsonAsync($"/api/admin/users/{id}", new { role = Roles.WardLead, wards = new[] { DongDa }, disabled = false })).EnsureSuccessStatusCode();
                break;
        }
        BearerHandler.Forget(); // this test's process is every node at once; others see it within Callers.Freshness
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(client));
        var listed = JsonDocument.Parse(await admin.GetStringAsync($"/api/admin/users/{id}/tokens")).RootElement.GetProperty("tokens");
        Assert.Equal("ended", Assert.Single(listed.EnumerateArray()).GetProperty("state").GetString());
        client.Dispose();
    }

    [Fact]
    public async Task A_token_issued_under_a_stamp_that_has_moved_on_is_born_dead()
    {
        var (id, _) = await PersonAsync(Roles.Planner);
        var issued = await app.Services.GetRequiredService<ApiTokens>().IssueAsync(id, TimeSpan.FromDays(1), stamp: Guid.NewGuid());
        using var client = app.CreateClient();
        TestUsers.Authorize(client, issued.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(client));
    }

    [Fact]
    public async Task The_owner_lists_and_revokes_their_own_tokens_and_only_an_admin_sees_another_persons()
    {
        var (id, email) = await PersonAsync(Roles.Planner);
        var (firstId, first) = await SignedInClientAsync(email, "Hệ thống thoát nước");
        var (_, second) = await SignedInClientAsync(email);
        var (_, third) = await SignedInClientAsync(email);

        var text = await first.GetStringAsync("/api/auth/tokens");
        var mine = JsonDocument.Parse(text).RootElement.GetProperty("tokens").EnumerateArray().ToList();
        Assert.Equal(3, mine.Count);
        Assert.All(mine, t => Assert.Equal("live", t.GetProperty("state").GetString()));
        Assert.Equal("Hệ thống thoát nước", mine.Single(t => t.GetProperty("id").GetInt64() == firstId).GetProperty("name").GetString());
        Assert.DoesNotContain("hs_", text, StringComparison.Ordinal); // never the token, nor its hash
        Assert.DoesNotContain("hash", text, StringComparison.OrdinalIgnoreCase);

        // Another person (not an admin) can neither list nor revoke these.
        var (_, otherEmail) = await PersonAsync(Roles.Planner);
        var (_, other) = await SignedInClientAsync(otherEmail);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"/api/admin/users/{id}/tokens")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/auth/tokens/{firstId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(first));

        // The owner revokes one; then an admin revokes the rest at once.
        Assert.Equal(HttpStatusCode.NoContent, (await second.DeleteAsync($"/api/auth/tokens/{firstId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(first));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(second));
        using var admin = app.ClientAs("admin");
        using var all = await admin.DeleteAsync($"/api/admin/users/{id}/tokens");
        Assert.Equal(2, JsonDocument.Parse(await all.Content.ReadAsStringAsync()).RootElement.GetProperty("revoked").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(second));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(third));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(other));
        var states = JsonDocument.Parse(await admin.GetStringAsync($"/api/admin/users/{id}/tokens")).RootElement.GetProperty("tokens")
            .EnumerateArray().Select(t => t.GetProperty("state").GetString()).ToList();
        Assert.Equal(["revoked", "revoked", "revoked"], states);
        foreach (var c in new[] { first, second, third, other })
        {
            c.Dispose();
        }
    }

    [Fact]
    public async Task A_token_name_longer_than_its_limit_is_a_400()
    {
        var (_, email) = await PersonAsync(Roles.Viewer);
        using var client = app.CreateClient();
        using var answer = await client.PostAsJsonAsync("/api/auth/token", new { email, password = TestUsers.Password, name = new string('x', 101) });
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("name", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
