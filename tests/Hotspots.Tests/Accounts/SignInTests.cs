using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hotspots.Accounts;
using Hotspots.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hotspots.Tests.Accounts;

[Collection(PeopleCollection.Name)]
[Trait("Category", "Database")]
public sealed class SignInTests(PeopleApp app)
{
    private async Task<HttpResponseMessage> TokenAsync(HttpClient client, string email, string password) =>
        await client.PostAsJsonAsync("/api/auth/token", new { email, password });

    [Fact]
    public async Task Repeated_failures_lock_the_account_even_against_the_right_password_and_every_attempt_is_logged()
    {
        var email = $"lock-{Guid.NewGuid():N}@hotspots.test";
        await TestUsers.CreateAsync(app.Services, email, Roles.Viewer);
        using var client = app.CreateClient();
        for (var i = 0; i < 3; i++) // LOCKOUT_ATTEMPTS is 3 here
        {
            using var wrong = await TokenAsync(client, email, "Sai-mật-khẩu-123");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        using var right = await TokenAsync(client, email, TestUsers.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        Assert.Contains("locked", await right.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        using var admin = app.ClientAs("admin");
        var log = JsonDocument.Parse(await admin.GetStringAsync("/api/admin/sign-ins")).RootElement.GetProperty("signIns").EnumerateArray()
            .Where(l => l.GetProperty("email").GetString() == email).Select(l => l.GetProperty("outcome").GetString()!).Reverse().ToArray();
        Assert.Equal(["bad_password", "bad_password", "locked", "locked"], log);

        // An admin's password reset lifts the lockout.
        var id = JsonDocument.Parse(await admin.GetStringAsync("/api/admin/users")).RootElement.GetProperty("users").EnumerateArray()
            .Single(u => u.GetProperty("email").GetString() == email).GetProperty("id").GetInt64();
        (await admin.PostAsJsonAsync($"/api/admin/users/{id}/password", new { password = "Mới-Hơn-Và-Dài-2026" })).EnsureSuccessStatusCode();
        using var after = await TokenAsync(client, email, "Mới-Hơn-Và-Dài-2026");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task A_token_works_until_revoked_and_stops_when_the_account_is_disabled()
    {
        var email = $"system-{Guid.NewGuid():N}@hotspots.test";
        await TestUsers.CreateAsync(app.Services, email, Roles.Planner);
        using var client = app.CreateClient();
        var issued = JsonDocument.Parse(await (await TokenAsync(client, email, TestUsers.Password)).Content.ReadAsStringAsync()).RootElement;
        TestUsers.Authorize(client, issued.GetProperty("token").GetString());
        Assert.Equal(email, JsonDocument.Parse(await client.GetStringAsync("/api/auth/me")).RootElement.GetProperty("email").GetString());
        (await client.DeleteAsync($"/api/auth/tokens/{issued.GetProperty("tokenId").GetInt64()}")).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me")).StatusCode);

        var second = JsonDocument.Parse(await (await TokenAsync(app.CreateClient(), email, TestUsers.Password)).Content.ReadAsStringAsync()).RootElement;
        TestUsers.Authorize(client, second.GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me")).StatusCode);
        using var admin = app.ClientAs("admin");
        var id = JsonDocument.Parse(await admin.GetStringAsync("/api/admin/users")).RootElement.GetProperty("users").EnumerateArray()
            .Single(u => u.GetProperty("email").GetString() == email).GetProperty("id").GetInt64();
        (await admin.PutAsJsonAsync($"/api/admin/users/{id}", new { role = "planner", wards = Array.Empty<string>(), disabled = true })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/hotspots/1")).StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var id = await TestUsers.CreateAsync(app.Services, $"expired-{Guid.NewGuid():N}@hotspots.test", Roles.Planner);
        var issued = await app.Services.GetRequiredService<ApiTokens>().IssueAsync(id, TimeSpan.FromSeconds(-1));
        using var client = app.CreateClient();
        TestUsers.Authorize(client, issued.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Anonymous_calls_to_writes_and_imports_get_401_and_the_public_map_stays_open()
    {
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PatchAsync("/api/hotspots/1", JsonContent.Create(new { severity = 2 }))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/api/imports", new StringContent(""))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/tiles/flooding/12/3255/1803.mvt")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/features/flooding")).StatusCode);
        using var page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/signin", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/public/wards")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/embed")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/signin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Data_protection_keys_live_in_the_database_so_another_node_reads_what_this_one_protected()
    {
        var protectedText = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("Hà Nội");
        await using var otherNode = app.WithWebHostBuilder(b => b.UseSetting("LOAD_ON_START", "false"));
        var other = otherNode.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
        Assert.Equal("Hà Nội", other.Unprotect(protectedText));
        await using var cmd = app.DataSource.CreateCommand("SELECT count(*) FROM data_protection_keys");
        Assert.True((long)(await cmd.ExecuteScalarAsync())! >= 1);
    }

    [Fact]
    public async Task The_first_admin_comes_from_the_environment_and_a_weak_password_is_refused()
    {
        await using var db = await MigratedDatabase.CreateAsync();
        var accounts = new AccountStore(db.DataSource, new Audit(db.DataSource));
        var weak = new Hotspots.Hosting.HotspotsOptions { AdminEmail = "admin@hanoi.gov.vn", AdminPassword = "admin123" };
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => FirstAdmin.EnsureAsync(accounts, weak, NullLogger.Instance));
        Assert.Contains("12", e.Message, StringComparison.Ordinal);
        Assert.False(await accounts.AnyAdminAsync());

        await FirstAdmin.EnsureAsync(accounts, new Hotspots.Hosting.HotspotsOptions(), NullLogger.Instance); // none given: nobody is made up
        Assert.False(await accounts.AnyAdminAsync());

        var strong = new Hotspots.Hosting.HotspotsOptions { AdminEmail = "admin@hanoi.gov.vn", AdminPassword = "Thủ-đô-Hà-Nội-1010" };
        await FirstAdmin.EnsureAsync(accounts, strong, NullLogger.Instance);
        await FirstAdmin.EnsureAsync(accounts, strong, NullLogger.Instance); // a later start changes nothing
        var admin = Assert.Single(await accounts.ListAsync());
        Assert.Equal(Roles.Admin, admin.Role);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM users"));
        Assert.DoesNotContain("Thủ-đô", await db.ScalarAsync<string>("SELECT password_hash FROM users"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("short1A!", false)]
    [InlineData("alllowercaseletters", false)]
    [InlineData("Password12345!", false)]
    [InlineData("aaaaaaaaaaA1!", false)]
    [InlineData("Cầu-Long-Biên-1902", true)]
    public void Password_rules(string password, bool acceptable) =>
        Assert.Equal(acceptable, PasswordRules.Problems(password, "someone@hanoi.gov.vn", english: true).Count == 0);
}
