using System.Text.RegularExpressions;

namespace ProductHub.Hub.Api;

/// <summary>
/// Natural keys taken from URLs (plant codes, unit codes): printable, no blanks at either end and no '/',
/// since '/' separates the kinds of stream keys (<c>plant/P100</c>) and cannot travel in a URL segment.
/// </summary>
public static partial class Keys
{
    public static bool IsValid(string key) => key.Length <= 64 && Key().IsMatch(key);

    public const string Rule = "1 to 64 printable characters, no blanks at either end and no '/'";

    [GeneratedRegex(@"^[^/\s\p{C}]([^/\p{C}]*[^/\s\p{C}])?$")]
    private static partial Regex Key();
}
