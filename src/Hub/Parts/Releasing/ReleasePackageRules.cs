using ProductHub.Adapters.Contracts;

namespace ProductHub.Hub.Parts.Releasing;

/// <summary>The rules of a well-formed package that its JSON Schema cannot express.</summary>
public static class ReleasePackageRules
{
    private const string EffectiveToAfterFrom = "must be after effectiveFrom (effectiveFrom is inclusive, effectiveTo exclusive)";

    public static IReadOnlyDictionary<string, string[]> Check(ReleasePackage package)
    {
        var errors = new FieldErrors();
        var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < package.Parts.Count; i++)
        {
            var part = package.Parts[i];
            if (!firstIndex.TryAdd(part.PartNumber, i))
            {
                errors.Add($"$.parts[{i}].partNumber",
                    $"{part.PartNumber} appears twice in the package (also at $.parts[{firstIndex[part.PartNumber]}])");
            }

            var bom = part.Bom ?? [];
            var lines = new HashSet<(int, string, NodaTime.LocalDate?)>();
            for (var j = 0; j < bom.Count; j++)
            {
                var line = bom[j];
                if (line.EffectiveTo is { } to && to <= (line.EffectiveFrom ?? part.EffectiveFrom ?? to.PlusDays(-1)))
                {
                    errors.Add($"$.parts[{i}].bom[{j}].effectiveTo", EffectiveToAfterFrom);
                }
                if (!lines.Add((line.FindNumber, line.PartNumber, line.EffectiveFrom)))
                {
                    errors.Add($"$.parts[{i}].bom[{j}]",
                        $"find number {line.FindNumber} with {line.PartNumber} and the same effectiveFrom appears twice");
                }
            }
            var operations = part.Operations ?? [];
            for (var k = 0; k < operations.Count; k++)
            {
                var operation = operations[k];
                if (operation.EffectiveTo is { } to && to <= (operation.EffectiveFrom ?? part.EffectiveFrom ?? to.PlusDays(-1)))
                    errors.Add($"$.parts[{i}].operations[{k}].effectiveTo", EffectiveToAfterFrom);
            }
        }
        var documents = package.Documents ?? [];
        var firstDocument = new Dictionary<(string, string), int>();
        for (var i = 0; i < documents.Count; i++)
        {
            if (!firstDocument.TryAdd((documents[i].DocumentNumber, documents[i].Revision), i))
                errors.Add($"$.documents[{i}]",
                    $"{documents[i].DocumentNumber} revision {documents[i].Revision} appears twice in the package (also at $.documents[{firstDocument[(documents[i].DocumentNumber, documents[i].Revision)]}])");
        }
        return errors.ToDictionary();
    }
}
