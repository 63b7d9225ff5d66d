using ProductHub.Domain.Parts;
using ProductHub.Domain.Plants;
using ProductHub.Projections.Parts;

namespace ProductHub.Projections.Boms;

/// <summary>How a revision's lines are read: as engineered (EBOM), or as one plant builds them (MBOM).</summary>
public interface IBomLines
{
    /// <summary>The part numbers a revision's lines point at, to be loaded in one batch per level.</summary>
    IEnumerable<string> Referenced(RevisionView revision);

    Task<IReadOnlyList<StructureLine>> LinesOfAsync(RevisionView revision, PartCache parts);

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

    public IEnumerable<string> Referenced(RevisionView revision) => revision.Bom.Select(l => l.PartNumber);

    public Task<IReadOnlyList<StructureLine>> LinesOfAsync(RevisionView revision, PartCache parts) =>
        Task.FromResult<IReadOnlyList<StructureLine>>(revision.Bom.Select(l => new StructureLine(
            l.FindNumber, l.PartNumber, l.Quantity, l.Unit, new Effectivity(l.EffectiveFrom, l.EffectiveTo),
            l.ReferenceDesignators, [])).ToList());

    public Procurement? ProcurementOf(PartView part) => null;

    public bool ExplodesBelow(PartView part) => true;

    public bool ReportsChanges => false;
}
