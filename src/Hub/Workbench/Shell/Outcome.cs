using Microsoft.AspNetCore.Mvc;

namespace ProductHub.Hub.Workbench.Shell;

/// <summary>What a page says after an action: done, or the problem the API would have answered, in its words.</summary>
public sealed record Outcome(bool Succeeded, string Message)
{
    public static Outcome Of(IResult result, string done)
    {
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        if (status < 400) return new Outcome(true, done);
        return (result as IValueHttpResult)?.Value switch
        {
            HttpValidationProblemDetails p => new Outcome(false, string.Join(" ", p.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")))),
            ProblemDetails p => new Outcome(false, p.Detail ?? p.Title ?? $"failed with status {status}"),
            _ => new Outcome(false, $"failed with status {status}"),
        };
    }
}
