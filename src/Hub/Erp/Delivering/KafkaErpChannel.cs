using System.Text.Json.Nodes;
using ProductHub.Adapters.Erp;
using ProductHub.Domain.Erp;
using Wolverine;

namespace ProductHub.Hub.Erp.Delivering;

/// <summary>What an ERP consumer reads from its topic: the mapped payload, with the key to deduplicate by.</summary>
public sealed record ErpDeliveryMessage(string IdempotencyKey, string DeliveryId, string PlantCode, string PartNumber, int Version, JsonNode Payload);

/// <summary>
/// The kafka channel: the delivery goes into the handler's outbox for the instance's topic, keyed by part number,
/// and leaves when the transaction commits and the broker takes it. The ERP acknowledges by callback.
/// </summary>
public static class KafkaErpChannel
{
    public static async Task<ChannelOutcome> SendAsync(IMessageBus bus, KafkaChannelSettings settings, Delivery delivery, string payload)
    {
        var options = new DeliveryOptions { PartitionKey = delivery.PartNumber };
        options.Headers[HttpErpChannel.IdempotencyKeyHeader] = delivery.IdempotencyKey;
        options.Headers["plant"] = delivery.PlantCode;
        await bus.BroadcastToTopicAsync(settings.Topic,
            new ErpDeliveryMessage(delivery.IdempotencyKey, delivery.DeliveryId, delivery.PlantCode, delivery.PartNumber,
                delivery.MbomVersion, JsonNode.Parse(payload)!), options);
        return new ChannelOutcome.AwaitingAcknowledgement(null);
    }
}
