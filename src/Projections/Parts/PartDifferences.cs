using NodaTime;
using ProductHub.Domain.Documents;
using ProductHub.Domain.Parts;

namespace ProductHub.Projections.Parts;

/// <summary>What a reading of a part is: a revision's BOM lines and operations effective on a date, as the BOM and routing queries read them.</summary>
public sealed record PartReading(RevisionView Revision, LocalDate Effective)
{
    public IReadOnlyList<BomLineView> Lines =>
        [.. Revision.Bom.Where(l => new Effectivity(l.EffectiveFrom, l.EffectiveTo).Covers(Effective))];

    public IReadOnlyList<RoutedOperation> Operations => [.. Revision.Operations.Where(o => o.Effectivity.Covers(Effective))];

    /// <summary>The document revisions used by the revision as a whole and by the operations of this reading.</summary>
    public IReadOnlyList<DocumentRevision> Documents => Revision.DocumentsUsed(Operations.Select(o => o.OperationNumber));
}

/// <summary>Items only in the later reading, only in the earlier one, and in both with the fields that differ.</summary>
public sealed record Differences<T>(IReadOnlyList<T> Added, IReadOnlyList<T> Removed, IReadOnlyList<Change<T>> Changed);

/// <summary>An item in both readings: the names of the fields that differ, and the item before and after.</summary>
public sealed record Change<T>(IReadOnlyList<string> Fields, T Before, T After);

public sealed record ManufacturerDifferences(IReadOnlyList<ApprovedManufacturer> Added, IReadOnlyList<ApprovedManufacturer> Removed);

public sealed record ComplianceChange(ComplianceAttributes? Before, ComplianceAttributes? After);

/// <summary>Document revisions the later reading uses (as a whole or at an operation) and the earlier does not, and the reverse.</summary>
public sealed record DocumentDifferences(IReadOnlyList<DocumentRevision> Added, IReadOnlyList<DocumentRevision> Removed);

/// <summary>
/// How one reading of a part differs from another: BOM lines matched by find number, operations by operation number,
/// approved manufacturers, compliance and the document revisions used. What did not change is not listed.
/// </summary>
public sealed record PartDifferences(
    Differences<BomLineView> Bom, Differences<RoutedOperation> Routing, ManufacturerDifferences ApprovedManufacturers,
    ComplianceChange? Compliance, DocumentDifferences Documents)
{
    public static PartDifferences Between(PartReading from, PartReading to) => new(
        Compare(from.Lines, to.Lines, l => l.FindNumber, l => l.PartNumber, (b, a) => LineFields(from.Revision, b, to.Revision, a)),
        Compare(from.Operations, to.Operations, o => o.OperationNumber, _ => "", (b, a) => OperationFields(from.Revision, b, to.Revision, a)),
        new ManufacturerDifferences(
            [.. to.Revision.ApprovedManufacturers.Except(from.Revision.ApprovedManufacturers)],
            [.. from.Revision.ApprovedManufacturers.Except(to.Revision.ApprovedManufacturers)]),
        Equals(from.Revision.Compliance, to.Revision.Compliance) ? null : new ComplianceChange(from.Revision.Compliance, to.Revision.Compliance),
        new DocumentDifferences([.. to.Documents.Except(from.Documents)], [.. from.Documents.Except(to.Documents)]));

    /// <summary>
    /// Items with the same number are paired. A find number may hold several lines (another child from a date on):
    /// they pair by child part first, then in the order released; the rest are added or removed.
    /// </summary>
    private static Differences<T> Compare<T>(
        IReadOnlyList<T> before, IReadOnlyList<T> after, Func<T, int> number, Func<T, string> part, Func<T, T, IEnumerable<string>> fields)
    {
        var (samePart, restBefore, restAfter) = Zip(before, after, i => (number(i), part(i)));
        var (sameNumber, removed, added) = Zip(restBefore, restAfter, i => (number(i), ""));
        var changed = samePart.Concat(sameNumber).Select(p => new Change<T>([.. fields(p.Before, p.After)], p.Before, p.After))
            .Where(c => c.Fields.Count > 0).OrderBy(c => number(c.After)).ToList();
        return new Differences<T>([.. added.OrderBy(number)], [.. removed.OrderBy(number)], changed);
    }

    private static (List<(T Before, T After)> Pairs, List<T> Before, List<T> After) Zip<T>(
        IReadOnlyList<T> before, IReadOnlyList<T> after, Func<T, (int, string)> key)
    {
        var (pairs, restBefore, restAfter) = (new List<(T, T)>(), new List<T>(), new List<T>());
        var earlier = before.ToLookup(key);
        var later = after.ToLookup(key);
        foreach (var group in earlier.Select(g => g.Key).Union(later.Select(g => g.Key)))
        {
            var (b, a) = (earlier[group].ToList(), later[group].ToList());
            pairs.AddRange(b.Zip(a));
            restBefore.AddRange(b.Skip(a.Count));
            restAfter.AddRange(a.Skip(b.Count));
        }
        return (pairs, restBefore, restAfter);
    }

    private static IEnumerable<string> LineFields(RevisionView fromRevision, BomLineView before, RevisionView toRevision, BomLineView after)
    {
        if (before.PartNumber != after.PartNumber) yield return "partNumber";
        if (before.Quantity != after.Quantity) yield return "quantity";
        if (before.Unit != after.Unit) yield return "unit";
        if (OwnDates(fromRevision, new Effectivity(before.EffectiveFrom, before.EffectiveTo)) !=
            OwnDates(toRevision, new Effectivity(after.EffectiveFrom, after.EffectiveTo))) yield return "effectivity";
        if (!SameSet(before.ReferenceDesignators, after.ReferenceDesignators)) yield return "referenceDesignators";
    }

    private static IEnumerable<string> OperationFields(RevisionView fromRevision, RoutedOperation before, RevisionView toRevision, RoutedOperation after)
    {
        if (before.Description != after.Description) yield return "description";
        if (before.WorkCenter != after.WorkCenter) yield return "workCenter";
        if (before.Times != after.Times) yield return "times";
        if (OwnDates(fromRevision, before.Effectivity) != OwnDates(toRevision, after.Effectivity)) yield return "effectivity";
        if (!SameSet(before.Consumes, after.Consumes)) yield return "consumes";
        if (!before.Inspection.SequenceEqual(after.Inspection)) yield return "inspection";
        if (!SameSet(before.Documents ?? [], after.Documents ?? [])) yield return "documents";
    }

    /// <summary>
    /// A line or operation that starts with its revision (the default) starts with the other revision too: the
    /// revision's own date moving is not a change of what it holds.
    /// </summary>
    private static (LocalDate? From, LocalDate? To) OwnDates(RevisionView revision, Effectivity dates) =>
        (dates.From > revision.EffectiveFrom ? dates.From : null, dates.To);

    private static bool SameSet<T>(IEnumerable<T> a, IEnumerable<T> b) => a.ToHashSet().SetEquals(b);
}
