using ProductHub.Domain.Parts;
using ProductHub.Domain.Plants;
using ProductHub.Projections.Parts;

namespace ProductHub.Hub.Plants.Publishing;

/// <summary>
/// A part's routing in a plant: the revision's own operations (a phantom's are not carried: its lines are, into the
/// parent, under the parent's find number, so the parent's operations consume them), at the plant's work centers,
/// consuming only lines the plant builds with.
/// </summary>
public static class PlantRouting
{
    public static IReadOnlyList<PlantOperation> Of(RevisionView revision, IReadOnlyList<StructureLine> lines, PlantRules rules)
    {
        var built = lines.Select(l => l.FindNumber).ToHashSet();
        return revision.Operations.OrderBy(o => o.OperationNumber).Select(o => new PlantOperation(
            o.OperationNumber, o.Description, rules.WorkCenterOf(o.WorkCenter), o.WorkCenter, o.Times, o.Effectivity,
            [.. o.Consumes.Where(built.Contains)], o.Inspection, o.Documents ?? [])).ToList();
    }

    /// <summary>The operations at a work center the plant does not map, for a plant that requires every one mapped.</summary>
    public static IEnumerable<FailedCheck> Unmapped(RevisionView revision, PlantRules rules, string plantCode) =>
        revision.Operations.Where(o => !rules.MapsWorkCenter(o.WorkCenter)).OrderBy(o => o.OperationNumber).Select(o => new FailedCheck(
            $"operations[operationNumber={o.OperationNumber}].workCenter",
            $"plant {plantCode} maps no work center of its own for {o.WorkCenter} (rules.workCenters)"));
}
