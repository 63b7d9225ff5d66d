using NodaTime;
using ProductHub.Domain.Documents;

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

/// <summary>
/// An operation of a revision's routing, at the work center it names (the canonical code, which each plant maps to
/// its own). <c>Consumes</c> are the find numbers of the revision's BOM lines used at this operation.
/// </summary>
public sealed record OperationAdded(
    string PartNumber,
    string Revision,
    int OperationNumber,
    string Description,
    string WorkCenter,
    OperationTimes Times,
    Effectivity Effectivity,
    IReadOnlyList<int> Consumes,
    IReadOnlyList<InspectionCharacteristic> Inspection,
    Instant RecordedAt);

/// <summary>
/// A document revision the part revision uses: as a whole (a drawing, a specification; no <c>OperationNumber</c>) or at one
/// of its operations (a work instruction, an inspection plan). It carries the document revision as released, which never
/// changes, so the part's stream alone says what the part was released with.
/// </summary>
public sealed record DocumentReferenced(
    string PartNumber, string Revision, int? OperationNumber, DocumentRevision Document, Instant RecordedAt);

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

public sealed record ApprovedManufacturer(string Manufacturer, string ManufacturerPartNumber);

public sealed record ComplianceAttributes(bool? Rohs, bool? Reach, string? CountryOfOrigin);

/// <summary>Date effectivity: <c>From</c> inclusive, <c>To</c> exclusive, null <c>To</c> is open-ended.</summary>
public sealed record Effectivity(LocalDate From, LocalDate? To)
{
    public bool Covers(LocalDate date) => date >= From && (To is null || date < To.Value);

    /// <summary>The dates both ranges cover, or null when they do not meet.</summary>
    public Effectivity? Intersect(Effectivity other)
    {
        var from = LocalDate.Max(From, other.From);
        LocalDate? to = (To, other.To) switch
        {
            (null, var t) => t,
            (var t, null) => t,
            var (a, b) => LocalDate.Min(a.Value, b.Value),
        };
        return to is null || from < to ? new Effectivity(from, to) : null;
    }

    /// <summary>The dates this range covers and <paramref name="other"/> does not: none, one or two ranges.</summary>
    public IEnumerable<Effectivity> Except(Effectivity other)
    {
        if (Intersect(other) is null)
        {
            yield return this;
            yield break;
        }
        if (From < other.From) yield return new Effectivity(From, other.From);
        if (other.To is { } end && (To is null || end < To.Value)) yield return new Effectivity(end, To);
    }
}

/// <summary>
/// A BOM line as a structure is read: the engineered line itself, or the line a plant builds with after its
/// rules; <c>Changes</c> names each rule that made it differ from the engineered line.
/// </summary>
public sealed record StructureLine(
    int FindNumber,
    string PartNumber,
    decimal Quantity,
    string Unit,
    Effectivity Effectivity,
    IReadOnlyList<string> ReferenceDesignators,
    IReadOnlyList<string> Changes)
{
    public bool IsEffectiveOn(LocalDate date) => Effectivity.Covers(date);
}
