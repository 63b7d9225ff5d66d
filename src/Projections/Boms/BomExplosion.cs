using NodaTime;
using ProductHub.Domain;
using ProductHub.Projections.Parts;
using ProductHub.Projections.Units;

namespace ProductHub.Projections.Boms;

public sealed record ExplodedBom(
    string PartNumber, string Revision, LocalDate Effective, Instant? AsOf, IReadOnlyList<ExplodedLine> Lines);

/// <summary>
/// One line of an (indented) BOM. <c>Quantity</c> is per one parent in the line's unit;
/// <c>ExtendedQuantity</c> is per one of the top part, in the child part's own unit (<c>ExtendedUnit</c>),
/// after base quantities and unit conversions. <c>Revision</c> is null when no revision of the child is
/// released and effective on the date, in which case the line is not exploded further.
/// </summary>
public sealed record ExplodedLine(
    int Level,
    IReadOnlyList<string> Path,
    int FindNumber,
    string PartNumber,
    string? Revision,
    string? Description,
    decimal Quantity,
    string Unit,
    decimal ExtendedQuantity,
    string ExtendedUnit,
    LocalDate EffectiveFrom,
    LocalDate? EffectiveTo,
    IReadOnlyList<string> ReferenceDesignators);

/// <summary>Loads canonical parts by part number; missing ones are simply absent from the result.</summary>
public delegate Task<IReadOnlyDictionary<string, PartView>> PartLoader(IReadOnlyCollection<string> partNumbers);

/// <summary>
/// Explodes a revision's BOM on an effective date as known at an instant. Parts are loaded one level at a
/// time in a single batch per level, then the indented list is written depth first in find-number order.
/// </summary>
public sealed class BomExplosion(PartLoader load, UnitCatalog units)
{
    // Extended quantities are rounded here so that 1/12 * 12 reads as 1, not 0.9999999999999999999999999996.
    private const int Decimals = 12;

    private readonly Dictionary<string, PartView> _parts = new(StringComparer.Ordinal);

    public async Task<ExplodedBom> ExplodeAsync(
        PartView top, RevisionView revision, LocalDate effective, Instant? asOf, int? maxDepth)
    {
        _parts[top.Id] = top;
        await LoadLevelsAsync(revision, effective, asOf, maxDepth);

        var lines = new List<ExplodedLine>();
        Walk(top.Id, revision, [top.Id], 1m, 1);
        return new ExplodedBom(top.Id, revision.Revision, effective, asOf, lines);

        void Walk(string parent, RevisionView parentRevision, List<string> path, decimal parentExtended, int level)
        {
            var perOneParent = 1m / (parentRevision.BaseQuantity *
                                     units[parentRevision.BaseUnit].ConversionTo(units[parentRevision.Unit]));
            foreach (var line in parentRevision.LinesEffectiveOn(effective))
            {
                var child = _parts.GetValueOrDefault(line.PartNumber);
                var childRevision = child?.RevisionEffectiveOn(effective, asOf);
                var childUnit = childRevision?.Unit ?? child?.Unit ?? line.Unit;
                var extended = parentExtended * line.Quantity * perOneParent *
                               units[line.Unit].ConversionTo(units[childUnit]);
                var childPath = new List<string>(path) { line.PartNumber };

                lines.Add(new ExplodedLine(
                    level, childPath, line.FindNumber, line.PartNumber, childRevision?.Revision,
                    childRevision?.Description ?? child?.Description, line.Quantity, line.Unit,
                    Quantities.Normalize(Math.Round(extended, Decimals)), childUnit,
                    line.EffectiveFrom, line.EffectiveTo, line.ReferenceDesignators));

                // The path check guards against a cycle even though release intake rejects them.
                if (childRevision is not null && (maxDepth is null || level < maxDepth) &&
                    !path.Contains(line.PartNumber))
                {
                    Walk(line.PartNumber, childRevision, childPath, extended, level + 1);
                }
            }
        }
    }

    private async Task LoadLevelsAsync(RevisionView revision, LocalDate effective, Instant? asOf, int? maxDepth)
    {
        var level = new List<RevisionView> { revision };
        for (var depth = 1; level.Count > 0 && (maxDepth is null || depth <= maxDepth); depth++)
        {
            var wanted = level
                .SelectMany(r => r.LinesEffectiveOn(effective))
                .Select(l => l.PartNumber)
                .Where(p => !_parts.ContainsKey(p))
                .Distinct(StringComparer.Ordinal)
                .ToList();
            if (wanted.Count == 0) break;

            var loaded = await load(wanted);
            foreach (var (partNumber, part) in loaded) _parts[partNumber] = part;

            level = wanted
                .Select(p => _parts.GetValueOrDefault(p)?.RevisionEffectiveOn(effective, asOf))
                .OfType<RevisionView>()
                .ToList();
        }
    }
}
