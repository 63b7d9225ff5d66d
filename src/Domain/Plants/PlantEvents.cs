using NodaTime;
using ProductHub.Domain.Parts;

namespace ProductHub.Domain.Plants;

// The facts of a plant's stream (key plant/{code}): its configuration, the parts assigned to it, and the
// ERP reference data loaded for it. Configuration events carry the whole rule set, so the rules in force at
// any recorded instant are one event away.

public enum Procurement { Make, Buy }

public sealed record PlantConfigured(
    string PlantCode, string Name, string ErpInstance, PlantRules Rules, Instant RecordedAt);

public sealed record PartAssignedToPlant(string PlantCode, string PartNumber, Instant RecordedAt);

public sealed record ReferenceDataLoaded(
    string PlantCode, string Source, IReadOnlyList<ReferenceDataItem> Items, Instant RecordedAt);

/// <summary>ERP's own data about a part in a plant: it enriches what the plant receives, never engineering data.</summary>
public sealed record ReferenceDataItem(
    string PartNumber,
    decimal? StandardCost,
    string? Currency,
    string? PreferredSupplier,
    int? LeadTimeDays,
    string? StorageLocation);

public sealed record PlantRules(
    IReadOnlyList<Substitution> Substitutions,
    IReadOnlyList<string> Exclusions,
    IReadOnlyList<string> Phantoms,
    IReadOnlyList<MakeBuyOverride> MakeBuy,
    IReadOnlyList<MandatoryAttribute> MandatoryAttributes,
    IReadOnlyDictionary<string, string>? WorkCenters = null)
{
    public static readonly PlantRules None = new([], [], [], [], []);

    /// <summary>The plant's work center for a canonical one: mapped, or the canonical code where the plant maps none.</summary>
    public string WorkCenterOf(string canonical) => WorkCenters?.GetValueOrDefault(canonical) ?? canonical;

    public bool MapsWorkCenter(string canonical) => WorkCenters?.ContainsKey(canonical) == true;

    public bool Excludes(string partNumber) => Exclusions.Contains(partNumber);

    /// <summary>The same rules in the same order (a record's own equality compares its lists by reference).</summary>
    public bool SameAs(PlantRules other) =>
        Substitutions.SequenceEqual(other.Substitutions) && Exclusions.SequenceEqual(other.Exclusions) &&
        Phantoms.SequenceEqual(other.Phantoms) && MakeBuy.SequenceEqual(other.MakeBuy) &&
        MandatoryAttributes.SequenceEqual(other.MandatoryAttributes) &&
        (WorkCenters ?? new Dictionary<string, string>()).OrderBy(w => w.Key, StringComparer.Ordinal)
        .SequenceEqual((other.WorkCenters ?? new Dictionary<string, string>()).OrderBy(w => w.Key, StringComparer.Ordinal));

    /// <summary>Phantoms are blown through: listed by the plant, or phantoms by their engineering type.</summary>
    public bool BlowsThrough(string partNumber, PartType type) => type == PartType.Phantom || Phantoms.Contains(partNumber);

    public Procurement ProcurementOf(string partNumber, PartType type) =>
        MakeBuy.FirstOrDefault(m => m.PartNumber == partNumber)?.Procurement
        ?? (type is PartType.Make or PartType.Phantom ? Procurement.Make : Procurement.Buy);
}

/// <summary>In this plant, <c>PartNumber</c> is built with <c>Substitute</c> on production dates in the range.</summary>
public sealed record Substitution(string PartNumber, string Substitute, LocalDate? EffectiveFrom, LocalDate? EffectiveTo);

public sealed record MakeBuyOverride(string PartNumber, Procurement Procurement);

/// <summary>
/// An attribute the plant requires on the parts it receives. <c>AppliesTo</c> is <c>make</c>, <c>buy</c> or
/// <c>all</c>; <c>Attribute</c> a path such as <c>compliance.countryOfOrigin</c>, <c>approvedManufacturers</c>,
/// <c>attributes.material</c> or <c>referenceData.standardCost</c>.
/// </summary>
public sealed record MandatoryAttribute(string AppliesTo, string Attribute);
