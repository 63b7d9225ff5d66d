using System.Text.Json.Nodes;
using ProductHub.Adapters.Erp;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Outbound;
using Wolverine;

namespace ProductHub.Hub.Erp.Delivering;

/// <summary>A plant publication delivered through the instance's mapping: JSON, or CSV or XML in a drop folder.</summary>
public sealed record PublicationOutgoing(Delivery Delivery, PlantBomPublished Published) : Outgoing(Delivery.IdempotencyKey)
{
    public override PlantBomPublished? Publication => Published;

    public override string Render(ErpInstanceConfigured target)
    {
        var payload = new ErpPayload(target.Mapping, Delivery.IdempotencyKey, Published);
        return target.Channel == ErpChannel.File ? FileErpChannel.Render(target.File!, payload) : payload.ToJson();
    }

    public override string Extension(ErpInstanceConfigured target) => target.File!.Format.ToString().ToLowerInvariant();

    /// <summary>Keyed by part number, so one part's versions stay in order on the topic.</summary>
    public override object TopicMessage(string payload, DeliveryOptions options)
    {
        options.PartitionKey = Delivery.PartNumber;
        options.Headers["plant"] = Delivery.PlantCode;
        return new ErpDeliveryMessage(Delivery.IdempotencyKey, Delivery.DeliveryId, Delivery.PlantCode, Delivery.PartNumber, Delivery.MbomVersion,
            JsonNode.Parse(payload)!);
    }
}
