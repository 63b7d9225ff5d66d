using System.Text;
using System.Text.RegularExpressions;
using ProductHub.Adapters.Contracts;

namespace ProductHub.Adapters.Erp;

/// <summary>
/// What a remote system answered, as the hub keeps it: a few hundred characters with no control characters (it is
/// stored in events, shown in pages and logs, and an answer is the remote side's to choose). A failure reads
/// <c>HTTP 500: {body}</c>; only admins see the body (<see cref="WithoutBody"/>), since whatever a URL answers is
/// not the other roles' to read.
/// </summary>
public static partial class RemoteAnswer
{
    public const int Limit = 500;

    public static string Clean(string text)
    {
        var clean = new StringBuilder(Math.Min(text.Length, Limit + 1));
        foreach (var c in text)
        {
            if (clean.Length == Limit)
            {
                clean.Append('…');
                break;
            }
            if (!char.IsControl(c)) clean.Append(c);
        }
        // What is recorded must be storable: PostgreSQL and XML refuse some characters a remote system can send.
        return IntakeLimits.Escaped(clean.ToString());
    }

    public static string Failure(int status, string body) => body.Length == 0 ? $"HTTP {status}" : $"HTTP {status}: {Clean(body)}";

    /// <summary>An error, or a reason quoting one, without the remote body; also for errors recorded before bodies were cleaned.</summary>
    public static string? WithoutBody(string? error) =>
        error is null ? null : Body().Replace(error, "HTTP $1 (the answer is shown to admins only)");

    [GeneratedRegex(@"HTTP (\d{3}): .*\z", RegexOptions.Singleline)]
    private static partial Regex Body();
}
