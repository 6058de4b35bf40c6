using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Hotspots.Hosting;

/// <summary>
/// A request the framework could not read — a body that is not JSON or not the shape asked for, a query value of the
/// wrong type, a form sent without a form's content type — is the caller's mistake: a 4xx problem that says what,
/// never a 500. (Route handlers throw these in Development; elsewhere they would answer 400 with no explanation.)
/// </summary>
public sealed class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var (status, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, bad.InnerException is JsonException json ? $"{bad.Message} {json.Message}" : bad.Message),
            JsonException json => (StatusCodes.Status400BadRequest, $"The body is not valid JSON: {json.Message}"),
            InvalidOperationException { Message: var m } when m.StartsWith("Incorrect Content-Type", StringComparison.Ordinal) =>
                (StatusCodes.Status415UnsupportedMediaType, "Send the file as multipart/form-data."),
            _ => (0, ""),
        };
        if (status == 0 || context.Response.HasStarted)
        {
            return false;
        }
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = status == 415 ? "Unsupported media type" : "Bad request", Detail = detail },
            Exception = exception,
        });
    }
}
