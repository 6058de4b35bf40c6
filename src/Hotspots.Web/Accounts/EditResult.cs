using Hotspots.Http;

namespace Hotspots.Accounts;

/// <summary>How a person's edit ended, whichever record it was (hotspot, project, field report).</summary>
public enum EditOutcome { Ok, NotFound, Forbidden, Invalid }

public sealed record EditResult(EditOutcome Outcome, IReadOnlyList<string> Problems, IReadOnlyList<AuditEntry> Changes, long? Id = null)
{
    public static EditResult Ok(IReadOnlyList<AuditEntry> changes, long? id = null) => new(EditOutcome.Ok, [], changes, id);
    public static EditResult Denied(params string[] why) => new(EditOutcome.Forbidden, why, []);
    public static EditResult Invalid(IReadOnlyList<string> problems) => new(EditOutcome.Invalid, problems, []);
    public static readonly EditResult Missing = new(EditOutcome.NotFound, [], []);
}

/// <summary>An edit's outcome as the API answers it: 200 with the changes, 404, 403 with why, or 400 with every problem.</summary>
public static class EditResults
{
    public static IResult ToHttp(EditResult result) => result.Outcome switch
    {
        EditOutcome.Ok => Results.Ok(new { changes = result.Changes }),
        EditOutcome.NotFound => Results.NotFound(),
        EditOutcome.Forbidden => Results.Problem(title: "Not allowed", detail: string.Join("; ", result.Problems), statusCode: StatusCodes.Status403Forbidden),
        _ => InvalidInput.Of(result.Problems),
    };
}
