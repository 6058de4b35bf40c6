namespace Hotspots.Http;

/// <summary>400 with every problem found, as a list a client can show (the same shape from every write API).</summary>
public static class InvalidInput
{
    public static IResult Of(IReadOnlyList<string> problems) => Results.Problem(title: "Invalid input", detail: string.Join("; ", problems),
        statusCode: StatusCodes.Status400BadRequest, extensions: new Dictionary<string, object?> { ["problems"] = problems });
}
