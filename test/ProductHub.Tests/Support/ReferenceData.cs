using System.Text.Json.Nodes;

namespace ProductHub.Tests.Support;

/// <summary>The published BOM data sets in <c>../shared/reference-data/boms</c>, beside the repository.</summary>
public static class ReferenceData
{
    public static JsonNode Load(string dataset)
    {
        var file = Path.Combine(Repository.Root, "..", "shared", "reference-data", "boms", dataset, dataset + ".json");
        File.Exists(file).ShouldBeTrue($"The reference data {file} should sit beside the repository, as ../shared does in CI");
        return JsonNode.Parse(File.ReadAllText(file))!;
    }
}
