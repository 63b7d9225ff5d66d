using ProductHub.Domain.Parts;
using ProductHub.Domain.Plants;
using ProductHub.Projections.Parts;

namespace ProductHub.Projections.Boms;

/// <summary>How a revision's lines are read: as engineered (EBOM), or as one plant builds them (MBOM).</summary>
public interface IBomLines
{
    /// <summary>
    /// Loads into <paramref name="parts"/> all that <see cref="LinesOf"/> reads of these revisions: the parts their lines
    /// point at (and, for the MBOM, the parts reached through phantoms), one batch per level.
    /// </summary>
    Task LoadAsync(IReadOnlyCollection<RevisionView> revisions, PartCache parts);

    /// <summary>The revision's lines, computed from what <see cref="LoadAsync"/> loaded: no I/O.</summary>
    IReadOnlyList<StructureLine> LinesOf(RevisionView revision, PartCache parts);

    /// <summary>The procurement the line's part has here; null where none applies (the EBOM).</summary>
    Procurement? ProcurementOf(PartView part);

    /// <summary>Whether an explosion goes on below a part with this procurement.</summary>
    bool ExplodesBelow(PartView part);

    /// <summary>Whether lines say which rules changed them (there are none to say in the EBOM).</summary>
    bool ReportsChanges { get; }
}

/// <summary>The EBOM: the lines exactly as PLM released them.</summary>
public sealed class EngineeredLines : IBomLines
{
    public static readonly EngineeredLines Instance = new();

    public Task LoadAsync(IReadOnlyCollection<RevisionView> revisions, PartCache parts) =>
        parts.EnsureAsync(revisions.SelectMany(r => r.Bom).Select(l => l.PartNumber));

    public IReadOnlyList<StructureLine> LinesOf(RevisionView revision, PartCache parts) =>
        revision.Bom.Select(l => new StructureLine(
            l.FindNumber, l.PartNumber, l.Quantity, l.Unit, new Effectivity(l.EffectiveFrom, l.EffectiveTo),
            l.ReferenceDesignators, [])).ToList();

    public Procurement? ProcurementOf(PartView part) => null;

    public bool ExplodesBelow(PartView part) => true;

    public bool ReportsChanges => false;
}
