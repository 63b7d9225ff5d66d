using JasperFx.Events;
using Marten.Events.Aggregation;
using ProductHub.Domain.Erp;

namespace ProductHub.Hub.Erp.Delivering;

/// <summary>
/// Lets Marten aggregate <see cref="Delivery"/> live from its stream (<c>FetchForWriting</c>, <c>AggregateStreamAsync</c>)
/// with the domain's own <see cref="Delivery.Evolve"/>: the state stays an immutable record free of Marten.
/// </summary>
public sealed class DeliveryAggregation : SingleStreamProjection<Delivery, string>
{
    public override Delivery? Evolve(Delivery? snapshot, string id, IEvent e) => Delivery.Evolve(snapshot, e.Data);
}
