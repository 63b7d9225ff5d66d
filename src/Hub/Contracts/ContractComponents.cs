using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using ProductHub.Adapters.Contracts;

namespace ProductHub.Hub.Contracts;

/// <summary>
/// A request body's JSON Schema from <c>schemas/</c> as components of the OpenAPI document, so that clients are
/// generated from the very schema the hub validates with. OpenAPI 3.1 speaks the same JSON Schema dialect; what changes
/// is where definitions live: the schema's <c>$defs</c> become components of their own (<c>ReleasePackagePart</c>) and
/// its references point there. A reference with constraints beside it becomes an <c>allOf</c>, which means the same and
/// which every reader takes (some keep only a bare <c>$ref</c>), and an enumeration of strings says it is one of strings.
/// </summary>
internal static class ContractComponents
{
    private const string Definitions = "#/$defs/";

    /// <summary>A reference to the body type's schema, added to the document's components with its definitions.</summary>
    public static OpenApiSchemaReference Reference(Type body, OpenApiDocument document)
    {
        var name = body.Name;
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (document.Components.Schemas.ContainsKey(name)) return new OpenApiSchemaReference(name, document);

        var root = JsonNode.Parse(ContractSchema.For(body).Text)!.AsObject();
        var definitions = root["$defs"]?.AsObject().ToList() ?? [];
        foreach (var keyword in new[] { "$defs", "$schema", "$id" }) root.Remove(keyword);
        Add(name, root);
        foreach (var (key, definition) in definitions) Add(name + Pascal(key), definition!.DeepClone());
        return new OpenApiSchemaReference(name, document);

        void Add(string component, JsonNode schema)
        {
            Rewrite(schema, name);
            var read = new OpenApiJsonReader().ReadFragment<OpenApiSchema>(
                schema, OpenApiSpecVersion.OpenApi3_1, document, out var diagnostic);
            if (read is null || diagnostic.Errors.Count > 0)
                throw new InvalidOperationException(
                    $"{ContractSchema.For(body).Name} cannot be read as an OpenAPI schema: {string.Join("; ", diagnostic.Errors)}");
            document.AddComponent<IOpenApiSchema>(component, read);
        }
    }

    private static void Rewrite(JsonNode? node, string owner)
    {
        switch (node)
        {
            case JsonObject schema:
                if (schema["$ref"]?.GetValue<string>() is { } target && target.StartsWith(Definitions, StringComparison.Ordinal))
                {
                    var reference = "#/components/schemas/" + owner + Pascal(target[Definitions.Length..]);
                    if (schema.All(k => k.Key is "$ref" or "description")) schema["$ref"] = reference;
                    else
                    {
                        schema.Remove("$ref");
                        schema["allOf"] = new JsonArray(new JsonObject { ["$ref"] = reference });
                    }
                }
                // The same set of values, said so that generators type it as text (without, NSwag writes numbers).
                if (schema["enum"] is JsonArray values && schema["type"] is null &&
                    values.All(v => v?.GetValueKind() == System.Text.Json.JsonValueKind.String))
                    schema["type"] = "string";
                foreach (var (_, value) in schema.ToList()) Rewrite(value, owner);
                break;
            case JsonArray items:
                foreach (var item in items) Rewrite(item, owner);
                break;
        }
    }

    private static string Pascal(string name) => char.ToUpperInvariant(name[0]) + name[1..];
}
