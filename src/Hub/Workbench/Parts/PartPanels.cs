using Marten;
using ProductHub.Domain.Documents;
using ProductHub.Domain.Parts;
using ProductHub.Hub.Parts.Querying;
using ProductHub.Hub.Plants.Querying;
using ProductHub.Projections.Boms;
using ProductHub.Projections.Parts;

namespace ProductHub.Hub.Workbench.Parts;

/// <summary>A document revision the reading uses, where (null: the part as a whole), and whether the compared reading used it.</summary>
public sealed record DocumentRow(DocumentRevision Document, IReadOnlyList<int?> UsedAt, LineDifference Difference);

/// <summary>
/// What the part explorer shows beside the BOM for one reading of a part: its routing (the plant's, with the plant's
/// work centers, when a plant is chosen), the documents it uses and the parents that use it, each read by the code
/// of the API query that answers it, and the routing and documents marked against a compared reading.
/// </summary>
public sealed record PartPanels(
    PartRouting? Routing, string? RoutingProblem, Differences<RoutedOperation>? RoutingChanges, IReadOnlyList<DocumentRow> Documents,
    IReadOnlyList<ParentUsage> Parents)
{
    public static async Task<PartPanels> LoadAsync(
        BomRequest reading, BomRequest? comparedWith, string? plant, IQuerySession session, ExplosionPartViews partViews, CancellationToken ct)
    {
        var (routing, problem) = await RoutingAsync(reading, plant, session, partViews, ct);
        var now = new PartReading(reading.Revision, reading.Effective);
        var before = comparedWith is null ? null : new PartReading(comparedWith.Revision, comparedWith.Effective);
        var differences = before is null ? null : PartDifferences.Between(before, now);
        var parents = await GetWhereUsed.ParentsAsync(reading.Part.Id, reading.Effective, reading.AsOf, session, ct) ?? [];
        return new PartPanels(routing, problem, differences?.Routing, DocumentRows(now, before, differences?.Documents), parents);
    }

    private static async Task<(PartRouting?, string?)> RoutingAsync(
        BomRequest reading, string? plant, IQuerySession session, ExplosionPartViews partViews, CancellationToken ct)
    {
        if (plant is null) return (PartRouting.Of(null, reading, reading.Revision.Operations, null), null);
        try
        {
            return await GetPlantRouting.RoutingAsync(plant, reading, null, session, partViews, ct) is { } routing
                ? (routing, null)
                : (null, PlantNotConfigured(plant));
        }
        catch (UncomputableQuantityException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>What the page says of a plant it reads at an instant before the plant was configured.</summary>
    public static string PlantNotConfigured(string plant) => $"Plant {plant} was not configured yet at that instant.";

    /// <summary>The documents of the reading, marked as the differences say, then those only the compared reading used, struck out.</summary>
    private static List<DocumentRow> DocumentRows(PartReading now, PartReading? before, DocumentDifferences? changes)
    {
        var rows = UsedAt(now).Select(d => new DocumentRow(d.Key, d.Value,
            changes?.Added.Contains(d.Key) == true ? LineDifference.Added : LineDifference.Same));
        var removed = before is null ? []
            : UsedAt(before).Where(d => changes!.Removed.Contains(d.Key)).Select(d => new DocumentRow(d.Key, d.Value, LineDifference.Removed));
        return [.. rows.Concat(removed).OrderBy(r => r.Document.DocumentNumber, StringComparer.Ordinal).ThenBy(r => r.Document.Revision, StringComparer.Ordinal)];
    }

    private static Dictionary<DocumentRevision, IReadOnlyList<int?>> UsedAt(PartReading reading)
    {
        return reading.Revision.UsesAt(reading.Operations.Select(o => o.OperationNumber)).GroupBy(d => d.Document)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<int?>)[.. g.Select(d => d.OperationNumber).Distinct().Order()]);
    }
}
