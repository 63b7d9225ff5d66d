using System.Text.Json.Nodes;
using ProductHub.Adapters.Erp;
using ProductHub.Domain.Erp;
using ProductHub.Hub.ChangeOrders.Orchestrating;
using ProductHub.Domain.Plants;
using ProductHub.Domain.Webhooks;
using ProductHub.Hub.Erp;
using ProductHub.Hub.Erp.Delivering;
using ProductHub.Hub.Security.Secrets;
using Wolverine;

namespace ProductHub.Hub.Outbound;

/// <summary>A message to a target system in the hub's own terms; the target's connector renders it as the target takes it.</summary>
public abstract record Outgoing(string IdempotencyKey)
{
    /// <summary>A plant publication, delivered through the instance's mapping.</summary>
    public sealed record Publication(Delivery Delivery, PlantBomPublished Published) : Outgoing(Delivery.IdempotencyKey);

    /// <summary>A change order step, as the JSON every kind of system gets.</summary>
    public sealed record Step(string ChangeOrder, string Key, string Json) : Outgoing(Key);
}

/// <summary>What was sent (the payload recorded with the attempt) and what the target made of it.</summary>
public sealed record Sent(string Payload, ChannelOutcome Outcome);

/// <summary>
/// The one way out of the hub: each target system's connector (http, file, kafka, tryton) for what it is sent (a plant
/// publication, a change order step, a batch of the change feed), every secret read at the moment of sending and every
/// HTTP call through the outbound policy's client. The callers decide on the outcome with the one retry policy,
/// <see cref="DeliveryRetry"/>.
/// </summary>
public sealed class Connectors(SecretStore secrets, IHttpClientFactory http)
{
    private const int WebhookTimeoutSeconds = 30;

    public async Task<Sent> SendAsync(string name, ErpInstanceConfigured? target, Outgoing message, IMessageBus bus, CancellationToken ct)
    {
        if (target is null) return new Sent("", new ChannelOutcome.Failed($"{name} is not a configured target system"));
        var payload = Render(target, message);
        var key = message.IdempotencyKey;
        var outcome = target.Channel switch
        {
            ErpChannel.Http => await AuthorizedHttp.SendAsync(secrets, SecretName.ErpAuthHeader(target.Name), Client, target.Http!, key, payload, ct),
            ErpChannel.File => FileErpChannel.Write(target.File!, $"{key}.{Extension(target, message)}", payload),
            ErpChannel.Kafka => await PublishAsync(bus, target.Kafka!, message, payload),
            ErpChannel.Tryton when message is Outgoing.Publication publication =>
                await TrytonErpChannel.DeliverAsync(secrets, Client, target, publication.Published, ct),
            ErpChannel.Tryton => new ChannelOutcome.Failed($"{name} is a Tryton instance: it takes plant publications, not change order steps"),
            _ => throw new ArgumentOutOfRangeException(nameof(target), target.Channel, "no connector for this channel"),
        };
        return new Sent(payload, outcome);
    }

    /// <summary>A batch of the feed to a webhook: POSTed to its URL, or written into its drop folder (which acknowledges it).</summary>
    public async Task<ChannelOutcome> SendAsync(WebhookConfigured webhook, string key, string json, CancellationToken ct)
    {
        if (webhook.Url is { } url)
            return await AuthorizedHttp.SendAsync(secrets, SecretName.WebhookAuthHeader(webhook.Name), Client,
                new HttpChannelSettings(url, webhook.AuthHeaderSecret, WebhookTimeoutSeconds), key, json, ct);
        return FileErpChannel.Write(webhook.DropFolder!, key.Replace(':', '-') + ".json", json) is ChannelOutcome.Failed failed
            ? failed
            : new ChannelOutcome.Acknowledged(null, null);
    }

    private HttpClient Client => http.CreateClient(OutboundHttp.ClientName);

    private static string Render(ErpInstanceConfigured target, Outgoing message) => message switch
    {
        Outgoing.Publication p when target.Channel == ErpChannel.File =>
            FileErpChannel.Render(target.File!, new ErpPayload(target.Mapping, p.Delivery.IdempotencyKey, p.Published)),
        Outgoing.Publication p => new ErpPayload(target.Mapping, p.Delivery.IdempotencyKey, p.Published).ToJson(),
        Outgoing.Step s => s.Json,
        _ => throw new ArgumentOutOfRangeException(nameof(message)),
    };

    private static string Extension(ErpInstanceConfigured target, Outgoing message) =>
        message is Outgoing.Publication ? target.File!.Format.ToString().ToLowerInvariant() : "json";

    /// <summary>Into the handler's outbox for the instance's topic; it leaves when the transaction commits and the broker takes it.</summary>
    private static async Task<ChannelOutcome> PublishAsync(IMessageBus bus, KafkaChannelSettings settings, Outgoing message, string payload)
    {
        var options = new DeliveryOptions();
        options.Headers[HttpErpChannel.IdempotencyKeyHeader] = message.IdempotencyKey;
        object body;
        switch (message)
        {
            case Outgoing.Publication { Delivery: var d }:
                options.PartitionKey = d.PartNumber; // one part's versions stay in order
                options.Headers["plant"] = d.PlantCode;
                body = new ErpDeliveryMessage(d.IdempotencyKey, d.DeliveryId, d.PlantCode, d.PartNumber, d.MbomVersion, JsonNode.Parse(payload)!);
                break;
            case Outgoing.Step s:
                options.PartitionKey = s.ChangeOrder;
                body = new ChangeOrderStepMessage(s.Key, s.ChangeOrder, JsonNode.Parse(payload)!);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(message));
        }
        await bus.BroadcastToTopicAsync(settings.Topic, body, options);
        return new ChannelOutcome.AwaitingAcknowledgement(null);
    }
}
