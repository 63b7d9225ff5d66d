using System.Buffers;

namespace ProductHub.Adapters.Contracts;

/// <summary>
/// What every intake (HTTP bodies, route values, drop files, queues, CSV uploads) refuses before anything is stored,
/// because some reader or receiver downstream could not take it.
/// </summary>
public static class IntakeLimits
{
    /// <summary>
    /// How deep received JSON may nest. The readers of stored events (the change feed, histories, the webhook pump,
    /// projections) deserialize with System.Text.Json's default depth of 64, and an event wraps what was received a
    /// few levels deep (envelope, event, <c>details</c>), so intake allows half of that: a body that passes here can
    /// always be read back.
    /// </summary>
    public const int MaxDepth = 32;

    public const string TextRule =
        "text may hold no control characters other than tab, line feed and carriage return, no U+FFFE or U+FFFF " +
        "and no unpaired surrogates (XML 1.0 cannot carry them, PostgreSQL cannot store U+0000)";

    // The characters XML 1.0 excludes (its Char production) within the UTF-16 range, surrogates included so that
    // each one found can be checked for its partner.
    private static readonly SearchValues<char> Suspect = SearchValues.Create(
        string.Concat(Enumerable.Range(0, 0x20).Where(c => c is not (0x9 or 0xA or 0xD)).Select(c => (char)c)) +
        string.Concat(Enumerable.Range(0xD800, 0x800).Select(c => (char)c)) + "\uFFFE\uFFFF");

    /// <summary>Why the text cannot be carried (naming the first such character), or null when it can.</summary>
    public static string? TextProblem(ReadOnlySpan<char> text) =>
        FirstUncarriable(text) is var i and >= 0 ? $"U+{(int)text[i]:X4} at character {i + 1} cannot be carried: {TextRule}" : null;

    /// <summary>
    /// The text with each character that cannot be carried written as a <c>\uXXXX</c> escape: for messages and records
    /// that must quote what was received (an ERP's answer, a refused event's id) without failing on it themselves.
    /// </summary>
    public static string Escaped(string text)
    {
        var escaped = new System.Text.StringBuilder(text.Length);
        var rest = text.AsSpan();
        for (var i = FirstUncarriable(rest); i >= 0; i = FirstUncarriable(rest))
        {
            escaped.Append(rest[..i]).Append($"\\u{(int)rest[i]:X4}");
            rest = rest[(i + 1)..];
        }
        return escaped.Append(rest).ToString();
    }

    private static int FirstUncarriable(ReadOnlySpan<char> text)
    {
        var offset = 0;
        while (text[offset..].IndexOfAny(Suspect) is var found and >= 0)
        {
            var i = offset + found;
            if (!char.IsHighSurrogate(text[i]) || i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1])) return i;
            offset = i + 2;
        }
        return -1;
    }
}
