using NodaTime;

namespace ProductHub.Domain.Parts;

// The facts of a part's stream (keyed by part number). Every event carries the instant the hub
// recorded it, so projections stay deterministic on rebuild and "as of" queries compare against
// the hub's own knowledge time rather than PLM's clock.

public enum PartType { Make, Buy, Phantom, RawMaterial }

public enum LifecycleState { InWork, Released, Superseded, Obsolete }

public sealed record PartRegistered(
    string PartNumber, string Description, string Unit, PartType Type, Instant RecordedAt);

public sealed record PartAttributesChanged(
    string PartNumber, string Description, string Unit, PartType Type, Instant RecordedAt);

/// <summary>
/// A new revision and its part-level data. <c>BaseQuantity</c> of <c>BaseUnit</c> is what the revision's BOM
/// makes (SAP/Odoo base quantity); <c>EffectiveFrom</c> is the first production date this revision applies to.
/// </summary>
public sealed record RevisionCreated(
    string PartNumber,
    string Revision,
    string Description,
    string Unit,
    PartType Type,
    decimal BaseQuantity,
    string BaseUnit,
    LocalDate EffectiveFrom,
    IReadOnlyDictionary<string, string> Attributes,
    Instant RecordedAt);

public sealed record ComplianceRecorded(
    string PartNumber, string Revision, ComplianceAttributes Compliance, Instant RecordedAt);

public sealed record ApprovedManufacturerAdded(
    string PartNumber, string Revision, string Manufacturer, string ManufacturerPartNumber, Instant RecordedAt);

public sealed record BomLineAdded(
    string PartNumber,
    string Revision,
    int FindNumber,
    string ChildPartNumber,
    decimal Quantity,
    string Unit,
    IReadOnlyList<string> ReferenceDesignators,
    Effectivity Effectivity,
    Instant RecordedAt);

public sealed record RevisionReleased(
    string PartNumber,
    string Revision,
    string PackageId,
    Instant ReleasedAt,
    string? ChangeOrder,
    string ContentHash,
    Instant RecordedAt);

public sealed record RevisionSuperseded(
    string PartNumber, string Revision, string SupersededBy, Instant RecordedAt);

public sealed record ComplianceAttributes(bool? Rohs, bool? Reach, string? CountryOfOrigin);

/// <summary>Date effectivity: <c>From</c> inclusive, <c>To</c> exclusive, null <c>To</c> is open-ended.</summary>
public sealed record Effectivity(LocalDate From, LocalDate? To)
{
    public bool Covers(LocalDate date) => date >= From && (To is null || date < To.Value);
}
