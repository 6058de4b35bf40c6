using Npgsql;

namespace Hotspots.Accounts;

/// <summary>
/// The console's way back in, for whoever runs the service (it reads HOTSPOTS_DB like the service): no sign-in, so no
/// lock can keep the first admin out. `Hotspots.Web account unlock EMAIL` lifts every lock on an email;
/// `Hotspots.Web account password EMAIL` sets a new password read from the first line of standard input (never an
/// argument, which other local users could read), ending the person's sign-ins and tokens and lifting their locks.
/// Both are written to the audit trail as "console".
/// </summary>
public static class AccountCommand
{
    public static bool IsRequested(string[] args) => args.Length == 3 && args[0] == "account" && args[1] is "unlock" or "password";

    private static readonly Caller Console_ = new(0, "console", "console", Roles.Admin, new HashSet<string>());

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Hotspots.Accounts");
        await Database.DatabaseSetup.MigrateAsync(app.Services, logger);
        return await RunAsync(app.Services, args, Console.In, Console.Out);
    }

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextReader input, TextWriter output)
    {
        var email = args[2];
        if (args[1] == "unlock")
        {
            var unlocked = await services.GetRequiredService<SignInThrottle>().UnlockAsync(email);
            await output.WriteLineAsync($"{email}: {unlocked} lock(s) and counts lifted");
            return 0;
        }
        // A new password lifts the locks itself (AccountStore.SetPasswordAsync), in the same transaction.
        var accounts = services.GetRequiredService<AccountStore>();
        if ((await accounts.ListAsync()).FirstOrDefault(a => string.Equals(a.Email, email.Trim(), StringComparison.OrdinalIgnoreCase)) is not { } account)
        {
            await output.WriteLineAsync($"{email}: no such account");
            return 1;
        }
        var problems = await accounts.SetPasswordAsync(account.Id, await input.ReadLineAsync() ?? "", Console_, english: true);
        if (problems.Count > 0)
        {
            await output.WriteLineAsync($"{email}: password refused: {string.Join("; ", problems)}");
            return 1;
        }
        services.GetRequiredService<Callers>().Forget();
        await output.WriteLineAsync($"{email}: password set; sign-ins and tokens ended, locks lifted");
        return 0;
    }
}
