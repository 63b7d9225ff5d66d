using System.Text.Json.Serialization;
using NodaTime;
using ProductHub.Domain;
using ProductHub.Domain.Parts;
using ProductHub.Domain.Plants;
using ProductHub.Projections.Parts;
using ProductHub.Projections.Units;

namespace ProductHub.Projections.Boms;

public sealed record ExplodedBom(
    string PartNumber, string Revision, LocalDate Effective, Instant? AsOf, IReadOnlyList<ExplodedLine> Lines);

/// <summary>
/// One line of an (indented) BOM. <c>Quantity</c> is per one parent in the line's unit;
/// <c>ExtendedQuantity</c> is per one of the top part, in the child part's own unit (<c>ExtendedUnit</c>),
/// after base quantities and unit conversions. <c>Revision</c> is null when no revision of the child is
/// released and effective on the date, in which case the line is not exploded further. A plant MBOM adds the
/// child's procurement in the plant and the rules that changed the line.
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
    IReadOnlyList<string> ReferenceDesignators,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Procurement? Procurement = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Changes = null);

/// <summary>
/// Explodes a revision's BOM on an effective date as known at an instant. Parts are loaded one level at a
/// time in a single batch per level, then the indented list is written depth first in find-number order.
/// </summary>
public sealed class BomExplosion(PartCache parts, UnitCatalog units, IBomLines view)
{
    private readonly Dictionary<RevisionView, IReadOnlyList<StructureLine>> _lines = [];

    public BomExplosion(PartLoader load, UnitCatalog units) : this(new PartCache(load), units, EngineeredLines.Instance)
    {
    }

    public async Task<ExplodedBom> ExplodeAsync(
        PartView top, RevisionView revision, LocalDate effective, Instant? asOf, int? maxDepth)
    {
        parts.Add(top);
        await ReadLevelsAsync(revision, effective, asOf, maxDepth);

        var lines = new List<ExplodedLine>();
        Walk(revision, [top.Id], 1m, 1);
        return new ExplodedBom(top.Id, revision.Revision, effective, asOf, lines);

        void Walk(RevisionView parentRevision, List<string> path, decimal parentExtended, int level)
        {
            foreach (var line in _lines[parentRevision])
            {
                var child = parts[line.PartNumber];
                var childRevision = child?.RevisionEffectiveOn(effective, asOf);
                var childUnit = childRevision?.Unit ?? child?.Unit ?? line.Unit;
                var childPath = new List<string>(path) { line.PartNumber };
                var extended = ExtendedQuantity(parentRevision, parentExtended, line, childUnit, childPath);

                lines.Add(new ExplodedLine(
                    level, childPath, line.FindNumber, line.PartNumber, childRevision?.Revision,
                    childRevision?.Description ?? child?.Description, line.Quantity, line.Unit,
                    Quantities.Rounded(extended), childUnit,
                    line.Effectivity.From, line.Effectivity.To, line.ReferenceDesignators,
                    child is null ? null : view.ProcurementOf(child), view.ReportsChanges ? line.Changes : null));

                // The path check guards against a cycle even though release intake rejects them.
                if (childRevision is not null && _lines.ContainsKey(childRevision) && !path.Contains(line.PartNumber))
                {
                    Walk(childRevision, childPath, extended, level + 1);
                }
            }
        }
    }

    /// <summary>
    /// Per one of the top part, in the child's unit. A quantity the hub cannot compute is refused with the path that
    /// leads to it rather than shown as something it is not.
    /// </summary>
    private decimal ExtendedQuantity(
        RevisionView parent, decimal parentExtended, StructureLine line, string childUnit, IReadOnlyList<string> path)
    {
        if (!units.Converts(line.Unit, childUnit))
        {
            throw new UncomputableQuantityException($"lines[path={string.Join('/', path)}].unit",
                $"{string.Join(" → ", path)}: {line.Unit} cannot be converted to {line.PartNumber}'s unit {childUnit}");
        }
        return Quantities.Product(() => parentExtended * line.Quantity /
                                        (parent.BaseQuantity * units[parent.BaseUnit].ConversionTo(units[parent.Unit])) *
                                        units[line.Unit].ConversionTo(units[childUnit]))
               ?? throw new UncomputableQuantityException($"lines[path={string.Join('/', path)}].extendedQuantity",
                   $"{string.Join(" → ", path)}: the extended quantity ({parentExtended} × {line.Quantity} {line.Unit} " +
                   $"per {parent.BaseQuantity} {parent.BaseUnit}) cannot be computed: {Quantities.ComputableRange}");
    }

    /// <summary>Reads the lines of every revision the explosion reaches, one level at a time.</summary>
    private async Task ReadLevelsAsync(RevisionView revision, LocalDate effective, Instant? asOf, int? maxDepth)
    {
        var level = new List<RevisionView> { revision };
        for (var depth = 1; level.Count > 0; depth++)
        {
            await view.LoadAsync(level, parts);
            foreach (var parent in level)
            {
                _lines[parent] = view.LinesOf(parent, parts)
                    .Where(l => l.IsEffectiveOn(effective))
                    .OrderBy(l => l.FindNumber) // stable: lines pulled up from a phantom keep the phantom's order
                    .ToList();
            }
            await parts.EnsureAsync(level.SelectMany(r => _lines[r]).Select(l => l.PartNumber));
            if (maxDepth is not null && depth >= maxDepth) break;

            level = level.SelectMany(r => _lines[r])
                .Select(l => parts[l.PartNumber])
                .Where(p => p is not null && view.ExplodesBelow(p))
                .Select(p => p!.RevisionEffectiveOn(effective, asOf))
                .OfType<RevisionView>()
                .Where(r => !_lines.ContainsKey(r))
                .Distinct()
                .ToList();
        }
    }
}
