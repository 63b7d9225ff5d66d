using NodaTime;
using ProductHub.Adapters.Contracts;
using ProductHub.Domain.Documents;
using ProductHub.Domain.Parts;

namespace ProductHub.Hub.Parts.Releasing;

/// <summary>
/// A release package from PLM: the command behind <c>POST /api/v1/releases</c>, shaped by
/// <c>schemas/canonical/v1/release-package.schema.json</c>. Parts may reference each other; children
/// outside the package must already be known to the hub. Parts and operations refer to documents released with the
/// package or before.
/// </summary>
[Contract("canonical/v1/release-package.schema.json")]
public sealed record ReleasePackage(
    string PackageId,
    string Source,
    DateTimeOffset ReleasedAt,
    string? ChangeOrder,
    IReadOnlyList<ReleasedPart> Parts,
    IReadOnlyList<DocumentRevision>? Documents = null);

public sealed record ReleasedPart(
    string PartNumber,
    string Revision,
    string Description,
    string Unit,
    PartType Type,
    decimal? BaseQuantity,
    string? BaseUnit,
    LocalDate? EffectiveFrom,
    IReadOnlyDictionary<string, string>? Attributes,
    ComplianceAttributes? Compliance,
    IReadOnlyList<ReleasedManufacturer>? ApprovedManufacturers,
    IReadOnlyList<ReleasedBomLine>? Bom,
    IReadOnlyList<ReleasedOperation>? Operations = null,
    IReadOnlyList<DocumentReference>? Documents = null);

public sealed record ReleasedManufacturer(string Manufacturer, string ManufacturerPartNumber);

public sealed record ReleasedBomLine(
    int FindNumber,
    string PartNumber,
    decimal Quantity,
    string Unit,
    LocalDate? EffectiveFrom,
    LocalDate? EffectiveTo,
    IReadOnlyList<string>? ReferenceDesignators);

/// <summary>An operation of the revision's routing; times in minutes, the run per <c>RunQuantity</c> of the part's unit.</summary>
public sealed record ReleasedOperation(
    int OperationNumber,
    string Description,
    string WorkCenter,
    decimal? SetupMinutes,
    decimal RunMinutes,
    decimal? RunQuantity,
    decimal? CleanupMinutes,
    OperationBatching? Batching,
    LocalDate? EffectiveFrom,
    LocalDate? EffectiveTo,
    IReadOnlyList<int>? Consumes,
    IReadOnlyList<InspectionCharacteristic>? Inspection,
    IReadOnlyList<DocumentReference>? Documents = null);
