using System.Globalization;
using System.Text.Json.Nodes;

namespace ProductHub.Tests.Support;

/// <summary>The published BOM data sets in <c>../shared/reference-data/boms</c>, beside the repository.</summary>
public static class ReferenceData
{
    public static string Folder(string dataset) => Path.Combine(Repository.Root, "..", "shared", "reference-data", "boms", dataset);

    public static JsonNode Load(string dataset)
    {
        var file = Path.Combine(Folder(dataset), dataset + ".json");
        File.Exists(file).ShouldBeTrue($"The reference data {file} should sit beside the repository, as ../shared does in CI");
        return JsonNode.Parse(File.ReadAllText(file))!;
    }

    /// <summary>The line's find number in a released part: its place in the source's BOM, by tens.</summary>
    public static int FindNumber(int index) => (index + 1) * 10;

    /// <summary>
    /// Defines the data set's units and releases all its parts as revision A in one package, each with the
    /// operations <paramref name="routingOf"/> gives it (none by default).
    /// </summary>
    public static async Task ReleaseAsync(HubApi api, JsonNode data, Func<JsonNode, object[]?>? routingOf = null)
    {
        foreach (var (code, factor) in data["units"]!.AsObject())
        {
            var answer = await api.DefineUnit(code, new { dimension = "count", factor = Fraction(factor!.GetValue<string>()) });
            answer.Status.ShouldBeOneOf(200, 201);
        }

        var parts = data["parts"]!.AsArray().Select(p => p!).Select(p => new
        {
            partNumber = p["partNumber"]!.GetValue<string>(),
            revision = "A",
            description = p["description"]?.GetValue<string>() is { Length: > 0 } d ? d : p["partNumber"]!.GetValue<string>(),
            unit = p["unit"]!.GetValue<string>(),
            type = p["type"]!.GetValue<string>(),
            baseQuantity = p["bomBaseQuantity"]?.GetValue<decimal>(),
            baseUnit = p["bomUnit"]?.GetValue<string>(),
            bom = p["bom"]!.AsArray().Select((l, i) => new
            {
                findNumber = FindNumber(i),
                partNumber = l!["partNumber"]!.GetValue<string>(),
                quantity = l["quantity"]!.GetValue<decimal>(),
                unit = l["unit"]!.GetValue<string>(),
            }).ToArray(),
            operations = routingOf?.Invoke(p),
        }).ToArray();

        var released = await api.Release(new
        {
            packageId = "REF-" + data["source"]!.GetValue<string>().GetHashCode().ToString("X"),
            source = "reference-data",
            releasedAt = "2026-01-01T00:00:00Z",
            parts,
        });
        released.Status.ShouldBe(201, released.ToString());
    }

    private static decimal Fraction(string text)
    {
        var parts = text.Split('/');
        var value = decimal.Parse(parts[0], CultureInfo.InvariantCulture);
        return parts.Length == 2 ? value / decimal.Parse(parts[1], CultureInfo.InvariantCulture) : value;
    }
}
