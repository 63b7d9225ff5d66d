using System.Text.Json;

namespace ProductHub.Adapters.Contracts;

/// <summary>Why received JSON is refused: the field (JSON path) where it goes wrong, and how.</summary>
public sealed record JsonRefusal(string Field, string Problem);

/// <summary>
/// Received JSON (a request body, a dropped file, a queued message) read the one way every intake reads it:
/// well-formed, nested at most <see cref="IntakeLimits.MaxDepth"/> levels, and every string and property name valid
/// Unicode that the hub can store and send on (<see cref="IntakeLimits.TextProblem"/>).
/// </summary>
public static class JsonIntake
{
    private static readonly byte[] ByteOrderMark = [0xEF, 0xBB, 0xBF];

    /// <summary>The document (the caller disposes it), or why it is refused.</summary>
    public static (JsonDocument? Document, JsonRefusal? Refusal) Parse(ReadOnlyMemory<byte> utf8)
    {
        if (utf8.Span.StartsWith(ByteOrderMark)) utf8 = utf8[ByteOrderMark.Length..];
        try
        {
            if (TooDeep(utf8.Span) is { } deep)
                return (null, new JsonRefusal(deep, $"nested deeper than {IntakeLimits.MaxDepth} levels, the most the hub takes"));
        }
        catch (JsonException e)
        {
            return (null, new JsonRefusal("$", $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}"));
        }

        var document = JsonDocument.Parse(utf8);
        if (BadText(document.RootElement, "$") is not { } refusal) return (document, null);
        document.Dispose();
        return (null, refusal);
    }

    /// <summary>
    /// The path of the first array or object that opens deeper than the limit, read token by token so that any
    /// depth is named, not only those the parser would take. Throws <see cref="JsonException"/> on malformed JSON.
    /// </summary>
    private static string? TooDeep(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = IntakeLimits.MaxDepth + 1 });
        var open = new List<(string Path, bool IsArray)>();
        var nextIndex = new List<int>();
        // A copy of the reader at the last property name: the name is only turned into a string for a container's path.
        var atName = reader;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    atName = reader;
                    continue;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    open.RemoveAt(open.Count - 1);
                    nextIndex.RemoveAt(nextIndex.Count - 1);
                    continue;
            }
            var inArray = open.Count > 0 && open[^1].IsArray;
            var index = inArray ? nextIndex[^1]++ : 0;
            if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray)) continue;

            var path = open.Count == 0 ? "$"
                : inArray ? $"{open[^1].Path}[{index}]"
                : ContractSchema.Member(open[^1].Path, NameAt(atName));
            if (open.Count == IntakeLimits.MaxDepth) return path;
            open.Add((path, reader.TokenType == JsonTokenType.StartArray));
            nextIndex.Add(0);
        }
        return null;
    }

    private static string NameAt(Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return "\uFFFD"; // not valid UTF-8; the text check names it once the depth is fine
        }
    }

    /// <summary>
    /// The parser checks structure, not the text inside strings: bytes that are not UTF-8 and escaped lone
    /// surrogates only fail when a string is read, which must happen here, as a refusal, rather than deep in a validator.
    /// </summary>
    private static JsonRefusal? BadText(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return TextOf(element, path);
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return new JsonRefusal(path, InvalidUnicode("A property name"));
                    }
                    if (IntakeLimits.TextProblem(name) is { } problem) return new JsonRefusal(path, "A property name: " + problem);
                    if (BadText(property.Value, ContractSchema.Member(path, name)) is { } found) return found;
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (BadText(item, $"{path}[{index++}]") is { } found) return found;
                }
                return null;
            default:
                return null;
        }
    }

    private static JsonRefusal? TextOf(JsonElement text, string path)
    {
        try
        {
            return IntakeLimits.TextProblem(text.GetString()) is { } problem ? new JsonRefusal(path, problem) : null;
        }
        catch (InvalidOperationException)
        {
            return new JsonRefusal(path, InvalidUnicode("The text"));
        }
    }

    private static string InvalidUnicode(string what) => $"{what} is not valid Unicode (invalid UTF-8 bytes or a lone surrogate escape).";
}
