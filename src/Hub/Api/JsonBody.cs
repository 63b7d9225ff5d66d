using System.Text.Json;
using ProductHub.Adapters.Contracts;

namespace ProductHub.Hub.Api;

/// <summary>
/// Reads a request body, validates it against the schema its type declares (<see cref="ContractAttribute"/>) and binds it. Binding happens only after
/// the schema passed, so a caller always learns about every bad field at once, by path.
/// </summary>
public static class JsonBody
{
    /// <summary>Whether a request came without a body at all, for the endpoints where one is optional.</summary>
    public static bool IsAbsent(HttpRequest request) =>
        request.ContentLength == 0 || (request.ContentLength is null && !request.Headers.ContainsKey("Transfer-Encoding"));

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(
        HttpRequest request, JsonSerializerOptions options, CancellationToken ct) where T : class
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException e)
        {
            return (null, Problems.Invalid(e.Path ?? "$",
                $"The body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}"));
        }

        using (document)
        {
            if (FirstInvalidText(document.RootElement, "$") is { } path)
                return (null, Problems.Invalid(path, "The text is not valid Unicode (invalid UTF-8 bytes or a lone surrogate escape)."));
            var errors = ContractSchema.For(typeof(T)).Validate(document.RootElement);
            if (errors.Count > 0) return (null, Problems.Invalid(errors));
            try
            {
                return (document.RootElement.Deserialize<T>(options)
                        ?? throw new JsonException("The body is null.", "$", null, null), null);
            }
            catch (JsonException e)
            {
                return (null, Problems.Invalid(e.Path ?? "$", e.Message));
            }
        }
    }

    /// <summary>
    /// The JSON reader checks structure, not the text inside strings: bytes that are not UTF-8 and escapes of lone
    /// surrogates only fail when a string is read, which must be here, as a 400, rather than deep in a validator.
    /// </summary>
    private static string? FirstInvalidText(JsonElement element, string path)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    element.GetString();
                    return null;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        var name = property.Name;
                        if (FirstInvalidText(property.Value, $"{path}.{name}") is { } found) return found;
                    }
                    return null;
                case JsonValueKind.Array:
                    var index = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        if (FirstInvalidText(item, $"{path}[{index++}]") is { } found) return found;
                    }
                    return null;
                default:
                    return null;
            }
        }
        catch (InvalidOperationException)
        {
            return path;
        }
    }
}
