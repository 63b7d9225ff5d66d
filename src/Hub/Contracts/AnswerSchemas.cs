using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using NodaTime;

namespace ProductHub.Hub.Contracts;

/// <summary>
/// Schemas of the answers as the hub writes them, where ASP.NET's generator cannot know: NodaTime values are written as
/// ISO text by their converters, and numbers are written as numbers (the web defaults would also read them from strings,
/// which the generator announces as <c>["integer", "string"]</c>: a client would then type every count as text).
/// </summary>
internal static class AnswerSchemas
{
    private static readonly Dictionary<Type, string> IsoText = new()
    {
        [typeof(Instant)] = "date-time",
        [typeof(LocalDate)] = "date",
    };

    /// <summary>NodaTime values are written inline, as the strings they are, rather than as components of their own.</summary>
    public static string? ReferenceId(JsonTypeInfo type) =>
        IsoText.ContainsKey(Nullable.GetUnderlyingType(type.Type) ?? type.Type)
            ? null
            : OpenApiOptions.CreateDefaultSchemaReferenceId(type);

    public static Task Transform(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var type = context.JsonTypeInfo.Type;
        if (IsoText.TryGetValue(Nullable.GetUnderlyingType(type) ?? type, out var format))
        {
            schema.Type = Nullable.GetUnderlyingType(type) is null ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
            schema.Format = format;
        }
        else if ((Nullable.GetUnderlyingType(type) ?? type) == typeof(decimal))
        {
            // Quantities are decimals in the hub; "double" would have clients round them.
            schema.Type &= ~JsonSchemaType.String;
            schema.Pattern = null;
            schema.Format = "decimal";
        }
        else if (schema.Type is { } declared && (declared & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0 &&
                 (declared & JsonSchemaType.String) != 0)
        {
            schema.Type = declared & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
        return Task.CompletedTask;
    }
}
