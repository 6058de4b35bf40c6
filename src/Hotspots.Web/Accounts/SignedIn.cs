using Hotspots.Accounts;
using Microsoft.AspNetCore.Components.Authorization;

namespace Hotspots.Accounts;

/// <summary>
/// The person behind a circuit. Event handlers that change data ask with fresh: true, so a role or ward taken
/// away a moment ago (or a disabled account) is refused even in a tab opened before.
/// </summary>
public sealed class SignedIn(AuthenticationStateProvider auth, Callers callers)
{
    public async Task<Caller?> CallerAsync(bool fresh = false)
    {
        var state = await auth.GetAuthenticationStateAsync();
        return await callers.ResolveAsync(state.User, CancellationToken.None, fresh);
    }
}
