using NodaTime;
using ProductHub.Adapters.Contracts;
using ProductHub.Domain;
using ProductHub.Domain.Parts;

namespace ProductHub.Hub.Parts.Releasing;

/// <summary>A revision's routing as released: its operations with the defaults applied, and what makes it unusable.</summary>
public static class ReleasedRouting
{
    public static IReadOnlyList<OperationAdded> Resolve(ReleasedPart part, LocalDate effectiveFrom) =>
        (part.Operations ?? []).Select(o => new OperationAdded(
            part.PartNumber, part.Revision, o.OperationNumber, o.Description, o.WorkCenter,
            new OperationTimes(
                Quantities.Normalize(o.SetupMinutes ?? 0), Quantities.Normalize(o.RunMinutes), Quantities.Normalize(o.RunQuantity ?? 1),
                Quantities.Normalize(o.CleanupMinutes ?? 0), o.Batching ?? OperationBatching.Linear),
            new Effectivity(o.EffectiveFrom ?? effectiveFrom, o.EffectiveTo),
            [.. (o.Consumes ?? []).Order()], o.Inspection ?? [], default)).ToList();

    /// <summary>
    /// What the schema cannot say: operation numbers are unique, and an operation consumes only lines the revision has.
    /// </summary>
    public static void Check(ReleasedPart part, string path, FieldErrors errors)
    {
        var operations = part.Operations ?? [];
        var findNumbers = (part.Bom ?? []).Select(l => l.FindNumber).ToHashSet();
        var first = new Dictionary<int, int>();
        for (var k = 0; k < operations.Count; k++)
        {
            var operation = operations[k];
            var at = $"{path}.operations[{k}]";
            if (!first.TryAdd(operation.OperationNumber, k))
                errors.Add($"{at}.operationNumber",
                    $"operation {operation.OperationNumber} appears twice in the routing (also at {path}.operations[{first[operation.OperationNumber]}])");
            foreach (var findNumber in (operation.Consumes ?? []).Where(f => !findNumbers.Contains(f)))
                errors.Add($"{at}.consumes", $"find number {findNumber} is not a line of {part.PartNumber} rev {part.Revision}'s BOM");
        }
    }

    /// <summary>The routing's part of the revision's content hash: nothing for a revision without one, as before routings.</summary>
    public static IEnumerable<string> HashLines(IReadOnlyList<OperationAdded> operations) =>
        operations.OrderBy(o => o.OperationNumber).Select(o =>
            $"{o.OperationNumber}|{o.Description}|{o.WorkCenter}|{o.Times.SetupMinutes}|{o.Times.RunMinutes}|{o.Times.RunQuantity}|" +
            $"{o.Times.CleanupMinutes}|{o.Times.Batching}|{o.Effectivity.From}|{o.Effectivity.To}|{string.Join(",", o.Consumes)}|" +
            string.Join(";", o.Inspection.Select(i => $"{i.Characteristic}:{i.Nominal}:{i.LowerLimit}:{i.UpperLimit}:{i.Unit}")));
}
