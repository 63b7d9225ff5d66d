using ProductHub.Domain.Plants;
using ProductHub.Projections.Parts;

namespace ProductHub.Hub.Plants.Publishing;

/// <summary>The attributes a plant can make mandatory, by the path a plant rule names them with.</summary>
public static class RequiredAttributes
{
    private const string AttributePrefix = "attributes.";

    /// <summary>A document of that kind (<c>documents.workInstruction</c>), of the revision or one of its operations.</summary>
    private const string DocumentPrefix = "documents.";

    /// <summary>Every operation at a work center the plant maps: checked over the plant's rules, not the revision alone.</summary>
    public const string MappedWorkCenters = "operations.workCenter";

    private static readonly Dictionary<string, Func<RevisionView, ReferenceDataItem?, bool>> Known = new()
    {
        ["compliance.countryOfOrigin"] = (r, _) => !string.IsNullOrWhiteSpace(r.Compliance?.CountryOfOrigin),
        ["compliance.rohs"] = (r, _) => r.Compliance?.Rohs is not null,
        ["compliance.reach"] = (r, _) => r.Compliance?.Reach is not null,
        ["approvedManufacturers"] = (r, _) => r.ApprovedManufacturers.Count > 0,
        ["operations"] = (r, _) => r.Operations.Count > 0,
        ["referenceData.standardCost"] = (_, d) => d?.StandardCost is not null,
        ["referenceData.currency"] = (_, d) => !string.IsNullOrWhiteSpace(d?.Currency),
        ["referenceData.preferredSupplier"] = (_, d) => !string.IsNullOrWhiteSpace(d?.PreferredSupplier),
        ["referenceData.leadTimeDays"] = (_, d) => d?.LeadTimeDays is not null,
        ["referenceData.storageLocation"] = (_, d) => !string.IsNullOrWhiteSpace(d?.StorageLocation),
    };

    public static IEnumerable<string> Paths =>
        Known.Keys.Append(MappedWorkCenters).Append(AttributePrefix + "<name>").Append(DocumentPrefix + "<kind>");

    public static bool IsKnown(string path) =>
        Known.ContainsKey(path) || path == MappedWorkCenters || Named(path, AttributePrefix) is not null || Named(path, DocumentPrefix) is not null;

    public static bool IsPresent(string path, RevisionView revision, ReferenceDataItem? referenceData)
    {
        if (Known.TryGetValue(path, out var check)) return check(revision, referenceData);
        if (Named(path, DocumentPrefix) is { } kind) return revision.Documents.Any(d => d.Document.Kind == kind);
        return revision.Attributes.TryGetValue(path[AttributePrefix.Length..], out var value) && !string.IsNullOrWhiteSpace(value);
    }

    private static string? Named(string path, string prefix) =>
        path.StartsWith(prefix, StringComparison.Ordinal) && path.Length > prefix.Length ? path[prefix.Length..] : null;

    public static bool AppliesTo(MandatoryAttribute rule, Procurement procurement) =>
        rule.AppliesTo == "all" || rule.AppliesTo == procurement.ToString().ToLowerInvariant();
}
