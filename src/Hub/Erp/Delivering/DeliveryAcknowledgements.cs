using Marten;
using NodaTime;
using ProductHub.Domain.Erp;
using ProductHub.Hub.Observability;
using ProductHub.Projections.Erp;

namespace ProductHub.Hub.Erp.Delivering;

public static class DeliveryAcknowledgements
{
    /// <summary>
    /// Records an ERP's acknowledgement unless the delivery has one already: an acknowledgement received twice
    /// is recorded once. The caller saves the session.
    /// </summary>
    public static async Task<(DeliveryView? Delivery, bool Duplicate)> RecordAsync(
        IDocumentSession session, HubMetrics metrics, string deliveryId, string? reference, Instant now, CancellationToken ct)
    {
        var delivery = await session.LoadAsync<DeliveryView>(ErpStreams.Delivery(deliveryId), ct);
        if (delivery is null || delivery.Status == DeliveryStatus.Superseded) return (delivery, false);
        if (delivery.Status == DeliveryStatus.Acknowledged)
        {
            metrics.Duplicate("acknowledgement");
            return (delivery, true);
        }
        session.Events.Append(delivery.Id, new DeliveryAcknowledged(deliveryId, reference, null, now));
        Acknowledged(metrics, delivery, now);
        return (delivery, false);
    }

    public static void Acknowledged(HubMetrics metrics, DeliveryView delivery, Instant at)
    {
        metrics.Delivery(delivery.Instance, "acknowledged");
        if (delivery.ReleasedAt is { } released)
            metrics.ReleaseToErp(delivery.PlantCode, delivery.Instance, (at - released).TotalMilliseconds);
    }
}
