namespace Hotspots.Accounts;

public static class Roles
{
    public const string Admin = "admin", Planner = "planner", WardLead = "ward_lead", Viewer = "viewer";
    public static readonly string[] All = [Admin, Planner, WardLead, Viewer];
}

/// <summary>
/// Who is asking, as the database says now (role and wards), and what that lets them do. Every write path —
/// API endpoint, Blazor handler, import row — asks this object, never the UI.
/// </summary>
public sealed record Caller(long UserId, string Email, string DisplayName, string Role, IReadOnlySet<string> Wards)
{
    public bool IsAdmin => Role == Roles.Admin;

    /// <summary>Planners (and admins) work across the whole city.</summary>
    public bool CityWide => Role is Roles.Admin or Roles.Planner;

    /// <summary>Whether this person edits anything at all (viewers never do).</summary>
    public bool Edits => Role is not Roles.Viewer;

    /// <summary>Edits, imports and exports in a ward: city-wide roles anywhere, a ward lead only in their wards.</summary>
    public bool MayChange(string? wardCode) =>
        CityWide || Role == Roles.WardLead && wardCode is not null && Wards.Contains(wardCode);

    /// <summary>Reporters' names and phones, inspected people: planners everywhere, a ward lead in their own wards.</summary>
    public bool SeesPersonalDataIn(string? wardCode) => MayChange(wardCode);

    /// <summary>Minimal API binding: endpoints take a Caller parameter (they are all behind sign-in); writes read the account afresh.</summary>
    public static async ValueTask<Caller?> BindAsync(HttpContext http) =>
        await http.RequestServices.GetRequiredService<Callers>().ResolveAsync(http.User, http.RequestAborted, fresh: !HttpMethods.IsGet(http.Request.Method));

    /// <summary>The wards whose rows this person may write, or null for all.</summary>
    public IReadOnlyCollection<string>? WardScope => CityWide ? null : Role == Roles.WardLead ? Wards : [];
}
