using NodaTime;
using ProductHub.Adapters.Erp;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Plants;

namespace ProductHub.Hub.Erp.Delivering;

/// <summary>What an order to deliver comes to before anything is sent.</summary>
public abstract record AttemptStart
{
    /// <summary>Nothing to do: the delivery is settled, or the order is of an earlier round (a replay started a new one).</summary>
    public sealed record Done : AttemptStart;

    /// <summary>A newer version of the plant's data exists: sending this one could land after it, so it is never sent.</summary>
    public sealed record Superseded(DeliverySuperseded Event) : AttemptStart;

    public sealed record Send(int Attempt) : AttemptStart;
}

/// <summary>What to record of an attempt, and when to try again (null: no retry).</summary>
public sealed record AttemptRecord(IReadOnlyList<object> Events, Duration? RetryAfter, AttemptResult Result);

public enum AttemptResult { Acknowledged, AwaitingAcknowledgement, Failed, DeadLettered }

/// <summary>
/// The decisions of one attempt to deliver, apart from its I/O (loading, rendering and sending the payload, which
/// <see cref="DeliverToErpHandler"/> does): whether to send at all, and what the channel's outcome means under the
/// instance's retry policy.
/// </summary>
public static class DeliveryAttempt
{
    /// <param name="latest">The plant's latest publication of the part; null when it has none any more.</param>
    public static AttemptStart Start(DeliverToErp order, Delivery? delivery, PlantBomPublished? latest, Instant now)
    {
        if (delivery is null || order.Round != delivery.Rounds ||
            delivery.Status is DeliveryStatus.Acknowledged or DeliveryStatus.Superseded or DeliveryStatus.DeadLettered or DeliveryStatus.Sent)
        {
            return new AttemptStart.Done();
        }
        return latest is null || latest.Version > delivery.MbomVersion
            ? new AttemptStart.Superseded(new DeliverySuperseded(delivery.DeliveryId, latest?.Version ?? delivery.MbomVersion, now))
            : new AttemptStart.Send(delivery.Attempts + 1);
    }

    /// <param name="retry">The instance's retry policy; null when the instance is not configured (nothing to retry with).</param>
    /// <param name="sentAt">When the attempt was made.</param>
    /// <param name="answeredAt">When the channel's outcome came back (an acknowledgement's time).</param>
    public static AttemptRecord Record(
        Delivery delivery, int attempt, DeliveryRetry? retry, string payload, ChannelOutcome outcome, Instant sentAt, Instant answeredAt)
    {
        var sent = new DeliverySent(delivery.DeliveryId, attempt, payload, sentAt);
        switch (outcome)
        {
            case ChannelOutcome.Acknowledged ack:
                return new AttemptRecord([sent, new DeliveryAcknowledged(delivery.DeliveryId, ack.Reference, ack.Answer, answeredAt)], null,
                    AttemptResult.Acknowledged);
            case ChannelOutcome.Failed failed when retry?.NextAttemptAfter(attempt, sentAt) is { } next:
                return new AttemptRecord([sent, new DeliveryFailed(delivery.DeliveryId, attempt, failed.Error, next, sentAt)], next - sentAt,
                    AttemptResult.Failed);
            case ChannelOutcome.Failed failed:
                return new AttemptRecord(
                    [sent, new DeliveryFailed(delivery.DeliveryId, attempt, failed.Error, null, sentAt),
                     new DeliveryDeadLettered(delivery.DeliveryId, attempt, failed.Error, sentAt)], null, AttemptResult.DeadLettered);
            default:
                return new AttemptRecord([sent], null, AttemptResult.AwaitingAcknowledgement);
        }
    }
}
