using NodaTime;
using ProductHub.Domain.Documents;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Parts;
using ProductHub.Projections.Parts;

namespace ProductHub.Hub.ChangeOrders.Orchestrating;

/// <summary>
/// What a change order step sends its system of one affected revision: how the revision differs from the one released
/// before it (everything is added for a first revision), both read on the date the change takes effect, cut to what that
/// kind of system uses. A part of the change a kind does not use is null.
/// </summary>
public sealed record StepChange(
    string PartNumber, string Revision, string? PreviousRevision, LocalDate Effective,
    Differences<BomLineView>? Bom, Differences<RoutedOperation>? Routing, IReadOnlyList<InspectionChange>? Inspection,
    ManufacturerDifferences? ApprovedManufacturers, ComplianceChange? Compliance, DocumentDifferences? Documents);

/// <summary>An operation whose inspection characteristics changed: all of them before and after.</summary>
public sealed record InspectionChange(
    int OperationNumber, IReadOnlyList<InspectionCharacteristic> Before, IReadOnlyList<InspectionCharacteristic> After);

public static class StepContent
{
    private const string WorkInstruction = "workInstruction";
    private const string InspectionPlan = "inspectionPlan";

    /// <param name="requestedEffectivity">The change order's date: the revision is read there, or from its own start if later.</param>
    public static StepChange Of(SystemKind kind, PartView part, RevisionView revision, LocalDate requestedEffectivity)
    {
        var effective = LocalDate.Max(requestedEffectivity, revision.EffectiveFrom);
        var previous = part.RevisionReleasedBefore(revision, null);
        var from = new PartReading(previous ?? new RevisionView { EffectiveFrom = revision.EffectiveFrom }, effective);
        var to = new PartReading(revision, effective);
        var all = PartDifferences.Between(from, to);
        var change = new StepChange(part.Id, revision.Revision, previous?.Revision, effective, null, null, null, null, null, null);
        return kind switch
        {
            SystemKind.Mes => change with { Routing = all.Routing, Documents = OfKind(all.Documents, WorkInstruction) },
            SystemKind.Qms => change with { Inspection = InspectionChanges(from, to), Documents = OfKind(all.Documents, InspectionPlan) },
            SystemKind.SupplierPortal => change with { ApprovedManufacturers = all.ApprovedManufacturers },
            _ => change with
            {
                Bom = all.Bom, Routing = all.Routing, Inspection = InspectionChanges(from, to),
                ApprovedManufacturers = all.ApprovedManufacturers, Compliance = all.Compliance, Documents = all.Documents,
            },
        };
    }

    private static DocumentDifferences OfKind(DocumentDifferences documents, string kind) =>
        new([.. documents.Added.Where(d => d.Kind == kind)], [.. documents.Removed.Where(d => d.Kind == kind)]);

    private static List<InspectionChange> InspectionChanges(PartReading from, PartReading to)
    {
        var before = from.Operations.ToDictionary(o => o.OperationNumber, o => o.Inspection);
        var after = to.Operations.ToDictionary(o => o.OperationNumber, o => o.Inspection);
        return before.Keys.Union(after.Keys).Order()
            .Select(n => new InspectionChange(n, before.GetValueOrDefault(n) ?? [], after.GetValueOrDefault(n) ?? []))
            .Where(c => !c.Before.SequenceEqual(c.After)).ToList();
    }
}
