using Microsoft.AspNetCore.Diagnostics;

namespace ProductHub.Hub.Api;

/// <summary>
/// The last line of defence: exceptions an endpoint did not answer itself still become problem details.
/// A lost write race is a 409 and an unreachable database a 503, never a bare 500.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var (status, type, title) = exception switch
        {
            _ when WriteConflict.Is(exception) =>
                (StatusCodes.Status409Conflict, "conflict", "Another writer changed the same data first; retry with fresh data"),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } bad => (bad.StatusCode, "request-too-large", bad.Message),
            BadHttpRequestException bad => (bad.StatusCode, "invalid-request", bad.Message),
            _ when DatabaseOutage.Is(exception) =>
                (StatusCodes.Status503ServiceUnavailable, "database-unavailable", "The database is not reachable; retry later"),
            _ => (StatusCodes.Status500InternalServerError, "internal", "The hub failed to process the request"),
        };
        if (status >= 500) logger.LogError(exception, "Request {Method} {Path} failed", context.Request.Method, context.Request.Path);

        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Type = "https://producthub.dev/problems/" + type, Title = title },
        });
    }
}
