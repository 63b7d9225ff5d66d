using Microsoft.AspNetCore.Mvc;

namespace ProductHub.Hub.Workbench.Shell;

/// <summary>What a page says after an action: done, or the problem the API would have answered, in its words.</summary>
public sealed record Outcome(bool Succeeded, string Message)
{
    public static Outcome Of(IResult result, string done) => Refusal(result) ?? new Outcome(true, done);

    /// <summary>For an action whose answer says what came of it (a retry that still fails, say): <paramref name="describe"/> reads it.</summary>
    public static Outcome Of<T>(IResult result, Func<T, Outcome> describe) where T : class =>
        Refusal(result) ?? describe((result as IValueHttpResult)?.Value as T
                                    ?? throw new InvalidOperationException($"The answer carries no {typeof(T).Name}."));

    private static Outcome? Refusal(IResult result)
    {
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        if (status < 400) return null;
        return (result as IValueHttpResult)?.Value switch
        {
            HttpValidationProblemDetails p => new Outcome(false, string.Join(" ", p.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")))),
            ProblemDetails p => new Outcome(false, p.Detail ?? p.Title ?? $"failed with status {status}"),
            _ => new Outcome(false, $"failed with status {status}"),
        };
    }
}
