using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ProductHub.Adapters.Contracts;
using ProductHub.Hub;

namespace ProductHub.Tests.Contracts;

/// <summary>
/// Every request body type against the schema it declares, property by property at every level: a field the
/// schema allows but the type drops would be silently lost, one the type reads but the schema does not know would
/// never be validated.
/// </summary>
public sealed class ContractAgreementTests
{
    private static readonly List<Type> Contracts = typeof(HubHost).Assembly.GetTypes()
        .Where(t => t.GetCustomAttribute<ContractAttribute>() is not null).ToList();

    public static TheoryData<string> ContractTypes() => new(Contracts.Select(t => t.Name));

    [Theory, MemberData(nameof(ContractTypes))]
    public void the_type_and_its_schema_name_the_same_fields_at_every_level(string typeName)
    {
        var type = Contracts.Single(t => t.Name == typeName);
        var schema = JsonNode.Parse(ContractSchema.For(type).Text)!;

        Disagreements(type, schema, schema, "$").ShouldBeEmpty();
    }

    [Fact]
    public void every_canonical_schema_is_the_contract_of_a_request_body()
    {
        var declared = Contracts.Select(t => t.GetCustomAttribute<ContractAttribute>()!.Schema).ToHashSet();

        ContractSchema.All.Where(s => s.StartsWith("canonical/", StringComparison.Ordinal)).Where(s => !declared.Contains(s)).ShouldBeEmpty();
    }

    [Fact]
    public void a_field_added_to_a_type_only_is_found()
    {
        var schema = JsonNode.Parse("""{ "type": "object", "properties": { "reference": { "type": "string" } } }""")!;

        Disagreements(typeof(WithAnExtraField), schema, schema, "$").ShouldBe(["$.note: in the type, not in the schema"]);
    }

    private sealed record WithAnExtraField(string? Reference, string? Note);

    private static IEnumerable<string> Disagreements(Type type, JsonNode schema, JsonNode root, string path)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var branches = Branches(schema, root).ToList();
        if (Element(type) is { } element)
        {
            foreach (var items in branches.Select(b => b["items"]).OfType<JsonNode>())
                foreach (var d in Disagreements(element, items, root, path + "[]")) yield return d;
            yield break;
        }
        if (DictionaryValue(type) is { } value)
        {
            foreach (var values in branches.Select(b => b["additionalProperties"]).OfType<JsonObject>())
                foreach (var d in Disagreements(value, values, root, path + ".*")) yield return d;
            yield break;
        }

        var schemaFields = branches.Select(b => b["properties"]).OfType<JsonObject>()
            .SelectMany(p => p.Select(f => (f.Key, Schema: f.Value!))).ToList();
        if (schemaFields.Count == 0) yield break;
        if (IsLeaf(type))
        {
            yield return $"{path}: an object in the schema, {type.Name} in the type";
            yield break;
        }

        var typeFields = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null && p.GetIndexParameters().Length == 0)
            .ToDictionary(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name), p => p.PropertyType);
        var names = schemaFields.Select(f => f.Key).ToHashSet();
        foreach (var missing in typeFields.Keys.Where(k => !names.Contains(k)).Order()) yield return $"{path}.{missing}: in the type, not in the schema";
        foreach (var missing in names.Where(k => !typeFields.ContainsKey(k)).Order()) yield return $"{path}.{missing}: in the schema, not in the type";
        foreach (var (name, fieldSchema) in schemaFields.Where(f => typeFields.ContainsKey(f.Key)))
            foreach (var d in Disagreements(typeFields[name], fieldSchema, root, $"{path}.{name}")) yield return d;
    }

    /// <summary>The schema with its reference resolved, and every alternative it allows (allOf, oneOf, anyOf, if/then/else).</summary>
    private static IEnumerable<JsonNode> Branches(JsonNode schema, JsonNode root)
    {
        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            var target = reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries).Aggregate(root, (node, key) => node[key]!);
            foreach (var b in Branches(target, root)) yield return b;
        }
        yield return schema;
        foreach (var keyword in new[] { "allOf", "oneOf", "anyOf" })
            foreach (var branch in schema[keyword]?.AsArray().OfType<JsonNode>() ?? [])
                foreach (var b in Branches(branch, root)) yield return b;
        foreach (var keyword in new[] { "then", "else" })
            if (schema[keyword] is { } branch)
                foreach (var b in Branches(branch, root)) yield return b;
    }

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(JsonElement)
        || type.Namespace is "NodaTime" || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Guid);

    private static Type? Element(Type type) =>
        type == typeof(string) || DictionaryValue(type) is not null || !typeof(IEnumerable).IsAssignableFrom(type)
            ? null
            : type.IsArray ? type.GetElementType() : type.GetGenericArguments().SingleOrDefault();

    private static Type? DictionaryValue(Type type) =>
        type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))?.GetGenericArguments()[1];
}
