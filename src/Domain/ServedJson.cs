using System.Text;
using System.Text.Json;

namespace ProductHub.Domain;

/// <summary>
/// How deep the JSON of one event (or a free-form field of a read model) may nest for the hub to serve it. Intake
/// refuses deeper input today, but events stored earlier stay: readers withhold what nests deeper rather than fail.
/// With the few levels of an answer's envelope around it, what the hub serves stays under 64, the default limit of
/// System.Text.Json and Newtonsoft.Json, so any client parses it.
/// </summary>
public static class ServedJson
{
    public const int MaxDepth = 48;

    /// <summary>
    /// The depth up to which stored JSON is still read (Marten's serializer): beyond anything PostgreSQL stores
    /// with its default stack, so a stored event never makes a stream unreadable because of its nesting.
    /// </summary>
    public const int ReadableDepth = 100_000;

    public static readonly string WithheldReason = $"nested deeper than {MaxDepth} levels";

    public static bool TooDeep(string json) => DepthOf(Encoding.UTF8.GetBytes(json)) > MaxDepth;

    public static bool TooDeep(JsonElement element) => TooDeep(element.GetRawText());

    /// <summary>How many objects and arrays nest in this JSON at most: <c>{"a":[1]}</c> is 2, a plain value 0.</summary>
    public static int DepthOf(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = ReadableDepth });
        var depth = 0;
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                depth = Math.Max(depth, reader.CurrentDepth + 1);
        }
        return depth;
    }
}
