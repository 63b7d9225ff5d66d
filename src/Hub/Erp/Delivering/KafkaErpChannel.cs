using System.Text.Json.Nodes;

namespace ProductHub.Hub.Erp.Delivering;

/// <summary>What an ERP consumer reads from its topic: the mapped payload, with the key to deduplicate by.</summary>
public sealed record ErpDeliveryMessage(string IdempotencyKey, string DeliveryId, string PlantCode, string PartNumber, int Version, JsonNode Payload);

