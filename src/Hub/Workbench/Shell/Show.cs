using NodaTime;
using NodaTime.Text;

namespace ProductHub.Hub.Workbench.Shell;

/// <summary>How the pages write times: UTC to the second, as the hub records them.</summary>
public static class Show
{
    private static readonly InstantPattern Pattern = InstantPattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm:ss'Z'");

    public static string Time(Instant instant) => Pattern.Format(instant);

    public static string Time(Instant? instant) => instant is { } value ? Time(value) : "—";

    public static string Time(DateTimeOffset timestamp) => Time(Instant.FromDateTimeOffset(timestamp));

    public static string Date(LocalDate date) => LocalDatePattern.Iso.Format(date);

    public static string Period(LocalDate from, LocalDate? to) => $"{Date(from)} – {(to is { } end ? Date(end) : "")}";

    /// <summary>A JSON payload indented for reading; CSV or XML as it was sent.</summary>
    public static string Payload(string text)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(text)?.ToJsonString(Indented) ?? text;
        }
        catch (System.Text.Json.JsonException)
        {
            return text;
        }
    }

    private static readonly System.Text.Json.JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The enum value as the API writes it (camel case), which is also the badge's CSS class.</summary>
    public static string Name(Enum value)
    {
        var text = value.ToString();
        return char.ToLowerInvariant(text[0]) + text[1..];
    }

    public static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
