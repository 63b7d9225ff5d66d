using Marten.Events.Projections;
using NodaTime;
using ProductHub.Domain.Parts;

namespace ProductHub.Projections.Parts;

/// <summary>Every BOM line, of any revision, that uses a part: the reverse index of the structure.</summary>
public sealed class WhereUsedView
{
    public string Id { get; set; } = "";
    public List<Usage> Usages { get; set; } = [];
}

public sealed record Usage(
    string ParentPartNumber,
    string ParentRevision,
    int FindNumber,
    decimal Quantity,
    string Unit,
    LocalDate EffectiveFrom,
    LocalDate? EffectiveTo)
{
    public bool IsEffectiveOn(LocalDate date) => new Effectivity(EffectiveFrom, EffectiveTo).Covers(date);
}

public partial class WhereUsedProjection : MultiStreamProjection<WhereUsedView, string>
{
    public WhereUsedProjection()
    {
        Identity<BomLineAdded>(e => e.ChildPartNumber);
    }

    public WhereUsedView Create(BomLineAdded e) => Apply(e, new WhereUsedView { Id = e.ChildPartNumber });

    public WhereUsedView Apply(BomLineAdded e, WhereUsedView view)
    {
        view.Usages.Add(new Usage(
            e.PartNumber, e.Revision, e.FindNumber, e.Quantity, e.Unit, e.Effectivity.From, e.Effectivity.To));
        return view;
    }
}
