using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;

namespace ProductHub.Adapters.Contracts;

/// <summary>
/// One versioned JSON Schema from <c>schemas/</c>, embedded in this assembly. Validation answers with the
/// failures keyed by JSON path (<c>$.parts[0].bom[1].quantity</c>), the way our problem details name fields.
/// </summary>
public sealed partial class ContractSchema
{
    private static readonly ConcurrentDictionary<string, ContractSchema> Loaded = new();

    private static readonly EvaluationOptions Options = new()
    {
        OutputFormat = OutputFormat.Hierarchical,
        RequireFormatValidation = true,
    };

    private readonly JsonSchema _schema;

    private ContractSchema(string name, string text)
    {
        Name = name;
        Text = text;
        // Each schema gets its own registry: hosts built repeatedly in one process (tests) would
        // otherwise collide on the $id in the global registry.
        _schema = JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }

    /// <summary>Path below <c>schemas/</c>, e.g. <c>canonical/v1/release-package.schema.json</c>.</summary>
    public string Name { get; }

    public string Text { get; }

    public static ContractSchema Get(string name) => Loaded.GetOrAdd(name, static n =>
    {
        using var stream = typeof(ContractSchema).Assembly.GetManifestResourceStream($"schemas/{n}")
                           ?? throw new ArgumentException($"No schema named {n} is embedded", nameof(n));
        using var reader = new StreamReader(stream);
        return new ContractSchema(n, reader.ReadToEnd());
    });

    /// <summary>The schema a <see cref="ContractAttribute"/> names for the body type.</summary>
    public static ContractSchema For(Type contract) =>
        Get((contract.GetCustomAttributes(typeof(ContractAttribute), false).SingleOrDefault() as ContractAttribute
             ?? throw new ArgumentException($"{contract.Name} declares no [Contract] schema", nameof(contract))).Schema);

    public static IEnumerable<string> All =>
        typeof(ContractSchema).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("schemas/", StringComparison.Ordinal))
            .Select(n => n["schemas/".Length..]);

    public IReadOnlyDictionary<string, string[]> Validate(JsonElement instance)
    {
        var results = _schema.Evaluate(instance, Options);
        if (results.IsValid) return new Dictionary<string, string[]>();

        var errors = new FieldErrors();
        Collect(results, errors);
        return errors.ToDictionary();
    }

    /// <summary>
    /// Walks down failed nodes only: a branch that failed inside a passing <c>anyOf</c> or <c>oneOf</c> sits
    /// under a valid node and says nothing about the instance.
    /// </summary>
    private static void Collect(EvaluationResults node, FieldErrors errors)
    {
        if (node.IsValid) return;
        var path = ToJsonPath(node.InstanceLocation.ToString());
        foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>())
        {
            // "required" fails on the object; name each missing field instead, that is what a caller fixes.
            var missing = keyword == "required"
                ? QuotedName().Matches(message).Select(m => $"{path}.{m.Groups[1].Value}").ToList()
                : [];
            if (missing.Count == 0) errors.Add(path, message);
            foreach (var field in missing) errors.Add(field, "is required");
        }
        foreach (var child in node.Details ?? []) Collect(child, errors);
    }

    /// <summary>JSON Pointer (<c>/parts/0/unit</c>) to JSON path (<c>$.parts[0].unit</c>).</summary>
    public static string ToJsonPath(string pointer)
    {
        var path = "$";
        foreach (var raw in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var segment = raw.Replace("~1", "/").Replace("~0", "~");
            path = int.TryParse(segment, out var index) ? $"{path}[{index}]" : Member(path, segment);
        }
        return path;
    }

    /// <summary>The JSON path of a named member below <paramref name="path"/>: <c>$.parts</c>, or <c>$['odd name']</c>.</summary>
    public static string Member(string path, string name) =>
        PlainName().IsMatch(name) ? $"{path}.{name}" : $"{path}['{name.Replace("'", "\\'")}']";

    [GeneratedRegex("\"([^\"]+)\"")]
    private static partial Regex QuotedName();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PlainName();
}
