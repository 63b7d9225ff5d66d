using NodaTime;
using ProductHub.Domain;
using ProductHub.Domain.Parts;
using ProductHub.Domain.Plants;
using ProductHub.Projections.Boms;
using ProductHub.Projections.Parts;
using ProductHub.Projections.Units;

namespace ProductHub.Projections.Plants;

/// <summary>
/// A plant's MBOM lines: the released EBOM lines with the plant's rules applied, over every production date at
/// once (effectivities are split and intersected, never filtered), so the same lines serve a dated query and a
/// publication to the plant's ERP.
/// <list type="bullet">
/// <item>Substitution: within its date range the line uses the substitute; outside it the original.</item>
/// <item>Exclusion: the line is dropped with everything below it.</item>
/// <item>Phantom: the line is replaced by the phantom's own lines, quantities multiplied, for the dates each of
/// the phantom's revisions governs; rules apply to those lines in turn (a substitution inside a phantom).</item>
/// <item>Make/buy: a part bought in this plant is not exploded below.</item>
/// </list>
/// </summary>
public sealed class PlantLines(PlantRules rules, UnitCatalog units, Instant? asOf) : IBomLines
{
    /// <summary>
    /// Loads the parts the lines point at (substitutes too), then, level by level, the parts the phantoms among them
    /// are blown through to: every revision of a phantom, so the loading needs no dates.
    /// </summary>
    public async Task LoadAsync(IReadOnlyCollection<RevisionView> revisions, PartCache parts)
    {
        var seen = new HashSet<RevisionView>();
        IReadOnlyCollection<RevisionView> level = revisions;
        while (level.Count > 0)
        {
            seen.UnionWith(level);
            var referenced = level.SelectMany(Referenced).Distinct(StringComparer.Ordinal).ToList();
            await parts.EnsureAsync(referenced);
            level = referenced.Where(p => !rules.Excludes(p)).Select(p => parts[p])
                .Where(p => p is not null && rules.BlowsThrough(p.Id, p.Type))
                .SelectMany(p => p!.RevisionPeriods(asOf).Select(r => r.Revision))
                .Where(r => !seen.Contains(r)).Distinct().ToList();
        }
    }

    public IReadOnlyList<StructureLine> LinesOf(RevisionView revision, PartCache parts)
    {
        var lines = new List<StructureLine>();
        foreach (var line in revision.Bom)
        {
            Add(lines, parts, line.FindNumber, line.PartNumber, line.Quantity, line.Unit,
                new Effectivity(line.EffectiveFrom, line.EffectiveTo), line.ReferenceDesignators, []);
        }
        return lines;
    }

    public Procurement? ProcurementOf(PartView part) => rules.ProcurementOf(part.Id, part.Type);

    public bool ExplodesBelow(PartView part) => ProcurementOf(part) == Procurement.Make;

    public bool ReportsChanges => true;

    private IEnumerable<string> Referenced(RevisionView revision) =>
        revision.Bom.SelectMany(l => rules.Substitutions.Where(s => s.PartNumber == l.PartNumber)
            .Select(s => s.Substitute).Prepend(l.PartNumber));

    private void Add(
        List<StructureLine> lines, PartCache parts, int findNumber, string partNumber, decimal quantity, string unit,
        Effectivity dates, IReadOnlyList<string> referenceDesignators, IReadOnlyList<string> changes)
    {
        foreach (var (piece, used, pieceChanges) in Substituted(partNumber, dates, changes))
        {
            if (rules.Excludes(used)) continue;
            var part = parts[used];
            if (part is null || !rules.BlowsThrough(used, part.Type))
            {
                lines.Add(new StructureLine(findNumber, used, quantity, unit, piece, referenceDesignators, pieceChanges));
                continue;
            }

            foreach (var (phantom, governs) in part.RevisionPeriods(asOf))
            {
                if (piece.Intersect(governs) is not { } phantomDates) continue;
                if (!units.Converts(unit, phantom.Unit))
                {
                    throw new UncomputableQuantityException($"bom[findNumber={findNumber}].unit",
                        $"find {findNumber}: {unit} cannot be converted to phantom {used}'s unit {phantom.Unit}");
                }
                foreach (var child in phantom.Bom)
                {
                    if (phantomDates.Intersect(new Effectivity(child.EffectiveFrom, child.EffectiveTo)) is not { } childDates) continue;
                    // The phantom's BOM is for its base quantity; the line's quantity is brought to that basis first.
                    var pulledUp = Quantities.Product(() => quantity * units[unit].ConversionTo(units[phantom.Unit]) /
                                       (phantom.BaseQuantity * units[phantom.BaseUnit].ConversionTo(units[phantom.Unit])) * child.Quantity)
                                   ?? throw new UncomputableQuantityException($"bom[findNumber={findNumber}].quantity",
                                       $"find {findNumber}: {quantity} {unit} of phantom {used} rev {phantom.Revision} times its line " +
                                       $"{child.FindNumber} ({child.Quantity} {child.Unit} per {phantom.BaseQuantity} {phantom.BaseUnit}) " +
                                       $"cannot be computed: {Quantities.ComputableRange}");
                    Add(lines, parts, findNumber, child.PartNumber, Quantities.Rounded(pulledUp), child.Unit, childDates,
                        child.ReferenceDesignators,
                        [.. pieceChanges, $"pulled up from phantom {used} rev {phantom.Revision} (find {child.FindNumber})"]);
                }
            }
        }
    }

    private IEnumerable<(Effectivity Dates, string PartNumber, IReadOnlyList<string> Changes)> Substituted(
        string partNumber, Effectivity dates, IReadOnlyList<string> changes)
    {
        var pieces = new List<(Effectivity Dates, string PartNumber, IReadOnlyList<string> Changes)> { (dates, partNumber, changes) };
        foreach (var substitution in rules.Substitutions.Where(s => s.PartNumber == partNumber))
        {
            var range = new Effectivity(substitution.EffectiveFrom ?? LocalDate.MinIsoValue, substitution.EffectiveTo);
            pieces = pieces.SelectMany(p => p.PartNumber != partNumber
                ? [p]
                : p.Dates.Except(range).Select(rest => (rest, p.PartNumber, p.Changes))
                    .Concat(p.Dates.Intersect(range) is { } inside
                        ? [(inside, substitution.Substitute, (IReadOnlyList<string>)[.. p.Changes, $"substitutes {partNumber}"])]
                        : [])).ToList();
        }
        return pieces.OrderBy(p => p.Dates.From);
    }
}
