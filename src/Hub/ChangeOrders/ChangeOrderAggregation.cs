using JasperFx.Events;
using Marten.Events.Aggregation;
using ProductHub.Domain.ChangeOrders;

namespace ProductHub.Hub.ChangeOrders;

/// <summary>
/// The write side's change order, folded live from its stream by <c>FetchForWriting&lt;ChangeOrder&gt;</c> (which
/// also fixes the version the append expects). An explicit <c>Evolve</c>: the state is an immutable record in
/// Domain, which Marten's source-generated conventions cannot reach.
/// </summary>
public sealed class ChangeOrderAggregation : SingleStreamProjection<ChangeOrder, string>
{
    public override ChangeOrder? Evolve(ChangeOrder? snapshot, string id, IEvent e) => ChangeOrder.Evolve(snapshot, e.Data);
}
