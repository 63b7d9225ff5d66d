using Marten;
using NodaTime;
using ProductHub.Adapters.Erp;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Observability;
using ProductHub.Hub.Outbound;
using ProductHub.Projections.Erp;
using ProductHub.Projections.Plants;
using Wolverine;

namespace ProductHub.Hub.Erp.Delivering;

/// <summary>
/// One attempt to deliver: loads what <see cref="DeliveryAttempt"/> decides on, renders and sends the payload, and
/// records what was decided. Each attempt is recorded with the payload sent; a failure schedules the next attempt
/// after the instance's backoff (a durable scheduled message), until the instance's limit dead-letters it.
/// </summary>
public static class DeliverToErpHandler
{
    public static async Task Handle(
        DeliverToErp command, IDocumentSession session, IMessageBus bus, Connectors connectors, IClock clock,
        HubMetrics metrics, ILogger<DeliverToErp> logger, CancellationToken ct)
    {
        var key = ErpStreams.Delivery(command.DeliveryId);
        var delivery = await session.Events.AggregateStreamAsync<Delivery>(key, token: ct);
        var latest = delivery is null ? null
            : (await session.LoadAsync<PlantBomView>(PlantStreams.Mbom(delivery.PlantCode, delivery.PartNumber), ct))?.Latest;
        var now = clock.GetCurrentInstant();
        switch (DeliveryAttempt.Start(command, delivery, latest, now))
        {
            case AttemptStart.Superseded superseded:
                session.Events.Append(key, superseded.Event);
                metrics.Delivery(delivery!.Instance, "superseded");
                return;
            case AttemptStart.Send send:
                await SendAsync(command, delivery!, latest!, send.Attempt, session, bus, connectors, clock, metrics, logger, now, ct);
                return;
        }
    }

    private static async Task SendAsync(
        DeliverToErp command, Delivery delivery, PlantBomPublished latest, int attempt, IDocumentSession session, IMessageBus bus,
        Connectors connectors, IClock clock, HubMetrics metrics, ILogger<DeliverToErp> logger, Instant now, CancellationToken ct)
    {
        var instance = (await session.LoadAsync<ErpInstanceView>(ErpStreams.Instance(delivery.Instance), ct))?.Configuration;
        var (payload, outcome) = await connectors.SendAsync(delivery.Instance, instance, new PublicationOutgoing(delivery, latest), bus, ct);

        var answeredAt = clock.GetCurrentInstant();
        var record = DeliveryAttempt.Record(delivery, attempt, instance?.Retry, payload, outcome, now, answeredAt);
        session.Events.Append(ErpStreams.Delivery(delivery.DeliveryId), record.Events.ToArray());
        if (record.RetryAfter is { } wait) await bus.ScheduleAsync(command, wait.ToTimeSpan());
        var error = (outcome as ChannelOutcome.Failed)?.Error;
        switch (record.Result)
        {
            case AttemptResult.Acknowledged:
                DeliveryAcknowledgements.Acknowledged(metrics, delivery, answeredAt);
                break;
            case AttemptResult.AwaitingAcknowledgement:
                metrics.Delivery(delivery.Instance, "sent");
                break;
            case AttemptResult.Failed:
                metrics.Delivery(delivery.Instance, "failed");
                logger.LogWarning("Delivery {Delivery} to {Instance} failed (attempt {Attempt}): {Error}; retrying in {Wait}",
                    delivery.DeliveryId, delivery.Instance, attempt, error, record.RetryAfter);
                break;
            case AttemptResult.DeadLettered:
                metrics.Delivery(delivery.Instance, "deadLettered");
                logger.LogError("Delivery {Delivery} to {Instance} dead-lettered after {Attempt} attempts: {Error}",
                    delivery.DeliveryId, delivery.Instance, attempt, error);
                break;
        }
    }
}
