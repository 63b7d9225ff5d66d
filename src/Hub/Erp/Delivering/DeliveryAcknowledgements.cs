using Marten;
using NodaTime;
using ProductHub.Domain.Erp;
using ProductHub.Hub.Api;
using ProductHub.Hub.Observability;
using ProductHub.Projections.Erp;

namespace ProductHub.Hub.Erp.Delivering;

public enum AcknowledgementOutcome { Recorded, Duplicate, Superseded, UnknownDelivery, NotAllowed, Conflict }

/// <summary>What became of an acknowledgement, and the delivery as it stands after it (null when unknown).</summary>
public sealed record AcknowledgementResult(AcknowledgementOutcome Outcome, DeliveryView? Delivery);

public static class DeliveryAcknowledgements
{
    /// <summary>
    /// Records an ERP's acknowledgement of a delivery once, however many arrive at the same moment (a callback sent
    /// twice, an ack file beside it): the delivery's stream is fetched for writing, so of the writers that read the
    /// same version only one commits. A loser reads the delivery afresh: acknowledged by the winner, it is answered
    /// as a duplicate; changed by something else (the send of a new round), it is a conflict to send again.
    /// </summary>
    /// <param name="allowed">Whether the caller may acknowledge this delivery; asked before anything is written.</param>
    public static async Task<AcknowledgementResult> RecordAsync(
        IDocumentSession session, HubMetrics metrics, string deliveryId, string? reference, Func<DeliveryView, bool> allowed,
        Instant now, CancellationToken ct)
    {
        var key = ErpStreams.Delivery(deliveryId);
        var stream = await session.Events.FetchForWriting<DeliveryView>(key, ct);
        switch (stream.Aggregate)
        {
            case null:
                return new AcknowledgementResult(AcknowledgementOutcome.UnknownDelivery, null);
            case var delivery when !allowed(delivery):
                return new AcknowledgementResult(AcknowledgementOutcome.NotAllowed, delivery);
            case { Status: DeliveryStatus.Superseded } delivery:
                return new AcknowledgementResult(AcknowledgementOutcome.Superseded, delivery);
            case { Status: DeliveryStatus.Acknowledged } delivery:
                metrics.Duplicate("acknowledgement");
                return new AcknowledgementResult(AcknowledgementOutcome.Duplicate, delivery);
        }

        stream.AppendOne(new DeliveryAcknowledged(deliveryId, reference, null, now));
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (WriteConflict.Is(e))
        {
            // A fresh session: this one still holds the projection of its own acknowledgement, which never committed.
            await using var fresh = session.DocumentStore.QuerySession();
            var current = await fresh.LoadAsync<DeliveryView>(key, ct);
            if (current?.Status != DeliveryStatus.Acknowledged) return new AcknowledgementResult(AcknowledgementOutcome.Conflict, current);
            metrics.Duplicate("acknowledgement");
            return new AcknowledgementResult(AcknowledgementOutcome.Duplicate, current);
        }
        Acknowledged(metrics, stream.Aggregate, now);
        return new AcknowledgementResult(AcknowledgementOutcome.Recorded, await session.LoadAsync<DeliveryView>(key, ct));
    }

    public static void Acknowledged(HubMetrics metrics, DeliveryView delivery, Instant at)
    {
        metrics.Delivery(delivery.Instance, "acknowledged");
        if (delivery.ReleasedAt is { } released)
            metrics.ReleaseToErp(delivery.PlantCode, delivery.Instance, (at - released).TotalMilliseconds);
    }
}
