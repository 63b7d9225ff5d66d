using Marten;
using NodaTime;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Plants;
using ProductHub.Projections.Erp;
using Wolverine;

namespace ProductHub.Hub.Erp.Delivering;

/// <summary>
/// Deliver (or deliver again) a delivery; <c>Round</c> tells a stale message of an earlier round from the current one.
/// <c>Instance</c> and <c>PartNumber</c> name the order the delivery must keep (<see cref="OrderGroup"/>).
/// </summary>
public sealed record DeliverToErp(string DeliveryId, int Round, string? Instance = null, string? PartNumber = null)
{
    /// <summary>
    /// Deliveries of one part to one instance run one after another, so a newer version cannot overtake an older
    /// one in flight; other parts and instances run in parallel. Orders queued before these fields existed share one group.
    /// </summary>
    public string OrderGroup => $"{Instance}/{PartNumber}";
}

public static class Deliveries
{
    /// <summary>
    /// A publication to deliver to an instance, under its deterministic key: a key requested before (a resync, a
    /// replay) starts the next round of the same delivery, and the order names that round.
    /// </summary>
    /// <param name="delivery">The delivery of this publication's key so far; null when it was never requested.</param>
    public static (DeliveryRequested Requested, DeliverToErp Order) Request(
        Delivery? delivery, string instance, PlantBomPublished publication, Instant? releasedAt, string reason, Instant now)
    {
        var key = KeyOf(instance, publication);
        var id = ErpStreams.DeliveryId(key);
        return (new DeliveryRequested(id, key, instance, publication.PlantCode, publication.PartNumber, publication.Revision,
                publication.Version, publication.ContentHash, releasedAt, reason, now),
            new DeliverToErp(id, (delivery?.Rounds ?? 0) + 1, instance, publication.PartNumber));
    }

    /// <summary>
    /// Records that a publication is to reach an ERP instance and sends the order through the outbox: it leaves
    /// only if the transaction that recorded it commits, and survives a crash until it is handled.
    /// </summary>
    /// <param name="correlationId">The change's that caused it, when not the one the bus carries.</param>
    public static async Task RequestAsync(
        IDocumentSession session, IMessageBus bus, string instance, PlantBomPublished publication, Instant? releasedAt,
        string reason, Instant now, CancellationToken ct, string? correlationId = null)
    {
        var key = ErpStreams.Delivery(ErpStreams.DeliveryId(KeyOf(instance, publication)));
        var (requested, order) = Request(await session.Events.AggregateStreamAsync<Delivery>(key, token: ct), instance, publication,
            releasedAt, reason, now);
        session.Events.Append(key, requested);
        await bus.PublishAsync(order, correlationId is null ? null : new DeliveryOptions { CorrelationId = correlationId });
    }

    /// <summary>Requests the delivery again with its latest publication, as a replay or a resync does.</summary>
    public static Task RequestAgainAsync(
        IDocumentSession session, IMessageBus bus, DeliveryView delivery, PlantBomPublished latest, string reason, Instant now,
        CancellationToken ct) =>
        RequestAsync(session, bus, delivery.Instance, latest, delivery.ReleasedAt, reason, now, ct);

    private static string KeyOf(string instance, PlantBomPublished publication) =>
        ErpStreams.IdempotencyKey(instance, publication.PlantCode, publication.PartNumber, publication.Revision, publication.ContentHash);
}
