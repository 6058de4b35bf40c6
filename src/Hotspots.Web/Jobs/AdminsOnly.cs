using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authorization;

namespace Hotspots.Jobs;

/// <summary>The dashboard's own check, behind the endpoint's: only a signed-in admin sees or acts on jobs.</summary>
internal sealed class AdminsOnly : IDashboardAsyncAuthorizationFilter
{
    public async Task<bool> AuthorizeAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var authorization = http.RequestServices.GetRequiredService<IAuthorizationService>();
        return (await authorization.AuthorizeAsync(http.User, Accounts.AccountsSetup.AdminsPolicy)).Succeeded;
    }
}
