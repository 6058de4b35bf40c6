using System.Net.Http.Headers;
using Hotspots.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace Hotspots.Tests.Infrastructure;

/// <summary>Accounts made through the product's own store, and bearer tokens for them.</summary>
public static class TestUsers
{
    public const string Password = "Kiểm-thử-Hà-Nội-2026";

    public static async Task<long> CreateAsync(IServiceProvider services, string email, string role, params string[] wards)
    {
        var (id, problems) = await services.GetRequiredService<AccountStore>().CreateAsync(email, email.Split('@')[0], role, Password, wards, null, english: true);
        Assert.True(id is not null, string.Join("; ", problems));
        return id!.Value;
    }

    public static async Task<string> TokenAsync(IServiceProvider services, long userId) =>
        (await services.GetRequiredService<ApiTokens>().IssueAsync(userId, TimeSpan.FromDays(1))).Token;

    /// <summary>A user with a bearer token, in one step.</summary>
    public static async Task<string> CreateWithTokenAsync(IServiceProvider services, string email, string role, params string[] wards) =>
        await TokenAsync(services, await CreateAsync(services, email, role, wards));

    public static void Authorize(HttpClient client, string? token) =>
        client.DefaultRequestHeaders.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
}
