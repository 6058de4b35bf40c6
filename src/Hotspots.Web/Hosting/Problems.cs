using Microsoft.AspNetCore.Http.HttpResults;

namespace Hotspots.Hosting;

/// <summary>RFC 7807 answers for bad parameters: each names the parameter it is about.</summary>
public static class Problems
{
    public static ProblemHttpResult BadParameter(string parameter, string detail) =>
        TypedResults.Problem(
            title: $"Invalid parameter '{parameter}'",
            detail: detail,
            statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["parameter"] = parameter });
}
