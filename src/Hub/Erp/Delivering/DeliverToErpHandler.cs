using Marten;
using NodaTime;
using ProductHub.Adapters.Erp;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Observability;
using ProductHub.Projections.Erp;
using ProductHub.Projections.Plants;
using ProductHub.Hub.Security.Secrets;
using Wolverine;

namespace ProductHub.Hub.Erp.Delivering;

/// <summary>
/// One attempt to deliver. Each attempt is recorded with the payload sent; a failure schedules the next attempt
/// after the instance's backoff (a durable scheduled message), until the instance's limit dead-letters it.
/// </summary>
public static class DeliverToErpHandler
{
    public static async Task Handle(
        DeliverToErp command, IDocumentSession session, IMessageBus bus, IHttpClientFactory http, SecretStore secrets, IClock clock,
        HubMetrics metrics, ILogger<DeliverToErp> logger, CancellationToken ct)
    {
        var key = ErpStreams.Delivery(command.DeliveryId);
        var delivery = await session.LoadAsync<DeliveryView>(key, ct);
        // Settled deliveries and orders of an earlier round (a replay started a new one) are done with.
        if (delivery is null || command.Round != delivery.Rounds ||
            delivery.Status is DeliveryStatus.Acknowledged or DeliveryStatus.Superseded or DeliveryStatus.DeadLettered or DeliveryStatus.Sent)
        {
            return;
        }

        var now = clock.GetCurrentInstant();
        var latest = (await session.LoadAsync<PlantBomView>(PlantStreams.Mbom(delivery.PlantCode, delivery.PartNumber), ct))?.Latest;
        if (latest is null || latest.Version > delivery.MbomVersion)
        {
            // A newer version exists: sending this one could land after it, so it is never sent.
            session.Events.Append(key, new DeliverySuperseded(delivery.DeliveryId, latest?.Version ?? delivery.MbomVersion, now));
            metrics.Delivery(delivery.Instance, "superseded");
            return;
        }

        var attempt = delivery.Attempts + 1;
        var instance = (await session.LoadAsync<ErpInstanceView>(ErpStreams.Instance(delivery.Instance), ct))?.Configuration;
        ChannelOutcome outcome;
        string payload;
        if (instance is null)
        {
            payload = "";
            outcome = new ChannelOutcome.Failed($"ERP instance {delivery.Instance} is not configured");
        }
        else
        {
            var erp = new ErpPayload(instance.Mapping, delivery.IdempotencyKey, latest);
            payload = instance.Channel == ErpChannel.File ? FileErpChannel.Render(instance.File!, erp) : erp.ToJson();
            outcome = instance.Channel switch
            {
                ErpChannel.Http => await AuthorizedHttp.SendAsync(
                    secrets, SecretName.ErpAuthHeader(instance.Name), http.CreateClient("erp"), instance.Http!, delivery.IdempotencyKey, payload, ct),
                ErpChannel.File => FileErpChannel.Write(instance.File!, delivery.IdempotencyKey, payload),
                _ => await KafkaErpChannel.SendAsync(bus, instance.Kafka!, delivery, payload),
            };
        }

        session.Events.Append(key, new DeliverySent(delivery.DeliveryId, attempt, payload, now));
        switch (outcome)
        {
            case ChannelOutcome.Acknowledged ack:
                var acknowledgedAt = clock.GetCurrentInstant();
                session.Events.Append(key, new DeliveryAcknowledged(delivery.DeliveryId, ack.Reference, ack.Answer, acknowledgedAt));
                DeliveryAcknowledgements.Acknowledged(metrics, delivery, acknowledgedAt);
                break;
            case ChannelOutcome.AwaitingAcknowledgement:
                metrics.Delivery(delivery.Instance, "sent");
                break;
            case ChannelOutcome.Failed failed when instance is not null && attempt < instance.Retry.MaxAttempts:
                var wait = instance.Retry.WaitBefore(attempt);
                session.Events.Append(key, new DeliveryFailed(delivery.DeliveryId, attempt, failed.Error, now + wait, now));
                await bus.ScheduleAsync(command, wait.ToTimeSpan());
                metrics.Delivery(delivery.Instance, "failed");
                logger.LogWarning("Delivery {Delivery} to {Instance} failed (attempt {Attempt}): {Error}; retrying in {Wait}",
                    delivery.DeliveryId, delivery.Instance, attempt, failed.Error, wait);
                break;
            case ChannelOutcome.Failed failed:
                session.Events.Append(key, new DeliveryFailed(delivery.DeliveryId, attempt, failed.Error, null, now));
                session.Events.Append(key, new DeliveryDeadLettered(delivery.DeliveryId, attempt, failed.Error, now));
                metrics.Delivery(delivery.Instance, "deadLettered");
                logger.LogError("Delivery {Delivery} to {Instance} dead-lettered after {Attempt} attempts: {Error}",
                    delivery.DeliveryId, delivery.Instance, attempt, failed.Error);
                break;
        }
    }
}
