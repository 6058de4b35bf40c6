using System.Security.Claims;
using Hotspots.Accounts;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hotspots.Tests.Infrastructure;

/// <summary>The authentication state a circuit would carry for a real account (its id and security stamp from the database).</summary>
public sealed class SignedInAs(ClaimsPrincipal principal) : AuthenticationStateProvider
{
    public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(principal));

    public static async Task<SignedInAs> CreateAsync(IServiceProvider services, string role, params string[] wards)
    {
        var email = $"{role.Replace('_', '-')}-{Guid.NewGuid():N}@hotspots.test";
        var id = await TestUsers.CreateAsync(services, email, role, role == Roles.WardLead && wards.Length == 0 ? ["00004"] : wards);
        await using var cmd = services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT security_stamp FROM users WHERE id = @id");
        cmd.Parameters.AddWithValue("id", id);
        var stamp = (Guid)(await cmd.ExecuteScalarAsync())!;
        return new SignedInAs(Callers.Principal(id, email, role, stamp, "Cookies"));
    }
}
