using NodaTime;
using ProductHub.Domain.Documents;
using ProductHub.Domain.Parts;

namespace ProductHub.Domain.Plants;

// Facts of a part in a plant (stream mbom/{plant}/{part}) and of the exception workbench (stream exception/{id}).

/// <summary>
/// A plant MBOM published for downstream adapters: the item as the plant carries it and its single-level
/// lines with the plant's rules applied, its routing at the plant's work centers and the documents those name.
/// <c>Version</c> counts publications of this part in this plant;
/// <c>ContentHash</c> is deterministic over item and lines, so an unchanged result is never published twice.
/// </summary>
public sealed record PlantBomPublished(
    string PlantCode,
    string PartNumber,
    string Revision,
    int Version,
    string ContentHash,
    PlantItem Item,
    IReadOnlyList<StructureLine> Lines,
    string Cause,
    Instant RecordedAt,
    IReadOnlyList<PlantOperation>? Routing = null,
    IReadOnlyList<DocumentRevision>? Documents = null);

/// <summary>
/// An operation of a part's routing in a plant: at the plant's work center (mapped from the canonical one), consuming
/// the MBOM lines of the find numbers it names (lines pulled up from a phantom or substituted keep their find number).
/// </summary>
public sealed record PlantOperation(
    int OperationNumber,
    string Description,
    string WorkCenter,
    string CanonicalWorkCenter,
    OperationTimes Times,
    Effectivity Effectivity,
    IReadOnlyList<int> Consumes,
    IReadOnlyList<InspectionCharacteristic> Inspection,
    IReadOnlyList<DocumentReference>? Documents = null)
    : RoutedOperation(OperationNumber, Description, WorkCenter, Times, Effectivity, Consumes, Inspection, Documents);

public sealed record PlantItem(
    string PartNumber,
    string Revision,
    string Description,
    string Unit,
    Procurement Procurement,
    decimal BaseQuantity,
    string BaseUnit,
    LocalDate EffectiveFrom,
    ComplianceAttributes? Compliance,
    IReadOnlyList<ApprovedManufacturer> ApprovedManufacturers,
    ReferenceDataItem? ReferenceData);

public sealed record FailedCheck(string Field, string Message);

public sealed record PlantValidationFailed(
    string ExceptionId, string PlantCode, string PartNumber, string Revision, IReadOnlyList<FailedCheck> Checks,
    string Cause, Instant RecordedAt);

public sealed record PlantExceptionRetried(string ExceptionId, Instant RecordedAt);

public sealed record PlantExceptionResolved(string ExceptionId, string Resolution, Instant RecordedAt);

public sealed record PlantExceptionDismissed(string ExceptionId, string Reason, Instant RecordedAt);

public static class PlantStreams
{
    // Part numbers and plant codes cannot contain '/', so these keys never meet a part stream's key.
    public static string Plant(string plantCode) => $"plant/{plantCode}";

    public static string Mbom(string plantCode, string partNumber) => $"mbom/{plantCode}/{partNumber}";

    public static string Exception(string exceptionId) => $"exception/{exceptionId}";

    /// <summary>One exception per plant, part and revision, so retries and repeats land on the same record.</summary>
    public static string ExceptionId(string plantCode, string partNumber, string revision) =>
        "EX-" + ContentHash.Of($"{plantCode}\n{partNumber}\n{revision}")[..16];
}
