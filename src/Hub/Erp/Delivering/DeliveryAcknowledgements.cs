using Marten;
using NodaTime;
using ProductHub.Domain.Erp;
using ProductHub.Hub.Observability;
using ProductHub.Projections.Erp;

namespace ProductHub.Hub.Erp.Delivering;

public static class DeliveryAcknowledgements
{
    /// <summary>
    /// Records an ERP's acknowledgement of a delivery the caller loaded (and checked), unless it has one already: an
    /// acknowledgement received twice is recorded once. The caller saves the session.
    /// </summary>
    public static bool Record(IDocumentSession session, HubMetrics metrics, DeliveryView delivery, string? reference, Instant now)
    {
        if (delivery.Status == DeliveryStatus.Superseded) return false;
        if (delivery.Status == DeliveryStatus.Acknowledged)
        {
            metrics.Duplicate("acknowledgement");
            return true;
        }
        session.Events.Append(delivery.Id, new DeliveryAcknowledged(delivery.DeliveryId, reference, null, now));
        Acknowledged(metrics, delivery, now);
        return false;
    }

    public static void Acknowledged(HubMetrics metrics, DeliveryView delivery, Instant at)
    {
        metrics.Delivery(delivery.Instance, "acknowledged");
        if (delivery.ReleasedAt is { } released)
            metrics.ReleaseToErp(delivery.PlantCode, delivery.Instance, (at - released).TotalMilliseconds);
    }
}
