using System.Globalization;
using Hotspots.Records;
using Microsoft.Extensions.Localization;

namespace Hotspots.Accounts;

/// <summary>What a person reads after an edit from any panel: saved (how many changes), not allowed, gone, or why not.</summary>
public static class EditMessages
{
    public static string For(EditResult result, IStringLocalizer l) => result.Outcome switch
    {
        EditOutcome.Ok => result.Changes.Count == 0 ? l["NothingChanged"] : string.Format(CultureInfo.CurrentCulture, l["SavedChanges"], result.Changes.Count),
        EditOutcome.Forbidden => $"{l["EditDenied"]} {string.Join("; ", result.Problems)}",
        EditOutcome.NotFound => l["RecordNotFound"],
        _ => string.Join("; ", result.Problems),
    };
}
