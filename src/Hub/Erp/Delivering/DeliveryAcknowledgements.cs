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

/// <summary>What an acknowledgement comes to, and the event to record when it is the first.</summary>
public sealed record AcknowledgementDecision(AcknowledgementOutcome Outcome, DeliveryAcknowledged? Acknowledged);

public static class DeliveryAcknowledgements
{
    /// <summary>A superseded delivery was never sent, so nothing of it can be acknowledged; an acknowledged one is acknowledged once.</summary>
    public static AcknowledgementDecision Decide(AcknowledgeDelivery command, Delivery delivery, Instant now) => delivery.Status switch
    {
        DeliveryStatus.Superseded => new(AcknowledgementOutcome.Superseded, null),
        DeliveryStatus.Acknowledged => new(AcknowledgementOutcome.Duplicate, null),
        _ => new(AcknowledgementOutcome.Recorded, new DeliveryAcknowledged(delivery.DeliveryId, command.Reference, null, now)),
    };

    /// <summary>
    /// Another writer committed first: if it acknowledged the delivery, this acknowledgement is a duplicate; if it
    /// changed the delivery otherwise (the send of a new round), the caller is to send it again.
    /// </summary>
    public static AcknowledgementOutcome AfterLostRace(Delivery? current) =>
        current?.Status == DeliveryStatus.Acknowledged ? AcknowledgementOutcome.Duplicate : AcknowledgementOutcome.Conflict;

    /// <summary>
    /// Records an ERP's acknowledgement of a delivery once, however many arrive at the same moment (a callback sent
    /// twice, an ack file beside it): the delivery's stream is fetched for writing, so of the writers that read the
    /// same version only one commits, and a loser decides again on the delivery as the winner left it. The read model
    /// to answer with comes in the same round trip as the stream.
    /// </summary>
    /// <param name="allowed">Whether the caller may acknowledge this delivery; asked before anything is written.</param>
    public static async Task<AcknowledgementResult> RecordAsync(
        IDocumentSession session, HubMetrics metrics, string deliveryId, string? reference, Func<Delivery, bool> allowed,
        Instant now, CancellationToken ct)
    {
        var key = ErpStreams.Delivery(deliveryId);
        var batch = session.CreateBatchQuery();
        var fetched = batch.Events.FetchForWriting<Delivery>(key);
        var loaded = batch.Load<DeliveryView>(key);
        await batch.Execute(ct);
        var (stream, view) = (await fetched, await loaded);
        if (stream.Aggregate is not { } delivery || view is null) return new AcknowledgementResult(AcknowledgementOutcome.UnknownDelivery, null);
        if (!allowed(delivery)) return new AcknowledgementResult(AcknowledgementOutcome.NotAllowed, view);

        var decision = Decide(new AcknowledgeDelivery(reference), delivery, now);
        if (decision.Acknowledged is not { } acknowledged) return Answered(metrics, decision.Outcome, view);

        stream.AppendOne(acknowledged);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (WriteConflict.Is(e))
        {
            // A fresh session: this one still holds the projection of its own acknowledgement, which never committed.
            await using var fresh = session.DocumentStore.QuerySession();
            var current = await fresh.Events.AggregateStreamAsync<Delivery>(key, token: ct);
            return Answered(metrics, AfterLostRace(current), await fresh.LoadAsync<DeliveryView>(key, ct));
        }
        Acknowledged(metrics, delivery, now);
        view.Apply(acknowledged);
        return new AcknowledgementResult(AcknowledgementOutcome.Recorded, view);
    }

    public static void Acknowledged(HubMetrics metrics, Delivery delivery, Instant at)
    {
        metrics.Delivery(delivery.Instance, "acknowledged");
        if (delivery.ReleasedAt is { } released)
            metrics.ReleaseToErp(delivery.PlantCode, delivery.Instance, (at - released).TotalMilliseconds);
    }

    private static AcknowledgementResult Answered(HubMetrics metrics, AcknowledgementOutcome outcome, DeliveryView? view)
    {
        if (outcome == AcknowledgementOutcome.Duplicate) metrics.Duplicate("acknowledgement");
        return new AcknowledgementResult(outcome, view);
    }
}
