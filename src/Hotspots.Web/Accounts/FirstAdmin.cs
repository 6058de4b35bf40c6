using Hotspots.Hosting;

namespace Hotspots.Accounts;

/// <summary>
/// The first admin, from HOTSPOTS_ADMIN_EMAIL and HOTSPOTS_ADMIN_PASSWORD, on a start that finds no admin.
/// There is no built-in password: without these settings nobody can sign in until they are given.
/// </summary>
public static partial class FirstAdmin
{
    /// <summary>Creates the admin when needed; throws (the service does not start) when the password is weak.</summary>
    public static async Task EnsureAsync(AccountStore accounts, HotspotsOptions options, ILogger logger, CancellationToken ct = default)
    {
        if (await accounts.AnyAdminAsync(ct))
        {
            return;
        }
        if (string.IsNullOrWhiteSpace(options.AdminEmail) || string.IsNullOrEmpty(options.AdminPassword))
        {
            LogNoAdmin(logger);
            return;
        }
        var (_, problems) = await accounts.CreateAsync(options.AdminEmail, "Quản trị", Roles.Admin, options.AdminPassword, [], null, english: true, ct);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"HOTSPOTS_ADMIN_PASSWORD / HOTSPOTS_ADMIN_EMAIL refused: {string.Join("; ", problems)}.");
        }
        LogCreated(logger, options.AdminEmail);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No admin account: set HOTSPOTS_ADMIN_EMAIL and HOTSPOTS_ADMIN_PASSWORD and restart to create one")]
    private static partial void LogNoAdmin(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "First admin {Email} created")]
    private static partial void LogCreated(ILogger logger, string email);
}
